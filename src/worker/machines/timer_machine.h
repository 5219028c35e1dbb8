// A durable timer: StartTimer -> TimerStarted -> TimerFired, or cancelled (withdrawn before it went
// out, or CancelTimer -> TimerCanceled).
#pragma once

#include "worker/machines/machine.h"

namespace temporal::worker::detail {

class TimerMachine final : public Machine {
 public:
  enum class State { kStartQueued, kStarted, kCancelQueued, kFired, kCanceled };

  TimerMachine(MachineHost& host, const workflow::detail::cmd::StartTimer& start);
  bool records(const apicommand::Command& command, const HistoryEvent& e) const override;
  void on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs& jobs) override;
  void on_event(const HistoryEvent& e, Jobs& jobs) override;
  void cancel() override;
  bool final() const override { return state_ == State::kFired || state_ == State::kCanceled; }
  std::string describe() const override;
  State state() const { return state_; }

 private:
  Seq seq_;
  std::string timer_id_;
  State state_ = State::kStartQueued;
};

}  // namespace temporal::worker::detail
