// C++ workflows and activities on a C++ worker, driven by the C++ client against the dev server.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "replay/workflows.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace wf = temporal::workflow;
using client::WorkflowOptions;

// ---- workflows under test ----

wf::Workflow<std::string> greet(std::string name) {
  wf::ActivityOptions options{.start_to_close_timeout = 10s};
  auto greeting = co_await wf::execute_activity<std::string>("compose", options, name);
  co_return greeting;
}

wf::Workflow<int64_t> sleeper(int64_t ms) {
  auto before = wf::now();
  co_await wf::sleep(std::chrono::milliseconds(ms));
  co_return std::chrono::duration_cast<std::chrono::milliseconds>(wf::now() - before).count();
}

// chat: tests/replay/workflows.h (signals, a query, an update with a validator).

wf::Workflow<std::string> failing(std::string kind) {
  if (kind == "app") {
    throw ApplicationFailure("failed on purpose", {.type = "MyError", .non_retryable = true,
                                                    .details = converter::to_payloads(std::string("d1"))});
  }
  wf::ActivityOptions options{.start_to_close_timeout = 10s, .retry_policy = RetryPolicy{.maximum_attempts = 1}};
  co_await wf::execute_activity<void>("explode", options);
  co_return "unreachable";
}

wf::Workflow<std::string> cancellable() {
  std::exception_ptr canceled;
  try {
    co_await wf::sleep(1h);
  } catch (const CanceledFailure&) {
    canceled = std::current_exception();  // (C++ forbids co_await inside a catch block)
  }
  if (canceled) {
    // Cleanup in a scope the cancellation does not reach.
    co_await wf::run_detached([]() -> wf::Workflow<void> {
      wf::ActivityOptions options{.start_to_close_timeout = 10s};
      co_await wf::execute_activity<std::string>("compose", options, std::string("cleanup"));
    });
    std::rethrow_exception(canceled);
  }
  co_return "not canceled";
}

wf::Workflow<std::string> counter(int64_t n) {
  if (n > 0) wf::continue_as_new({}, n - 1);
  co_return "done at " + wf::info().run_id.substr(0, 0) + "0";
}

wf::Workflow<bool> condition_timeout() {
  bool never = false;
  bool fired = co_await wf::wait_condition([&] { return never; }, 200ms);
  co_return fired;
}

wf::Workflow<std::string> signal_other(std::string target) {
  co_await wf::get_external_workflow_handle(target).signal("add", std::string("from another workflow"));
  co_await wf::get_external_workflow_handle(target).signal("finish");
  co_return "sent";
}

wf::Workflow<std::string> deterministic_values() {
  // The id is used in a command after a timer: a replay that drew a different uuid would not
  // match the history (and the task would fail as non-deterministic).
  auto id = wf::uuid4();
  co_await wf::sleep(10ms);
  wf::ActivityOptions options{.start_to_close_timeout = 10s, .activity_id = id};
  auto greeting = co_await wf::execute_activity<std::string>("compose", options, id);
  co_return greeting;
}

// ---- fixture ----

class WorkerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    client_ = new client::Client(client::Connection::connect({.address = testing::shared_test_server_address()}));
    queue_ = new std::string("cpp-worker-" + std::to_string(::getpid()));
    worker_ = new worker::Worker(*client_, {.task_queue = *queue_});
    worker_->register_workflow("greet", greet)
        .register_workflow("sleeper", sleeper)
        .register_workflow("chat", replay_workflows::chat)
        .register_workflow("failing", failing)
        .register_workflow("cancellable", cancellable)
        .register_workflow("counter", counter)
        .register_workflow("conditionTimeout", condition_timeout)
        .register_workflow("signalOther", signal_other)
        .register_workflow("deterministicValues", deterministic_values)
        .register_activity("compose", [](std::string name) { return "Hello, " + name + "!"; })
        .register_activity("explode", []() -> void { throw std::runtime_error("boom"); });
    worker_->start();
  }
  static void TearDownTestSuite() {
    worker_->shutdown();
    delete worker_;
  }
  WorkflowOptions options(const std::string& prefix) const {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = prefix + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return o;
  }
  static client::Client* client_;
  static std::string* queue_;
  static worker::Worker* worker_;
};
client::Client* WorkerTest::client_ = nullptr;
std::string* WorkerTest::queue_ = nullptr;
worker::Worker* WorkerTest::worker_ = nullptr;

TEST_F(WorkerTest, AWorkflowCallsAnActivityAndReturnsItsResult) {
  EXPECT_EQ(client_->workflow().execute<std::string>("greet", options("greet"), std::string("Temporal")).get(),
            "Hello, Temporal!");
}

TEST_F(WorkerTest, SleepUsesADurableTimerAndWorkflowTime) {
  auto elapsed = client_->workflow().execute<int64_t>("sleeper", options("sleep"), int64_t{300}).get();
  EXPECT_GE(elapsed, 300);
  auto h = client_->workflow().start("sleeper", options("sleep-hist"), int64_t{10}).get();
  h.result<void>().get();
  auto history = h.fetch_history().get();
  bool timer = false;
  for (const auto& e : history.events) timer |= e.event_type == "EVENT_TYPE_TIMER_FIRED";
  EXPECT_TRUE(timer);
}

