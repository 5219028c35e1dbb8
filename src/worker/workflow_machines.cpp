#include "worker/workflow_machines.h"

#include <algorithm>

#include "converter/proto.h"
#include "worker/machines/activity_machine.h"
#include "worker/machines/cancel_external_machine.h"
#include "worker/machines/close_machine.h"
#include "worker/machines/signal_external_machine.h"
#include "worker/machines/timer_machine.h"
#include "worker/machines/update_machine.h"

namespace temporal::worker::detail {

namespace wfd = ::temporal::workflow::detail;

// ---- machine.h ------------------------------------------------------------------------------------

void Machine::on_event(const HistoryEvent& e, Jobs&) {
  throw NondeterminismError("history has " + describe_event(e) + " for " + describe() +
                            ", which cannot happen to it; the history does not belong to this code");
}

void Machine::cancel() { throw TemporalError("internal error: " + describe() + " cannot be cancelled"); }

std::string describe_event(const HistoryEvent& e) {
  std::string s = apienums::EventType_Name(e.event_type()) + " (event " + std::to_string(e.event_id());
  if (e.has_timer_started_event_attributes()) s += ", timer id " + e.timer_started_event_attributes().timer_id();
  if (e.has_timer_canceled_event_attributes()) s += ", timer id " + e.timer_canceled_event_attributes().timer_id();
  if (e.has_activity_task_scheduled_event_attributes()) {
    s += ", activity '" + e.activity_task_scheduled_event_attributes().activity_type().name() + "', id " +
         e.activity_task_scheduled_event_attributes().activity_id();
  }
  if (e.has_signal_external_workflow_execution_initiated_event_attributes()) {
    const auto& a = e.signal_external_workflow_execution_initiated_event_attributes();
    s += ", signal '" + a.signal_name() + "' to '" + a.workflow_execution().workflow_id() + "'";
  }
  if (e.has_marker_recorded_event_attributes()) s += ", marker '" + e.marker_recorded_event_attributes().marker_name() + "'";
  if (e.has_start_child_workflow_execution_initiated_event_attributes()) {
    s += ", child workflow '" + e.start_child_workflow_execution_initiated_event_attributes().workflow_type().name() + "'";
  }
  return s + ")";
}

// ---- the run --------------------------------------------------------------------------------------

namespace {

bool is_command_event(apienums::EventType t) {
  switch (t) {
    case apienums::EVENT_TYPE_TIMER_STARTED:
    case apienums::EVENT_TYPE_TIMER_CANCELED:
    case apienums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
    case apienums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
    case apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
    case apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
    case apienums::EVENT_TYPE_MARKER_RECORDED:
    case apienums::EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
    case apienums::EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
    case apienums::EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
    case apienums::EVENT_TYPE_NEXUS_OPERATION_SCHEDULED:
    case apienums::EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED:
      return true;
    default:
      return false;
  }
}

// The feature of the code that wrote a command event this worker has no machine for, or "".
std::string unsupported_feature(apienums::EventType t) {
  switch (t) {
    case apienums::EVENT_TYPE_MARKER_RECORDED:
      return "markers (side effects, patches/versions or local activities)";
    case apienums::EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
      return "child workflows";
    case apienums::EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      return "search attribute upserts";
    case apienums::EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
      return "memo upserts";
    case apienums::EVENT_TYPE_NEXUS_OPERATION_SCHEDULED:
    case apienums::EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED:
      return "Nexus operations";
    default:
      return "";
  }
}

// The event id a non-command event refers to: the initial event of its machine.
int64_t initial_event_id(const HistoryEvent& e) {
  switch (e.event_type()) {
    case apienums::EVENT_TYPE_TIMER_FIRED:
      return e.timer_fired_event_attributes().started_event_id();
    case apienums::EVENT_TYPE_ACTIVITY_TASK_STARTED:
      return e.activity_task_started_event_attributes().scheduled_event_id();
    case apienums::EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      return e.activity_task_completed_event_attributes().scheduled_event_id();
    case apienums::EVENT_TYPE_ACTIVITY_TASK_FAILED:
      return e.activity_task_failed_event_attributes().scheduled_event_id();
    case apienums::EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      return e.activity_task_timed_out_event_attributes().scheduled_event_id();
    case apienums::EVENT_TYPE_ACTIVITY_TASK_CANCELED:
      return e.activity_task_canceled_event_attributes().scheduled_event_id();
    case apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED:
      return e.external_workflow_execution_signaled_event_attributes().initiated_event_id();
    case apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
      return e.signal_external_workflow_execution_failed_event_attributes().initiated_event_id();
    case apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
      return e.external_workflow_execution_cancel_requested_event_attributes().initiated_event_id();
    case apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
      return e.request_cancel_external_workflow_execution_failed_event_attributes().initiated_event_id();
    default:
      return 0;
  }
}

std::optional<std::chrono::milliseconds> optional_duration(const google::protobuf::Duration& d) {
  if (d.seconds() == 0 && d.nanos() == 0) return std::nullopt;
  return converter::from_proto_duration(d);
}

}  // namespace

WorkflowMachines::WorkflowMachines(MachineContext context, std::string workflow_id, std::string run_id,
                                   Activate activate)
    : context_(std::move(context)),
      workflow_id_(std::move(workflow_id)),
      run_id_(std::move(run_id)),
      activate_(std::move(activate)) {}

WorkflowMachines::~WorkflowMachines() = default;

TaskOutput WorkflowMachines::apply(const std::vector<const HistoryEvent*>& events, int64_t current_started_event_id,
                                   const std::vector<apiprotocol::Message>& messages) {
  std::vector<const HistoryEvent*> fresh;
  fresh.reserve(events.size());
  for (const auto* e : events) {
    if (e->event_id() <= last_event_id_) continue;  // a page seen before
    if (last_event_id_ != 0 && e->event_id() != last_event_id_ + 1) {
      throw NondeterminismError("history is not contiguous: event " + std::to_string(e->event_id()) + " follows " +
                                std::to_string(last_event_id_));
    }
    last_event_id_ = e->event_id();
    fresh.push_back(e);
  }
  TaskOutput out;
  for (const auto& task : split_history(fresh)) {
    wfd::Activation activation;
    for (size_t i = task.begin; i < task.end; ++i) handle_event(*fresh[i], activation);
    if (!task.started) break;  // a replayed history's last commands, matched above
    // Every command of an earlier task was answered in it, so history records it by now.
    for (const auto& q : queue_) {
      if (q.sent) {
        throw NondeterminismError("workflow code produced " + apienums::CommandType_Name(q.command.command_type()) +
                                  " for " + q.machine->describe() + " but the history has no matching event before " +
                                  describe_event(*task.started) + "; did the code change?");
      }
    }
    const bool replaying = task.started->event_id() < current_started_event_id;
    activation.now = converter::from_proto_time(task.started->event_time());
    activation.replaying = replaying;
    if (replaying) {
      for (const auto* a : task.accepted_updates) {
        const auto& attrs = a->workflow_execution_update_accepted_event_attributes();
        auto request = attrs.accepted_request();
        if (!attrs.has_accepted_request()) {  // admitted before the task: the request is in that event
          auto it = admitted_updates_.find(attrs.protocol_instance_id());
          if (it != admitted_updates_.end()) request = it->second;
        }
        add_update(request, attrs.accepted_request_message_id(), attrs.accepted_request_sequencing_event_id(), true,
                   activation.jobs);
      }
    } else {
      for (const auto& m : messages) {
        apiupdate::Request request;
        if (m.body().UnpackTo(&request)) add_update(request, m.id(), m.event_id(), false, activation.jobs);
      }
    }
    ++tasks_run_;
    auto commands = activate_(std::move(activation));
    for (auto& c : commands) apply_command(c);
    TaskOutput sent = take_unsent();
    if (!replaying) out = std::move(sent);
    sweep();
  }
  sweep();
  return out;
}

void WorkflowMachines::handle_event(const HistoryEvent& e, wfd::Activation& activation) {
  auto& jobs = activation.jobs;
  if (is_command_event(e.event_type())) {
    handle_command_event(e, jobs);
    return;
  }
  switch (e.event_type()) {
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
      const auto& a = e.workflow_execution_started_event_attributes();
      const auto& dc = *context_.data_converter;
      context_.workflow_type = a.workflow_type().name();
      context_.task_queue = a.task_queue().name();
      context_.memo = a.memo();
      context_.search_attributes = a.search_attributes();
      wfd::job::Initialize init;
      auto& info = init.info;
      info.namespace_name = context_.namespace_name;
      info.workflow_id = workflow_id_;
      info.run_id = run_id_;
      info.workflow_type = a.workflow_type().name();
      info.task_queue = a.task_queue().name();
      info.attempt = a.attempt();
      info.cron_schedule = a.cron_schedule();
      info.first_execution_run_id = a.first_execution_run_id();
      info.continued_from_run_id = a.continued_execution_run_id();
      info.workflow_execution_timeout = optional_duration(a.workflow_execution_timeout());
      info.workflow_run_timeout = optional_duration(a.workflow_run_timeout());
      info.start_time = converter::from_proto_time(e.event_time());
      for (const auto& [k, v] : a.memo().fields()) info.memo.emplace(k, converter::decode_one(dc, v));
      info.search_attributes = converter::decode_search_attributes(a.search_attributes());
      for (const auto& [k, v] : a.header().fields()) info.headers.emplace(k, converter::from_proto(v));
      if (a.has_parent_workflow_execution()) info.parent_workflow_id = a.parent_workflow_execution().workflow_id();
      // Seeded from the run, so every replay draws the same numbers.
      init.randomness_seed = a.original_execution_run_id().empty() ? run_id_ : a.original_execution_run_id();
      init.args = converter::decode_from(dc, a.input());
      jobs.push_back(std::move(init));
      return;
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
      const auto& a = e.workflow_execution_signaled_event_attributes();
      jobs.push_back(wfd::job::Signal{a.signal_name(), converter::decode_from(*context_.data_converter, a.input())});
      return;
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
      jobs.push_back(wfd::job::CancelWorkflow{});
      return;
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED: {
      const auto& a = e.workflow_execution_update_admitted_event_attributes();
      admitted_updates_[a.request().meta().update_id()] = a.request();
      return;
    }
    default:
      break;
  }
  if (const int64_t initial = initial_event_id(e); initial != 0) {
    auto it = by_event_.find(initial);
    // No machine: the operation was abandoned or already resolved (its machine is gone).
    if (it != by_event_.end()) it->second->on_event(e, jobs);
  }
  // Everything else is task bookkeeping or closes the run from outside (terminated, timed out).
}

void WorkflowMachines::handle_command_event(const HistoryEvent& e, Jobs& jobs) {
  const std::string unsupported = unsupported_feature(e.event_type());
  if (!unsupported.empty()) {
    throw NondeterminismError("history has " + describe_event(e) + ", written by workflow code that uses " +
                              unsupported + ", which this worker does not support yet");
  }
  if (queue_.empty() || !queue_.front().sent) {
    throw NondeterminismError("history has " + describe_event(e) +
                              " but the workflow code produced no command for it; did the code change?");
  }
  Queued front = std::move(queue_.front());
  if (!front.machine->records(front.command, e)) {
    throw NondeterminismError("workflow code produced " + apienums::CommandType_Name(front.command.command_type()) +
                              " for " + front.machine->describe() + " but history has " + describe_event(e) +
                              "; did the code change?");
  }
  queue_.pop_front();
  front.machine->on_recorded(front.command, e, jobs);
}

void WorkflowMachines::add_update(const apiupdate::Request& request, const std::string& message_id,
                                  int64_t sequencing_event_id, bool replaying, Jobs& jobs) {
  const std::string& id = request.meta().update_id();
  if (updates_.count(id)) return;  // delivered again (a retried request): it is being handled
  auto machine = std::make_unique<UpdateMachine>(*this, request, message_id, sequencing_event_id);
  updates_[id] = static_cast<UpdateMachine*>(adopt(std::move(machine)));
  jobs.push_back(wfd::job::Update{id, request.input().name(),
                                  converter::decode_from(*context_.data_converter, request.input().args()), replaying});
}

Machine* WorkflowMachines::adopt(std::unique_ptr<Machine> m) {
  Machine* raw = m.get();
  machines_.emplace(raw, std::move(m));
  return raw;
}

Machine* WorkflowMachines::by_seq(Seq seq) const {
  auto it = by_seq_.find(seq);
  return it == by_seq_.end() ? nullptr : it->second;
}

void WorkflowMachines::apply_command(wfd::Command& command) {
  auto update = [&](const std::string& id) -> UpdateMachine& {
    auto it = updates_.find(id);
    if (it == updates_.end()) throw TemporalError("internal error: no update '" + id + "' in progress");
    return *it->second;
  };
  std::visit(
      [&](auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, wfd::cmd::StartTimer>) {
          by_seq_[c.seq] = adopt(std::make_unique<TimerMachine>(*this, c));
        } else if constexpr (std::is_same_v<C, wfd::cmd::ScheduleActivity>) {
          by_seq_[c.seq] = adopt(std::make_unique<ActivityMachine>(*this, c));
        } else if constexpr (std::is_same_v<C, wfd::cmd::SignalExternal>) {
          by_seq_[c.seq] = adopt(std::make_unique<SignalExternalMachine>(*this, c));
        } else if constexpr (std::is_same_v<C, wfd::cmd::RequestCancelExternal>) {
          by_seq_[c.seq] = adopt(std::make_unique<CancelExternalMachine>(*this, c));
        } else if constexpr (std::is_same_v<C, wfd::cmd::CancelTimer> ||
                             std::is_same_v<C, wfd::cmd::RequestCancelActivity>) {
          if (Machine* m = by_seq(c.seq)) m->cancel();  // none: already resolved, nothing to cancel
        } else if constexpr (std::is_same_v<C, wfd::cmd::CompleteWorkflow> || std::is_same_v<C, wfd::cmd::FailWorkflow> ||
                             std::is_same_v<C, wfd::cmd::CancelWorkflow> || std::is_same_v<C, wfd::cmd::ContinueAsNew>) {
          adopt(std::make_unique<CloseMachine>(*this, c));
        } else if constexpr (std::is_same_v<C, wfd::cmd::AcceptUpdate>) {
          update(c.id).accept();
        } else if constexpr (std::is_same_v<C, wfd::cmd::RejectUpdate>) {
          update(c.id).reject(c.failure);
        } else if constexpr (std::is_same_v<C, wfd::cmd::CompleteUpdate>) {
          update(c.id).complete(c.result, c.failure);
        } else {
          static_assert(sizeof(C) == 0, "a command kind without a machine");
        }
      },
      command);
}

void WorkflowMachines::queue(Machine* m, apicommand::Command command, std::optional<apiprotocol::Message> message,
                             bool recorded) {
  queue_.push_back(Queued{std::move(command), std::move(message), m, recorded});
}

bool WorkflowMachines::withdraw_unsent(Machine* m) {
  const size_t before = queue_.size();
  std::erase_if(queue_, [m](const Queued& q) { return q.machine == m && !q.sent; });
  return queue_.size() != before;
}

void WorkflowMachines::route(int64_t event_id, Machine* m) { by_event_[event_id] = m; }

TaskOutput WorkflowMachines::take_unsent() {
  TaskOutput out;
  for (auto& q : queue_) {
    if (q.sent) continue;
    q.sent = true;
    out.commands.push_back(q.command);
    if (q.message) out.messages.push_back(*q.message);
  }
  // What history never records leaves the queue once it went out.
  std::erase_if(queue_, [](const Queued& q) { return !q.recorded; });
  return out;
}

void WorkflowMachines::sweep() {
  std::vector<const Machine*> done;
  for (const auto& [m, owned] : machines_) {
    if (!owned->final()) continue;
    const bool queued = std::any_of(queue_.begin(), queue_.end(), [m = m](const Queued& q) { return q.machine == m; });
    if (!queued) done.push_back(m);
  }
  if (done.empty()) return;
  auto retired = [&](const Machine* m) { return std::find(done.begin(), done.end(), m) != done.end(); };
  std::erase_if(by_seq_, [&](const auto& e) { return retired(e.second); });
  std::erase_if(by_event_, [&](const auto& e) { return retired(e.second); });
  std::erase_if(updates_, [&](const auto& e) { return retired(e.second); });
  for (const auto* m : done) machines_.erase(m);
}

void WorkflowMachines::require_all_commands_recorded() const {
  for (const auto& q : queue_) {
    throw NondeterminismError("workflow code produced " + apienums::CommandType_Name(q.command.command_type()) + " for " +
                              q.machine->describe() +
                              " but the history ends without a matching event; did the code change?");
  }
}

}  // namespace temporal::worker::detail
