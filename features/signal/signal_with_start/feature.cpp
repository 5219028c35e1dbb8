// signal/signal_with_start: signal-with-start starts a workflow that is not running and
// delivers the signal to it (before the workflow code waits on it); for a running workflow it
// just signals that workflow.
//
// Ported from the official PHP version (the only one).
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<int> workflow(int arg) {
  auto value = std::make_shared<int>(arg);
  wf::set_signal_handler("add", [value](int v) { *value += v; });
  auto positive = wf::wait_condition([value] { return *value > 0; });
  co_await positive;
  co_return *value;
}
}  // namespace

Scenario signal_signal_with_start() {
  Scenario s;
  s.dir = "signal/signal_with_start";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    // Starts the workflow with 1 and signals 42.
    auto started = ctx.client().workflow()
                       .signal_with_start("Workflow", ctx.workflow_options(), client::SignalWithStart::of("add", 42), 1)
                       .get();
    check_eq(started.result<int>().get(), 43, "result of the workflow signal-with-start started");

    // The workflow runs already (waiting with -2): the signal goes to it and no new run starts.
    auto options = ctx.workflow_options();
    auto existing = ctx.client().workflow().start("Workflow", options, -2).get();
    auto signaled = ctx.client().workflow().signal_with_start("Workflow", options, client::SignalWithStart::of("add", 42), -2).get();
    check_eq(signaled.run_id(), existing.run_id(), "run signal-with-start reached");
    check_eq(existing.result<int>().get(), 40, "result of the existing workflow");
  };
  return s;
}

}  // namespace temporal::features::scenarios
