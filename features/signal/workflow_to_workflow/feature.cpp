// signal/workflow_to_workflow: one workflow signals another through the workflow API (an
// external workflow handle); the target handles the signal, and its history records who sent it.
//
// The official suite has only the README for this scenario; these checks follow its spec.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<std::string> receiver() {
  auto got = std::make_shared<std::string>();
  wf::set_signal_handler("greeting", [got](std::string s) { *got = std::move(s); });
  auto signaled = wf::wait_condition([got] { return !got->empty(); });
  co_await signaled;
  co_return *got;
}

wf::Workflow<void> sender(std::string target) {
  auto handle = wf::get_external_workflow_handle(target);
  auto sent = handle.signal("greeting", "hello from " + wf::info().workflow_id);
  co_await sent;
}
}  // namespace

Scenario signal_workflow_to_workflow() {
  Scenario s;
  s.dir = "signal/workflow_to_workflow";
  s.registration = [](Registrar& r) { r.workflow("Receiver", receiver).workflow("Sender", sender); };
  s.run = [](Context& ctx) {
    auto target = ctx.start("Receiver");
    auto from = ctx.start("Sender", target.workflow_id());
    from.result<void>().get();
    check_eq(target.result<std::string>().get(), "hello from " + from.workflow_id(), "what the receiver got");
    auto history = history_of(target);
    const auto* signaled = find_event(history, [](const auto& e) { return e.has_workflow_execution_signaled_event_attributes(); });
    check(signaled != nullptr, "the receiver's history has no WorkflowExecutionSignaled event");
    check_eq(signaled->workflow_execution_signaled_event_attributes().external_workflow_execution().workflow_id(),
             from.workflow_id(), "the signal's sender in the receiver's history");
    auto sender_history = history_of(from);
    check(find_event(sender_history, [](const auto& e) { return e.has_external_workflow_execution_signaled_event_attributes(); }) != nullptr,
          "the sender's history has no ExternalWorkflowExecutionSignaled event");
  };
  return s;
}

}  // namespace temporal::features::scenarios
