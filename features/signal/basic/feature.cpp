// signal/basic: a signal handler's mutation is what the workflow returns.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<std::string> workflow() {
  auto result = std::make_shared<std::string>();
  wf::set_signal_handler("mySignal", [result](std::string s) { *result = std::move(s); });
  auto signaled = wf::wait_condition([result] { return !result->empty(); });
  co_await signaled;
  co_return *result;
}
}  // namespace

Scenario signal_basic() {
  Scenario s;
  s.dir = "signal/basic";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    handle.signal("mySignal", std::string("signal-data")).get();
    check_eq(handle.result<std::string>().get(), std::string("signal-data"), "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios
