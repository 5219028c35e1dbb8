// A cancellation request to another workflow: RequestCancelExternalWorkflowExecution -> ...Initiated
// -> ExternalWorkflowExecutionCancelRequested | RequestCancelExternalWorkflowExecutionFailed.
#pragma once

#include "worker/machines/machine.h"

namespace temporal::worker::detail {

class CancelExternalMachine final : public Machine {
 public:
  enum class State { kQueued, kInitiated, kDelivered, kFailed };

  CancelExternalMachine(MachineHost& host, const workflow::detail::cmd::RequestCancelExternal& request);
  bool records(const apicommand::Command& command, const HistoryEvent& e) const override;
  void on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs& jobs) override;
  void on_event(const HistoryEvent& e, Jobs& jobs) override;
  bool final() const override { return state_ == State::kDelivered || state_ == State::kFailed; }
  std::string describe() const override;

 private:
  Seq seq_;
  std::string workflow_id_;
  State state_ = State::kQueued;
};

/// The failure the code sees when another workflow could not be signalled or cancelled.
std::exception_ptr external_workflow_failure(const std::string& action, const std::string& workflow_id);

}  // namespace temporal::worker::detail
