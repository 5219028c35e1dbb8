#include "workflow/instance.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "client/client_core.h"

namespace temporal::workflow::detail {

namespace apienums = ::temporal::api::enums::v1;
namespace apicommon = ::temporal::api::common::v1;
using converter::Payload;
using converter::Payloads;

namespace {
thread_local Instance* g_current = nullptr;

std::optional<std::chrono::milliseconds> from_duration(const google::protobuf::Duration& d) {
  if (d.seconds() == 0 && d.nanos() == 0) return std::nullopt;
  return converter::from_proto_duration(d);
}

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
    case apienums::EVENT_TYPE_MARKER_RECORDED:
    case apienums::EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
    case apienums::EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
    case apienums::EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
      return true;
    default:
      return false;
  }
}

std::string describe_command(const apicommand::Command& c) {
  std::string s = apienums::CommandType_Name(c.command_type());
  switch (c.command_type()) {
    case apienums::COMMAND_TYPE_START_TIMER:
      return s + " (timer id " + c.start_timer_command_attributes().timer_id() + ")";
    case apienums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK:
      return s + " (activity '" + c.schedule_activity_task_command_attributes().activity_type().name() + "', id " +
             c.schedule_activity_task_command_attributes().activity_id() + ")";
    case apienums::COMMAND_TYPE_CANCEL_TIMER:
      return s + " (timer id " + c.cancel_timer_command_attributes().timer_id() + ")";
    case apienums::COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION:
      return s + " (signal '" + c.signal_external_workflow_execution_command_attributes().signal_name() + "' to '" +
             c.signal_external_workflow_execution_command_attributes().execution().workflow_id() + "')";
    default:
      return s;
  }
}

std::string describe_event(const apihistory::HistoryEvent& e) {
  std::string s = apienums::EventType_Name(e.event_type()) + " (event " + std::to_string(e.event_id());
  if (e.has_timer_started_event_attributes()) s += ", timer id " + e.timer_started_event_attributes().timer_id();
  if (e.has_activity_task_scheduled_event_attributes()) {
    s += ", activity '" + e.activity_task_scheduled_event_attributes().activity_type().name() + "', id " +
         e.activity_task_scheduled_event_attributes().activity_id();
  }
  return s + ")";
}

// Does the command event `e` record command `c`?
bool matches(const apihistory::HistoryEvent& e, const apicommand::Command& c) {
  switch (e.event_type()) {
    case apienums::EVENT_TYPE_TIMER_STARTED:
      return c.command_type() == apienums::COMMAND_TYPE_START_TIMER &&
             c.start_timer_command_attributes().timer_id() == e.timer_started_event_attributes().timer_id();
    case apienums::EVENT_TYPE_TIMER_CANCELED:
      return c.command_type() == apienums::COMMAND_TYPE_CANCEL_TIMER &&
             c.cancel_timer_command_attributes().timer_id() == e.timer_canceled_event_attributes().timer_id();
    case apienums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
      const auto& a = e.activity_task_scheduled_event_attributes();
      return c.command_type() == apienums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK &&
             c.schedule_activity_task_command_attributes().activity_id() == a.activity_id() &&
             c.schedule_activity_task_command_attributes().activity_type().name() == a.activity_type().name();
    }
    case apienums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED:
      return c.command_type() == apienums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK &&
             c.request_cancel_activity_task_command_attributes().scheduled_event_id() ==
                 e.activity_task_cancel_requested_event_attributes().scheduled_event_id();
    case apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: {
      const auto& a = e.signal_external_workflow_execution_initiated_event_attributes();
      const auto& ca = c.signal_external_workflow_execution_command_attributes();
      return c.command_type() == apienums::COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION &&
             ca.execution().workflow_id() == a.workflow_execution().workflow_id() && ca.signal_name() == a.signal_name();
    }
    case apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
      return c.command_type() == apienums::COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION &&
             c.request_cancel_external_workflow_execution_command_attributes().workflow_id() ==
                 e.request_cancel_external_workflow_execution_initiated_event_attributes().workflow_execution().workflow_id();
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
      return c.command_type() == apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION;
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      return c.command_type() == apienums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION;
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
      return c.command_type() == apienums::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION;
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
      return c.command_type() == apienums::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION;
    default:
      return false;
  }
}

Workflow<void> drive_update(Instance* self, UpdateHandler handler, Payloads args, apiupdate::Request request,
                            std::function<void(apiupdate::Response)> done) {
  apiupdate::Response response;
  *response.mutable_meta() = request.meta();
  try {
    Workflow<Payload> body = handler(std::move(args));
    Payload result = co_await std::move(body);
    Payloads one;
    one.push_back(std::move(result));
    converter::encode_to(self->data_converter(), std::move(one), response.mutable_outcome()->mutable_success());
  } catch (...) {
    converter::failure_to_proto(self->data_converter(), std::current_exception(),
                                response.mutable_outcome()->mutable_failure());
  }
  done(std::move(response));
}

}  // namespace

Instance* current() { return g_current; }

Instance& require_current(const char* what) {
  if (!g_current) throw std::logic_error(std::string("temporal::workflow::") + what + " called outside workflow code");
  return *g_current;
}

void run_later(std::coroutine_handle<> h) {
  auto& inst = require_current("scheduler");
  inst.schedule(h, inst.detached_depth > 0);  // stays in the scope it was started from
}

CurrentInstanceScope::CurrentInstanceScope(Instance* i) : previous(g_current) { g_current = i; }
CurrentInstanceScope::~CurrentInstanceScope() { g_current = previous; }

Instance::Instance(const worker::WorkflowFactory* factory, const converter::DataConverter* dc,
                   std::string namespace_name, std::string task_queue)
    : factory_(factory), dc_(dc) {
  info_.namespace_name = std::move(namespace_name);
  info_.task_queue = std::move(task_queue);
}

Instance::~Instance() {
  // Destroy coroutine frames while this instance is still the current one: destructors of
  // locals in workflow code may consult it. They must not suspend or emit commands.
  CurrentInstanceScope scope(this);
  read_only_ = true;
  tearing_down_ = true;
  owned_.clear();
  main_.reset();
}

TaskOutput Instance::process(const std::vector<const apihistory::HistoryEvent*>& events, int64_t current_started_event_id,
                             const std::vector<apiprotocol::Message>& messages) {
  current_started_ = current_started_event_id;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& e = *events[i];
    if (e.event_id() <= last_event_id_) continue;
    if (last_event_id_ != 0 && e.event_id() != last_event_id_ + 1) {
      throw NondeterminismError("history is not contiguous: event " + std::to_string(e.event_id()) + " follows " +
                                std::to_string(last_event_id_));
    }
    last_event_id_ = e.event_id();
    if (e.event_type() != apienums::EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      on_event(e);
      continue;
    }
    // A task that then failed or timed out ran no code the server kept.
    if (i + 1 < events.size() && (events[i + 1]->event_type() == apienums::EVENT_TYPE_WORKFLOW_TASK_FAILED ||
                                  events[i + 1]->event_type() == apienums::EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)) {
      continue;
    }
    now_ = converter::from_proto_time(e.event_time());
    replaying_ = e.event_id() < current_started_;
    ++batch_;
    // Protocol messages of earlier tasks are recorded as update events, which are not matched.
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [&](const Outgoing& o) { return o.message.has_value() && o.batch < batch_; }),
                   pending_.end());
    // Every command of an earlier task must have been matched by its event by now.
    for (const auto& o : pending_) {
      if (o.batch < batch_) {
        throw NondeterminismError("workflow code produced " + describe_command(o.command) +
                                  " but the history has no matching event before " + describe_event(e));
      }
    }
    in_run_ = true;
    struct RunFlag {
      bool* flag;
      ~RunFlag() { *flag = false; }
    } run_flag{&in_run_};
    if (replaying_) {
      // Updates accepted in this task appear after it in history: deliver them before the code
      // runs, as they were the first time.
      for (size_t j = i + 1; j < events.size(); ++j) {
        const auto& n = *events[j];
        if (n.event_type() == apienums::EVENT_TYPE_WORKFLOW_TASK_STARTED) break;
        if (n.event_type() == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
          const auto& a = n.workflow_execution_update_accepted_event_attributes();
          handle_update_request(a.accepted_request(), a.accepted_request_message_id(),
                                a.accepted_request_sequencing_event_id(), true);
        }
      }
    } else {
      for (const auto& m : messages) {
        apiupdate::Request req;
        if (m.body().UnpackTo(&req)) handle_update_request(req, m.id(), m.event_id(), false);
      }
    }
    run_code();
    reject_unhandled_updates();
  }
  // What is new since the last answer goes out now; it stays pending until its events arrive.
  TaskOutput out;
  for (auto& o : pending_) {
    if (o.sent) continue;
    o.sent = true;
    if (o.waiter) o.waiter->command_sent = true;
    out.commands.push_back(o.command);
    if (o.message) out.messages.push_back(*o.message);
  }
  return out;
}

