// signal/external: a signal sent from outside any workflow (the client) reaches the workflow;
// signalling a workflow that does not exist fails with WorkflowNotFoundError.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<std::string> workflow() {
  auto result = std::make_shared<std::optional<std::string>>();
  wf::set_signal_handler("external_signal_channel", [result](std::string s) { *result = std::move(s); });
  auto signaled = wf::wait_condition([result] { return result->has_value(); });
  co_await signaled;
  co_return **result;
}
}  // namespace

Scenario signal_external() {
  Scenario s;
  s.dir = "signal/external";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    handle.signal("external_signal_channel", std::string("Signaled!")).get();
    check_eq(handle.result<std::string>().get(), std::string("Signaled!"), "workflow result");
    check_throws<WorkflowNotFoundError>(
        [&] { ctx.client().workflow().get_handle("does-not-exist-" + new_uuid()).signal("external_signal_channel").get(); },
        "signalling a workflow that does not exist");
  };
  return s;
}

}  // namespace temporal::features::scenarios
