// The worker engine without a server: histories built event by event (HistoryBuilder) drive a
// WorkflowRun (command state machines + the workflow code), and each test checks what a worker
// would send back, or the error it would fail the task with. One test per machine transition.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/history_builder.h"
#include "support/sanitized.h"
#include "temporal/workflow/definition.h"
#include "converter/proto.h"
#include "worker/workflow_run.h"

namespace temporal {
namespace {

using test::kSanitized;

namespace wf = temporal::workflow;
namespace apienums = ::temporal::api::enums::v1;
using namespace std::chrono_literals;
using converter::Payload;
using converter::to_payload;
using test::HistoryBuilder;
using worker::detail::TaskOutput;
using worker::detail::WorkflowRun;

/// A workflow run fed from a HistoryBuilder the way a worker with a sticky cache feeds it: each
/// apply() passes the events added since the previous one; the last WorkflowTaskStarted is the task
/// being answered.
class TestRun {
 public:
  explicit TestRun(wf::WorkflowDefinition definition, Logger logger = {})
      : definition_(std::move(definition)),
        run_(&definition_, &dc_, "default", "unit-tests", "unit-test-workflow", "run-1", std::move(logger)) {}

  TaskOutput apply(const HistoryBuilder& h, std::vector<::temporal::api::protocol::v1::Message> messages = {}) {
    std::vector<const ::temporal::api::history::v1::HistoryEvent*> events;
    for (const auto& e : h.history().events()) {
      if (e.event_id() > run_.last_event_id()) events.push_back(&e);
    }
    return run_.apply(events, h.last_event_id(), messages);
  }
  WorkflowRun& operator*() { return run_; }
  WorkflowRun* operator->() { return &run_; }

 private:
  wf::WorkflowDefinition definition_;
  converter::DataConverter dc_;
  WorkflowRun run_;
};

std::vector<apienums::CommandType> types(const TaskOutput& out) {
  std::vector<apienums::CommandType> t;
  for (const auto& c : out.commands) t.push_back(c.command_type());
  return t;
}

Payload result_of(const TaskOutput& out) {
  for (const auto& c : out.commands) {
    if (c.command_type() == apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION) {
      return converter::from_proto(c.complete_workflow_execution_command_attributes().result().payloads(0));
    }
  }
  ADD_FAILURE() << "no CompleteWorkflowExecution command";
  return {};
}

template <class F>
std::string nondeterminism_of(F&& f) {
  try {
    f();
  } catch (const NondeterminismError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no NondeterminismError";
  return {};
}

// ---- timers -------------------------------------------------------------------------------------

wf::Workflow<std::string> sleeper() {
  co_await wf::sleep(5s);
  co_return std::string("woke");
}

TEST(TimerMachine, StartsFiresAndTheWorkflowCompletes) {
  TestRun run(wf::define_workflow("sleeper", sleeper));
  HistoryBuilder h("sleeper");
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h);
  ASSERT_EQ(types(out), std::vector{apienums::COMMAND_TYPE_START_TIMER});
  EXPECT_EQ(out.commands[0].start_timer_command_attributes().timer_id(), "1");
  EXPECT_EQ(out.commands[0].start_timer_command_attributes().start_to_fire_timeout().seconds(), 5);

  // The next task: history records the timer, then its firing.
  HistoryBuilder live("sleeper");
  live.add_workflow_task();
  auto started = live.add_timer_started("1", 5);
  live.add_timer_fired(started, "1");
  live.add_workflow_task_scheduled_and_started();
  TestRun replayed(wf::define_workflow("sleeper", sleeper));
  out = replayed.apply(live);
  EXPECT_EQ(from_payload<std::string>(result_of(out)), "woke");
  EXPECT_EQ(replayed->live_machines(), 1u);  // only the close command, until history records it
  EXPECT_EQ(replayed->pending_operations(), 0u);
}

TEST(TimerMachine, ATimerStartedAndCancelledInOneActivationNeverReachesTheServer) {
  // Cancellation was requested before the first task: the timer is created cancelled and withdrawn.
  auto body = []() -> wf::Workflow<std::string> {
    try {
      co_await wf::sleep(1h);
    } catch (const CanceledFailure&) {
      co_return std::string("cancelled before it started");
    }
    co_return std::string("slept");
  };
  TestRun run(wf::define_workflow("w", body));
  HistoryBuilder h("w");
  h.add_cancel_requested();
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h);
  EXPECT_EQ(types(out), std::vector{apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION});
  EXPECT_EQ(from_payload<std::string>(result_of(out)), "cancelled before it started");
}

wf::Workflow<std::string> cancellable_sleeper() {
  try {
    co_await wf::sleep(1h);
  } catch (const CanceledFailure&) {
    co_return std::string("cancelled");
  }
  co_return std::string("slept");
}

TEST(TimerMachine, CancellingAStartedTimerSendsCancelTimerWhichHistoryThenRecords) {
  TestRun run(wf::define_workflow("w", cancellable_sleeper));
  HistoryBuilder h("w");
  h.add_workflow_task();
  auto started = h.add_timer_started("1", 3600);
  h.add_cancel_requested();
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h);
  ASSERT_EQ(types(out), (std::vector{apienums::COMMAND_TYPE_CANCEL_TIMER, apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION}));
  EXPECT_EQ(out.commands[0].cancel_timer_command_attributes().timer_id(), "1");

  // The same history replayed to its end, with the cancel recorded: no error.
  HistoryBuilder full("w");
  full.add_workflow_task();
  started = full.add_timer_started("1", 3600);
  full.add_cancel_requested();
  full.add_workflow_task();
  full.add_timer_canceled(started, "1");
  full.add_workflow_completed(to_payload(std::string("cancelled")));
  TestRun replay(wf::define_workflow("w", cancellable_sleeper));
  std::vector<const ::temporal::api::history::v1::HistoryEvent*> events;
  for (const auto& e : full.history().events()) events.push_back(&e);
  (void)replay->apply(events, full.last_event_id() + 1, {});
  EXPECT_NO_THROW(replay->require_all_commands_recorded());
  EXPECT_EQ(replay->live_machines(), 0u);
}

// ---- activities ---------------------------------------------------------------------------------

wf::ActivityOptions activity_options(wf::ActivityCancellationType type = wf::ActivityCancellationType::kTryCancel) {
  wf::ActivityOptions o;
  o.start_to_close_timeout = 10s;
  o.cancellation_type = type;
  return o;
}

wf::Workflow<std::string> one_activity() {
  auto options = activity_options();
  try {
    co_return co_await wf::execute_activity<std::string>("compose", options, std::string("Ada"));
  } catch (const ActivityFailure& f) {
    const auto* cause = f.cause();
    std::string kind = dynamic_cast<const ApplicationFailure*>(cause)  ? "application"
                       : dynamic_cast<const TimeoutFailure*>(cause)    ? "timeout"
                       : dynamic_cast<const CanceledFailure*>(cause)   ? "canceled"
                                                                         : "other";
    co_return "failed: " + kind + " (" + f.info().activity_type + ", id " + f.info().activity_id + ")";
  }
}

HistoryBuilder scheduled_activity(int64_t* scheduled) {
  HistoryBuilder h("w");
  h.add_workflow_task();
  *scheduled = h.add_activity_scheduled("1", "compose");
  h.add_activity_started(*scheduled);
  return h;
}

TEST(ActivityMachine, SchedulesAndDeliversItsResult) {
  TestRun run(wf::define_workflow("w", one_activity));
  HistoryBuilder first("w");
  first.add_workflow_task_scheduled_and_started();
  auto out = run.apply(first);
  ASSERT_EQ(types(out), std::vector{apienums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK});
  const auto& a = out.commands[0].schedule_activity_task_command_attributes();
  EXPECT_EQ(a.activity_id(), "1");
  EXPECT_EQ(a.activity_type().name(), "compose");
  EXPECT_EQ(a.task_queue().name(), "unit-tests");
  EXPECT_EQ(a.start_to_close_timeout().seconds(), 10);

  int64_t scheduled = 0;
  auto h = scheduled_activity(&scheduled);
  h.add_activity_completed(scheduled, to_payload(std::string("Hello, Ada")));
  h.add_workflow_task_scheduled_and_started();
  TestRun replayed(wf::define_workflow("w", one_activity));
  out = replayed.apply(h);
  EXPECT_EQ(from_payload<std::string>(result_of(out)), "Hello, Ada");
}