void Instance::require_all_commands_matched() const {
  for (const auto& o : pending_) {
    if (o.message) continue;  // update protocol messages are recorded as update events
    throw NondeterminismError("workflow code produced " + describe_command(o.command) +
                              " but the history ends without a matching event; did the code change?");
  }
}

void Instance::on_event(const apihistory::HistoryEvent& e) {
  if (is_command_event(e.event_type())) {
    match_command_event(e);
    return;
  }
  switch (e.event_type()) {
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      start_main(e);
      break;
    case apienums::EVENT_TYPE_TIMER_FIRED: {
      auto it = timers_.find(e.timer_fired_event_attributes().timer_id());
      if (it != timers_.end() && !it->second->done) {
        it->second->result = converter::to_payload(nullptr);
        resolve(it->second);
      }
      break;
    }
    case apienums::EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
      const auto& a = e.activity_task_completed_event_attributes();
      auto it = activities_.find(a.scheduled_event_id());
      if (it != activities_.end() && !it->second->done) {
        auto ps = converter::decode_from(*dc_, a.result());
        it->second->result = ps.empty() ? converter::to_payload(nullptr) : std::move(ps[0]);
        resolve(it->second);
      }
      break;
    }
    case apienums::EVENT_TYPE_ACTIVITY_TASK_FAILED:
    case apienums::EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
    case apienums::EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
      int64_t scheduled = 0, started = 0;
      std::shared_ptr<const FailureError> cause;
      RetryState rs = RetryState::kUnspecified;
      std::string identity, message;
      if (e.has_activity_task_failed_event_attributes()) {
        const auto& a = e.activity_task_failed_event_attributes();
        scheduled = a.scheduled_event_id();
        started = a.started_event_id();
        identity = a.identity();
        rs = static_cast<RetryState>(a.retry_state());
        cause = converter::failure_from_proto(*dc_, a.failure());
        message = "activity task failed";
      } else if (e.has_activity_task_timed_out_event_attributes()) {
        const auto& a = e.activity_task_timed_out_event_attributes();
        scheduled = a.scheduled_event_id();
        started = a.started_event_id();
        rs = static_cast<RetryState>(a.retry_state());
        cause = converter::failure_from_proto(*dc_, a.failure());
        message = "activity task timed out";
      } else {
        const auto& a = e.activity_task_canceled_event_attributes();
        scheduled = a.scheduled_event_id();
        started = a.started_event_id();
        identity = a.identity();
        rs = RetryState::kCancelRequested;
        cause = std::make_shared<CanceledFailure>("activity canceled", converter::decode_from(*dc_, a.details()));
        message = "activity task canceled";
      }
      auto it = activities_.find(scheduled);
      if (it != activities_.end() && !it->second->done) {
        auto& w = it->second;
        ActivityFailure::Info info{w->activity_type, w->id, identity, rs, scheduled, started};
        w->error = std::make_exception_ptr(ActivityFailure(message, info, {}, cause));
        resolve(w);
      }
      break;
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
      const auto& a = e.workflow_execution_signaled_event_attributes();
      deliver_signal(a.signal_name(), converter::decode_from(*dc_, a.input()));
      break;
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
      if (!cancel_requested_) {
        cancel_requested_ = true;
        cancel_all();
      }
      break;
    case apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED: {
      auto it = externals_.find(e.external_workflow_execution_signaled_event_attributes().initiated_event_id());
      if (it != externals_.end() && !it->second->done) resolve(it->second);
      break;
    }
    case apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED: {
      auto it = externals_.find(e.external_workflow_execution_cancel_requested_event_attributes().initiated_event_id());
      if (it != externals_.end() && !it->second->done) resolve(it->second);
      break;
    }
    case apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED:
    case apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED: {
      const bool signal = e.has_signal_external_workflow_execution_failed_event_attributes();
      int64_t initiated = signal ? e.signal_external_workflow_execution_failed_event_attributes().initiated_event_id()
                                 : e.request_cancel_external_workflow_execution_failed_event_attributes().initiated_event_id();
      std::string wid = signal ? e.signal_external_workflow_execution_failed_event_attributes().workflow_execution().workflow_id()
                               : e.request_cancel_external_workflow_execution_failed_event_attributes().workflow_execution().workflow_id();
      auto it = externals_.find(initiated);
      if (it != externals_.end() && !it->second->done) {
        it->second->error = std::make_exception_ptr(ApplicationFailure(
            std::string(signal ? "signal to" : "cancel of") + " external workflow '" + wid +
                "' failed: the workflow was not found",
            ApplicationFailure::Info{.type = "ExternalWorkflowExecutionNotFound", .non_retryable = true}));
        resolve(it->second);
      }
      break;
    }
    default:
      break;  // task bookkeeping, update events (handled by lookahead), and events we do not act on
  }
}

void Instance::match_command_event(const apihistory::HistoryEvent& e) {
  while (!pending_.empty() && pending_.front().message) pending_.pop_front();
  if (pending_.empty()) {
    throw NondeterminismError("history has " + describe_event(e) +
                              " but the workflow code produced no command for it; did the code change?");
  }
  Outgoing& front = pending_.front();
  if (!matches(e, front.command)) {
    throw NondeterminismError("workflow code produced " + describe_command(front.command) + " but history has " +
                              describe_event(e) + "; did the code change?");
  }
  if (front.waiter) {
    front.waiter->command_sent = true;
    if (e.event_type() == apienums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      front.waiter->event_id = e.event_id();
      activities_[e.event_id()] = front.waiter;
    } else if (e.event_type() == apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED ||
               e.event_type() == apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED) {
      front.waiter->event_id = e.event_id();
      externals_[e.event_id()] = front.waiter;
    }
  }
  pending_.pop_front();
}

void Instance::start_main(const apihistory::HistoryEvent& e) {
  const auto& a = e.workflow_execution_started_event_attributes();
  info_.workflow_type = a.workflow_type().name();
  info_.task_queue = a.task_queue().name();
  info_.attempt = a.attempt();
  info_.cron_schedule = a.cron_schedule();
  info_.first_execution_run_id = a.first_execution_run_id();
  info_.continued_from_run_id = a.continued_execution_run_id();
  info_.workflow_execution_timeout = from_duration(a.workflow_execution_timeout());
  info_.workflow_run_timeout = from_duration(a.workflow_run_timeout());
  info_.start_time = converter::from_proto_time(e.event_time());
  for (const auto& [k, v] : a.memo().fields()) info_.memo.emplace(k, converter::decode_one(*dc_, v));
  info_.search_attributes = client::detail::decode_search_attributes(a.search_attributes());
  for (const auto& [k, v] : a.header().fields()) info_.headers.emplace(k, converter::from_proto(v));
  if (a.has_parent_workflow_execution()) info_.parent_workflow_id = a.parent_workflow_execution().workflow_id();
  // The seed is derived from the run, so every replay draws the same numbers.
  const std::string seed_source = a.original_execution_run_id().empty() ? info_.run_id : a.original_execution_run_id();
  std::seed_seq seq(seed_source.begin(), seed_source.end());
  rng_.seed(seq);
  input_ = converter::decode_from(*dc_, a.input());
  now_ = info_.start_time;
}

void Instance::run_code() {
  CurrentInstanceScope scope(this);
  if (!main_started_ && factory_) {
    main_started_ = true;
    main_.emplace((*factory_)(input_));
    schedule(main_->handle());
  }
  run_until_blocked();
  if (main_ && main_->done() && !completed_) finish_main();
}

void Instance::run_until_blocked() {
  for (;;) {
    while (!ready_.empty()) {
      auto [h, detached] = ready_.front();
      ready_.pop_front();
      detached_depth = detached ? 1 : 0;
      h.resume();
      detached_depth = 0;
    }
    bool progressed = false;
    for (auto& c : conditions_) {
      if (c->done || !c->predicate) continue;
      if (c->timeout_timer && c->timeout_timer->done && !c->timeout_timer->error) {
        c->result = converter::to_payload(false);
        resolve(c);
        progressed = true;
      } else if (c->predicate()) {
        c->result = converter::to_payload(true);
        resolve(c);
        progressed = true;
      }
    }
    conditions_.erase(std::remove_if(conditions_.begin(), conditions_.end(), [](auto& c) { return c->done; }),
                      conditions_.end());
    if (!progressed) break;
  }
}

void Instance::finish_main() {
  completed_ = true;
  apicommand::Command c;
  auto& r = main_->handle().promise().result;
  if (r.index() == 1) {
    c.set_command_type(apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION);
    Payloads one;
    one.push_back(std::get<1>(r));
    converter::encode_to(*dc_, std::move(one), c.mutable_complete_workflow_execution_command_attributes()->mutable_result());
    emit(std::move(c));
    return;
  }
  std::exception_ptr error = std::get<2>(r);
  try {
    std::rethrow_exception(error);
  } catch (const ContinueAsNewRequest& can) {
    c.set_command_type(apienums::COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION);
    auto* a = c.mutable_continue_as_new_workflow_execution_command_attributes();
    a->mutable_workflow_type()->set_name(can.options.workflow_type.empty() ? info_.workflow_type : can.options.workflow_type);
    a->mutable_task_queue()->set_name(can.options.task_queue.empty() ? info_.task_queue : can.options.task_queue);
    a->mutable_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_NORMAL);
    if (!can.args.empty()) converter::encode_to(*dc_, can.args, a->mutable_input());
    if (can.options.workflow_run_timeout) converter::to_proto_duration(*can.options.workflow_run_timeout, a->mutable_workflow_run_timeout());
    if (can.options.workflow_task_timeout) {
      converter::to_proto_duration(*can.options.workflow_task_timeout, a->mutable_workflow_task_timeout());
    }
    for (const auto& [k, v] : can.options.memo) (*a->mutable_memo()->mutable_fields())[k] = converter::encode_one(*dc_, v);
    emit(std::move(c));
  } catch (const CanceledFailure& cf) {
    if (cancel_requested_) {
      c.set_command_type(apienums::COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION);
      c.mutable_cancel_workflow_execution_command_attributes();  // required even when empty
      if (!cf.details().empty()) {
        converter::encode_to(*dc_, cf.details(), c.mutable_cancel_workflow_execution_command_attributes()->mutable_details());
      }
    } else {
      c.set_command_type(apienums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION);
      converter::failure_to_proto(*dc_, cf, c.mutable_fail_workflow_execution_command_attributes()->mutable_failure());
    }
    emit(std::move(c));
  } catch (const FailureError& fe) {
    c.set_command_type(apienums::COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION);
    converter::failure_to_proto(*dc_, fe, c.mutable_fail_workflow_execution_command_attributes()->mutable_failure());
    emit(std::move(c));
  } catch (...) {
    // Any other exception is a bug in the workflow code: fail the task (the server retries it,
    // so deploying a fix resumes the workflow) instead of failing the workflow.
    completed_ = false;
    main_.reset();
    throw;
  }
}

void Instance::resolve(const std::shared_ptr<Waiter>& w) {
  if (w->done) return;
  w->done = true;
  if (w->timeout_timer && !w->timeout_timer->done) cancel_waiter(w->timeout_timer);
  if (w->handle) schedule(w->handle, w->detached);
}

void Instance::emit(apicommand::Command c, std::shared_ptr<Waiter> w) {
  Outgoing o{std::move(c), std::nullopt, std::move(w)};
  o.batch = in_run_ ? batch_ : batch_ + 1;  // emitted between tasks: goes out with the next one
  pending_.push_back(std::move(o));
}

void Instance::emit_message(const std::string& update_id, const std::string& suffix,
                            const google::protobuf::Message& body) {
  apiprotocol::Message m;
  m.set_id(update_id + suffix);
  m.set_protocol_instance_id(update_id);
  m.mutable_body()->PackFrom(body);
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_PROTOCOL_MESSAGE);
  c.mutable_protocol_message_command_attributes()->set_message_id(m.id());
  Outgoing o{std::move(c), std::move(m), nullptr};
  o.batch = in_run_ ? batch_ : batch_ + 1;
  pending_.push_back(std::move(o));
}

void Instance::require_writable(const char* what) const {
  if (read_only_) {
    throw std::logic_error(std::string("temporal::workflow::") + what +
                           " called from a query handler or update validator, which must not change workflow state");
  }
}

std::shared_ptr<Waiter> Instance::start_timer(std::chrono::milliseconds d) {
  require_writable("sleep");
  auto w = std::make_shared<Waiter>();
  w->kind = Waiter::Kind::kTimer;
  w->id = next_seq();
  w->detached = detached_depth > 0;
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_START_TIMER);
  c.mutable_start_timer_command_attributes()->set_timer_id(w->id);
  converter::to_proto_duration(d, c.mutable_start_timer_command_attributes()->mutable_start_to_fire_timeout());
  timers_[w->id] = w;
  all_waiters_.push_back(w);
  emit(std::move(c), w);
  if (cancel_requested_ && !w->detached) cancel_waiter(w);
  return w;
}

std::shared_ptr<Waiter> Instance::start_activity(const std::string& type, const workflow::ActivityOptions& o,
                                                 const Payloads& args) {
  require_writable("execute_activity");
  if (!o.start_to_close_timeout && !o.schedule_to_close_timeout) {
    throw InvalidArgumentError("start_to_close_timeout",
                               "activity '" + type + "' needs start_to_close_timeout or schedule_to_close_timeout");
  }
  auto w = std::make_shared<Waiter>();
  w->kind = Waiter::Kind::kActivity;
  const std::string seq = next_seq();
  w->id = o.activity_id.empty() ? seq : o.activity_id;
  w->activity_type = type;
  w->cancellation_type = o.cancellation_type;
  w->detached = detached_depth > 0;
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK);
  auto* a = c.mutable_schedule_activity_task_command_attributes();
  a->set_activity_id(w->id);
  a->mutable_activity_type()->set_name(type);
  a->mutable_task_queue()->set_name(o.task_queue.empty() ? info_.task_queue : o.task_queue);
  a->mutable_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_NORMAL);
  if (!args.empty()) converter::encode_to(*dc_, args, a->mutable_input());
  for (const auto& [k, v] : o.headers) (*a->mutable_header()->mutable_fields())[k] = converter::to_proto(v);
  if (o.start_to_close_timeout) converter::to_proto_duration(*o.start_to_close_timeout, a->mutable_start_to_close_timeout());
  if (o.schedule_to_close_timeout) converter::to_proto_duration(*o.schedule_to_close_timeout, a->mutable_schedule_to_close_timeout());
  if (o.schedule_to_start_timeout) converter::to_proto_duration(*o.schedule_to_start_timeout, a->mutable_schedule_to_start_timeout());
  if (o.heartbeat_timeout) converter::to_proto_duration(*o.heartbeat_timeout, a->mutable_heartbeat_timeout());
  if (o.retry_policy) client::detail::to_proto_retry_policy(*o.retry_policy, a->mutable_retry_policy());
  all_waiters_.push_back(w);
  emit(std::move(c), w);
  if (cancel_requested_ && !w->detached) cancel_waiter(w);
  return w;
}

std::shared_ptr<Waiter> Instance::add_condition(std::function<bool()> predicate,
                                                std::optional<std::chrono::milliseconds> timeout) {
  auto w = std::make_shared<Waiter>();
  w->kind = Waiter::Kind::kCondition;
  w->predicate = std::move(predicate);
  w->detached = detached_depth > 0;
  if (timeout) w->timeout_timer = start_timer(*timeout);
  conditions_.push_back(w);
  all_waiters_.push_back(w);
  return w;
}

std::shared_ptr<Waiter> Instance::signal_external(const std::string& workflow_id, const std::string& run_id,
                                                  const std::string& signal, const Payloads& args) {
  require_writable("ExternalWorkflowHandle::signal");
  auto w = std::make_shared<Waiter>();
  w->kind = Waiter::Kind::kSignalExternal;
  w->detached = true;  // a signal already sent cannot be taken back
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION);
  auto* a = c.mutable_signal_external_workflow_execution_command_attributes();
  a->set_namespace_(info_.namespace_name);
  a->mutable_execution()->set_workflow_id(workflow_id);
  a->mutable_execution()->set_run_id(run_id);
  a->set_signal_name(signal);
  if (!args.empty()) converter::encode_to(*dc_, args, a->mutable_input());
  a->set_control(next_seq());
  all_waiters_.push_back(w);
  emit(std::move(c), w);
  return w;
}

