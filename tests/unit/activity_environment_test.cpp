// ActivityEnvironment: activity code run without a server sees the chosen info, its heartbeats are
// recorded, and cancellation reaches it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "temporal/activity/activity.h"
#include "temporal/testing/activity_environment.h"

namespace temporal::testing {
namespace {

using namespace std::chrono_literals;

std::string describe() {
  const auto& i = activity::info();
  return i.activity_type + "/" + i.activity_id + " of " + i.workflow_type + "/" + i.workflow_id + " on " +
         i.task_queue + " attempt " + std::to_string(i.attempt);
}

// Heartbeats its progress until done or cancelled; resumes from the last attempt's heartbeat.
int count_to(int n) {
  int start = 0;
  if (!activity::info().heartbeat_details.empty()) {
    start = converter::from_payload<int>(activity::info().heartbeat_details.front());
  }
  for (int i = start; i < n; ++i) {
    if (activity::cancellation_requested()) throw CanceledFailure("count_to stopped at " + std::to_string(i));
    activity::heartbeat(i);
  }
  return n;
}

TEST(ActivityEnvironment, DefaultInfoIsAFirstAttempt) {
  ActivityEnvironment env;
  EXPECT_EQ(env.run(describe), "unknown/test of test/test on test attempt 1");
  EXPECT_EQ(env.info().workflow_namespace, "default");
  EXPECT_FALSE(env.info().task_token.empty());
}

TEST(ActivityEnvironment, ActivityReadsTheChosenInfo) {
  activity::Info info = ActivityEnvironment::default_info();
  info.activity_type = "charge";
  info.activity_id = "a-7";
  info.workflow_type = "order";
  info.workflow_id = "order-42";
  info.task_queue = "payments";
  info.attempt = 3;
  info.heartbeat_timeout = 10s;
  ActivityEnvironment env({.info = info});
  EXPECT_EQ(env.run(describe), "charge/a-7 of order/order-42 on payments attempt 3");
  EXPECT_EQ(env.run([] { return activity::info().heartbeat_timeout; }), std::optional<std::chrono::milliseconds>(10s));
}

TEST(ActivityEnvironment, ArgumentsAndResultsPassThrough) {
  ActivityEnvironment env;
  EXPECT_EQ(env.run(count_to, 4), 4);
  EXPECT_EQ(env.run([](std::string a, const std::string& b) { return a + b; }, std::string("x"), std::string("y")),
            "xy");
  env.run([] {});  // void
}

TEST(ActivityEnvironment, HeartbeatsAreRecordedInOrder) {
  ActivityEnvironment env;
  env.run(count_to, 3);
  EXPECT_EQ(env.heartbeat_count(), 3u);
  EXPECT_EQ(env.heartbeat_details<int>(), (std::vector<int>{0, 1, 2}));
  env.run([] { activity::heartbeat(std::string("step"), 7); });
  auto last = env.heartbeats().back();
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(converter::from_payload<std::string>(last[0]), "step");
  EXPECT_EQ(converter::from_payload<int>(last[1]), 7);
}

TEST(ActivityEnvironment, ResumesFromHeartbeatDetailsOfAPreviousAttempt) {
  activity::Info info = ActivityEnvironment::default_info();
  info.attempt = 2;
  info.heartbeat_details = converter::to_payloads(5);
  ActivityEnvironment env({.info = info});
  EXPECT_EQ(env.run(count_to, 8), 8);
  EXPECT_EQ(env.heartbeat_details<int>(), (std::vector<int>{5, 6, 7}));
}

TEST(ActivityEnvironment, CancelFromAHeartbeatStopsTheActivity) {
  ActivityEnvironment env;
  env.on_heartbeat = [&](const converter::Payloads&) {
    if (env.heartbeat_count() == 3) env.cancel();
  };
  try {
    env.run(count_to, 100);
    FAIL() << "the activity did not see the cancellation";
  } catch (const CanceledFailure& e) {
    EXPECT_EQ(e.message(), "count_to stopped at 3");
  }
  EXPECT_TRUE(env.cancellation_requested());
  EXPECT_EQ(env.heartbeat_details<int>(), (std::vector<int>{0, 1, 2}));
}

TEST(ActivityEnvironment, CancelFromAnotherThreadReachesAWaitingActivity) {
  ActivityEnvironment env;
  std::atomic<bool> started{false};
  std::thread canceller([&] {
    while (!started.load()) std::this_thread::sleep_for(1ms);
    env.cancel();
  });
  auto waited = env.run([&] {
    started = true;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!activity::cancellation_requested()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(1ms);
    }
    return true;
  });
  canceller.join();
  EXPECT_TRUE(waited) << "cancellation not seen within 10 s";
}

TEST(ActivityEnvironment, ApplicationFailuresPropagate) {
  ActivityEnvironment env;
  EXPECT_THROW(env.run([] { throw ApplicationFailure("card declined", {.type = "CardError", .non_retryable = true}); }), ApplicationFailure);
}

TEST(ActivityEnvironment, OutsideRunTheActivityApiStillRefusesToWork) {
  ActivityEnvironment env;
  env.run(count_to, 1);
  EXPECT_THROW(activity::info(), UsageError);
  EXPECT_THROW(activity::heartbeat(1), UsageError);
}

}  // namespace
}  // namespace temporal::testing
