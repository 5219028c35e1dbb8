#include "workflow/instance.h"

#include <algorithm>

namespace temporal::workflow::detail {

using converter::Payload;
using converter::Payloads;

namespace {
thread_local Instance* g_current = nullptr;

std::string names_of(const auto& registry) {
  std::string known;
  for (const auto& [k, _] : registry) known += (known.empty() ? "" : ", ") + k;
  return known;
}

// Runs an update handler's coroutine and reports its outcome: a result, or a Temporal failure
// (which fails the update). Any other exception is a bug in the handler: `bug` fails the workflow
// task, as for the main coroutine, so that a fixed worker can retry it.
Workflow<void> drive_update(Workflow<Payload> body, std::function<void(std::optional<Payload>, std::exception_ptr)> done,
                            std::function<void(std::exception_ptr)> bug) {
  std::optional<Payload> result;
  std::exception_ptr failure;
  try {
    result = co_await body;
  } catch (const FailureError&) {
    failure = std::current_exception();
  } catch (...) {
    bug(std::current_exception());
    co_return;
  }
  done(std::move(result), failure);
}
}  // namespace

Instance* current() { return g_current; }

Instance& require_current(const char* what) {
  if (!g_current) throw UsageError(std::string("temporal::workflow::") + what + " called outside workflow code");
  return *g_current;
}

void run_later(std::coroutine_handle<> h) {
  auto& inst = require_current("scheduler");
  inst.schedule(h, inst.detached_depth > 0);  // stays in the scope it was started from
}

void keep_with_run(std::shared_ptr<void> object) { require_current("WorkflowClass").keep_with_run(std::move(object)); }

CurrentInstanceScope::CurrentInstanceScope(Instance* i) : previous(g_current) { g_current = i; }
CurrentInstanceScope::~CurrentInstanceScope() { g_current = previous; }

Instance::Instance(const WorkflowDefinition* definition, Logger logger)
    : definition_(definition), logger_(std::move(logger)) {}

Instance::~Instance() {
  // Coroutine frames go first, while this instance is still current (destructors of locals in
  // workflow code may consult it; they must not suspend or emit commands), then the objects the
  // definition keeps (a class workflow's object, which the frames referred to).
  CurrentInstanceScope scope(this);
  read_only_ = true;
  tearing_down_ = true;
  updates_in_flight_.clear();
  main_.reset();
  ops_.clear();
  conditions_.clear();
  kept_.clear();
}

void Instance::log(LogLevel level, const std::string& message) const {
  if (logger_) logger_(level, "[workflow " + info_.workflow_type + " " + info_.workflow_id + "] " + message);
}

std::vector<Command> Instance::activate(Activation activation) {
  CurrentInstanceScope scope(this);
  ++activation_;
  commands_.clear();
  now_ = activation.now;
  replaying_ = activation.replaying;
  for (auto& j : activation.jobs) {
    std::visit([this](auto& job) { apply(job); }, j);
  }
  if (!completed_) {
    run_until_blocked();
    reject_unhandled_updates();
    if (main_ && main_->done()) finish_main();
  }
  return std::move(commands_);
}

// ---- jobs ---------------------------------------------------------------------------------------

void Instance::apply(job::Initialize& j) {
  info_ = std::move(j.info);
  std::seed_seq seq(j.randomness_seed.begin(), j.randomness_seed.end());
  rng_.seed(seq);
  now_ = info_.start_time;
  // The definition creates what the run owns and registers its handlers before any code runs.
  initializing_ = true;
  struct Done {
    bool* flag;
    ~Done() { *flag = false; }
  } done{&initializing_};
  main_.emplace(definition_->start(std::move(j.args)));
  schedule(main_->handle());
}

void Instance::apply(job::FireTimer& j) {
  auto op = take_op(j.seq);
  if (!op) return;  // cancelled by the code already
  op->result = converter::to_payload(nullptr);
  resolve(*op);
}

void Instance::apply(job::ResolveActivity& j) {
  auto op = take_op(j.seq);
  if (!op) return;  // cancelled (try-cancel, abandon): the code was told at once
  op->result = std::move(j.result);
  op->error = j.failure;
  resolve(*op);
}

void Instance::apply(job::ResolveExternal& j) {
  auto op = take_op(j.seq);
  if (!op) return;
  op->error = j.failure;
  resolve(*op);
}

void Instance::apply(job::Signal& j) {
  auto it = signal_handlers_.find(j.name);
  if (it == signal_handlers_.end()) {
    signal_buffer_[j.name].push_back(std::move(j.args));
    return;
  }
  deliver_signal(j.name, j.args, it->second.handler);
}

void Instance::apply(job::Update& j) {
  auto it = update_handlers_.find(j.name);
  if (it == update_handlers_.end()) {
    buffered_updates_.push_back(std::move(j));  // until its handler exists, or the code of this task has run
    return;
  }
  start_update(j, it->second.handler);
}

void Instance::apply(job::CancelWorkflow&) {
  if (cancel_requested_) return;
  cancel_requested_ = true;
  cancel_all();
}

// ---- the scheduler ------------------------------------------------------------------------------

void Instance::run_until_blocked() {
  for (;;) {
    while (!ready_.empty()) {
      auto [h, detached] = ready_.front();
      ready_.pop_front();
      detached_depth = detached ? 1 : 0;
      h.resume();
      detached_depth = 0;
      finished_updates_.clear();  // update drivers that reached their end during that step
      if (task_failure_) std::rethrow_exception(std::exchange(task_failure_, nullptr));
      // Once the main coroutine has returned the run is over: nothing else runs after it.
      if (main_ && main_->done()) {
        ready_.clear();
        return;
      }
    }
    bool progressed = false;
    // Conditions are checked in creation order; one that resolves may make another true.
    for (size_t i = 0; i < conditions_.size(); ++i) {
      auto c = conditions_[i];
      if (c->done) continue;
      if (c->timeout_timer && c->timeout_timer->done && !c->timeout_timer->error) {
        c->result = converter::to_payload(false);
        resolve(*c);
        progressed = true;
      } else if (c->predicate()) {
        c->result = converter::to_payload(true);
        if (c->timeout_timer) cancel_op(c->timeout_timer);
        resolve(*c);
        progressed = true;
      }
    }
    std::erase_if(conditions_, [](const auto& c) { return c->done; });
    if (!progressed) break;
  }
}

void Instance::finish_main() {
  completed_ = true;
  auto& r = main_->handle().promise().result;
  if (r.index() == 1) {
    emit(cmd::CompleteWorkflow{std::get<1>(r)});
  } else {
    std::exception_ptr error = std::get<2>(r);
    try {
      std::rethrow_exception(error);
    } catch (ContinueAsNewRequest& can) {
      emit(cmd::ContinueAsNew{std::move(can.options), std::move(can.args)});
    } catch (const CanceledFailure& cf) {
      if (cancel_requested_) {
        emit(cmd::CancelWorkflow{cf.details()});
      } else {
        emit(cmd::FailWorkflow{error});
      }
    } catch (const FailureError&) {
      emit(cmd::FailWorkflow{error});
    } catch (...) {
      // Any other exception is a bug in the workflow code: fail the task (the server retries it,
      // so deploying a fix resumes the workflow) instead of failing the workflow.
      completed_ = false;
      main_.reset();
      throw;
    }
  }
  retire_dynamic_handlers();
}

void Instance::retire_dynamic_handlers() {
  std::erase_if(signal_handlers_, [](const auto& e) { return e.second.dynamic; });
  std::erase_if(query_handlers_, [](const auto& e) { return e.second.dynamic; });
  std::erase_if(update_handlers_, [](const auto& e) { return e.second.dynamic; });
}

// ---- operations ---------------------------------------------------------------------------------

void Instance::resolve(PendingOp& op) {
  if (op.done) return;
  op.done = true;
  if (op.waiter) schedule(op.waiter, op.detached);
}

std::shared_ptr<PendingOp> Instance::take_op(Seq seq) {
  auto it = ops_.find(seq);
  if (it == ops_.end()) return nullptr;
  auto op = std::move(it->second);
  ops_.erase(it);
  return op;
}

void Instance::fail_op(const std::shared_ptr<PendingOp>& op, std::exception_ptr error) {
  op->error = std::move(error);
  ops_.erase(op->seq);
  resolve(*op);
}

void Instance::require_writable(const char* what) const {
  if (read_only_) {
    throw UsageError(std::string("temporal::workflow::") + what +
                           " called from a query handler or update validator, which must not change workflow state");
  }
}

std::shared_ptr<PendingOp> Instance::start_timer(std::chrono::milliseconds d) {
  require_writable("sleep");
  auto op = std::make_shared<PendingOp>();
  op->kind = PendingOp::Kind::kTimer;
  op->seq = next_seq();
  op->detached = detached_depth > 0;
  op->activation = activation_;
  ops_[op->seq] = op;
  emit(cmd::StartTimer{op->seq, d});
  if (in_cancelled_scope()) cancel_op(op);
  return op;
}

std::shared_ptr<PendingOp> Instance::start_activity(const std::string& type, const ActivityOptions& o, Payloads args) {
  require_writable("execute_activity");
  if (!o.start_to_close_timeout && !o.schedule_to_close_timeout) {
    throw InvalidArgumentError("start_to_close_timeout",
                               "activity '" + type + "' needs start_to_close_timeout or schedule_to_close_timeout");
  }
  auto op = std::make_shared<PendingOp>();
  op->kind = PendingOp::Kind::kActivity;
  op->seq = next_seq();
  op->activity_id = o.activity_id.empty() ? std::to_string(op->seq) : o.activity_id;
  op->activity_type = type;
  op->cancellation_type = o.cancellation_type;
  op->detached = detached_depth > 0;
  op->activation = activation_;
  ops_[op->seq] = op;
  emit(cmd::ScheduleActivity{op->seq, op->activity_id, type, o, std::move(args)});
  if (in_cancelled_scope()) cancel_op(op);
  return op;
}

std::shared_ptr<PendingOp> Instance::add_condition(std::function<bool()> predicate,
                                                   std::optional<std::chrono::milliseconds> timeout) {
  auto op = std::make_shared<PendingOp>();
  op->kind = PendingOp::Kind::kCondition;
  op->predicate = std::move(predicate);
  op->detached = detached_depth > 0;
  op->activation = activation_;
  if (in_cancelled_scope()) {
    op->error = std::make_exception_ptr(CanceledFailure("workflow canceled: condition not awaited"));
    resolve(*op);
    return op;
  }
  if (timeout) op->timeout_timer = start_timer(*timeout);
  conditions_.push_back(op);
  return op;
}

std::shared_ptr<PendingOp> Instance::signal_external(const std::string& workflow_id, const std::string& run_id,
                                                     const std::string& signal, Payloads args) {
  require_writable("ExternalWorkflowHandle::signal");
  auto op = std::make_shared<PendingOp>();
  op->kind = PendingOp::Kind::kExternal;
  op->seq = next_seq();
  op->detached = true;  // a signal already sent cannot be taken back
  op->activation = activation_;
  ops_[op->seq] = op;
  emit(cmd::SignalExternal{op->seq, workflow_id, run_id, signal, std::move(args)});
  return op;
}

std::shared_ptr<PendingOp> Instance::cancel_external(const std::string& workflow_id, const std::string& run_id) {
  require_writable("ExternalWorkflowHandle::cancel");
  auto op = std::make_shared<PendingOp>();
  op->kind = PendingOp::Kind::kExternal;
  op->seq = next_seq();
  op->detached = true;
  op->activation = activation_;
  ops_[op->seq] = op;
  emit(cmd::RequestCancelExternal{op->seq, workflow_id, run_id});
  return op;
}

void Instance::cancel_all() {
  // Snapshot: cancelling resolves ops and may start none (cancel commands only).
  std::vector<std::shared_ptr<PendingOp>> ops;
  for (const auto& [_, op] : ops_) ops.push_back(op);
  std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a->seq < b->seq; });
  for (auto& op : ops) {
    if (!op->detached) cancel_op(op);
  }
  auto conditions = conditions_;
  for (auto& c : conditions) {
    if (!c->detached) cancel_op(c);
  }
}

