// update/basic: an update's handler changes workflow state and returns a value; the workflow's
// result shows the change; no update is rejected.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<std::string> workflow() {
  auto result = std::make_shared<std::string>();
  wf::set_update_handler("my-update-name", [result](std::string arg) {
    *result = arg;
    return "update-result:" + arg;
  });
  auto updated = wf::wait_condition([result] { return !result->empty(); });
  co_await updated;
  co_return "workflow-result:" + *result;
}
}  // namespace

Scenario update_basic() {
  Scenario s;
  s.dir = "update/basic";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.execute_update<std::string>("my-update-name", std::string("my-update-arg")).get(),
             std::string("update-result:my-update-arg"), "update result");
    check_no_update_rejected_events(ctx);
    check_eq(handle.result<std::string>().get(), std::string("workflow-result:my-update-arg"), "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios
