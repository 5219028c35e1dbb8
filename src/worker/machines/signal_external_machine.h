// A signal to another workflow: SignalExternalWorkflowExecution -> ...Initiated ->
// ExternalWorkflowExecutionSignaled | SignalExternalWorkflowExecutionFailed.
#pragma once

#include "worker/machines/machine.h"

namespace temporal::worker::detail {

class SignalExternalMachine final : public Machine {
 public:
  enum class State { kQueued, kInitiated, kSignaled, kFailed };

  SignalExternalMachine(MachineHost& host, const workflow::detail::cmd::SignalExternal& signal);
  bool records(const apicommand::Command& command, const HistoryEvent& e) const override;
  void on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs& jobs) override;
  void on_event(const HistoryEvent& e, Jobs& jobs) override;
  bool final() const override { return state_ == State::kSignaled || state_ == State::kFailed; }
  std::string describe() const override;

 private:
  Seq seq_;
  std::string workflow_id_;
  std::string signal_name_;
  State state_ = State::kQueued;
};

}  // namespace temporal::worker::detail