void Instance::cancel_op(const std::shared_ptr<PendingOp>& op) {
  if (op->done) return;
  // A command issued in this activation has not gone out yet: the engine withdraws it.
  const bool unsent = op->activation == activation_;
  switch (op->kind) {
    case PendingOp::Kind::kTimer:
      emit(cmd::CancelTimer{op->seq});
      fail_op(op, std::make_exception_ptr(CanceledFailure("timer canceled")));
      break;
    case PendingOp::Kind::kActivity: {
      emit(cmd::RequestCancelActivity{op->seq});
      if (unsent || op->cancellation_type != ActivityCancellationType::kWaitCancellationCompleted) {
        ActivityFailure::Info info{op->activity_type, op->activity_id, {}, RetryState::kCancelRequested, 0, 0};
        fail_op(op, std::make_exception_ptr(ActivityFailure("activity canceled", info, {},
                                                            std::make_shared<CanceledFailure>("activity canceled"))));
      }
      break;
    }
    case PendingOp::Kind::kCondition:
      if (op->timeout_timer) cancel_op(op->timeout_timer);
      op->error = std::make_exception_ptr(CanceledFailure("workflow canceled while waiting for a condition"));
      resolve(*op);
      break;
    case PendingOp::Kind::kExternal:
      break;  // cannot be taken back
  }
}

