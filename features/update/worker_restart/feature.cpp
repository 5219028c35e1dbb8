// update/worker_restart: an update whose handler waits on an activity survives the worker
// restarting meanwhile: the new worker replays the workflow and the update completes (result 0,
// the counter before the add); the workflow returns the counter after it (1).
#include <future>
#include <thread>

#include "harness/harness.h"
#include "harness/latch.h"
#include "temporal/activity/activity.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

Gate g_gate;

// Blocks (outside workflow code) until the starter releases it.
void block() { g_gate.wait_once(temporal::activity::info().workflow_id, std::chrono::seconds(30)); }

wf::Workflow<int> workflow() {
  auto counter = std::make_shared<int>(0);
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler("fetchAndAdd", [counter](int i) -> wf::Workflow<int> {
    wf::ActivityOptions options;
    options.schedule_to_close_timeout = std::chrono::seconds(10);
    auto a = wf::execute_activity<void>("block", options);
    co_await a;
    int before = *counter;
    *counter += i;
    co_return before;
  });
  wf::set_signal_handler("shutdown_signal", [done]() { *done = true; });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
  co_return *counter;
}
}  // namespace

Scenario update_worker_restart() {
  Scenario s;
  s.dir = "update/worker_restart";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("block", block); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    auto update = std::async(std::launch::async, [handle] { return handle.execute_update<int>("fetchAndAdd", 1).get(); });
    check(g_gate.wait_until_blocked(handle.workflow_id(), 20s), "the update's activity never started");
    // The worker stops while the activity blocks; shutdown waits for running activities, so the
    // activity is released a second into the shutdown, as the official version does.
    auto release = std::async(std::launch::async, [&] {
      std::this_thread::sleep_for(1s);
      g_gate.release(handle.workflow_id());
    });
    ctx.stop_worker();
    release.get();
    ctx.start_worker();
    check_eq(update.get(), 0, "update result");
    handle.signal("shutdown_signal").get();
    check_eq(handle.result<int>().get(), 1, "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios
