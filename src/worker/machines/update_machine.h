// One workflow update, through the update protocol: its acceptance (a protocol message and its
// PROTOCOL_MESSAGE command, recorded as WorkflowExecutionUpdateAccepted) then its outcome (recorded
// as WorkflowExecutionUpdateCompleted), or its rejection (a message history never shows).
#pragma once

#include "worker/machines/machine.h"

namespace temporal::worker::detail {


class UpdateMachine final : public Machine {
 public:
  enum class State { kRequested, kAcceptQueued, kAccepted, kCompleteQueued, kCompleted, kRejected };

  /// `request` as the server sent it (message id and sequencing event id answer it).
  UpdateMachine(MachineHost& host, apiupdate::Request request, std::string request_message_id,
                int64_t sequencing_event_id);
  void accept();
  void reject(const std::exception_ptr& failure);
  void complete(const std::optional<converter::Payload>& result, const std::exception_ptr& failure);

  bool records(const apicommand::Command& command, const HistoryEvent& e) const override;
  void on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs& jobs) override;
  bool final() const override { return state_ == State::kCompleted || state_ == State::kRejected; }
  std::string describe() const override;
  const std::string& update_id() const { return request_.meta().update_id(); }

 private:
  void send(const std::string& suffix, const google::protobuf::Message& body, bool recorded);

  apiupdate::Request request_;
  std::string request_message_id_;
  int64_t sequencing_event_id_;
  State state_ = State::kRequested;
};

}  // namespace temporal::worker::detail
