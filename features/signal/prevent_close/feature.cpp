// signal/prevent_close: a signal that arrives while the workflow task that completes the
// workflow is in flight keeps the workflow open: the server rejects the completion, the SDK
// replays with the signal, and the result has both signals. A signal sent after the workflow
// closed fails with WorkflowNotFoundError, and that workflow was never replayed.
//
// Ported from the official PHP version (the only one): the workflow blocks 300 ms after its
// first signal so that a second one lands while that task is in flight.
#include <thread>

#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

// Returns [signal values, whether the code that started the run was replaying].
wf::Workflow<nlohmann::json> workflow() {
  const bool replaying_at_start = wf::is_replaying();
  auto values = std::make_shared<std::vector<int>>();
  wf::set_signal_handler("add", [values](int v) { values->push_back(v); });
  auto first = wf::wait_condition([values] { return !values->empty(); });
  co_await first;
  // Blocking lag (never do this in a real workflow): a later signal lands while this task runs.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  co_return nlohmann::json::array({*values, replaying_at_start});
}
}  // namespace

Scenario signal_prevent_close() {
  Scenario s;
  s.dir = "signal/prevent_close";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    // A signal after the workflow completed is rejected; the workflow saw only the first.
    auto closed = ctx.start("Workflow");
    closed.signal("add", 1).get();
    std::this_thread::sleep_for(1500ms);
    check_throws<WorkflowNotFoundError>([&] { closed.signal("add", 2).get(); }, "signal to the completed workflow");
    auto r1 = closed.result<nlohmann::json>().get();
    check_eq(r1[0], nlohmann::json::array({1}), "signals the completed workflow handled");
    check_eq(r1[1], nlohmann::json(false), "the completed workflow's run was replayed");

    // A signal while the completing task is in flight is handled before the workflow closes.
    auto open = ctx.start("Workflow");
    open.signal("add", 1).get();
    std::this_thread::sleep_for(200ms);
    open.signal("add", 2).get();
    check_eq(open.result<nlohmann::json>().get()[0], nlohmann::json::array({1, 2}), "signals handled before closing");
  };
  return s;
}

}  // namespace temporal::features::scenarios
