#include "worker/machines/timer_machine.h"

#include "converter/proto.h"

namespace temporal::worker::detail {

TimerMachine::TimerMachine(MachineHost& host, const workflow::detail::cmd::StartTimer& start)
    : Machine(host), seq_(start.seq), timer_id_(std::to_string(start.seq)) {
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_START_TIMER);
  c.mutable_start_timer_command_attributes()->set_timer_id(timer_id_);
  converter::to_proto_duration(start.duration, c.mutable_start_timer_command_attributes()->mutable_start_to_fire_timeout());
  host_.queue(this, std::move(c));
}

bool TimerMachine::records(const apicommand::Command& command, const HistoryEvent& e) const {
  switch (command.command_type()) {
    case apienums::COMMAND_TYPE_START_TIMER:
      return e.event_type() == apienums::EVENT_TYPE_TIMER_STARTED && e.timer_started_event_attributes().timer_id() == timer_id_;
    case apienums::COMMAND_TYPE_CANCEL_TIMER:
      return e.event_type() == apienums::EVENT_TYPE_TIMER_CANCELED &&
             e.timer_canceled_event_attributes().timer_id() == timer_id_;
    default:
      return false;
  }
}

void TimerMachine::on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs&) {
  if (command.command_type() == apienums::COMMAND_TYPE_START_TIMER) {
    state_ = State::kStarted;
    host_.route(e.event_id(), this);
  } else {
    state_ = State::kCanceled;
  }
}

void TimerMachine::on_event(const HistoryEvent& e, Jobs& jobs) {
  if (e.event_type() != apienums::EVENT_TYPE_TIMER_FIRED) return Machine::on_event(e, jobs);
  // Fired while its cancellation was on its way: the code was already told it was cancelled.
  if (state_ == State::kStarted) jobs.push_back(workflow::detail::job::FireTimer{seq_});
  state_ = State::kFired;
}

void TimerMachine::cancel() {
  if (state_ == State::kStartQueued) {
    // Issued in this activation: it never reaches the server.
    host_.withdraw_unsent(this);
    state_ = State::kCanceled;
    return;
  }
  if (state_ != State::kStarted) return;
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_CANCEL_TIMER);
  c.mutable_cancel_timer_command_attributes()->set_timer_id(timer_id_);
  host_.queue(this, std::move(c));
  state_ = State::kCancelQueued;
}

std::string TimerMachine::describe() const { return "timer (id " + timer_id_ + ")"; }

}  // namespace temporal::worker::detail
