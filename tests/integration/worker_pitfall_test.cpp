// One test per worker pitfall known from the other SDKs (see TEMPORAL-FACTS.md): lost signals, a
// cache not evicted after a failed respond, queries mutating state, updates arriving before their
// handler, shutdown with pending activities, and destructors running while a run is evicted.
// (Stale and gapped history pages: tests/unit/replay_test.cpp, TheEngineSkipsRepeatedEventsAndRejectsAGap.)
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "temporal/client.h"
#include "temporal/testing/dev_server.h"
#include "temporal/worker/replayer.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;
namespace wf = temporal::workflow;
using client::WorkflowOptions;

wf::ActivityOptions ten_seconds() {
  wf::ActivityOptions o;
  o.start_to_close_timeout = 10s;
  return o;
}

// ---- workflows ----

// Sums the values of `n` "inc" signals.
wf::Workflow<int64_t> tally(int64_t n) {
  int64_t count = 0, sum = 0;
  wf::set_signal_handler("inc", [&](int64_t v) {
    ++count;
    sum += v;
  });
  co_await wf::wait_condition([&] { return count >= n; });
  co_return sum;
}

// Its first task runs longer than the workflow task timeout (once per process): the server times
// the task out and rejects the worker's late answer.
std::atomic<bool> g_slow_task_done{false};
wf::Workflow<std::string> slow_first_task() {
  if (!g_slow_task_done.exchange(true)) std::this_thread::sleep_for(1500ms);
  co_await wf::sleep(10ms);
  co_return "done";
}

// A query that draws randomness and one that tries to register a handler; the workflow then uses
// its next uuid as an activity id.
wf::Workflow<std::string> query_probe() {
  bool go = false;
  wf::set_signal_handler("go", [&]() { go = true; });
  wf::set_query_handler("peekUuid", []() { return wf::uuid4(); });
  wf::set_query_handler("registerHandler", []() {
    wf::set_signal_handler("sneaky", []() {});
    return std::string("registered");
  });
  co_await wf::wait_condition([&] { return go; });
  auto opts = ten_seconds();
  opts.activity_id = wf::uuid4();
  co_await wf::execute_activity<std::string>("echo", opts, std::string("x"));
  co_return opts.activity_id;
}

// Registers its update handler on its first line (an update-with-start reaches it), and another one
// only after a timer.
wf::Workflow<std::vector<std::string>> late_handlers() {
  std::vector<std::string> seen;
  bool done = false;
  wf::set_update_handler("early", [&](std::string s) -> int64_t {
    seen.push_back("early:" + s);
    return static_cast<int64_t>(seen.size());
  });
  wf::set_signal_handler("finish", [&]() { done = true; });
  co_await wf::sleep(1s);
  wf::set_update_handler("late", [&](std::string s) -> int64_t {
    seen.push_back("late:" + s);
    return static_cast<int64_t>(seen.size());
  });
  co_await wf::wait_condition([&] { return done; });
  co_return seen;
}

// Two activities in a row.
wf::Workflow<std::string> two_steps() {
  auto opts = ten_seconds();
  auto a = co_await wf::execute_activity<std::string>("slowStep", opts, std::string("one"));
  auto b = co_await wf::execute_activity<std::string>("echo", opts, std::string("two"));
  co_return a + "," + b;
}

// A local whose destructor calls workflow functions: it runs when the run is evicted from the cache
// and its coroutine frame destroyed.
std::atomic<int> g_guard_destroyed{0};
std::atomic<int> g_guard_destructor_errors{0};
struct Guard {
  ~Guard() {
    try {
      (void)wf::info().workflow_id;
      (void)wf::now();
      (void)wf::uuid4();
      wf::set_signal_handler("fromDestructor", []() {});
      wf::log("guard destroyed");
    } catch (...) {
      ++g_guard_destructor_errors;
    }
    ++g_guard_destroyed;
  }
};
wf::Workflow<std::string> guarded() {
  Guard guard;
  bool done = false;
  wf::set_signal_handler("finish", [&]() { done = true; });
  co_await wf::wait_condition([&] { return done; });
  co_return "finished";
}

