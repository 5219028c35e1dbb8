// update/basic_async: an update started with wait-for-ACCEPTED: its validator rejects a bad
// argument (the handle reports WorkflowUpdateFailedError and the state does not change), and
// accepts a good one, whose handle gives the result and whose change ends the workflow.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<std::string> workflow() {
  auto state = std::make_shared<std::string>();
  wf::set_update_handler(
      "myUpdate",
      [state](std::string arg) {
        *state = arg;
        return std::string("update-result");
      },
      [](std::string arg) {
        if (arg == "invalid-arg") throw std::invalid_argument("Invalid Update argument");
      });
  auto updated = wf::wait_condition([state] { return !state->empty(); });
  co_await updated;
  co_return *state;
}

client::UpdateOptions accepted() {
  client::UpdateOptions o;
  o.wait_for_stage = client::WorkflowUpdateStage::kAccepted;
  return o;
}
}  // namespace

Scenario update_basic_async() {
  Scenario s;
  s.dir = "update/basic_async";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    auto rejected = check_throws<WorkflowUpdateFailedError>(
        [&] { (void)handle.start_update("myUpdate", accepted(), std::string("invalid-arg")).get().result<std::string>().get(); },
        "update with an invalid argument");
    check(contains(rejected.what(), "Invalid Update argument"), std::string("the rejection does not say why: ") + rejected.what());
    auto good = handle.start_update("myUpdate", accepted(), std::string("update-arg")).get();
    check_eq(good.result<std::string>().get(), std::string("update-result"), "update result");
    check_eq(handle.result<std::string>().get(), std::string("update-arg"), "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios
