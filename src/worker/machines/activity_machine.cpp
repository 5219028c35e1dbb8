#include "worker/machines/activity_machine.h"

#include "converter/proto.h"

namespace temporal::worker::detail {

using workflow::ActivityCancellationType;

ActivityMachine::ActivityMachine(MachineHost& host, const workflow::detail::cmd::ScheduleActivity& s)
    : Machine(host),
      seq_(s.seq),
      activity_id_(s.activity_id),
      activity_type_(s.activity_type),
      cancellation_type_(s.options.cancellation_type) {
  const auto& o = s.options;
  const auto& ctx = context();
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK);
  auto* a = c.mutable_schedule_activity_task_command_attributes();
  a->set_activity_id(activity_id_);
  a->mutable_activity_type()->set_name(activity_type_);
  a->mutable_task_queue()->set_name(o.task_queue.empty() ? ctx.task_queue : o.task_queue);
  a->mutable_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_NORMAL);
  if (!s.args.empty()) converter::encode_to(*ctx.data_converter, s.args, a->mutable_input());
  for (const auto& [k, v] : o.headers) (*a->mutable_header()->mutable_fields())[k] = converter::to_proto(v);
  if (o.start_to_close_timeout) converter::to_proto_duration(*o.start_to_close_timeout, a->mutable_start_to_close_timeout());
  if (o.schedule_to_close_timeout) {
    converter::to_proto_duration(*o.schedule_to_close_timeout, a->mutable_schedule_to_close_timeout());
  }
  if (o.schedule_to_start_timeout) {
    converter::to_proto_duration(*o.schedule_to_start_timeout, a->mutable_schedule_to_start_timeout());
  }
  if (o.heartbeat_timeout) converter::to_proto_duration(*o.heartbeat_timeout, a->mutable_heartbeat_timeout());
  if (o.retry_policy) converter::to_proto_retry_policy(*o.retry_policy, a->mutable_retry_policy());
  if (!o.summary.empty()) {
    *c.mutable_user_metadata()->mutable_summary() = converter::to_proto(converter::to_payload(o.summary));
  }
  host_.queue(this, std::move(c));
}

bool ActivityMachine::records(const apicommand::Command& command, const HistoryEvent& e) const {
  switch (command.command_type()) {
    case apienums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK: {
      if (e.event_type() != apienums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) return false;
      const auto& a = e.activity_task_scheduled_event_attributes();
      return a.activity_id() == activity_id_ && a.activity_type().name() == activity_type_;
    }
    case apienums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK:
      return e.event_type() == apienums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED &&
             e.activity_task_cancel_requested_event_attributes().scheduled_event_id() == scheduled_event_id_;
    default:
      return false;
  }
}

void ActivityMachine::on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs&) {
  if (command.command_type() == apienums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK) {
    scheduled_event_id_ = e.event_id();
    host_.route(scheduled_event_id_, this);
    state_ = State::kScheduled;
  } else {
    state_ = State::kCancelRequested;
  }
}

void ActivityMachine::on_event(const HistoryEvent& e, Jobs& jobs) {
  switch (e.event_type()) {
    case apienums::EVENT_TYPE_ACTIVITY_TASK_STARTED:
      if (state_ == State::kScheduled) state_ = State::kStarted;
      return;
    case apienums::EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
    case apienums::EVENT_TYPE_ACTIVITY_TASK_FAILED:
    case apienums::EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
    case apienums::EVENT_TYPE_ACTIVITY_TASK_CANCELED:
      resolve(e, jobs);
      return;
    default:
      Machine::on_event(e, jobs);
  }
}

void ActivityMachine::resolve(const HistoryEvent& e, Jobs& jobs) {
  state_ = State::kResolved;
  const auto& dc = *context().data_converter;
  workflow::detail::job::ResolveActivity r{seq_, std::nullopt, nullptr};
  if (e.has_activity_task_completed_event_attributes()) {
    auto ps = converter::decode_from(dc, e.activity_task_completed_event_attributes().result());
    r.result = ps.empty() ? converter::to_payload(nullptr) : std::move(ps[0]);
    jobs.push_back(std::move(r));
    return;
  }
  int64_t started = 0;
  std::shared_ptr<const FailureError> cause;
  RetryState rs = RetryState::kUnspecified;
  std::string identity, message;
  if (e.has_activity_task_failed_event_attributes()) {
    const auto& a = e.activity_task_failed_event_attributes();
    started = a.started_event_id();
    identity = a.identity();
    rs = static_cast<RetryState>(a.retry_state());
    cause = converter::failure_from_proto(dc, a.failure());
    message = "activity task failed";
  } else if (e.has_activity_task_timed_out_event_attributes()) {
    const auto& a = e.activity_task_timed_out_event_attributes();
    started = a.started_event_id();
    rs = static_cast<RetryState>(a.retry_state());
    cause = converter::failure_from_proto(dc, a.failure());
    message = "activity task timed out";
  } else {
    const auto& a = e.activity_task_canceled_event_attributes();
    started = a.started_event_id();
    identity = a.identity();
    rs = RetryState::kCancelRequested;
    cause = std::make_shared<CanceledFailure>("activity canceled", converter::decode_from(dc, a.details()));
    message = "activity task canceled";
  }
  ActivityFailure::Info info{activity_type_, activity_id_, identity, rs, scheduled_event_id_, started};
  r.failure = std::make_exception_ptr(ActivityFailure(message, info, {}, cause));
  jobs.push_back(std::move(r));
}

void ActivityMachine::cancel() {
  if (state_ == State::kScheduleQueued) {
    host_.withdraw_unsent(this);  // issued in this activation: it never reaches the server
    state_ = State::kCanceled;
    return;
  }
  if (state_ != State::kScheduled && state_ != State::kStarted) return;
  if (cancellation_type_ == ActivityCancellationType::kAbandon) {
    state_ = State::kCanceled;  // the server is not told; later events for it are ignored
    return;
  }
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK);
  c.mutable_request_cancel_activity_task_command_attributes()->set_scheduled_event_id(scheduled_event_id_);
  host_.queue(this, std::move(c));
  state_ = State::kCancelQueued;
}

std::string ActivityMachine::describe() const {
  return "activity '" + activity_type_ + "' (id " + activity_id_ + ")";
}

}  // namespace temporal::worker::detail
