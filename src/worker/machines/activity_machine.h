// An activity: ScheduleActivityTask -> ActivityTaskScheduled -> (Started) -> Completed | Failed |
// TimedOut | Canceled. Cancellation: withdrawn before it went out; abandoned without a word to the
// server; or RequestCancelActivityTask -> ActivityTaskCancelRequested, then whichever terminal event
// the server writes (the code is resolved at once unless it waits for the cancellation to complete).
#pragma once

#include "worker/machines/machine.h"

namespace temporal::worker::detail {

class ActivityMachine final : public Machine {
 public:
  enum class State { kScheduleQueued, kScheduled, kStarted, kCancelQueued, kCancelRequested, kResolved, kCanceled };

  ActivityMachine(MachineHost& host, const workflow::detail::cmd::ScheduleActivity& schedule);
  bool records(const apicommand::Command& command, const HistoryEvent& e) const override;
  void on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs& jobs) override;
  void on_event(const HistoryEvent& e, Jobs& jobs) override;
  void cancel() override;
  bool final() const override { return state_ == State::kResolved || state_ == State::kCanceled; }
  std::string describe() const override;
  State state() const { return state_; }

 private:
  void resolve(const HistoryEvent& e, Jobs& jobs);

  Seq seq_;
  std::string activity_id_;
  std::string activity_type_;
  workflow::ActivityCancellationType cancellation_type_;
  int64_t scheduled_event_id_ = 0;
  State state_ = State::kScheduleQueued;
};

}  // namespace temporal::worker::detail
