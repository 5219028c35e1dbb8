// ActivityWorker and ActivityContext. Pollers and the pool are plain threads that may block;
// heartbeats are asynchronous (a spawned RPC, or a timer for a throttled one) so that an activity
// never waits on the network when it heartbeats. (GCC 12: no braced temporaries inside co_await
// expressions.)
#include "worker/activity_worker.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "async/timer.h"
#include "common/uuid.h"
#include "converter/proto.h"
#include "rpc/services.h"

namespace temporal::worker::detail {

namespace ws = ::temporal::api::workflowservice::v1;
namespace apicommon = ::temporal::api::common::v1;
namespace apifailure = ::temporal::api::failure::v1;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kPollTimeout{70'000};
constexpr milliseconds kDefaultHeartbeatThrottle{30'000};
constexpr milliseconds kMaxHeartbeatThrottle{60'000};

// The worker that owns the current pool thread (shutdown() from an activity would join itself).
thread_local const ActivityWorker* tl_pool_owner = nullptr;

std::string what_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

std::optional<milliseconds> optional_duration(bool has, const google::protobuf::Duration& d) {
  if (!has) return std::nullopt;
  auto ms = converter::from_proto_duration(d);
  if (ms.count() <= 0) return std::nullopt;
  return ms;
}

const char* reason_type(ActivityContext::CancelReason reason) {
  using R = ActivityContext::CancelReason;
  switch (reason) {
    case R::kPaused:
      return "ActivityPaused";
    case R::kReset:
      return "ActivityReset";
    case R::kNotFound:
      return "ActivityNotFound";
    case R::kWorkerShutdown:
      return "WorkerShutdown";
    default:
      return "ActivityCancelled";
  }
}

const char* reason_text(ActivityContext::CancelReason reason) {
  using R = ActivityContext::CancelReason;
  switch (reason) {
    case R::kPaused:
      return "the activity was paused";
    case R::kReset:
      return "the activity was reset";
    case R::kNotFound:
      return "the server no longer knows the activity (timed out or its workflow closed)";
    case R::kWorkerShutdown:
      return "the worker shut down while the activity was running";
    default:
      return "the activity was cancelled";
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ActivityContext

ActivityContext::ActivityContext(std::shared_ptr<const client::detail::ClientCore> core, std::string identity,
                                 activity::Info info)
    : core_(std::move(core)),
      identity_(std::move(identity)),
      info_(std::move(info)),
      interval_(throttle_interval(info_.heartbeat_timeout)) {}

milliseconds ActivityContext::throttle_interval(std::optional<milliseconds> heartbeat_timeout) {
  if (!heartbeat_timeout || heartbeat_timeout->count() <= 0) return kDefaultHeartbeatThrottle;
  return std::min(milliseconds(heartbeat_timeout->count() * 4 / 5), kMaxHeartbeatThrottle);
}

void ActivityContext::request_cancel(CancelReason reason) {
  if (reason == CancelReason::kNone) return;
  CancelReason current = reason_.load();
  for (;;) {
    if (current == CancelReason::kServer) return;
    if (current != CancelReason::kNone && reason != CancelReason::kServer) return;
    if (reason_.compare_exchange_weak(current, reason)) return;
  }
}

void ActivityContext::heartbeat(converter::Payloads details) {
  apicommon::Payloads encoded;
  converter::encode_to(core_->data_converter, std::move(details), &encoded);
  Action action;
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    latest_ = encoded;
    pending_ = std::move(encoded);
    action = next_action_locked(Clock::now());
  }
  perform(std::move(action));
}

std::optional<apicommon::Payloads> ActivityContext::last_heartbeat_details() const {
  std::lock_guard lock(mu_);
  return latest_;
}

void ActivityContext::finish() {
  std::lock_guard lock(mu_);
  finished_ = true;
  pending_.reset();
}

ActivityContext::Action ActivityContext::next_action_locked(Clock::time_point now) {
  Action a;
  if (finished_ || !pending_ || in_flight_) return a;
  if (now >= next_allowed_) {
    in_flight_ = true;
    next_allowed_ = now + interval_;
    a.kind = Action::kSend;
    a.details = std::move(*pending_);
    pending_.reset();
  } else if (!timer_armed_) {
    timer_armed_ = true;
    a.kind = Action::kArmTimer;
    a.when = next_allowed_;
  }
  return a;
}

void ActivityContext::perform(Action action) {
  auto on_error = [](std::exception_ptr) {};
  if (action.kind == Action::kSend) {
    ws::RecordActivityTaskHeartbeatRequest req;
    req.set_namespace_(core_->namespace_name);
    req.set_task_token(info_.task_token);
    req.set_identity(identity_);
    *req.mutable_details() = std::move(action.details);
    spawn(send_heartbeat(shared_from_this(), std::move(req)), on_error);
  } else if (action.kind == Action::kArmTimer) {
    spawn(wake_at(shared_from_this(), action.when), on_error);
  }
}

Task<void> ActivityContext::send_heartbeat(std::shared_ptr<ActivityContext> self, ws::RecordActivityTaskHeartbeatRequest req) {
  auto opts = self->core_->rpc_options();
  // A heartbeat that cannot get through within one interval is superseded by the next one.
  opts.retry_budget = self->interval_;
  rpc::Result<ws::RecordActivityTaskHeartbeatResponse> r;
  try {
    r = co_await rpc::RecordActivityTaskHeartbeat(self->core_->channel(), std::move(req), std::move(opts));
  } catch (const std::exception& e) {
    r.status = rpc::local_failure(e.what());
  }
  self->on_heartbeat_done(r);
}

Task<void> ActivityContext::wake_at(std::shared_ptr<ActivityContext> self, Clock::time_point when) {
  async_detail::SleepFor pause{std::chrono::duration_cast<milliseconds>(when - Clock::now()) + milliseconds(1)};
  co_await pause;
  self->on_timer();
}

void ActivityContext::on_heartbeat_done(const rpc::Result<ws::RecordActivityTaskHeartbeatResponse>& r) {
  if (r.ok()) {
    if (r.value.cancel_requested()) request_cancel(CancelReason::kServer);
    if (r.value.activity_paused()) request_cancel(CancelReason::kPaused);
    if (r.value.activity_reset()) request_cancel(CancelReason::kReset);
  } else if (rpc::is_not_found(r.status)) {
    request_cancel(CancelReason::kNotFound);
  }
  // Other errors: the next heartbeat tries again; the heartbeat timeout is the server's to enforce.
  Action action;
  {
    std::lock_guard lock(mu_);
    in_flight_ = false;
    action = next_action_locked(Clock::now());
  }
  perform(std::move(action));
}

void ActivityContext::on_timer() {
  Action action;
  {
    std::lock_guard lock(mu_);
    timer_armed_ = false;
    action = next_action_locked(Clock::now());
  }
  perform(std::move(action));
}

// ---------------------------------------------------------------------------------------------
// ActivityWorker

ActivityWorker::ActivityWorker(std::shared_ptr<const client::detail::ClientCore> core, WorkerOptions options,
                               std::map<std::string, ActivityFunction> activities,
                               std::function<void(std::exception_ptr)> on_fatal)
    : core_(std::move(core)),
      options_(std::move(options)),
      activities_(std::move(activities)),
      on_fatal_(std::move(on_fatal)),
      identity_(options_.identity.empty() ? core_->identity : options_.identity),
      instance_key_(temporal::detail::uuid4()),
      slots_(std::make_shared<Slots>(std::max(1, options_.max_concurrent_activities))) {
  if (options_.task_queue.empty()) throw InvalidArgumentError("task_queue", "WorkerOptions.task_queue is required");
  if (options_.max_concurrent_activities < 1) {
    throw InvalidArgumentError("max_concurrent_activities", "WorkerOptions.max_concurrent_activities must be at least 1");
  }
  if (options_.activity_task_pollers < 1) {
    throw InvalidArgumentError("activity_task_pollers", "WorkerOptions.activity_task_pollers must be at least 1");
  }
  if (options_.graceful_shutdown_timeout.count() < 0) {
    throw InvalidArgumentError("graceful_shutdown_timeout", "WorkerOptions.graceful_shutdown_timeout must not be negative");
  }
}

ActivityWorker::~ActivityWorker() {
  try {
    shutdown();
  } catch (...) {
  }
}

void ActivityWorker::start() {
  std::lock_guard lock(lifecycle_mu_);
  if (shut_down_) throw UsageError("ActivityWorker::start() called after shutdown()");
  if (started_) throw UsageError("ActivityWorker::start() called twice");
  started_ = true;
  auto poll = [this](const std::shared_ptr<rpc::CallCancellation>& cancel) {
    ws::PollActivityTaskQueueRequest req;
    req.set_namespace_(core_->namespace_name);
    req.mutable_task_queue()->set_name(options_.task_queue);
    req.mutable_task_queue()->set_kind(::temporal::api::enums::v1::TASK_QUEUE_KIND_NORMAL);
    req.set_identity(identity_);
    req.set_worker_instance_key(instance_key_);
    auto opts = core_->rpc_options();
    opts.timeout = kPollTimeout;
    opts.retry = false;  // the poller backs off itself
    opts.cancellation = cancel;
    return rpc::PollActivityTaskQueue(core_->channel(), std::move(req), std::move(opts)).get();
  };
  auto has_task = [](const PollResponse& r) { return !r.task_token().empty(); };
  auto dispatch = [this](PollResponse task) { this->dispatch(std::make_shared<PollResponse>(std::move(task))); };
  auto on_fatal = [this](const rpc::Status& status) {
    try {
      rpc::throw_status(status, core_->error_context("poll activity task queue '" + options_.task_queue + "'"));
    } catch (...) {
      set_fatal(std::current_exception());
    }
  };
  poller_ = std::make_unique<Poller<PollResponse>>(slots_, Poller<PollResponse>::SlotTaken::kBeforePoll, poll, has_task,
                                                    dispatch, on_fatal);
  poller_->start(options_.activity_task_pollers);
}

void ActivityWorker::shutdown() {
  if (tl_pool_owner == this) {
    throw UsageError("ActivityWorker::shutdown() called from one of its own activities: it would wait for itself");
  }
  // Held throughout, so that a concurrent second call returns only once shutdown is complete.
  std::lock_guard lifecycle(lifecycle_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  // Pollers waiting for a free slot give up at once; polls in flight are cancelled.
  slots_->stop();
  if (poller_) poller_->stop();

  std::unique_lock lock(pool_mu_);
  idle_cv_.wait_for(lock, options_.graceful_shutdown_timeout, [&] { return outstanding_ == 0; });
  if (outstanding_ > 0) {
    cancel_all_ = true;
    for (const auto& ctx : running_) ctx->request_cancel(ActivityContext::CancelReason::kWorkerShutdown);
    idle_cv_.wait(lock, [&] { return outstanding_ == 0; });
  }
  stop_pool_ = true;
  pool_cv_.notify_all();
  std::vector<std::thread> pool = std::move(pool_);
  pool_.clear();
  lock.unlock();
  for (auto& t : pool) t.join();
}

std::exception_ptr ActivityWorker::fatal_error() const {
  std::lock_guard lock(mu_);
  return fatal_;
}

// ---- polling

void ActivityWorker::set_fatal(std::exception_ptr e) {
  bool first = false;
  {
    std::lock_guard lock(mu_);
    if (!fatal_) {
      fatal_ = e;
      first = true;
    }
  }
  if (first) warn("stopped polling: " + what_of(e));
  if (first && on_fatal_) on_fatal_(e);
}

void ActivityWorker::warn(const std::string& message) const {
  const Logger& log = options_.logger ? options_.logger : stderr_logger();
  log(LogLevel::kWarn, "activity worker: " + message);
}

// ---- running

void ActivityWorker::dispatch(std::shared_ptr<PollResponse> task) {
  std::lock_guard lock(pool_mu_);
  queue_.push_back(std::move(task));
  ++outstanding_;
  if (static_cast<size_t>(idle_threads_) < queue_.size() &&
      pool_.size() < static_cast<size_t>(options_.max_concurrent_activities)) {
    pool_.emplace_back([this] { pool_loop(); });
  }
  pool_cv_.notify_one();
}

void ActivityWorker::pool_loop() {
  tl_pool_owner = this;
  std::unique_lock lock(pool_mu_);
  for (;;) {
    ++idle_threads_;
    pool_cv_.wait(lock, [&] { return stop_pool_ || !queue_.empty(); });
    --idle_threads_;
    if (queue_.empty()) return;
    auto task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    execute(*task);
    task.reset();
    slots_->release();
    lock.lock();
    --outstanding_;
    idle_cv_.notify_all();
  }
}

activity::Info ActivityWorker::make_info(const PollResponse& task) const {
  activity::Info info;
  info.task_token = task.task_token();
  info.workflow_namespace = task.workflow_namespace();
  info.workflow_id = task.workflow_execution().workflow_id();
  info.workflow_run_id = task.workflow_execution().run_id();
  info.workflow_type = task.workflow_type().name();
  info.activity_id = task.activity_id();
  info.activity_type = task.activity_type().name();
  info.task_queue = options_.task_queue;
  info.attempt = std::max(1, task.attempt());
  if (task.has_scheduled_time()) info.scheduled_time = converter::from_proto_time(task.scheduled_time());
  if (task.has_started_time()) info.started_time = converter::from_proto_time(task.started_time());
  info.schedule_to_close_timeout = optional_duration(task.has_schedule_to_close_timeout(), task.schedule_to_close_timeout());
  info.start_to_close_timeout = optional_duration(task.has_start_to_close_timeout(), task.start_to_close_timeout());
  info.heartbeat_timeout = optional_duration(task.has_heartbeat_timeout(), task.heartbeat_timeout());
  return info;
}

void ActivityWorker::execute(const PollResponse& task) {
  activity::Info info = make_info(task);
  std::exception_ptr error;
  try {
    if (task.has_heartbeat_details()) info.heartbeat_details = converter::decode_from(core_->data_converter, task.heartbeat_details());
  } catch (...) {
    error = std::current_exception();
  }
  auto ctx = std::make_shared<ActivityContext>(core_, identity_, std::move(info));
  {
    std::lock_guard lock(pool_mu_);
    running_.insert(ctx);
    if (cancel_all_) ctx->request_cancel(ActivityContext::CancelReason::kWorkerShutdown);
  }

  converter::Payload result;
  bool completes_async = false;
  const auto& type = ctx->info().activity_type;
  auto it = activities_.find(type);
  if (error) {
    // Heartbeat details could not be decoded; report that instead of running the activity.
  } else if (it == activities_.end()) {
    std::string names;
    for (const auto& [name, fn] : activities_) names += (names.empty() ? "" : ", ") + name;
    error = std::make_exception_ptr(ApplicationFailure(
        "activity type '" + type + "' is not registered on the worker of task queue '" + options_.task_queue +
            "'; registered activities: [" + names + "]",
        ApplicationFailure::Info{.type = "NotFoundError"}));
  } else {
    activity::detail::ContextHookScope scope(ctx.get());
    try {
      converter::Payloads args = converter::decode_from(core_->data_converter, task.input());
      result = it->second(args);
    } catch (const activity::CompleteAsyncSignal&) {
      completes_async = true;
    } catch (...) {
      error = std::current_exception();
    }
  }
  ctx->finish();
  if (!completes_async) respond(task, *ctx, std::move(result), error);
  std::lock_guard lock(pool_mu_);
  running_.erase(ctx);
}

void ActivityWorker::respond(const PollResponse& task, const ActivityContext& ctx, converter::Payload result,
                             std::exception_ptr error) {
  const auto& dc = core_->data_converter;
  auto report = [&](const rpc::Status& s, const char* what) {
    // NOT_FOUND: the activity timed out, was cancelled or its workflow closed; nothing to do.
    if (s.ok() || rpc::is_not_found(s)) return;
    warn(std::string(what) + " for activity '" + ctx.info().activity_id + "' of workflow '" + ctx.info().workflow_id +
         "' failed: " + rpc::describe_status(s, core_->connection.options().address));
  };
  auto opts = core_->rpc_options();

  if (!error) {
    ws::RespondActivityTaskCompletedRequest req;
    req.set_namespace_(core_->namespace_name);
    req.set_task_token(task.task_token());
    req.set_identity(identity_);
    try {
      converter::Payloads payloads;
      payloads.push_back(std::move(result));
      converter::encode_to(dc, std::move(payloads), req.mutable_result());
    } catch (...) {
      error = std::current_exception();  // the result could not be encoded: fail the attempt
    }
    if (!error) {
      try {
        auto r = rpc::RespondActivityTaskCompleted(core_->channel(), std::move(req), opts).get();
        report(r.status, "RespondActivityTaskCompleted");
      } catch (const std::exception& e) {
        warn(std::string("RespondActivityTaskCompleted: ") + e.what());
      }
      return;
    }
  }

  std::shared_ptr<const CanceledFailure> canceled;
  try {
    std::rethrow_exception(error);
  } catch (const CanceledFailure& e) {
    canceled = std::make_shared<CanceledFailure>(e);
  } catch (...) {
  }
  const auto reason = ctx.cancel_reason();

  if (canceled && reason == ActivityContext::CancelReason::kServer) {
    ws::RespondActivityTaskCanceledRequest req;
    req.set_namespace_(core_->namespace_name);
    req.set_task_token(task.task_token());
    req.set_identity(identity_);
    try {
      if (!canceled->details().empty()) converter::encode_to(dc, canceled->details(), req.mutable_details());
    } catch (const std::exception& e) {
      warn(std::string("could not encode the cancellation details: ") + e.what());
      req.clear_details();
    }
    try {
      auto r = rpc::RespondActivityTaskCanceled(core_->channel(), std::move(req), opts).get();
      report(r.status, "RespondActivityTaskCanceled");
    } catch (const std::exception& e) {
      warn(std::string("RespondActivityTaskCanceled: ") + e.what());
    }
    return;
  }

  ws::RespondActivityTaskFailedRequest req;
  req.set_namespace_(core_->namespace_name);
  req.set_task_token(task.task_token());
  req.set_identity(identity_);
  try {
    if (canceled && reason != ActivityContext::CancelReason::kNone) {
      // Not a cancellation the server asked for (worker shutdown, pause, reset): a retryable
      // failure, so that the server retries the activity (a canceled failure would not be).
      ApplicationFailure wrapped(reason_text(reason), ApplicationFailure::Info{.type = reason_type(reason)}, {},
                                 canceled);
      converter::failure_to_proto(dc, wrapped, req.mutable_failure());
    } else {
      converter::failure_to_proto(dc, error, req.mutable_failure());
    }
  } catch (const std::exception& e) {
    req.clear_failure();
    auto* f = req.mutable_failure();
    f->set_message("the activity failed (" + what_of(error) + ") and its failure could not be encoded: " + e.what());
    f->mutable_application_failure_info()->set_type("DataConverterError");
  }
  if (auto details = ctx.last_heartbeat_details()) *req.mutable_last_heartbeat_details() = std::move(*details);
  try {
    auto r = rpc::RespondActivityTaskFailed(core_->channel(), std::move(req), opts).get();
    report(r.status, "RespondActivityTaskFailed");
  } catch (const std::exception& e) {
    warn(std::string("RespondActivityTaskFailed: ") + e.what());
  }
}

}  // namespace temporal::worker::detail