// ---- handlers -----------------------------------------------------------------------------------

void Instance::deliver_signal(const std::string& name, const Payloads& args,
                              const std::function<void(const Payloads&)>& handler) {
  try {
    handler(args);
  } catch (const UndecodableArguments& e) {
    // Like the other SDKs: a signal that cannot be decoded cannot be handled; it is dropped, and
    // the run goes on (failing the task would fail every later task the same way).
    log(LogLevel::kWarn, "dropped signal '" + name + "': its arguments cannot be decoded: " + e.what());
  }
}

void Instance::set_signal_handler(std::string name, std::function<void(const Payloads&)> h) {
  if (tearing_down_) return;  // from a destructor while the run is evicted: nothing to register
  require_writable("set_signal_handler");
  auto& entry = signal_handlers_[name];
  entry = {std::move(h), !initializing_};
  auto buffered = signal_buffer_.find(name);
  if (buffered == signal_buffer_.end()) return;
  auto queue = std::move(buffered->second);
  signal_buffer_.erase(buffered);
  const auto handler = entry.handler;  // a handler may replace itself
  for (auto& args : queue) deliver_signal(name, args, handler);
}

void Instance::set_query_handler(std::string name, std::function<Payload(const Payloads&)> h) {
  if (tearing_down_) return;
  require_writable("set_query_handler");
  query_handlers_[std::move(name)] = {std::move(h), !initializing_};
}

