#include "worker/machines/close_machine.h"

#include "converter/proto.h"

namespace temporal::worker::detail {

CloseMachine::CloseMachine(MachineHost& host, const workflow::detail::cmd::CompleteWorkflow& complete) : Machine(host) {
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION);
  converter::encode_to(*context().data_converter, converter::Payloads{complete.result},
                       c.mutable_complete_workflow_execution_command_attributes()->mutable_result());
  host_.queue(this, std::move(c));
}

CloseMachine::CloseMachine(MachineHost& host, const workflow::detail::cmd::FailWorkflow& fail) : Machine(host) {
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION);
  converter::failure_to_proto(*context().data_converter, fail.failure,
                              c.mutable_fail_workflow_execution_command_attributes()->mutable_failure());
  host_.queue(this, std::move(c));
}

CloseMachine::CloseMachine(MachineHost& host, const workflow::detail::cmd::CancelWorkflow& cancel) : Machine(host) {
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION);
  auto* a = c.mutable_cancel_workflow_execution_command_attributes();  // required even when empty
  if (!cancel.details.empty()) converter::encode_to(*context().data_converter, cancel.details, a->mutable_details());
  host_.queue(this, std::move(c));
}

CloseMachine::CloseMachine(MachineHost& host, const workflow::detail::cmd::ContinueAsNew& can) : Machine(host) {
  const auto& ctx = context();
  const auto& o = can.options;
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION);
  auto* a = c.mutable_continue_as_new_workflow_execution_command_attributes();
  a->mutable_workflow_type()->set_name(o.workflow_type.empty() ? ctx.workflow_type : o.workflow_type);
  a->mutable_task_queue()->set_name(o.task_queue.empty() ? ctx.task_queue : o.task_queue);
  a->mutable_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_NORMAL);
  if (!can.args.empty()) converter::encode_to(*ctx.data_converter, can.args, a->mutable_input());
  if (o.workflow_run_timeout) converter::to_proto_duration(*o.workflow_run_timeout, a->mutable_workflow_run_timeout());
  if (o.workflow_task_timeout) converter::to_proto_duration(*o.workflow_task_timeout, a->mutable_workflow_task_timeout());
  if (o.memo.empty()) {
    *a->mutable_memo() = ctx.memo;
  } else {
    converter::encode_memo(*ctx.data_converter, o.memo, a->mutable_memo());
  }
  if (o.search_attributes.empty()) {
    *a->mutable_search_attributes() = ctx.search_attributes;
  } else {
    converter::encode_search_attributes(o.search_attributes, a->mutable_search_attributes());
  }
  host_.queue(this, std::move(c));
}

bool CloseMachine::records(const apicommand::Command& command, const HistoryEvent& e) const {
  switch (command.command_type()) {
    case apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION:
      return e.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED;
    case apienums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION:
      return e.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED;
    case apienums::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION:
      return e.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED;
    case apienums::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION:
      return e.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW;
    default:
      return false;
  }
}

void CloseMachine::on_recorded(const apicommand::Command&, const HistoryEvent&, Jobs&) { state_ = State::kRecorded; }

}  // namespace temporal::worker::detail