// Records how many first tasks run at once (each holds its task for 300 ms).
std::atomic<int> g_in_task{0};
std::atomic<int> g_max_in_task{0};
wf::Workflow<int64_t> busy_first_task() {
  if (!wf::is_replaying()) {
    const int now = ++g_in_task;
    for (int seen = g_max_in_task.load(); now > seen && !g_max_in_task.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(300ms);
    --g_in_task;
  }
  co_await wf::sleep(1ms);
  co_return 1;
}

// Version 1 and a changed version 2 of the same workflow type.
wf::Workflow<std::string> versioned_v1() {
  bool go = false;
  wf::set_signal_handler("go", [&]() { go = true; });
  co_await wf::sleep(10ms);
  co_await wf::wait_condition([&] { return go; });
  co_return "v1";
}
wf::Workflow<std::string> versioned_v2() {
  bool go = false;
  wf::set_signal_handler("go", [&]() { go = true; });
  const auto opts = ten_seconds();
  const std::string step = "new first step";
  co_await wf::execute_activity<std::string>("echo", opts, step);
  co_await wf::wait_condition([&] { return go; });
  co_return "v2";
}

// ---- fixture ----

class WorkerPitfall : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    client_ = new client::Client(client::Connection::connect({.address = testing::shared_test_server_address()}));
  }

  std::string unique(const std::string& prefix) const {
    return prefix + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }

  // A worker on its own queue with every test workflow and activity.
  std::unique_ptr<worker::Worker> make_worker(worker::WorkerOptions o) const {
    auto w = std::make_unique<worker::Worker>(*client_, std::move(o));
    w->register_workflow("tally", tally)
        .register_workflow("slowFirstTask", slow_first_task)
        .register_workflow("queryProbe", query_probe)
        .register_workflow("lateHandlers", late_handlers)
        .register_workflow("twoSteps", two_steps)
        .register_workflow("guarded", guarded)
        .register_workflow("busyFirstTask", busy_first_task)
        .register_activity("echo", [](std::string s) { return s; })
        .register_activity("slowStep", [this](std::string s) {
          ++slow_step_runs_;
          slow_step_started_.set_value();
          std::this_thread::sleep_for(1500ms);
          return s;
        });
    return w;
  }

  WorkflowOptions on(const std::string& queue, const std::string& prefix) const {
    WorkflowOptions o;
    o.task_queue = queue;
    o.workflow_id = unique(prefix);
    return o;
  }

  static client::ResultOptions within(std::chrono::milliseconds d) {
    client::ResultOptions r;
    r.timeout = d;
    return r;
  }

  static bool history_has(const client::WorkflowHandle& h, const std::string& type) {
    for (const auto& e : h.fetch_history().get().events) {
      if (e.event_type == type) return true;
    }
    return false;
  }

  static client::Client* client_;
  mutable std::atomic<int> slow_step_runs_{0};
  mutable std::promise<void> slow_step_started_;
};
client::Client* WorkerPitfall::client_ = nullptr;

TEST_F(WorkerPitfall, SignalsSentConcurrentlyAreAllDeliveredExactlyOnce) {
  const auto queue = unique("pitfall-signals");
  auto w = make_worker({.task_queue = queue});
  w->start();
  constexpr int64_t kSignals = 60;
  auto h = client_->workflow().start("tally", on(queue, "tally"), kSignals).get();
  // All in flight at once, so that many arrive while a workflow task is running.
  std::vector<Task<void>> sends;
  for (int64_t i = 1; i <= kSignals; ++i) sends.push_back(h.signal("inc", i));
  when_all(std::move(sends)).get();
  EXPECT_EQ(h.result<int64_t>(within(60s)).get(), kSignals * (kSignals + 1) / 2);
  int delivered = 0;
  for (const auto& e : h.fetch_history().get().events) delivered += e.event_type == "EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED";
  EXPECT_EQ(delivered, kSignals);
}

TEST_F(WorkerPitfall, ARejectedLateAnswerDoesNotStallTheWorkflow) {
  // The first task outlives its 1 s timeout; the server rejects the answer. The cached run (which
  // believes its timer command was sent) must not be reused, or the retried task would send
  // nothing. (The worker evicts on any failed answer; the dev server also sends the retry with the
  // full history, which the worker's first-event check treats as a cache miss.)
  const auto queue = unique("pitfall-evict");
  auto w = make_worker({.task_queue = queue, .deadlock_timeout = 10s});
  w->start();
  auto o = on(queue, "slow");
  o.workflow_task_timeout = 1s;
  auto h = client_->workflow().start("slowFirstTask", o).get();
  EXPECT_EQ(h.result<std::string>(within(60s)).get(), "done");
  EXPECT_TRUE(history_has(h, "EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT"));
}

