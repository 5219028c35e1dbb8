// Against the dev server: what a worker does with code and input that would wedge it, and what
// survives when the program tears things down.
//  - Workflow code that never yields: its task fails as a PotentialDeadlock, and workers, clients and
//    connections can be destroyed while that code is still stuck (with a payload codec, whose
//    pointers a stuck thread used to read after they were freed); the code then wakes to nothing
//    freed under it (ASan in CI).
//  - A poison-pill signal (arguments the handler cannot decode) is dropped and logged; the run goes
//    on and later signals are handled.
//  - Registering a name twice is an error.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "temporal/client.h"
#include "temporal/testing/dev_server.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;
namespace wf = temporal::workflow;

std::string unique(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
         std::to_string(++n);
}

// A codec that flips every bit of the data and remembers the encoding, so that nothing crosses the
// wire readable and the worker must decode through it.
class FlipCodec : public converter::PayloadCodec {
 public:
  converter::Payloads encode(converter::Payloads ps) const override {
    for (auto& p : ps) {
      p.metadata["flipped-encoding"] = p.encoding();
      p.metadata["encoding"] = "binary/flipped";
      for (auto& c : p.data) c = static_cast<char>(~c);
    }
    return ps;
  }
  converter::Payloads decode(converter::Payloads ps) const override {
    for (auto& p : ps) {
      if (p.encoding() != "binary/flipped") continue;
      p.metadata["encoding"] = p.metadata["flipped-encoding"];
      p.metadata.erase("flipped-encoding");
      for (auto& c : p.data) c = static_cast<char>(~c);
    }
    return ps;
  }
};

std::atomic<bool> g_release{false};
std::atomic<int> g_woke{0};

wf::Workflow<std::string> never_yields(std::string input) {
  while (!g_release.load()) std::this_thread::sleep_for(1ms);
  ++g_woke;
  co_return input;
}

wf::Workflow<int64_t> adder() {
  int64_t sum = 0;
  wf::set_signal_handler("add", [&sum](int64_t n) { sum += n; });
  co_await wf::wait_condition([&sum] { return sum >= 3; });
  co_return sum;
}

client::Client connect(const converter::DataConverter& dc = {}) {
  auto connection = client::Connection::connect({.address = testing::shared_test_server_address()});
  client::ClientOptions options;
  options.data_converter = dc;
  return client::Client(connection, options);
}

// Whether the history has an event of `event_type`, and (when given) `text` anywhere in it.
bool history_has(client::WorkflowHandle& h, const std::string& event_type, const std::string& text = "") {
  auto history = h.fetch_history().get();
  bool found = false;
  for (const auto& e : history.events) found |= e.event_type == event_type;
  return found && (text.empty() || history.to_json().find(text) != std::string::npos);
}

TEST(WorkerLifetime, WorkersAndClientsAreDestroyedWhileWorkflowCodeIsStuckAndNothingIsFreedUnderIt) {
  g_release = false;
  g_woke = 0;
  converter::DataConverter dc;
  dc.codecs.push_back(std::make_shared<FlipCodec>());
  const auto queue = unique("stuck");
  std::string workflow_id;
  {
    auto client = connect(dc);
    std::vector<std::string> log;
    std::mutex log_mu;
    worker::WorkerOptions options{.task_queue = queue};
    options.deadlock_timeout = 300ms;
    options.logger = [&](LogLevel, const std::string& line) {
      std::lock_guard lock(log_mu);
      log.push_back(line);
    };
    auto w = std::make_unique<worker::Worker>(client, options);
    w->register_workflow("neverYields", never_yields);
    w->start();
    // A short task timeout: the retries the stuck worker leaves unanswered time out quickly.
    client::WorkflowOptions wo{.task_queue = queue, .workflow_task_timeout = 1s};
    auto handle = client.workflow().start("neverYields", wo, std::string("payload through the codec")).get();
    workflow_id = handle.workflow_id();
    bool failed = false;
    for (int i = 0; i < 100 && !failed; ++i) {
      std::this_thread::sleep_for(100ms);
      failed = history_has(handle, "EVENT_TYPE_WORKFLOW_TASK_FAILED", "PotentialDeadlock");
    }
    EXPECT_TRUE(failed) << "the task of code that never yields was not failed as a PotentialDeadlock";
    // Tear everything down while the code still spins: worker, then client and connection.
    const auto before = std::chrono::steady_clock::now();
    w.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 30s);
    std::lock_guard lock(log_mu);
    bool reported = false;
    for (const auto& line : log) reported |= line.find("still stuck in workflow code") != std::string::npos;
    EXPECT_TRUE(reported) << "shutdown did not report the stuck run";
  }
  // Wake the code: it finishes on a thread that outlived the worker, the client and the codec's
  // owner; it must touch nothing freed.
  g_release = true;
  for (int i = 0; i < 500 && g_woke == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(g_woke, 1);
  std::this_thread::sleep_for(200ms);

  // A new worker (the code now yields) finishes the workflow.
  auto client = connect(dc);
  worker::Worker w(client, {.task_queue = queue});
  w.register_workflow("neverYields", never_yields);
  w.start();
  auto handle = client.workflow().get_handle(workflow_id);
  EXPECT_EQ(handle.result<std::string>().get(), "payload through the codec");
  w.shutdown();
}

TEST(WorkerLifetime, APoisonPillSignalIsDroppedAndLaterSignalsAreHandled) {
  const auto queue = unique("poison");
  auto client = connect();
  std::vector<std::string> log;
  std::mutex log_mu;
  worker::WorkerOptions options{.task_queue = queue};
  options.logger = [&](LogLevel, const std::string& line) {
    std::lock_guard lock(log_mu);
    log.push_back(line);
  };
  worker::Worker w(client, options);
  w.register_workflow("adder", adder);
  w.start();
  client::WorkflowOptions wo{.task_queue = queue};
  auto handle = client.workflow().start("adder", wo).get();
  handle.signal("add", std::string("not a number")).get();
  handle.signal("add", int64_t{1}).get();
  handle.signal("add", int64_t{2}).get();
  EXPECT_EQ(handle.result<int64_t>().get(), 3);
  EXPECT_FALSE(history_has(handle, "EVENT_TYPE_WORKFLOW_TASK_FAILED"));
  w.shutdown();
  std::lock_guard lock(log_mu);
  bool logged = false;
  for (const auto& line : log) logged |= line.find("dropped signal 'add'") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(WorkerLifetime, RegisteringAWorkflowOrActivityNameTwiceIsAnError) {
  auto client = connect();
  worker::Worker w(client, {.task_queue = unique("dup")});
  w.register_workflow("adder", adder);
  w.register_activity("echo", [](std::string s) { return s; });
  try {
    w.register_workflow("adder", never_yields);
    ADD_FAILURE() << "a second workflow 'adder' replaced the first";
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), "workflow_type");
    EXPECT_NE(std::string(e.what()).find("'adder' is already registered"), std::string::npos) << e.what();
  }
  try {
    w.register_activity("echo", [](std::string s) { return s + s; });
    ADD_FAILURE() << "a second activity 'echo' replaced the first";
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), "activity_type");
  }
}

}  // namespace
}  // namespace temporal
