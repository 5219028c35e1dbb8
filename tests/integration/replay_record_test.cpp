// Runs the workflows of tests/replay/workflows.h on a C++ worker against the dev server, replays
// each fresh history with the Replayer (the original code must pass, every changed version must be
// reported as non-deterministic), and with TEMPORAL_RECORD_HISTORIES=<dir> writes the histories
// that tests/unit/replay_test.cpp replays without a server:
//   TEMPORAL_RECORD_HISTORIES=tests/replay/histories build/tests/worker_tests --gtest_filter='ReplayRecord*'
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "replay/workflows.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"
#include "temporal/worker/replayer.h"
#include "temporal/worker/worker.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;
namespace rw = temporal::replay_workflows;
using client::WorkflowHandle;
using client::WorkflowOptions;

class ReplayRecord : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    client_ = new client::Client(client::Connection::connect({.address = testing::shared_test_server_address()}));
    queue_ = new std::string("cpp-replay-" + std::to_string(::getpid()));
    worker_ = new worker::Worker(*client_, {.task_queue = *queue_});
    rw::register_originals(*worker_).register_activity("compose",
                                                       [](std::string name) { return "Hello, " + name + "!"; });
    worker_->start();
  }
  static void TearDownTestSuite() {
    worker_->shutdown();
    delete worker_;
    worker_ = nullptr;
  }

  WorkflowOptions options(const std::string& scenario) const {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = "replay-" + scenario + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return o;
  }

  // Waits until the run's history holds an event of `type`.
  static void await_event(const WorkflowHandle& h, const std::string& type) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& e : h.fetch_history().get().events) {
        if (e.event_type == type) return;
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << "no " << type << " in the history of " << h.workflow_id();
  }

  // The original code replays the history; with TEMPORAL_RECORD_HISTORIES set, it is written out.
  static client::WorkflowHistory check_and_record(const std::string& scenario, const WorkflowHandle& h,
                                                  const worker::Replayer& original) {
    auto history = h.fetch_history().get();
    auto result = original.replay(history);
    EXPECT_TRUE(result.workflow_closed) << scenario;
    EXPECT_GT(result.workflow_tasks, 0) << scenario;
    if (const char* dir = std::getenv("TEMPORAL_RECORD_HISTORIES")) {
      std::ofstream(std::string(dir) + "/" + scenario + ".json") << history.to_json() << "\n";
    }
    // The JSON form replays the same way.
    EXPECT_EQ(original.replay_json(history.to_json()).events, result.events) << scenario;
    return history;
  }

  template <class F>
  static void expect_nondeterministic(const client::WorkflowHistory& history, const std::string& name, F changed,
                                      const std::string& expected_text) {
    worker::Replayer replayer;
    replayer.register_workflow(name, changed);
    try {
      replayer.replay(history);
      ADD_FAILURE() << "a changed '" << name << "' replayed without error; expected: " << expected_text;
    } catch (const NondeterminismError& e) {
      EXPECT_NE(std::string(e.what()).find(expected_text), std::string::npos) << e.what();
    }
  }

  static client::Client* client_;
  static std::string* queue_;
  static worker::Worker* worker_;
};
client::Client* ReplayRecord::client_ = nullptr;
std::string* ReplayRecord::queue_ = nullptr;
worker::Worker* ReplayRecord::worker_ = nullptr;

TEST_F(ReplayRecord, ActivitiesAndTimers) {
  auto h = client_->workflow().start("greet", options("greet"), std::string("replay")).get();
  EXPECT_EQ(h.result<std::string>().get(), "Hello, Hello, replay!!");
  worker::Replayer original;
  original.register_workflow("greet", rw::greet);
  auto history = check_and_record("greet", h, original);
  expect_nondeterministic(history, "greet", rw::greet_renamed_activity, "composeV2");
  expect_nondeterministic(history, "greet", rw::greet_extra_timer, "COMMAND_TYPE_START_TIMER");
  expect_nondeterministic(history, "greet", rw::greet_without_timer, "EVENT_TYPE_TIMER_STARTED");
}

TEST_F(ReplayRecord, SignalsQueriesAndUpdates) {
  auto h = client_->workflow().start("chat", options("chat")).get();
  h.signal("add", std::string("one")).get();
  EXPECT_EQ(h.execute_update<int64_t>("addAndCount", std::string("two")).get(), 2);
  EXPECT_THROW(h.execute_update<int64_t>("addAndCount", std::string("")).get(), WorkflowUpdateFailedError);
  EXPECT_EQ(h.query<std::vector<std::string>>("messages").get(), (std::vector<std::string>{"one", "two"}));
  h.signal("finish").get();
  EXPECT_EQ(h.result<std::vector<std::string>>().get(), (std::vector<std::string>{"one", "two"}));
  worker::Replayer original;
  original.register_workflow("chat", rw::chat);
  auto history = check_and_record("chat", h, original);
  expect_nondeterministic(history, "chat", rw::chat_with_activity, "COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK");
}

TEST_F(ReplayRecord, CancellationWithCleanup) {
  auto h = client_->workflow().start("cancellable", options("cancellable")).get();
  await_event(h, "EVENT_TYPE_TIMER_STARTED");
  h.cancel().get();
  EXPECT_THROW(h.result<std::string>().get(), WorkflowFailedError);
  worker::Replayer original;
  original.register_workflow("cancellable", rw::cancellable);
  auto history = check_and_record("cancellable", h, original);
  expect_nondeterministic(history, "cancellable", rw::cancellable_without_cleanup,
                          "COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION");
}

TEST_F(ReplayRecord, RandomnessExternalCallsAndConditionTimeouts) {
  auto h = client_->workflow().start("deterministic", options("deterministic")).get();
  EXPECT_EQ(h.result<std::string>().get(), "timed out, signal failed, cancel failed");
  worker::Replayer original;
  original.register_workflow("deterministic", rw::deterministic);
  check_and_record("deterministic", h, original);
}

TEST_F(ReplayRecord, ContinueAsNew) {
  auto h = client_->workflow().start("counter", options("counter"), int64_t{2}).get();
  EXPECT_EQ(h.result<std::string>().get(), "done");
  // The first run: it ends continued-as-new.
  auto first = client_->workflow().get_handle(h.workflow_id(), h.first_execution_run_id());
  worker::Replayer original;
  original.register_workflow("counter", rw::counter);
  auto history = check_and_record("counter", first, original);
  expect_nondeterministic(history, "counter", rw::counter_completes_instead, "COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION");
}

TEST_F(ReplayRecord, TerminatedWhileWaiting) {
  auto h = client_->workflow().start("longSleep", options("longSleep")).get();
  await_event(h, "EVENT_TYPE_TIMER_STARTED");
  h.terminate("recorded for replay").get();
  worker::Replayer original;
  original.register_workflow("longSleep", rw::long_sleep);
  auto history = check_and_record("longSleep", h, original);
  expect_nondeterministic(history, "longSleep", rw::long_sleep_with_activity, "ends without a matching event");
}

TEST_F(ReplayRecord, ConcurrentActivities) {
  auto h = client_->workflow().start("fanOut", options("fanOut"), std::string("x")).get();
  EXPECT_EQ(h.result<std::string>().get(), "Hello, Hello, x A! + Hello, x B!!");
  worker::Replayer original;
  original.register_workflow("fanOut", rw::fan_out);
  auto history = check_and_record("fanOut", h, original);
  expect_nondeterministic(history, "fanOut", rw::fan_out_sequential, "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED");
}

}  // namespace
}  // namespace temporal