TEST_F(WorkerPitfall, QueriesCannotChangeWorkflowState) {
  const auto queue = unique("pitfall-query");
  auto w = make_worker({.task_queue = queue});
  w->start();
  auto h = client_->workflow().start("queryProbe", on(queue, "query")).get();
  // Randomness a query draws is given back: the same value every time, and the same one the
  // workflow itself draws next.
  const auto first = h.query<std::string>("peekUuid").get();
  EXPECT_EQ(h.query<std::string>("peekUuid").get(), first);
  EXPECT_EQ(h.query<std::string>("peekUuid").get(), first);
  try {
    h.query<std::string>("registerHandler").get();
    ADD_FAILURE() << "a query registered a signal handler";
  } catch (const QueryFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("must not change workflow state"), std::string::npos) << e.what();
  }
  h.signal("go").get();
  EXPECT_EQ(h.result<std::string>(within(30s)).get(), first);
  // And the history replays: the queries left no trace in what the code produces.
  worker::Replayer replayer;
  replayer.register_workflow("queryProbe", query_probe);
  EXPECT_TRUE(replayer.replay(h.fetch_history().get()).workflow_closed);
}

TEST_F(WorkerPitfall, AnUpdateWithStartReachesTheHandlerTheWorkflowRegistersOnItsFirstLine) {
  const auto queue = unique("pitfall-update");
  auto w = make_worker({.task_queue = queue});
  w->start();
  auto o = on(queue, "uws");
  o.id_conflict_policy = client::WorkflowIdConflictPolicy::kUseExisting;
  client::UpdateOptions uo;
  uo.wait_for_stage = client::WorkflowUpdateStage::kCompleted;
  auto update = client_->workflow()
                    .start_update_with_start_payloads("lateHandlers", o, {}, "early",
                                                      converter::to_payloads(std::string("a")), uo)
                    .get();
  EXPECT_EQ(update.result<int64_t>().get(), 1);
  auto h = client_->workflow().get_handle(o.workflow_id);
  // "late" has no handler until the workflow's timer fires: rejected, naming the handlers it has.
  try {
    h.execute_update<int64_t>("late", std::string("too early")).get();
    ADD_FAILURE() << "an update without a handler was accepted";
  } catch (const WorkflowUpdateFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown update name 'late'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[early]"), std::string::npos) << e.what();
  }
  // Once registered it is accepted.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  int64_t late = 0;
  while (late == 0 && std::chrono::steady_clock::now() < deadline) {
    try {
      late = h.execute_update<int64_t>("late", std::string("b")).get();
    } catch (const WorkflowUpdateFailedError&) {
      std::this_thread::sleep_for(100ms);
    }
  }
  EXPECT_EQ(late, 2);
  h.signal("finish").get();
  EXPECT_EQ(h.result<std::vector<std::string>>(within(30s)).get(), (std::vector<std::string>{"early:a", "late:b"}));
  worker::Replayer replayer;
  replayer.register_workflow("lateHandlers", late_handlers);
  EXPECT_TRUE(replayer.replay(h.fetch_history().get()).workflow_closed);
}

TEST_F(WorkerPitfall, ShutdownWithARunningActivityLosesNothingAndAnotherWorkerFinishes) {
  const auto queue = unique("pitfall-shutdown");
  auto first = make_worker({.task_queue = queue, .graceful_shutdown_timeout = 10s});
  first->start();
  auto h = client_->workflow().start("twoSteps", on(queue, "shutdown")).get();
  ASSERT_EQ(slow_step_started_.get_future().wait_for(30s), std::future_status::ready);
  first->shutdown();  // the running activity finishes within the grace period and is reported
  first.reset();
  EXPECT_TRUE(history_has(h, "EVENT_TYPE_ACTIVITY_TASK_COMPLETED"));
  auto second = make_worker({.task_queue = queue});
  second->start();
  EXPECT_EQ(h.result<std::string>(within(60s)).get(), "one,two");
  EXPECT_EQ(slow_step_runs_.load(), 1);  // not run again
  // The worker left its sticky queue before the activity finished, so the next workflow task went
  // straight to the normal queue instead of timing out on the sticky one.
  EXPECT_FALSE(history_has(h, "EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT"));
}

