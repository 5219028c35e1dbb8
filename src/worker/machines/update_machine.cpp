#include "worker/machines/update_machine.h"

#include "converter/proto.h"

namespace temporal::worker::detail {

UpdateMachine::UpdateMachine(MachineHost& host, apiupdate::Request request, std::string request_message_id,
                             int64_t sequencing_event_id)
    : Machine(host),
      request_(std::move(request)),
      request_message_id_(std::move(request_message_id)),
      sequencing_event_id_(sequencing_event_id) {}

void UpdateMachine::send(const std::string& suffix, const google::protobuf::Message& body, bool recorded) {
  apiprotocol::Message m;
  m.set_id(update_id() + suffix);
  m.set_protocol_instance_id(update_id());
  m.mutable_body()->PackFrom(body);
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_PROTOCOL_MESSAGE);
  c.mutable_protocol_message_command_attributes()->set_message_id(m.id());
  host_.queue(this, std::move(c), std::move(m), recorded);
}

void UpdateMachine::accept() {
  apiupdate::Acceptance a;
  a.set_accepted_request_message_id(request_message_id_);
  a.set_accepted_request_sequencing_event_id(sequencing_event_id_);
  *a.mutable_accepted_request() = request_;
  send("/accept", a, true);
  state_ = State::kAcceptQueued;
}

void UpdateMachine::reject(const std::exception_ptr& failure) {
  apiupdate::Rejection r;
  r.set_rejected_request_message_id(request_message_id_);
  r.set_rejected_request_sequencing_event_id(sequencing_event_id_);
  *r.mutable_rejected_request() = request_;
  converter::failure_to_proto(*context().data_converter, failure, r.mutable_failure());
  send("/reject", r, false);
  state_ = State::kRejected;
}

void UpdateMachine::complete(const std::optional<converter::Payload>& result, const std::exception_ptr& failure) {
  apiupdate::Response response;
  *response.mutable_meta() = request_.meta();
  const auto& dc = *context().data_converter;
  if (failure) {
    converter::failure_to_proto(dc, failure, response.mutable_outcome()->mutable_failure());
  } else {
    converter::encode_to(dc, converter::Payloads{result.value_or(converter::to_payload(nullptr))},
                         response.mutable_outcome()->mutable_success());
  }
  send("/complete", response, true);
  state_ = State::kCompleteQueued;
}

bool UpdateMachine::records(const apicommand::Command& command, const HistoryEvent& e) const {
  const std::string& message_id = command.protocol_message_command_attributes().message_id();
  if (message_id == update_id() + "/accept") {
    return e.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED &&
           e.workflow_execution_update_accepted_event_attributes().protocol_instance_id() == update_id();
  }
  return message_id == update_id() + "/complete" &&
         e.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED &&
         e.workflow_execution_update_completed_event_attributes().meta().update_id() == update_id();
}

void UpdateMachine::on_recorded(const apicommand::Command&, const HistoryEvent& e, Jobs&) {
  if (e.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
    // The outcome may already be queued behind the acceptance (a handler that did not wait).
    if (state_ == State::kAcceptQueued) state_ = State::kAccepted;
  } else {
    state_ = State::kCompleted;
  }
}

std::string UpdateMachine::describe() const {
  return "update '" + request_.input().name() + "' (id " + update_id() + ")";
}

}  // namespace temporal::worker::detail
