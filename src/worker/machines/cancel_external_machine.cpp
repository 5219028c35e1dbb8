#include "worker/machines/cancel_external_machine.h"

namespace temporal::worker::detail {

std::exception_ptr external_workflow_failure(const std::string& action, const std::string& workflow_id) {
  return std::make_exception_ptr(
      ApplicationFailure(action + " external workflow '" + workflow_id + "' failed: the workflow was not found",
                         ApplicationFailure::Info{.type = "ExternalWorkflowExecutionNotFound", .non_retryable = true}));
}

CancelExternalMachine::CancelExternalMachine(MachineHost& host, const workflow::detail::cmd::RequestCancelExternal& r)
    : Machine(host), seq_(r.seq), workflow_id_(r.workflow_id) {
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION);
  auto* a = c.mutable_request_cancel_external_workflow_execution_command_attributes();
  a->set_workflow_id(r.workflow_id);
  a->set_run_id(r.run_id);
  host_.queue(this, std::move(c));
}

bool CancelExternalMachine::records(const apicommand::Command&, const HistoryEvent& e) const {
  return e.event_type() == apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED &&
         e.request_cancel_external_workflow_execution_initiated_event_attributes().workflow_execution().workflow_id() ==
             workflow_id_;
}

void CancelExternalMachine::on_recorded(const apicommand::Command&, const HistoryEvent& e, Jobs&) {
  state_ = State::kInitiated;
  host_.route(e.event_id(), this);
}

void CancelExternalMachine::on_event(const HistoryEvent& e, Jobs& jobs) {
  if (e.event_type() == apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED) {
    state_ = State::kDelivered;
    jobs.push_back(workflow::detail::job::ResolveExternal{seq_, nullptr});
  } else if (e.event_type() == apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED) {
    state_ = State::kFailed;
    jobs.push_back(workflow::detail::job::ResolveExternal{seq_, external_workflow_failure("cancel of", workflow_id_)});
  } else {
    Machine::on_event(e, jobs);
  }
}

std::string CancelExternalMachine::describe() const { return "cancel request to workflow '" + workflow_id_ + "'"; }

}  // namespace temporal::worker::detail