TEST_F(WorkerPitfall, DestructorsRunWhenACachedRunIsEvictedAndMayCallWorkflowFunctions) {
  // A cache of one run: starting a second workflow evicts the first, destroying its coroutine
  // frame and the Guard in it.
  const auto queue = unique("pitfall-destructor");
  auto w = make_worker({.task_queue = queue, .max_cached_workflows = 1});
  w->start();
  const int destroyed_before = g_guard_destroyed.load();
  auto a = client_->workflow().start("guarded", on(queue, "guard-a")).get();
  auto b = client_->workflow().start("guarded", on(queue, "guard-b")).get();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (g_guard_destroyed.load() == destroyed_before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GT(g_guard_destroyed.load(), destroyed_before);
  EXPECT_EQ(g_guard_destructor_errors.load(), 0);
  // Both runs continue (the evicted one by replay) and end with exactly the commands they made.
  a.signal("finish").get();
  b.signal("finish").get();
  EXPECT_EQ(a.result<std::string>(within(30s)).get(), "finished");
  EXPECT_EQ(b.result<std::string>(within(30s)).get(), "finished");
  worker::Replayer replayer;
  replayer.register_workflow("guarded", guarded);
  EXPECT_TRUE(replayer.replay(a.fetch_history().get()).workflow_closed);
  EXPECT_EQ(g_guard_destructor_errors.load(), 0);
}

TEST_F(WorkerPitfall, ChangedCodeFailsTheWorkflowTaskAsNonDeterministicNamingCommandAndEvent) {
  const auto queue = unique("pitfall-nondeterminism");
  auto o = on(queue, "versioned");
  client::WorkflowHandle h = [&] {
    worker::Worker v1(*client_, {.task_queue = queue, .max_cached_workflows = 0});
    v1.register_workflow("versioned", versioned_v1);
    v1.start();
    auto started = client_->workflow().start("versioned", o).get();
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!history_has(started, "EVENT_TYPE_TIMER_FIRED") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    // Let the task that follows the timer finish before the worker goes.
    while (std::chrono::steady_clock::now() < deadline) {
      auto events = started.fetch_history().get().events;
      if (!events.empty() && events.back().event_type == "EVENT_TYPE_WORKFLOW_TASK_COMPLETED" &&
          history_has(started, "EVENT_TYPE_TIMER_FIRED")) {
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
    v1.shutdown();
    return started;
  }();
  worker::Worker v2(*client_, {.task_queue = queue, .max_cached_workflows = 0});
  v2.register_workflow("versioned", versioned_v2).register_activity("echo", [](std::string s) { return s; });
  v2.start();
  h.signal("go").get();
  // The new code replays the history, disagrees with it, and fails the task (the run stays open).
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!history_has(h, "EVENT_TYPE_WORKFLOW_TASK_FAILED") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  const std::string history = h.fetch_history().get().to_json();
  EXPECT_NE(history.find("WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR"), std::string::npos) << history;
  EXPECT_NE(history.find("COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK"), std::string::npos);
  EXPECT_NE(history.find("but history has EVENT_TYPE_TIMER_STARTED"), std::string::npos);
  EXPECT_EQ(h.describe().get().status, client::WorkflowExecutionStatus::kRunning);
  h.terminate("changed code").get();
}

TEST_F(WorkerPitfall, NoMoreThanMaxConcurrentWorkflowTasksRunAtOnce) {
  // Three pollers (two normal, one sticky) but one slot: tasks run one at a time, and all finish.
  const auto queue = unique("pitfall-slots");
  auto w = make_worker({.task_queue = queue, .max_concurrent_workflow_tasks = 1, .deadlock_timeout = 10s});
  w->start();
  g_max_in_task = 0;
  std::vector<client::WorkflowHandle> handles;
  for (int i = 0; i < 4; ++i) handles.push_back(client_->workflow().start("busyFirstTask", on(queue, "slots")).get());
  for (auto& h : handles) EXPECT_EQ(h.result<int64_t>(within(60s)).get(), 1);
  EXPECT_EQ(g_max_in_task.load(), 1);
  w->shutdown();

  // With four slots the same load overlaps.
  const auto wide_queue = unique("pitfall-slots-wide");
  auto wide = make_worker({.task_queue = wide_queue, .max_concurrent_workflow_tasks = 4, .workflow_task_pollers = 4,
                           .deadlock_timeout = 10s});
  wide->start();
  g_max_in_task = 0;
  handles.clear();
  for (int i = 0; i < 4; ++i) handles.push_back(client_->workflow().start("busyFirstTask", on(wide_queue, "wide")).get());
  for (auto& h : handles) EXPECT_EQ(h.result<int64_t>(within(60s)).get(), 1);
  EXPECT_GT(g_max_in_task.load(), 1);
}

}  // namespace
}  // namespace temporal
