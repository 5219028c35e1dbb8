#include "worker/machines/signal_external_machine.h"

#include "converter/proto.h"
#include "worker/machines/cancel_external_machine.h"

namespace temporal::worker::detail {

SignalExternalMachine::SignalExternalMachine(MachineHost& host, const workflow::detail::cmd::SignalExternal& s)
    : Machine(host), seq_(s.seq), workflow_id_(s.workflow_id), signal_name_(s.signal_name) {
  const auto& ctx = context();
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION);
  auto* a = c.mutable_signal_external_workflow_execution_command_attributes();
  a->mutable_execution()->set_workflow_id(s.workflow_id);
  a->mutable_execution()->set_run_id(s.run_id);
  a->set_signal_name(s.signal_name);
  if (!s.args.empty()) converter::encode_to(*ctx.data_converter, s.args, a->mutable_input());
  host_.queue(this, std::move(c));
}

bool SignalExternalMachine::records(const apicommand::Command&, const HistoryEvent& e) const {
  if (e.event_type() != apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED) return false;
  const auto& a = e.signal_external_workflow_execution_initiated_event_attributes();
  return a.workflow_execution().workflow_id() == workflow_id_ && a.signal_name() == signal_name_;
}

void SignalExternalMachine::on_recorded(const apicommand::Command&, const HistoryEvent& e, Jobs&) {
  state_ = State::kInitiated;
  host_.route(e.event_id(), this);
}

void SignalExternalMachine::on_event(const HistoryEvent& e, Jobs& jobs) {
  if (e.event_type() == apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED) {
    state_ = State::kSignaled;
    jobs.push_back(workflow::detail::job::ResolveExternal{seq_, nullptr});
  } else if (e.event_type() == apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED) {
    state_ = State::kFailed;
    jobs.push_back(workflow::detail::job::ResolveExternal{seq_, external_workflow_failure("signal to", workflow_id_)});
  } else {
    Machine::on_event(e, jobs);
  }
}

std::string SignalExternalMachine::describe() const {
  return "signal '" + signal_name_ + "' to workflow '" + workflow_id_ + "'";
}

}  // namespace temporal::worker::detail