TEST_F(WorkerTest, SignalsQueriesAndUpdatesReachTheWorkflow) {
  auto h = client_->workflow().start("chat", options("chat")).get();
  h.signal("add", std::string("one")).get();
  EXPECT_EQ(h.query<std::vector<std::string>>("messages").get(), (std::vector<std::string>{"one"}));
  EXPECT_EQ(h.execute_update<int64_t>("addAndCount", std::string("two")).get(), 2);
  try {
    h.execute_update<int64_t>("addAndCount", std::string("")).get();
    FAIL() << "validator did not reject";
  } catch (const WorkflowUpdateFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("empty message rejected"), std::string::npos);
  }
  try {
    h.query<json>("nope").get();
    FAIL();
  } catch (const QueryFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown query type 'nope'"), std::string::npos) << e.what();
  }
  h.signal("finish").get();
  EXPECT_EQ(h.result<std::vector<std::string>>().get(), (std::vector<std::string>{"one", "two"}));
}

TEST_F(WorkerTest, SignalsSentBeforeTheHandlerExistsAreNotLost) {
  auto o = options("early");
  auto h = client_->workflow()
               .signal_with_start("chat", o, client::SignalWithStart::of("add", std::string("early")))
               .get();
  h.signal("finish").get();
  EXPECT_EQ(h.result<std::vector<std::string>>().get(), (std::vector<std::string>{"early"}));
}

TEST_F(WorkerTest, FailuresReachTheClientWithTheirCauseChain) {
  try {
    client_->workflow().execute<std::string>("failing", options("fail"), std::string("app")).get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->type(), "MyError");
    EXPECT_TRUE(app->non_retryable());
    EXPECT_EQ(converter::from_payload<std::string>(app->details().at(0)), "d1");
  }
  try {
    client_->workflow().execute<std::string>("failing", options("fail-act"), std::string("activity")).get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    const auto* act = dynamic_cast<const ActivityFailure*>(e.cause());
    ASSERT_NE(act, nullptr) << e.what();
    EXPECT_EQ(act->info().activity_type, "explode");
    ASSERT_NE(act->cause(), nullptr);
    EXPECT_EQ(act->cause()->message(), "boom");
  }
}

TEST_F(WorkerTest, CancelRunsCleanupInADetachedScopeAndEndsCanceled) {
  auto h = client_->workflow().start("cancellable", options("cancel")).get();
  std::this_thread::sleep_for(300ms);
  h.cancel().get();
  try {
    h.result<json>().get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    EXPECT_NE(dynamic_cast<const CanceledFailure*>(e.cause()), nullptr) << e.what();
  }
  auto history = h.fetch_history().get();
  bool canceled_timer = false, cleanup = false;
  for (const auto& ev : history.events) {
    canceled_timer |= ev.event_type == "EVENT_TYPE_TIMER_CANCELED";
    cleanup |= ev.event_type == "EVENT_TYPE_ACTIVITY_TASK_COMPLETED";
  }
  EXPECT_TRUE(canceled_timer);
  EXPECT_TRUE(cleanup);
}

TEST_F(WorkerTest, ContinueAsNewStartsANewRun) {
  auto h = client_->workflow().start("counter", options("can"), int64_t{2}).get();
  EXPECT_EQ(h.result<std::string>().get(), "done at 0");
  auto d = client_->workflow().get_handle(h.workflow_id()).describe().get();
  EXPECT_NE(d.run_id, h.first_execution_run_id());
}

TEST_F(WorkerTest, WaitConditionTimesOut) {
  EXPECT_FALSE(client_->workflow().execute<bool>("conditionTimeout", options("cond")).get());
}

TEST_F(WorkerTest, AWorkflowSignalsAnotherThroughAnExternalHandle) {
  auto target = client_->workflow().start("chat", options("target")).get();
  EXPECT_EQ(client_->workflow().execute<std::string>("signalOther", options("signaler"), target.workflow_id()).get(),
            "sent");
  EXPECT_EQ(target.result<std::vector<std::string>>().get(), (std::vector<std::string>{"from another workflow"}));
}

TEST_F(WorkerTest, ReplayAfterEvictionGivesTheSameDeterministicValues) {
  // A worker without a cache replays the whole history on every task.
  auto queue = *queue_ + "-nocache";
  worker::Worker uncached(*client_, {.task_queue = queue, .max_cached_workflows = 0});
  uncached.register_workflow("deterministicValues", deterministic_values)
      .register_activity("compose", [](std::string name) { return "Hello, " + name + "!"; });
  uncached.start();
  auto o = options("det");
  o.task_queue = queue;
  auto handle = client_->workflow().start("deterministicValues", o).get();
  client::ResultOptions ro;
  ro.timeout = 20s;
  auto value = handle.result<std::string>(ro).get();
  EXPECT_EQ(value.size(), std::string("Hello, !").size() + 36) << value;
  uncached.shutdown();
}

TEST_F(WorkerTest, UnknownWorkflowTypeFailsTheTaskNotTheWorker) {
  auto h = client_->workflow().start("notRegistered", options("unknown")).get();
  std::this_thread::sleep_for(1s);
  auto d = h.describe().get();
  EXPECT_EQ(d.status, client::WorkflowExecutionStatus::kRunning);
  EXPECT_EQ(client_->workflow().execute<std::string>("greet", options("still-works"), std::string("x")).get(),
            "Hello, x!");
  h.terminate().get();
}

}  // namespace
}  // namespace temporal