std::shared_ptr<Waiter> Instance::cancel_external(const std::string& workflow_id, const std::string& run_id) {
  require_writable("ExternalWorkflowHandle::cancel");
  auto w = std::make_shared<Waiter>();
  w->kind = Waiter::Kind::kCancelExternal;
  w->detached = true;
  apicommand::Command c;
  c.set_command_type(apienums::COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION);
  auto* a = c.mutable_request_cancel_external_workflow_execution_command_attributes();
  a->set_namespace_(info_.namespace_name);
  a->set_workflow_id(workflow_id);
  a->set_run_id(run_id);
  a->set_control(next_seq());
  all_waiters_.push_back(w);
  emit(std::move(c), w);
  return w;
}

void Instance::cancel_all() {
  CurrentInstanceScope scope(this);
  auto waiters = all_waiters_;
  for (auto& w : waiters) {
    if (!w->done && !w->detached) cancel_waiter(w);
  }
}

void Instance::cancel_waiter(const std::shared_ptr<Waiter>& w) {
  if (w->done || w->cancel_requested) return;
  w->cancel_requested = true;
  // A command produced in this same activation and not yet sent is simply withdrawn.
  auto withdraw = [&]() -> bool {
    if (w->command_sent) return false;
    auto same = [&](const Outgoing& o) { return o.waiter == w; };
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(), same), pending_.end());
    return true;
  };
  switch (w->kind) {
    case Waiter::Kind::kTimer: {
      if (!withdraw()) {
        apicommand::Command c;
        c.set_command_type(apienums::COMMAND_TYPE_CANCEL_TIMER);
        c.mutable_cancel_timer_command_attributes()->set_timer_id(w->id);
        emit(std::move(c));
      }
      w->error = std::make_exception_ptr(CanceledFailure("timer canceled"));
      resolve(w);
      break;
    }
    case Waiter::Kind::kActivity: {
      const bool withdrawn = withdraw();
      if (!withdrawn && w->cancellation_type != workflow::ActivityCancellationType::kAbandon) {
        apicommand::Command c;
        c.set_command_type(apienums::COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK);
        c.mutable_request_cancel_activity_task_command_attributes()->set_scheduled_event_id(w->event_id);
        emit(std::move(c));
      }
      if (withdrawn || w->cancellation_type != workflow::ActivityCancellationType::kWaitCancellationCompleted) {
        ActivityFailure::Info info{w->activity_type, w->id, {}, RetryState::kCancelRequested, w->event_id, 0};
        w->error = std::make_exception_ptr(
            ActivityFailure("activity canceled", info, {}, std::make_shared<CanceledFailure>("activity canceled")));
        resolve(w);
      }
      break;
    }
    case Waiter::Kind::kCondition:
      w->error = std::make_exception_ptr(CanceledFailure("workflow canceled while waiting for a condition"));
      resolve(w);
      break;
    default:
      break;
  }
}

void Instance::deliver_signal(const std::string& name, Payloads args) {
  auto it = signal_handlers_.find(name);
  if (it == signal_handlers_.end()) {
    signal_buffer_[name].push_back(std::move(args));
    return;
  }
  CurrentInstanceScope scope(this);
  it->second(args);
}

void Instance::set_signal_handler(std::string name, std::function<void(const Payloads&)> h) {
  if (tearing_down_) return;  // from a destructor while the run is evicted: nothing to register
  require_writable("set_signal_handler");
  signal_handlers_[name] = h;
  auto buffered = signal_buffer_.find(name);
  if (buffered == signal_buffer_.end()) return;
  auto queue = std::move(buffered->second);
  signal_buffer_.erase(buffered);
  for (auto& args : queue) h(args);
}

void Instance::set_query_handler(std::string name, std::function<Payload(const Payloads&)> h) {
  if (tearing_down_) return;  // from a destructor while the run is evicted: nothing to register
  require_writable("set_query_handler");
  query_handlers_[std::move(name)] = std::move(h);
}