TEST(ActivityMachine, FailureAndTimeoutReachTheCodeAsActivityFailureWithTheirCause) {
  for (const std::string kind : {"application", "timeout"}) {
    int64_t scheduled = 0;
    auto h = scheduled_activity(&scheduled);
    if (kind == "application") {
      h.add_activity_failed(scheduled, "boom", "MyError");
    } else {
      h.add_activity_timed_out(scheduled);
    }
    h.add_workflow_task_scheduled_and_started();
    TestRun run(wf::define_workflow("w", one_activity));
    auto out = run.apply(h);
    EXPECT_EQ(from_payload<std::string>(result_of(out)), "failed: " + kind + " (compose, id 1)");
  }
}

TEST(ActivityMachine, TryCancelRequestsCancellationAndResolvesTheCodeAtOnce) {
  int64_t scheduled = 0;
  auto h = scheduled_activity(&scheduled);
  h.add_cancel_requested();
  h.add_workflow_task_scheduled_and_started();
  TestRun run(wf::define_workflow("w", one_activity));
  auto out = run.apply(h);
  ASSERT_EQ(types(out), (std::vector{apienums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK,
                                     apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION}));
  EXPECT_EQ(out.commands[0].request_cancel_activity_task_command_attributes().scheduled_event_id(), scheduled);
  EXPECT_EQ(from_payload<std::string>(result_of(out)), "failed: canceled (compose, id 1)");
}

wf::Workflow<std::string> waits_for_cancellation() {
  auto options = activity_options(wf::ActivityCancellationType::kWaitCancellationCompleted);
  try {
    co_await wf::execute_activity<std::string>("compose", options);
  } catch (const ActivityFailure&) {
    co_return std::string("cancellation completed");
  }
  co_return std::string("completed");
}

TEST(ActivityMachine, WaitCancellationCompletedWaitsForTheActivityToAcknowledge) {
  int64_t scheduled = 0;
  auto h = scheduled_activity(&scheduled);
  h.add_cancel_requested();
  h.add_workflow_task_scheduled_and_started();
  TestRun run(wf::define_workflow("w", waits_for_cancellation));
  auto out = run.apply(h);
  EXPECT_EQ(types(out), std::vector{apienums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK});  // still waiting

  HistoryBuilder h2 = scheduled_activity(&scheduled);
  h2.add_cancel_requested();
  h2.add_workflow_task();
  h2.add_activity_cancel_requested(scheduled);
  h2.add_activity_canceled(scheduled);
  h2.add_workflow_task_scheduled_and_started();
  TestRun run2(wf::define_workflow("w", waits_for_cancellation));
  out = run2.apply(h2);
  EXPECT_EQ(from_payload<std::string>(result_of(out)), "cancellation completed");
}

TEST(ActivityMachine, AbandonTellsTheServerNothing) {
  auto body = []() -> wf::Workflow<std::string> {
    auto options = activity_options(wf::ActivityCancellationType::kAbandon);
    try {
      co_await wf::execute_activity<std::string>("compose", options);
    } catch (const ActivityFailure&) {
      co_return std::string("abandoned");
    }
    co_return std::string("completed");
  };
  int64_t scheduled = 0;
  auto h = scheduled_activity(&scheduled);
  h.add_cancel_requested();
  h.add_workflow_task_scheduled_and_started();
  TestRun run(wf::define_workflow("w", body));
  auto out = run.apply(h);
  EXPECT_EQ(types(out), std::vector{apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION});
  EXPECT_EQ(from_payload<std::string>(result_of(out)), "abandoned");
}

TEST(ActivityMachine, AnotherActivityTypeOrIdInHistoryIsNondeterminism) {
  HistoryBuilder h("w");
  h.add_workflow_task();
  h.add_activity_scheduled("1", "composeV2");
  h.add_workflow_task_scheduled_and_started();
  TestRun run(wf::define_workflow("w", one_activity));
  const auto message = nondeterminism_of([&] { run.apply(h); });
  EXPECT_NE(message.find("COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK for activity 'compose' (id 1)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("activity 'composeV2'"), std::string::npos) << message;
}

// ---- external workflows -------------------------------------------------------------------------

wf::Workflow<std::string> signals_and_cancels_another() {
  std::string outcome;
  auto other = wf::get_external_workflow_handle("other");
  try {
    co_await other.signal("ping", 1);
    outcome += "signalled;";
  } catch (const ApplicationFailure& f) {
    outcome += "signal failed: " + f.type() + ";";
  }
  try {
    co_await other.cancel();
    outcome += "cancelled";
  } catch (const ApplicationFailure& f) {
    outcome += "cancel failed: " + f.type();
  }
  co_return outcome;
}

TEST(ExternalMachines, SignalAndCancelResolveOnDeliveryOrFailWhenTheWorkflowIsMissing) {
  for (const bool delivered : {true, false}) {
    HistoryBuilder h("w");
    h.add_workflow_task();
    auto signal = h.add_signal_external_initiated("other", "ping");
    if (delivered) {
      h.add_external_signaled(signal, "other");
    } else {
      h.add_signal_external_failed(signal, "other");
    }
    h.add_workflow_task();
    auto cancel = h.add_cancel_external_initiated("other");
    if (delivered) {
      h.add_external_cancel_requested(cancel, "other");
    } else {
      h.add_cancel_external_failed(cancel, "other");
    }
    h.add_workflow_task_scheduled_and_started();
    TestRun run(wf::define_workflow("w", signals_and_cancels_another));
    auto out = run.apply(h);
    EXPECT_EQ(from_payload<std::string>(result_of(out)),
              delivered ? "signalled;cancelled"
                        : "signal failed: ExternalWorkflowExecutionNotFound;cancel failed: ExternalWorkflowExecutionNotFound");
  }
}

// ---- the close, continue-as-new, updates, signals ----------------------------------------------

TEST(CloseMachine, AnotherCloseInHistoryIsNondeterminism) {
  HistoryBuilder h("sleeper");
  h.add_workflow_task();
  auto started = h.add_timer_started("1", 5);
  h.add_timer_fired(started, "1");
  h.add_workflow_task();
  h.add_workflow_failed("failed");  // the code completes instead
  TestRun run(wf::define_workflow("sleeper", sleeper));
  const auto message = nondeterminism_of([&] { run.apply(h); });
  EXPECT_NE(message.find("COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION"), std::string::npos) << message;
  EXPECT_NE(message.find("EVENT_TYPE_WORKFLOW_EXECUTION_FAILED"), std::string::npos) << message;
}

TEST(CloseMachine, ContinueAsNewCarriesItsArguments) {
  auto body = [](int n) -> wf::Workflow<int> {
    if (n < 3) wf::continue_as_new(wf::ContinueAsNewOptions{}, n + 1);
    co_return n;
  };
  HistoryBuilder h("loop", {to_payload(1)});
  h.add_workflow_task_scheduled_and_started();
  TestRun run(wf::define_workflow("loop", body));
  auto out = run.apply(h);
  ASSERT_EQ(types(out), std::vector{apienums::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION});
  const auto& a = out.commands[0].continue_as_new_workflow_execution_command_attributes();
  EXPECT_EQ(a.workflow_type().name(), "loop");
  EXPECT_EQ(a.task_queue().name(), "unit-tests");
  EXPECT_EQ(converter::from_payload<int>(converter::from_proto(a.input().payloads(0))), 2);
}

::temporal::api::protocol::v1::Message update_message(const std::string& id, const std::string& name,
                                                       const converter::Payloads& args) {
  ::temporal::api::update::v1::Request request;
  request.mutable_meta()->set_update_id(id);
  request.mutable_input()->set_name(name);
  for (const auto& p : args) *request.mutable_input()->mutable_args()->add_payloads() = converter::to_proto(p);
  ::temporal::api::protocol::v1::Message m;
  m.set_id(id + "/request");
  m.set_protocol_instance_id(id);
  m.mutable_body()->PackFrom(request);
  return m;
}

class Account {
 public:
  wf::Workflow<int> run() {
    auto closed = [this] { return closed_; };
    co_await wf::wait_condition(closed);
    co_return balance_;
  }
  int deposit(int amount) { return balance_ += amount; }
  void validate_deposit(int amount) const {
    if (amount <= 0) throw ApplicationFailure("deposits must be positive", {.type = "Rejected"});
  }
  void close() { closed_ = true; }
  int balance() const { return balance_; }

 private:
  int balance_ = 0;
  bool closed_ = false;
};

wf::WorkflowDefinition account() {
  return wf::WorkflowClass<Account>("account")
      .run(&Account::run)
      .update("deposit", &Account::deposit, &Account::validate_deposit)
      .signal("close", &Account::close)
      .query("balance", &Account::balance);
}

TEST(UpdateMachine, AcceptsThenCompletesAndHistoryRecordsBoth) {
  TestRun run(account());
  HistoryBuilder h("account");
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h, {update_message("u1", "deposit", {to_payload(5)})});
  ASSERT_EQ(types(out), (std::vector{apienums::COMMAND_TYPE_PROTOCOL_MESSAGE, apienums::COMMAND_TYPE_PROTOCOL_MESSAGE}));
  ASSERT_EQ(out.messages.size(), 2u);
  EXPECT_EQ(out.messages[0].id(), "u1/accept");
  EXPECT_EQ(out.messages[1].id(), "u1/complete");
  ::temporal::api::update::v1::Response response;
  ASSERT_TRUE(out.messages[1].body().UnpackTo(&response));
  EXPECT_EQ(converter::from_payload<int>(converter::from_proto(response.outcome().success().payloads(0))), 5);
  EXPECT_EQ(from_payload<int>(run->query("balance", {})), 5);

  // Replayed: history has the acceptance and the completion, then a signal closes the account.
  h = HistoryBuilder("account");
  h.add_workflow_task();
  auto accepted = h.add_update_accepted("u1", "deposit", {to_payload(5)});
  h.add_update_completed(accepted, "u1", to_payload(5));
  h.add_signal("close");
  h.add_workflow_task_scheduled_and_started();
  TestRun replay(account());
  out = replay.apply(h);
  EXPECT_EQ(from_payload<int>(result_of(out)), 5);
  // A class workflow answers queries after completion: the object lives with the run.
  EXPECT_EQ(from_payload<int>(replay->query("balance", {})), 5);
}

TEST(UpdateMachine, ValidatorAndUndecodableArgumentsRejectWithoutAHistoryEvent) {
  TestRun run(account());
  HistoryBuilder h("account");
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h, {update_message("neg", "deposit", {to_payload(-1)}),
                           update_message("text", "deposit", {to_payload(std::string("five"))}),
                           update_message("none", "withdraw", {to_payload(1)})});
  ASSERT_EQ(out.messages.size(), 3u);
  for (const auto& m : out.messages) {
    EXPECT_TRUE(m.body().Is<::temporal::api::update::v1::Rejection>()) << m.id();
    ::temporal::api::update::v1::Rejection r;
    m.body().UnpackTo(&r);
    if (m.protocol_instance_id() == "neg") {
      EXPECT_EQ(r.failure().message(), "deposits must be positive");
    }
    if (m.protocol_instance_id() == "none") {
      EXPECT_NE(r.failure().message().find("unknown update name 'withdraw'"), std::string::npos) << r.failure().message();
    }
  }
  EXPECT_EQ(from_payload<int>(run->query("balance", {})), 0);
  EXPECT_EQ(run->live_machines(), 0u) << "rejected updates leave nothing behind";
}