void Instance::set_update_handler(std::string name, UpdateHandler h, UpdateValidator v) {
  if (tearing_down_) return;
  require_writable("set_update_handler");
  update_handlers_[name] = {UpdateEntry{std::move(h), std::move(v)}, !initializing_};
  // Updates that arrived before their handler (for example with update-with-start, before the
  // workflow's first line ran) are delivered now, in arrival order.
  std::vector<job::Update> ready;
  std::erase_if(buffered_updates_, [&](job::Update& u) {
    if (u.name != name) return false;
    ready.push_back(std::move(u));
    return true;
  });
  const UpdateEntry entry = update_handlers_[name].handler;
  for (auto& u : ready) start_update(u, entry);
}

void Instance::start_update(job::Update& u, const UpdateEntry& entry) {
  // Decoding happens when the handler's coroutine is created, before acceptance.
  std::optional<Workflow<Payload>> body;
  std::exception_ptr rejected;
  try {
    body.emplace(entry.handler(u.args));
  } catch (const UndecodableArguments&) {
    rejected = std::current_exception();
  }
  if (!rejected && !u.replaying && entry.validator) {
    // Read-only, like queries: randomness drawn by a validator is given back.
    read_only_ = true;
    const auto rng = rng_;
    try {
      entry.validator(u.args);
    } catch (...) {
      rejected = std::current_exception();
    }
    read_only_ = false;
    rng_ = rng;
  }
  if (rejected) {
    if (u.replaying) {
      throw NondeterminismError("update '" + u.name + "' (id " + u.id +
                                ") was accepted in history but its arguments cannot be decoded now; did the code change?");
    }
    emit(cmd::RejectUpdate{u.id, rejected});
    return;
  }
  emit(cmd::AcceptUpdate{u.id});
  auto done = [this, id = u.id](std::optional<Payload> result, std::exception_ptr failure) {
    emit(cmd::CompleteUpdate{id, std::move(result), failure});
    // The driver's frame is finishing; it is destroyed once it has fully returned.
    auto it = updates_in_flight_.find(id);
    if (it != updates_in_flight_.end()) finished_updates_.push_back(std::move(it->second));
    updates_in_flight_.erase(id);
  };
  auto bug = [this](std::exception_ptr e) {
    if (!task_failure_) task_failure_ = e;
  };
  auto driver = std::make_unique<Workflow<void>>(drive_update(std::move(*body), std::move(done), std::move(bug)));
  schedule(driver->handle());
  updates_in_flight_[u.id] = std::move(driver);
}

void Instance::reject_unhandled_updates() {
  auto unhandled = std::move(buffered_updates_);
  buffered_updates_.clear();
  for (auto& u : unhandled) {
    if (u.replaying) {
      throw NondeterminismError("update '" + u.name + "' (id " + u.id +
                                ") was accepted in history but the workflow code registered no handler for it; "
                                "did the code change?");
    }
    emit(cmd::RejectUpdate{u.id, std::make_exception_ptr(ApplicationFailure(
                                     "unknown update name '" + u.name + "'; this workflow handles: [" +
                                         names_of(update_handlers_) + "]",
                                     ApplicationFailure::Info{.type = "UnknownUpdate", .non_retryable = true}))});
  }
}

Payload Instance::query(const std::string& name, const Payloads& args) {
  CurrentInstanceScope scope(this);
  auto it = query_handlers_.find(name);
  if (it == query_handlers_.end()) {
    std::string message = "unknown query type '" + name + "'; this workflow handles: [" + names_of(query_handlers_) + "]";
    if (completed_) {
      message += ". The workflow has completed: handlers that its code registered as it ran ended with it; declare "
                 "queries that must be answered after completion on a class workflow (WorkflowClass<T>::query)";
    }
    throw InvalidArgumentError("query_type", message);
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
  return it->second.handler(args);
}

}  // namespace temporal::workflow::detail
