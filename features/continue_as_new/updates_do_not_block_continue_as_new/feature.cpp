// continue_as_new/updates_do_not_block_continue_as_new: an update admitted while the workflow
// task that continues as new is in flight does not block the continue-as-new; it is handled
// on the new run (its events are in the new run's history, not the first's).
//
// Ported from the official Python version: the workflow blocks its first task in a gate until
// the starter's update is admitted.
#include <future>

#include "harness/history.h"
#include "harness/latch.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

Gate g_gate;

wf::Workflow<std::string> workflow() {
  auto received = std::make_shared<bool>(false);
  wf::set_update_handler("update", [received]() {
    *received = true;
    return wf::info().run_id;
  });
  if (!wf::is_replaying()) g_gate.wait_once(wf::info().workflow_id);
  if (!wf::info().continued_from_run_id.empty()) {
    auto updated = wf::wait_condition([received] { return *received; });
    co_await updated;
    co_return wf::info().run_id;
  }
  wf::continue_as_new({});
}

bool has_update_events(const apihistory::History& h) {
  return count_events(h, apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) > 0 ||
         count_events(h, apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) > 0;
}
}  // namespace

Scenario continue_as_new_updates_do_not_block_continue_as_new() {
  Scenario s;
  s.dir = "continue_as_new/updates_do_not_block_continue_as_new";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.worker_options.deadlock_timeout = std::chrono::seconds(30);  // the first task blocks on purpose
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    const std::string id = handle.workflow_id();
    check(g_gate.wait_until_blocked(id, 20s), "the first workflow task never reached the gate");
    // The update goes to the workflow id (whichever run is current), as the Python version's does.
    auto by_id = ctx.client().workflow().get_handle(id);
    auto update = std::async(std::launch::async, [by_id] {
      client::UpdateOptions o;
      o.update_id = "update-id";
      o.wait_for_stage = client::WorkflowUpdateStage::kCompleted;
      return by_id.start_update("update", o).get().result<std::string>().get();
    });
    // Admitted: a poll for its outcome waits (long-polls) instead of failing at once with "not
    // found". Polls that wait are kept until the update completes.
    std::vector<std::future<void>> polls;
    eventually(10s, 100ms, [&] {
      polls.push_back(std::async(std::launch::async, [by_id] { (void)by_id.get_update_handle("update-id").result_payload().get(); }));
      if (polls.back().wait_for(300ms) == std::future_status::timeout) return true;
      try {
        polls.back().get();
        return true;  // completed already (it cannot have: the workflow is blocked)
      } catch (const std::exception&) {
        return false;  // not found: not admitted yet
      }
    }, "the update to be admitted");
    g_gate.release(id);
    const std::string update_run = update.get();
    for (auto& p : polls) {
      if (p.valid()) p.wait();
    }
    check(!update_run.empty() && update_run != handle.first_execution_run_id(),
          "the update was handled on the first run (" + update_run + "), not after continue-as-new");
    check_eq(handle.result<std::string>().get(), update_run, "the run that returned is the one that handled the update");
    check(!has_update_events(history_of(ctx.client().workflow().get_handle(id, handle.first_execution_run_id()))),
          "update events in the first run's history");
    check(has_update_events(history_of(ctx.client().workflow().get_handle(id, update_run))),
          "no update events in the new run's history");
  };
  return s;
}

}  // namespace temporal::features::scenarios
