// continue_as_new/continue_as_same: a workflow continues as new once with the same input; the
// new run sees that it was continued and returns the input. The workflow id stays, and the
// memo set at start carries over to the new run.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

const std::string kInput = "InputData";
const std::string kMemoKey = "MemoKey";
const std::string kMemoValue = "MemoValue";

wf::Workflow<std::string> workflow(std::string input) {
  if (!wf::info().continued_from_run_id.empty()) co_return input;
  wf::continue_as_new({}, input);
}
}  // namespace

Scenario continue_as_new_continue_as_same() {
  Scenario s;
  s.dir = "continue_as_new/continue_as_same";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto options = ctx.workflow_options();
    options.memo[kMemoKey] = converter::to_payload(kMemoValue);
    auto handle = ctx.client().workflow().start("Workflow", options, kInput).get();
    check_eq(handle.result<std::string>().get(), kInput, "workflow result");
    auto latest = handle.describe().get();
    check_eq(latest.workflow_id, options.workflow_id, "workflow id after continue-as-new");
    check(latest.run_id != handle.first_execution_run_id(), "the latest run is the first run: no continue-as-new");
    auto memo = latest.memo.find(kMemoKey);
    check(memo != latest.memo.end(), "the memo of the continued run has no " + kMemoKey);
    check_eq(converter::from_payload<std::string>(memo->second), kMemoValue, "memo of the continued run");
  };
  return s;
}

}  // namespace temporal::features::scenarios