TEST(SignalDelivery, AnUndecodableSignalIsDroppedAndLoggedAndLaterSignalsAreHandled) {
  std::vector<std::string> logged;
  auto body = []() -> wf::Workflow<int> {
    int sum = 0;
    wf::set_signal_handler("add", [&sum](int n) { sum += n; });
    auto three = [&sum] { return sum >= 3; };
    co_await wf::wait_condition(three);
    co_return sum;
  };
  TestRun run(wf::define_workflow("w", body), [&](LogLevel, const std::string& line) { logged.push_back(line); });
  HistoryBuilder h("w");
  h.add_signal("add", {to_payload(std::string("not a number"))});  // the poison pill
  h.add_signal("add", {to_payload(1)});
  h.add_workflow_task();
  h.add_signal("add", {to_payload(2)});
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h);
  EXPECT_EQ(from_payload<int>(result_of(out)), 3);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].find("dropped signal 'add'"), std::string::npos) << logged[0];
}

TEST(Handlers, AFunctionWorkflowsQueryEndsWithItAndTheErrorSaysWhatToDo) {
  auto body = []() -> wf::Workflow<int> {
    int local = 42;
    wf::set_query_handler("local", [&local] { return local; });  // a reference to a local: safe now
    co_await wf::sleep(1s);
    co_return local;
  };
  TestRun run(wf::define_workflow("w", body));
  HistoryBuilder h("w");
  h.add_workflow_task_scheduled_and_started();
  (void)run.apply(h);
  EXPECT_EQ(from_payload<int>(run->query("local", {})), 42);
  HistoryBuilder done("w");
  done.add_workflow_task();
  auto t = done.add_timer_started("1");
  done.add_timer_fired(t, "1");
  done.add_workflow_task_scheduled_and_started();
  TestRun finished(wf::define_workflow("w", body));
  (void)finished.apply(done);
  try {
    (void)finished->query("local", {});
    ADD_FAILURE() << "a function workflow's query ran after the function returned";
  } catch (const InvalidArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("class workflow"), std::string::npos) << e.what();
  }
}