void Instance::set_update_handler(std::string name, UpdateHandler h, UpdateValidator v) {
  if (tearing_down_) return;  // from a destructor while the run is evicted: nothing to register
  require_writable("set_update_handler");
  update_handlers_[name] = UpdateEntry{std::move(h), std::move(v)};
  // Updates that arrived before their handler (for example with update-with-start, before the
  // workflow's first line ran) are delivered now, in arrival order.
  std::vector<BufferedUpdate> ready;
  for (auto it = buffered_updates_.begin(); it != buffered_updates_.end();) {
    if (it->request.input().name() == name) {
      ready.push_back(std::move(*it));
      it = buffered_updates_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& u : ready) handle_update_request(u.request, u.message_id, u.sequencing_event_id, u.replay);
}

void Instance::reject_unhandled_updates() {
  auto unhandled = std::move(buffered_updates_);
  buffered_updates_.clear();
  for (auto& u : unhandled) {
    if (u.replay) {
      throw NondeterminismError("update '" + u.request.input().name() + "' (id " + u.request.meta().update_id() +
                                ") was accepted in history but the workflow code registered no handler for it; "
                                "did the code change?");
    }
    std::string known;
    for (const auto& [k, _] : update_handlers_) known += (known.empty() ? "" : ", ") + k;
    reject_update(u.request, u.message_id, u.sequencing_event_id,
                  std::make_exception_ptr(ApplicationFailure(
                      "unknown update name '" + u.request.input().name() + "'; this workflow handles: [" + known + "]",
                      ApplicationFailure::Info{.type = "UnknownUpdate", .non_retryable = true})));
  }
}

void Instance::reject_update(const apiupdate::Request& req, const std::string& message_id, int64_t sequencing_event_id,
                             std::exception_ptr error) {
  apiupdate::Rejection r;
  r.set_rejected_request_message_id(message_id);
  r.set_rejected_request_sequencing_event_id(sequencing_event_id);
  *r.mutable_rejected_request() = req;
  converter::failure_to_proto(*dc_, error, r.mutable_failure());
  emit_message(req.meta().update_id(), "/reject", r);
}

Payload Instance::query(const std::string& name, const Payloads& args) {
  CurrentInstanceScope scope(this);
  auto it = query_handlers_.find(name);
  if (it == query_handlers_.end()) {
    std::string known;
    for (const auto& [k, _] : query_handlers_) known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument("unknown query type '" + name + "'; this workflow handles: [" + known + "]");
  }
  // Read-only: no commands, no handler changes, and randomness drawn here is given back, so a
  // query on a cached run cannot make its later values differ from a replay's.
  read_only_ = true;
  struct Restore {
    Instance* self;
    std::mt19937_64 rng;
    ~Restore() {
      self->read_only_ = false;
      self->rng_ = rng;
    }
  } restore{this, rng_};
  return it->second(args);
}

void Instance::handle_update_request(const apiupdate::Request& req, const std::string& message_id,
                                     int64_t sequencing_event_id, bool replay) {
  CurrentInstanceScope scope(this);
  const std::string& update_id = req.meta().update_id();
  const std::string& name = req.input().name();
  auto it = update_handlers_.find(name);
  if (it == update_handlers_.end()) {
    // No handler yet: kept until one is registered or the code of this task has run.
    buffered_updates_.push_back(BufferedUpdate{req, message_id, sequencing_event_id, replay});
    return;
  }
  Payloads args = converter::decode_from(*dc_, req.input().args());
  if (!replay && it->second.validator) {
    read_only_ = true;
    const auto rng = rng_;  // like queries: randomness drawn by a validator is given back
    std::exception_ptr rejected;
    try {
      it->second.validator(args);
    } catch (...) {
      rejected = std::current_exception();
    }
    read_only_ = false;
    rng_ = rng;
    if (rejected) {
      reject_update(req, message_id, sequencing_event_id, rejected);
      return;
    }
  }
  apiupdate::Acceptance acc;
  acc.set_accepted_request_message_id(message_id);
  acc.set_accepted_request_sequencing_event_id(sequencing_event_id);
  *acc.mutable_accepted_request() = req;
  emit_message(update_id, "/accept", acc);
  auto done = [this, update_id](apiupdate::Response response) { emit_message(update_id, "/complete", response); };
  auto driver = std::make_shared<Workflow<void>>(drive_update(this, it->second.handler, std::move(args), req, done));
  schedule(driver->handle());
  own(driver);
}

}  // namespace temporal::workflow::detail
