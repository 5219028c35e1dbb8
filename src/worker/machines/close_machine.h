// The command that closes the run: CompleteWorkflowExecution, FailWorkflowExecution,
// CancelWorkflowExecution or ContinueAsNewWorkflowExecution, recorded by the matching
// WorkflowExecution{Completed,Failed,Canceled,ContinuedAsNew} event.
#pragma once

#include "worker/machines/machine.h"

namespace temporal::worker::detail {

class CloseMachine final : public Machine {
 public:
  enum class State { kQueued, kRecorded };

  CloseMachine(MachineHost& host, const workflow::detail::cmd::CompleteWorkflow& c);
  CloseMachine(MachineHost& host, const workflow::detail::cmd::FailWorkflow& c);
  CloseMachine(MachineHost& host, const workflow::detail::cmd::CancelWorkflow& c);
  CloseMachine(MachineHost& host, const workflow::detail::cmd::ContinueAsNew& c);
  bool records(const apicommand::Command& command, const HistoryEvent& e) const override;
  void on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs& jobs) override;
  bool final() const override { return state_ == State::kRecorded; }
  std::string describe() const override { return "the workflow's close"; }

 private:
  State state_ = State::kQueued;
};

}  // namespace temporal::worker::detail
