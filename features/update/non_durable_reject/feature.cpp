// update/non_durable_reject: updates rejected by the validator leave no trace in history (no
// rejected event); accepted ones change the state: five accepted +2 updates between rejected -1
// updates make the result 10.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<int> workflow() {
  auto counter = std::make_shared<int>(0);
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler(
      "updateActivity",
      [counter](int i) {
        *counter += i;
        return *counter;
      },
      [](int i) {
        if (i < 0) throw std::invalid_argument("expected non-negative value (" + std::to_string(i) + ")");
      });
  wf::set_signal_handler("shutdown_signal", [done]() { *done = true; });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
  co_return *counter;
}
}  // namespace

Scenario update_non_durable_reject() {
  Scenario s;
  s.dir = "update/non_durable_reject";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    auto reject = [&] {
      check_throws<WorkflowUpdateFailedError>([&] { (void)handle.execute_update<int>("updateActivity", -1).get(); },
                                              "update with a negative value");
    };
    reject();
    for (int i = 0; i < 5; ++i) {
      check_eq(handle.execute_update<int>("updateActivity", 2).get(), 2 * (i + 1), "update result");
      reject();
    }
    handle.signal("shutdown_signal").get();
    check_eq(handle.result<int>().get(), 10, "workflow result");
    check_no_update_rejected_events(ctx);
  };
  return s;
}

}  // namespace temporal::features::scenarios