// ---- history splitting and unsupported features ----------------------------------------------

TEST(HistorySplitter, AFailedWorkflowTaskRanNoCodeThatCounts) {
  TestRun run(wf::define_workflow("sleeper", sleeper));
  HistoryBuilder h("sleeper");
  h.add_workflow_task_failed();
  h.add_workflow_task_timed_out();
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h);
  EXPECT_EQ(types(out), std::vector{apienums::COMMAND_TYPE_START_TIMER});
  EXPECT_EQ(run->tasks_run(), 1);
}

TEST(UnsupportedFeatures, HistoryFromCodeUsingThemIsNamedNotMisreported) {
  struct Case {
    std::function<void(HistoryBuilder&)> add;
    std::string feature;
  };
  const std::vector<Case> cases = {
      {[](HistoryBuilder& h) { h.add_marker("core_patch"); }, "markers (side effects, patches/versions or local activities)"},
      {[](HistoryBuilder& h) { h.add_child_workflow_initiated("child-1", "child"); }, "child workflows"},
      {[](HistoryBuilder& h) { h.add_upsert_search_attributes(); }, "search attribute upserts"},
  };
  for (const auto& c : cases) {
    HistoryBuilder h("sleeper");
    h.add_workflow_task();
    c.add(h);
    h.add_workflow_task_scheduled_and_started();
    TestRun run(wf::define_workflow("sleeper", sleeper));
    const auto message = nondeterminism_of([&] { run.apply(h); });
    EXPECT_NE(message.find(c.feature), std::string::npos) << message;
    EXPECT_EQ(message.find("produced no command"), std::string::npos) << message;
  }
}

// ---- memory: finished work is freed -----------------------------------------------------------

TEST(Memory, ACachedRunKeepsNothingForFinishedActivitiesAndTimers) {
  auto body = []() -> wf::Workflow<int> {
    auto options = activity_options();
    for (int i = 0; i < 50; ++i) {
      co_await wf::execute_activity<std::string>("step", options, i);
      co_await wf::sleep(1s);
    }
    auto never = [] { return false; };
    co_await wf::wait_condition(never);
    co_return 0;
  };
  HistoryBuilder h("w");
  h.add_workflow_task();
  int seq = 0;
  for (int i = 0; i < 50; ++i) {
    auto s = h.add_activity_scheduled(std::to_string(++seq), "step");
    h.add_activity_completed(s, to_payload(std::string(1000, 'x')));
    h.add_workflow_task();
    auto t = h.add_timer_started(std::to_string(++seq));
    h.add_timer_fired(t, std::to_string(seq));
    h.add_workflow_task();
  }
  TestRun run(wf::define_workflow("w", body));
  std::vector<const ::temporal::api::history::v1::HistoryEvent*> events;
  for (const auto& e : h.history().events()) events.push_back(&e);
  (void)run->apply(events, h.last_event_id() + 1, {});
  EXPECT_EQ(run->tasks_run(), 101);
  EXPECT_EQ(run->live_machines(), 0u);
  EXPECT_EQ(run->pending_operations(), 1u);  // the condition it waits on
}

// ---- the stack: long chains of synchronously completing coroutines ------------------------------

wf::Workflow<int> immediate(int n) { co_return n; }
wf::Workflow<int> nested(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await nested(depth - 1);
}

TEST(Stack, ALongChainOfCoroutinesThatCompleteAtOnceDoesNotGrowTheStack) {
  if (kSanitized) GTEST_SKIP() << "sanitizer instrumentation keeps symmetric transfer from being a tail call";
  // Each co_await resumes through symmetric transfer, so a million awaits in a loop or a deep
  // recursion run in constant stack (a thread's default stack is 8 MiB; without it, this
  // overflows).
  auto body = []() -> wf::Workflow<int64_t> {
    int64_t sum = 0;
    for (int i = 0; i < 1'000'000; ++i) sum += co_await immediate(1);
    sum += co_await nested(100'000);
    co_return sum;
  };
  TestRun run(wf::define_workflow("w", body));
  HistoryBuilder h("w");
  h.add_workflow_task_scheduled_and_started();
  auto out = run.apply(h);
  EXPECT_EQ(from_payload<int64_t>(result_of(out)), 1'100'000);
}

// ---- GCC 12: the safe forms of by-value captures and braced values -----------------------------

TEST(Gcc12, NamedLambdasAndOptionsWithOwnedCapturesAreDestroyedOnce) {
  // Run under ASan in CI: a double destruction of these captures is a double free.
  auto body = []() -> wf::Workflow<std::string> {
    auto shared = std::make_shared<std::string>(100, 'x');
    std::string text(100, 'y');
    bool ready = false;
    wf::set_signal_handler("go", [&ready] { ready = true; });
    auto predicate = [shared, text, &ready] { return ready && shared->size() == text.size(); };
    co_await wf::wait_condition(predicate);
    wf::ActivityOptions options{.start_to_close_timeout = 10s, .summary = std::string(100, 's')};
    auto r = co_await wf::execute_activity<std::string>("echo", options, text);
    auto cleanup = [shared]() -> wf::Workflow<void> { co_return; };
    co_await wf::run_detached(cleanup);
    co_return r + std::to_string(shared.use_count());
  };
  HistoryBuilder h("w");
  h.add_workflow_task();
  h.add_signal("go");
  h.add_workflow_task();
  auto s = h.add_activity_scheduled("1", "echo");
  h.add_activity_completed(s, to_payload(std::string("echoed")));
  h.add_workflow_task_scheduled_and_started();
  TestRun run(wf::define_workflow("w", body));
  auto out = run.apply(h);
  EXPECT_EQ(from_payload<std::string>(result_of(out)), "echoed3");
}

}  // namespace
}  // namespace temporal
