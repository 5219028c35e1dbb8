// update/deduplication: two updates with the same update id (both waiting for ACCEPTED, while
// the first still runs its 1 s timer) are one update: both handles give count 1, and the
// history has one completed update.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  auto count = std::make_shared<int>(0);
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler("incrementCount", [count]() -> wf::Workflow<int> {
    int value = ++*count;
    auto pause = wf::sleep(std::chrono::seconds(1));  // deduplication must not need the update to complete
    co_await pause;
    co_return value;
  });
  wf::set_signal_handler("shutdown_signal", [done]() { *done = true; });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
}
}  // namespace

Scenario update_deduplication() {
  Scenario s;
  s.dir = "update/deduplication";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    client::UpdateOptions o;
    o.update_id = "reused_update_id";
    o.wait_for_stage = client::WorkflowUpdateStage::kAccepted;
    auto first = handle.start_update("incrementCount", o).get();
    auto second = handle.start_update("incrementCount", o).get();
    check_eq(first.result<int>().get(), 1, "first handle's result");
    check_eq(second.result<int>().get(), 1, "second handle's result");
    handle.signal("shutdown_signal").get();
    handle.result<void>().get();
    check_no_update_rejected_events(ctx);
    check_eq(count_events(history_of(handle), apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED), 1,
             "completed updates in history");
  };
  return s;
}

}  // namespace temporal::features::scenarios
