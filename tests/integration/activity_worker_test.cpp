// The activity worker, end to end: C++ activities run by ActivityWorker on their own task queue,
// scheduled by the TypeScript worker's runActivity workflow (tests/interop/ts/src/workflows.ts),
// their outcome read back through the C++ client.
#include "worker/activity_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "support/ts_worker.h"
#include "temporal/activity/activity.h"
#include "temporal/api/workflowservice/v1/request_response.pb.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::worker {
namespace {

using namespace std::chrono_literals;
using client::Client;
using client::Connection;
using client::WorkflowHandle;
using client::WorkflowOptions;
using detail::ActivityWorker;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The wrapping Worker::register_activity does, for an ActivityWorker built directly.
template <class F>
ActivityFunction activity_fn(F fn) {
  return [fn](const converter::Payloads& input) mutable {
    auto args = workflow::detail::decode_for<F>(input);
    using R = typename temporal::detail::FunctionTraits<F>::Result;
    if constexpr (std::is_void_v<R>) {
      std::apply(fn, std::move(args));
      return converter::to_payload(nullptr);
    } else {
      return converter::to_payload(std::apply(fn, std::move(args)));
    }
  };
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
}

std::string unique(const std::string& prefix) {
  return prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

class ActivityWorkerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ts_queue_ = new std::string(test_support::ts_task_queue());
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }

  void TearDown() override {
    if (worker_) worker_->shutdown();
  }

  void start_worker(std::map<std::string, ActivityFunction> activities, WorkerOptions options = {}) {
    options.task_queue = cpp_queue_;
    worker_ = std::make_unique<ActivityWorker>(client_->core(), options, std::move(activities));
    worker_->start();
  }

  // Starts runActivity(type, cpp_queue_, args, opts) on the TypeScript worker.
  WorkflowHandle run(const std::string& type, json args, json opts = json::object()) {
    WorkflowOptions o;
    o.task_queue = *ts_queue_;
    o.workflow_id = unique("run-activity");
    o.workflow_execution_timeout = 120s;
    return client_->workflow().start("runActivity", o, type, cpp_queue_, args, opts).get();
  }

  // The failure the workflow ended with (it must fail).
  static std::shared_ptr<const FailureError> failure_of(const WorkflowHandle& handle) {
    try {
      auto r = handle.result<json>().get();
      ADD_FAILURE() << "the workflow succeeded with " << r.dump();
    } catch (const WorkflowFailedError& e) {
      return e.shared_cause();
    }
    return nullptr;
  }

  // The first heartbeat detail (an int) of the workflow's pending activity, if any.
  static std::optional<int> pending_heartbeat(const WorkflowHandle& handle) {
    ::temporal::api::workflowservice::v1::DescribeWorkflowExecutionResponse resp;
    if (!resp.ParseFromString(handle.describe().get().raw_response)) return std::nullopt;
    for (const auto& a : resp.pending_activities()) {
      if (a.heartbeat_details().payloads_size() == 0) continue;
      const auto& p = a.heartbeat_details().payloads(0);
      converter::Payload payload;
      payload.data = p.data();
      for (const auto& [k, v] : p.metadata()) payload.metadata[k] = v;
      return converter::from_payload<int>(payload);
    }
    return std::nullopt;
  }

  static std::string* ts_queue_;
  static Client* client_;
  const std::string cpp_queue_ = unique("cpp-activities");
  std::unique_ptr<ActivityWorker> worker_;
};
std::string* ActivityWorkerTest::ts_queue_ = nullptr;
Client* ActivityWorkerTest::client_ = nullptr;

TEST_F(ActivityWorkerTest, AnActivityReturnsATypedResultToTheWorkflow) {
  start_worker({{"greet", activity_fn([](std::string name) { return "Hello, " + name + "!"; })}});
  auto handle = run("greet", json::array({"Temporal"}));
  EXPECT_EQ(handle.result<std::string>().get(), "Hello, Temporal!");
}

TEST_F(ActivityWorkerTest, TypedArgumentsAreDecodedFromJson) {
  start_worker({{"combine", activity_fn([](json order, int quantity, std::string note) {
                   return json{{"item", order["item"]}, {"total", order["price"].get<int>() * quantity}, {"note", note}};
                 })}});
  auto handle = run("combine", json::array({json{{"item", "tea"}, {"price", 3}}, 4, "urgent"}));
  EXPECT_EQ(handle.result<json>().get(), (json{{"item", "tea"}, {"total", 12}, {"note", "urgent"}}));
}

TEST_F(ActivityWorkerTest, InfoDescribesTheTask) {
  start_worker({{"describe", activity_fn([]() {
                   const auto& i = activity::info();
                   return json{{"activity_type", i.activity_type},
                               {"task_queue", i.task_queue},
                               {"workflow_type", i.workflow_type},
                               {"workflow_id", i.workflow_id},
                               {"run_id_set", !i.workflow_run_id.empty()},
                               {"namespace", i.workflow_namespace},
                               {"attempt", i.attempt},
                               {"token_set", !i.task_token.empty()},
                               {"start_to_close_ms", i.start_to_close_timeout ? i.start_to_close_timeout->count() : -1},
                               {"heartbeat_ms", i.heartbeat_timeout ? i.heartbeat_timeout->count() : -1},
                               {"scheduled_before_started", i.scheduled_time <= i.started_time}};
                 })}});
  auto handle = run("describe", json::array(), {{"startToCloseTimeoutMs", 15000}, {"heartbeatTimeoutMs", 5000}});
  auto r = handle.result<json>().get();
  EXPECT_EQ(r["activity_type"], "describe");
  EXPECT_EQ(r["task_queue"], cpp_queue_);
  EXPECT_EQ(r["workflow_type"], "runActivity");
  EXPECT_EQ(r["workflow_id"], handle.workflow_id());
  EXPECT_EQ(r["run_id_set"], true);
  EXPECT_EQ(r["namespace"], "default");
  EXPECT_EQ(r["attempt"], 1);
  EXPECT_EQ(r["token_set"], true);
  EXPECT_EQ(r["start_to_close_ms"], 15000);
  EXPECT_EQ(r["heartbeat_ms"], 5000);
  EXPECT_EQ(r["scheduled_before_started"], true);
}

TEST_F(ActivityWorkerTest, ApplicationFailureReachesTheWorkflowWithTypeAndDetails) {
  start_worker({{"decline", activity_fn([](std::string card) -> std::string {
                   throw ApplicationFailure("card " + card + " declined",
                                            {.type = "CardDeclined", .non_retryable = true,
                                             .details = converter::to_payloads(std::string("insufficient funds"), 42)});
                 })}});
  // Retries are unlimited by default: only non_retryable stops them.
  auto handle = run("decline", json::array({"4242"}));
  auto failure = failure_of(handle);
  const auto* act = dynamic_cast<const ActivityFailure*>(failure.get());
  ASSERT_NE(act, nullptr) << (failure ? failure->what() : "no failure");
  EXPECT_EQ(act->info().activity_type, "decline");
  EXPECT_EQ(act->info().retry_state, RetryState::kNonRetryableFailure);
  const auto* app = dynamic_cast<const ApplicationFailure*>(act->cause());
  ASSERT_NE(app, nullptr) << act->what();
  EXPECT_EQ(app->type(), "CardDeclined");
  EXPECT_EQ(app->message(), "card 4242 declined");
  EXPECT_TRUE(app->non_retryable());
  ASSERT_EQ(app->details().size(), 2u);
  EXPECT_EQ(converter::from_payload<std::string>(app->details()[0]), "insufficient funds");
  EXPECT_EQ(converter::from_payload<int>(app->details()[1]), 42);
}

TEST_F(ActivityWorkerTest, AStdExceptionBecomesAnApplicationFailureNamedAfterItsType) {
  start_worker({{"explode", activity_fn([]() -> int { throw std::runtime_error("boom"); })}});
  auto handle = run("explode", json::array(), {{"maximumAttempts", 1}});
  auto failure = failure_of(handle);
  const auto* act = dynamic_cast<const ActivityFailure*>(failure.get());
  ASSERT_NE(act, nullptr) << (failure ? failure->what() : "no failure");
  EXPECT_EQ(act->info().retry_state, RetryState::kMaximumAttemptsReached);
  const auto* app = dynamic_cast<const ApplicationFailure*>(act->cause());
  ASSERT_NE(app, nullptr) << act->what();
  EXPECT_EQ(app->type(), "std::runtime_error");
  EXPECT_EQ(app->message(), "boom");
  EXPECT_FALSE(app->non_retryable());
}

TEST_F(ActivityWorkerTest, TheServerRetriesAFailedAttempt) {
  std::atomic<int> calls{0};
  start_worker({{"flaky", activity_fn([&calls]() {
                   ++calls;
                   if (activity::info().attempt < 2) throw std::runtime_error("first attempt fails");
                   return activity::info().attempt;
                 })}});
  auto handle = run("flaky", json::array(), {{"maximumAttempts", 3}});
  EXPECT_EQ(handle.result<int>().get(), 2);
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(ActivityWorkerTest, HeartbeatDetailsReachTheNextAttempt) {
  std::mutex mu;
  std::vector<json> seen;  // heartbeat details each attempt started with
  start_worker({{"resumable", activity_fn([&]() {
                   const auto& info = activity::info();
                   {
                     std::lock_guard lock(mu);
                     seen.push_back(info.heartbeat_details.empty()
                                        ? json(nullptr)
                                        : converter::from_payload<json>(info.heartbeat_details.front()));
                   }
                   if (info.attempt == 1) {
                     // The first heartbeat goes at once; the later ones are throttled and only the
                     // latest is kept (it travels with the failure).
                     for (int step = 1; step <= 3; ++step) activity::heartbeat(json{{"step", step}});
                     throw std::runtime_error("crash after step 3");
                   }
                   return info.attempt;
                 })}});
  auto handle = run("resumable", json::array(), {{"maximumAttempts", 2}, {"heartbeatTimeoutMs", 10000}});
  EXPECT_EQ(handle.result<int>().get(), 2);
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].is_null());
  EXPECT_EQ(seen[1], (json{{"step", 3}}));
}

TEST_F(ActivityWorkerTest, HeartbeatsAreThrottledAndTheLatestDetailsAreSent) {
  // Heartbeats every 50 ms with a 2 s heartbeat timeout (1.6 s throttle): the server sees the
  // first details at once, then nothing new until the interval has passed, then the latest; and
  // the activity does not time out although most heartbeats are coalesced.
  std::atomic<int> step{0};
  std::atomic<bool> stop{false};
  std::promise<void> started;
  start_worker({{"ticker", activity_fn([&]() {
                   while (!stop) {
                     activity::heartbeat(++step);
                     if (step == 1) started.set_value();
                     std::this_thread::sleep_for(50ms);
                   }
                   return step.load();
                 })}});
  auto handle = run("ticker", json::array(), {{"heartbeatTimeoutMs", 2000}, {"maximumAttempts", 1}});
  ASSERT_EQ(started.get_future().wait_for(20s), std::future_status::ready);
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(700ms);
  EXPECT_EQ(pending_heartbeat(handle).value_or(1), 1);  // the first one (if it has landed); later ones held back
  std::this_thread::sleep_until(t0 + 2500ms);
  const auto later = pending_heartbeat(handle);
  EXPECT_GE(later.value_or(0), 20);  // the latest details at ~1.6 s
  std::this_thread::sleep_until(t0 + 4500ms);  // well past the heartbeat timeout
  stop = true;
  EXPECT_GE(handle.result<int>().get(), 60);
}

TEST_F(ActivityWorkerTest, CancellingTheActivityFromTheWorkflowSetsCancellationRequested) {
  std::atomic<bool> saw_cancel{false};
  start_worker({{"long", activity_fn([&]() -> std::string {
                   const auto until = Clock::now() + 30s;
                   while (Clock::now() < until) {
                     activity::heartbeat(std::string("working"));
                     if (activity::cancellation_requested()) {
                       saw_cancel = true;
                       throw CanceledFailure("stopped on request");
                     }
                     std::this_thread::sleep_for(100ms);
                   }
                   return "finished without cancellation";
                 })}});
  auto t0 = Clock::now();
  auto handle = run("long", json::array(), {{"heartbeatTimeoutMs", 2000}, {"cancelAfterMs", 1000}});
  EXPECT_EQ(handle.result<std::string>().get(), "cancelled");
  EXPECT_TRUE(saw_cancel.load());
  EXPECT_LT(Clock::now() - t0, 10s);
}

TEST_F(ActivityWorkerTest, AnActivityTheServerTimedOutSeesCancellationOnItsNextHeartbeat) {
  // The server answers NOT_FOUND to a heartbeat of an activity it timed out: the activity is gone.
  std::atomic<bool> saw_cancel{false};
  std::atomic<int64_t> seen_after_ms{-1};
  start_worker({{"overdue", activity_fn([&]() -> std::string {
                   const auto t0 = Clock::now();
                   while (Clock::now() - t0 < 20s) {
                     activity::heartbeat(std::string("still here"));
                     if (activity::cancellation_requested()) {
                       saw_cancel = true;
                       seen_after_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
                       throw CanceledFailure("gone");
                     }
                     std::this_thread::sleep_for(50ms);
                   }
                   return "never told";
                 })}});
  auto handle = run("overdue", json::array(),
                    {{"startToCloseTimeoutMs", 1500}, {"heartbeatTimeoutMs", 1000}, {"maximumAttempts", 1}});
  auto failure = failure_of(handle);
  const auto* act = dynamic_cast<const ActivityFailure*>(failure.get());
  ASSERT_NE(act, nullptr) << (failure ? failure->what() : "no failure");
  EXPECT_NE(dynamic_cast<const TimeoutFailure*>(act->cause()), nullptr) << act->what();
  ASSERT_TRUE(eventually([&] { return saw_cancel.load(); }, 10s));
  EXPECT_GE(seen_after_ms.load(), 1500);
  EXPECT_LT(seen_after_ms.load(), 5000);
}

TEST_F(ActivityWorkerTest, CompleteAsyncLeavesTheActivityToTheClient) {
  std::promise<std::string> token;
  start_worker({{"external", activity_fn([&]() -> std::string {
                   token.set_value(activity::info().task_token);
                   activity::complete_async();
                 })}});
  auto handle = run("external", json::array(), {{"maximumAttempts", 1}});
  auto future = token.get_future();
  ASSERT_EQ(future.wait_for(20s), std::future_status::ready);
  const std::string task_token = future.get();
  // The worker sent nothing: the activity is still pending.
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(handle.describe().get().status, client::WorkflowExecutionStatus::kRunning);
  client_->activity().complete(task_token, std::string("completed from outside")).get();
  EXPECT_EQ(handle.result<std::string>().get(), "completed from outside");
}

TEST_F(ActivityWorkerTest, NoMoreThanMaxConcurrentActivitiesRunAtOnce) {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  start_worker({{"nap", activity_fn([&](int id) {
                   const int now = ++running;
                   int p = peak.load();
                   while (now > p && !peak.compare_exchange_weak(p, now)) {
                   }
                   std::this_thread::sleep_for(1s);
                   --running;
                   return id;
                 })}},
               {.max_concurrent_activities = 2, .activity_task_pollers = 2});
  const auto t0 = Clock::now();
  std::vector<WorkflowHandle> handles;
  for (int i = 0; i < 4; ++i) handles.push_back(run("nap", json::array({i})));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(handles[i].result<int>().get(), i);
  EXPECT_EQ(peak.load(), 2);
  EXPECT_GE(Clock::now() - t0, 2s);
}

TEST_F(ActivityWorkerTest, AnUnknownActivityTypeFailsNamingTheRegisteredOnes) {
  start_worker({{"known_a", activity_fn([]() { return 1; })}, {"known_b", activity_fn([]() { return 2; })}});
  auto handle = run("no_such_activity", json::array(), {{"maximumAttempts", 1}});
  auto failure = failure_of(handle);
  const auto* act = dynamic_cast<const ActivityFailure*>(failure.get());
  ASSERT_NE(act, nullptr) << (failure ? failure->what() : "no failure");
  const auto* app = dynamic_cast<const ApplicationFailure*>(act->cause());
  ASSERT_NE(app, nullptr) << act->what();
  EXPECT_EQ(app->type(), "NotFoundError");
  EXPECT_NE(app->message().find("no_such_activity"), std::string::npos) << app->message();
  EXPECT_NE(app->message().find("known_a, known_b"), std::string::npos) << app->message();
}

TEST_F(ActivityWorkerTest, ShutdownCancelsARunningActivityAfterTheGracePeriod) {
  std::promise<void> started;
  std::atomic<bool> saw_cancel{false};
  start_worker({{"stubborn", activity_fn([&]() -> std::string {
                   started.set_value();
                   const auto until = Clock::now() + 60s;
                   while (Clock::now() < until) {
                     if (activity::cancellation_requested()) {
                       saw_cancel = true;
                       throw CanceledFailure("worker going away");
                     }
                     std::this_thread::sleep_for(20ms);
                   }
                   return "never cancelled";
                 })}},
               {.graceful_shutdown_timeout = 1000ms});
  auto handle = run("stubborn", json::array(), {{"maximumAttempts", 1}});
  ASSERT_EQ(started.get_future().wait_for(20s), std::future_status::ready);

  const auto t0 = Clock::now();
  worker_->shutdown();
  const auto took = Clock::now() - t0;
  EXPECT_TRUE(saw_cancel.load());
  EXPECT_GE(took, 1000ms);
  EXPECT_LT(took, 4s);

  // Reported as a retryable failure (not as canceled, which the server would not retry); with
  // one attempt allowed the workflow sees it.
  auto failure = failure_of(handle);
  const auto* act = dynamic_cast<const ActivityFailure*>(failure.get());
  ASSERT_NE(act, nullptr) << (failure ? failure->what() : "no failure");
  const auto* app = dynamic_cast<const ApplicationFailure*>(act->cause());
  ASSERT_NE(app, nullptr) << act->what();
  EXPECT_EQ(app->type(), "WorkerShutdown");
  EXPECT_FALSE(app->non_retryable());
  EXPECT_NE(dynamic_cast<const CanceledFailure*>(app->cause()), nullptr);
}

TEST_F(ActivityWorkerTest, ShutdownLetsARunningActivityFinishWithinTheGracePeriod) {
  std::promise<void> started;
  std::atomic<bool> saw_cancel{false};
  start_worker({{"short", activity_fn([&]() {
                   started.set_value();
                   std::this_thread::sleep_for(700ms);
                   saw_cancel = activity::cancellation_requested();
                   return std::string("finished");
                 })}},
               {.graceful_shutdown_timeout = 5000ms});
  auto handle = run("short", json::array(), {{"maximumAttempts", 1}});
  ASSERT_EQ(started.get_future().wait_for(20s), std::future_status::ready);
  const auto t0 = Clock::now();
  worker_->shutdown();
  EXPECT_LT(Clock::now() - t0, 3s);  // returns when the activity is done, not at the end of the grace
  EXPECT_FALSE(saw_cancel.load());
  EXPECT_EQ(handle.result<std::string>().get(), "finished");
}

TEST_F(ActivityWorkerTest, ShutdownOfAnIdleWorkerCancelsItsLongPolls) {
  start_worker({{"unused", activity_fn([]() { return 0; })}}, {.activity_task_pollers = 3});
  std::this_thread::sleep_for(500ms);  // the polls are in flight
  const auto t0 = Clock::now();
  worker_->shutdown();
  EXPECT_LT(Clock::now() - t0, 2s);
  worker_->shutdown();  // idempotent
  EXPECT_EQ(worker_->fatal_error(), nullptr);
}

TEST_F(ActivityWorkerTest, AnUnknownNamespaceIsAFatalError) {
  Client other(client_->connection(), {.namespace_name = "no-such-namespace-for-activities"});
  std::atomic<int> fatal_calls{0};
  ActivityWorker w(other.core(), {.task_queue = cpp_queue_}, {{"unused", activity_fn([]() { return 0; })}},
                   [&](std::exception_ptr) { ++fatal_calls; });
  w.start();
  ASSERT_TRUE(eventually([&] { return w.fatal_error() != nullptr; }, 10s));
  EXPECT_THROW(std::rethrow_exception(w.fatal_error()), NamespaceNotFoundError);
  const auto t0 = Clock::now();
  w.shutdown();
  EXPECT_LT(Clock::now() - t0, 2s);
  EXPECT_EQ(fatal_calls.load(), 1);
}

TEST(ActivityApiTest, CallingTheActivityApiOutsideAnActivityThrows) {
  EXPECT_THROW(activity::info(), UsageError);
  EXPECT_THROW(activity::heartbeat(1), UsageError);
  EXPECT_THROW(activity::cancellation_requested(), UsageError);
}

TEST(ActivityApiTest, HeartbeatThrottleIntervalFollowsTheHeartbeatTimeout) {
  using detail::ActivityContext;
  EXPECT_EQ(ActivityContext::throttle_interval(std::nullopt), 30s);
  EXPECT_EQ(ActivityContext::throttle_interval(10s), 8s);
  EXPECT_EQ(ActivityContext::throttle_interval(600s), 60s);
}

}  // namespace
}  // namespace temporal::worker
