#include "worker/workflow_worker.h"

#include <future>

#include "common/uuid.h"
#include "rpc/services.h"

namespace temporal::worker::detail {

namespace apienums = ::temporal::api::enums::v1;
namespace apihistory = ::temporal::api::history::v1;
using workflow::detail::Instance;

namespace {

std::string host_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) return "host";
  return host;
}

std::chrono::milliseconds backoff(int failures, bool resource_exhausted) {
  const int64_t base = resource_exhausted ? 1000 : 200;
  int64_t ms = base;
  for (int i = 1; i < failures && ms < 10000; ++i) ms *= 2;
  return std::chrono::milliseconds(std::min<int64_t>(ms, 10000));
}

}  // namespace

WorkflowWorker::WorkflowWorker(std::shared_ptr<const client::detail::ClientCore> core, WorkerOptions options,
                               std::map<std::string, WorkflowFactory> workflows,
                               std::function<void(std::exception_ptr)> on_fatal)
    : core_(std::move(core)),
      options_(std::move(options)),
      workflows_(std::move(workflows)),
      on_fatal_(std::move(on_fatal)),
      polls_(std::make_shared<rpc::CallCancellation>()) {
  sticky_queue_ = host_name() + ":" + temporal::detail::uuid4();
}

WorkflowWorker::~WorkflowWorker() { shutdown(); }

void WorkflowWorker::start() {
  if (started_.exchange(true)) throw std::logic_error("WorkflowWorker::start called twice");
  const int pollers = std::max(1, options_.workflow_task_pollers);
  const bool sticky = options_.max_cached_workflows > 0;
  for (int i = 0; i < pollers; ++i) {
    threads_.emplace_back([this] { poll_loop(false); });
  }
  if (sticky) {
    for (int i = 0; i < std::max(1, pollers / 2); ++i) threads_.emplace_back([this] { poll_loop(true); });
  }
}

void WorkflowWorker::shutdown() {
  if (stopping_.exchange(true)) return;
  polls_->cancel();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  {
    // Tasks already polled are finished and answered.
    std::unique_lock lock(slots_mu_);
    slots_cv_.wait(lock, [&] { return in_flight_ == 0; });
  }
  if (started_ && options_.max_cached_workflows > 0) {
    wsv1::ShutdownWorkerRequest req;
    req.set_namespace_(core_->namespace_name);
    req.set_sticky_task_queue(sticky_queue_);
    req.set_identity(core_->identity);
    req.set_reason("graceful shutdown");
    auto opts = core_->rpc_options();
    opts.timeout = std::chrono::milliseconds(5000);
    opts.retry = false;
    // Older servers lack ShutdownWorker (UNIMPLEMENTED); nothing else to do then.
    (void)rpc::ShutdownWorker(core_->channel(), std::move(req), std::move(opts)).get();
  }
  std::lock_guard lock(mu_);
  cache_.clear();
  lru_.clear();
}

std::exception_ptr WorkflowWorker::fatal_error() const {
  std::lock_guard lock(mu_);
  return fatal_;
}

size_t WorkflowWorker::cached_runs() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

void WorkflowWorker::acquire_slot() {
  std::unique_lock lock(slots_mu_);
  slots_cv_.wait(lock, [&] { return in_flight_ < options_.max_concurrent_workflow_tasks; });
  ++in_flight_;
}

void WorkflowWorker::release_slot() {
  std::lock_guard lock(slots_mu_);
  --in_flight_;
  slots_cv_.notify_all();  // under the lock: shutdown() may destroy this object once it sees 0
}

void WorkflowWorker::poll_loop(bool sticky) {
  int failures = 0;
  while (!stopping_) {
    wsv1::PollWorkflowTaskQueueRequest req;
    req.set_namespace_(core_->namespace_name);
    req.mutable_task_queue()->set_name(sticky ? sticky_queue_ : options_.task_queue);
    req.mutable_task_queue()->set_kind(sticky ? apienums::TASK_QUEUE_KIND_STICKY : apienums::TASK_QUEUE_KIND_NORMAL);
    if (sticky) req.mutable_task_queue()->set_normal_name(options_.task_queue);
    req.set_identity(core_->identity);
    auto opts = core_->rpc_options();
    opts.timeout = std::chrono::milliseconds(70000);
    opts.retry = false;
    opts.cancellation = polls_;
    auto r = rpc::PollWorkflowTaskQueue(core_->channel(), std::move(req), std::move(opts)).get();
    // A task that arrives while stopping is still processed; anything else ends the loop.
    if (stopping_ && (!r.ok() || r.value.task_token().empty())) break;
    if (!r.ok()) {
      const auto code = r.status.code;
      if (code == grpc::StatusCode::DEADLINE_EXCEEDED) continue;
      if (code == grpc::StatusCode::NOT_FOUND || code == grpc::StatusCode::PERMISSION_DENIED ||
          code == grpc::StatusCode::UNAUTHENTICATED || code == grpc::StatusCode::INVALID_ARGUMENT) {
        // Not transient: report instead of spinning.
        std::exception_ptr error;
        try {
          rpc::throw_status(r.status, core_->error_context("poll workflow tasks on '" + options_.task_queue + "'"));
        } catch (...) {
          error = std::current_exception();
        }
        {
          std::lock_guard lock(mu_);
          if (!fatal_) fatal_ = error;
        }
        if (on_fatal_) on_fatal_(error);
        return;
      }
      ++failures;
      std::this_thread::sleep_for(backoff(failures, code == grpc::StatusCode::RESOURCE_EXHAUSTED));
      continue;
    }
    failures = 0;
    if (r.value.task_token().empty()) continue;
    // Processed on its own thread once one of max_concurrent_workflow_tasks slots is free; this
    // poller waits for that slot before it polls again. (A slot is not taken before polling: an
    // idle long poll holding it would starve the other queue, sticky or normal.)
    acquire_slot();
    std::thread([this, task = std::move(r.value)]() mutable {
      handle_task(std::move(task));
      release_slot();
    }).detach();
  }
}

std::shared_ptr<WorkflowWorker::Run> WorkflowWorker::cache_get(const std::string& run_id) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(run_id);
  if (it == cache_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.second);
  return it->second.first;
}

void WorkflowWorker::cache_put(const std::string& run_id, std::shared_ptr<Run> run) {
  if (options_.max_cached_workflows == 0) return;
  std::lock_guard lock(mu_);
  auto it = cache_.find(run_id);
  if (it != cache_.end()) {
    it->second.first = std::move(run);
    lru_.splice(lru_.begin(), lru_, it->second.second);
    return;
  }
  lru_.push_front(run_id);
  cache_.emplace(run_id, std::make_pair(std::move(run), lru_.begin()));
  while (cache_.size() > options_.max_cached_workflows) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
}

void WorkflowWorker::evict(const std::string& run_id, const Run* only) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(run_id);
  if (it == cache_.end() || (only && it->second.first.get() != only)) return;
  lru_.erase(it->second.second);
  cache_.erase(it);
}

std::vector<apihistory::HistoryEvent> WorkflowWorker::fetch_history(const wsv1::PollWorkflowTaskQueueResponse& task,
                                                                     bool from_start) {
  std::vector<apihistory::HistoryEvent> events;
  std::string token;
  if (!from_start) {
    for (const auto& e : task.history().events()) events.push_back(e);
    token = task.next_page_token();
    if (token.empty()) return events;
  }
  do {
    wsv1::GetWorkflowExecutionHistoryRequest req;
    req.set_namespace_(core_->namespace_name);
    *req.mutable_execution() = task.workflow_execution();
    req.set_next_page_token(token);
    auto r = rpc::GetWorkflowExecutionHistory(core_->channel(), std::move(req), core_->rpc_options()).get();
    auto resp = rpc::value_or_throw(std::move(r), core_->error_context("fetch history for a workflow task",
                                                                         task.workflow_execution().workflow_id(),
                                                                         task.workflow_execution().run_id()));
    for (auto& e : *resp.mutable_history()->mutable_events()) events.push_back(std::move(e));
    token = resp.next_page_token();
    // Pages past the task's started event belong to a later task.
    if (task.started_event_id() > 0 && !events.empty() && events.back().event_id() >= task.started_event_id()) break;
  } while (!token.empty());
  return events;
}

std::unique_ptr<Instance> WorkflowWorker::new_instance(const wsv1::PollWorkflowTaskQueueResponse& task) {
  auto it = workflows_.find(task.workflow_type().name());
  if (it == workflows_.end()) {
    std::string known;
    for (const auto& [k, _] : workflows_) known += (known.empty() ? "" : ", ") + k;
    throw ApplicationFailure("workflow type '" + task.workflow_type().name() + "' is not registered on task queue '" +
                                 options_.task_queue + "'; registered: [" + known + "]",
                             ApplicationFailure::Info{.type = "NotFoundError"});
  }
  auto inst = std::make_unique<Instance>(&it->second, &core_->data_converter, core_->namespace_name, options_.task_queue);
  inst->set_execution(task.workflow_execution().workflow_id(), task.workflow_execution().run_id());
  return inst;
}

void WorkflowWorker::fail_task(const wsv1::PollWorkflowTaskQueueResponse& task, std::exception_ptr error,
                               bool nondeterminism) {
  evict(task.workflow_execution().run_id());
  // Only the first attempt reports: later attempts would fail the same way, in a hot loop.
  if (task.attempt() > 1) return;
  wsv1::RespondWorkflowTaskFailedRequest req;
  req.set_task_token(task.task_token());
  req.set_cause(nondeterminism ? apienums::WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR
                               : apienums::WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE);
  converter::failure_to_proto(core_->data_converter, error, req.mutable_failure());
  req.set_identity(core_->identity);
  req.set_namespace_(core_->namespace_name);
  (void)rpc::RespondWorkflowTaskFailed(core_->channel(), std::move(req), core_->rpc_options()).get();
}

void WorkflowWorker::handle_legacy_query(wsv1::PollWorkflowTaskQueueResponse& task) {
  wsv1::RespondQueryTaskCompletedRequest resp;
  resp.set_task_token(task.task_token());
  resp.set_namespace_(core_->namespace_name);
  try {
    const std::string run_id = task.workflow_execution().run_id();
    auto run = cache_get(run_id);
    std::unique_lock<std::mutex> lock;
    if (run) lock = std::unique_lock<std::mutex>(run->mu);
    const bool have_events = task.history().events_size() > 0;
    if (!run || (have_events && task.history().events(0).event_id() != run->instance->last_event_id() + 1)) {
      auto fresh = std::make_shared<Run>();
      fresh->instance = new_instance(task);
      auto events = fetch_history(task, !have_events || task.history().events(0).event_id() != 1);
      std::vector<const apihistory::HistoryEvent*> ptrs;
      for (const auto& e : events) ptrs.push_back(&e);
      const int64_t beyond = events.empty() ? 1 : events.back().event_id() + 1;
      fresh->instance->process(ptrs, beyond, {});
      if (lock.owns_lock()) lock.unlock();
      run = fresh;
      lock = std::unique_lock<std::mutex>(run->mu);
    } else if (have_events) {
      std::vector<const apihistory::HistoryEvent*> ptrs;
      for (const auto& e : task.history().events()) ptrs.push_back(&e);
      run->instance->process(ptrs, task.history().events().rbegin()->event_id() + 1, {});
    }
    auto args = converter::decode_from(core_->data_converter, task.query().query_args());
    auto result = run->instance->query(task.query().query_type(), args);
    resp.set_completed_type(apienums::QUERY_RESULT_TYPE_ANSWERED);
    converter::encode_to(core_->data_converter, converter::Payloads{result}, resp.mutable_query_result());
  } catch (const std::exception& e) {
    resp.set_completed_type(apienums::QUERY_RESULT_TYPE_FAILED);
    resp.set_error_message(e.what());
    converter::failure_to_proto(core_->data_converter, std::current_exception(), resp.mutable_failure());
  }
  (void)rpc::RespondQueryTaskCompleted(core_->channel(), std::move(resp), core_->rpc_options()).get();
}

void WorkflowWorker::handle_task(wsv1::PollWorkflowTaskQueueResponse task) {
  if (task.has_query()) {
    handle_legacy_query(task);
    return;
  }
  const std::string run_id = task.workflow_execution().run_id();
  std::shared_ptr<Run> run = cache_get(run_id);
  const int64_t first = task.history().events_size() ? task.history().events(0).event_id() : 0;
  if (run && first != run->instance->last_event_id() + 1) {
    // The cached instance missed events (or the task is from the normal queue after a restart).
    evict(run_id);
    run.reset();
  }
  auto events = std::make_shared<std::vector<apihistory::HistoryEvent>>();
  workflow::detail::TaskOutput output;
  std::exception_ptr error;
  bool nondeterminism = false;
  try {
    if (!run) {
      run = std::make_shared<Run>();
      run->instance = new_instance(task);
      *events = fetch_history(task, first != 1);
    } else {
      *events = fetch_history(task, false);
    }
    if (events->empty() || events->back().event_id() < task.started_event_id()) {
      throw NondeterminismError("history for workflow task ends at event " +
                                std::to_string(events->empty() ? 0 : events->back().event_id()) +
                                " before its started event " + std::to_string(task.started_event_id()));
    }
    std::vector<const apihistory::HistoryEvent*> ptrs;
    for (const auto& e : *events) {
      if (e.event_id() <= task.started_event_id()) ptrs.push_back(&e);
    }
    std::vector<::temporal::api::protocol::v1::Message> messages(task.messages().begin(), task.messages().end());
    // Workflow code runs on its own thread so that code that never yields is detected.
    auto promise = std::make_shared<std::promise<workflow::detail::TaskOutput>>();
    auto future = promise->get_future();
    // The thread shares ownership of the events: after a deadlock timeout it outlives this call.
    std::thread([run, events, ptrs, started = task.started_event_id(), messages, promise]() {
      std::lock_guard lock(run->mu);
      try {
        promise->set_value(run->instance->process(ptrs, started, messages));
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    }).detach();
    if (future.wait_for(options_.deadlock_timeout) != std::future_status::ready) {
      evict(run_id);
      throw ApplicationFailure("potential deadlock detected: workflow code ran longer than " +
                                   std::to_string(options_.deadlock_timeout.count()) +
                                   " ms without yielding; workflow code must only await workflow awaitables",
                               ApplicationFailure::Info{.type = "PotentialDeadlock"});
    }
    output = future.get();
  } catch (const NondeterminismError&) {
    error = std::current_exception();
    nondeterminism = true;
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    fail_task(task, error, nondeterminism);
    return;
  }
  wsv1::RespondWorkflowTaskCompletedRequest resp;
  resp.set_task_token(task.task_token());
  resp.set_identity(core_->identity);
  resp.set_namespace_(core_->namespace_name);
  for (auto& c : output.commands) *resp.add_commands() = std::move(c);
  for (auto& m : output.messages) *resp.add_messages() = std::move(m);
  for (const auto& [id, q] : task.queries()) {
    auto& qr = (*resp.mutable_query_results())[id];
    try {
      auto args = converter::decode_from(core_->data_converter, q.query_args());
      auto result = run->instance->query(q.query_type(), args);
      qr.set_result_type(apienums::QUERY_RESULT_TYPE_ANSWERED);
      converter::encode_to(core_->data_converter, converter::Payloads{result}, qr.mutable_answer());
    } catch (const std::exception& e) {
      qr.set_result_type(apienums::QUERY_RESULT_TYPE_FAILED);
      qr.set_error_message(e.what());
    }
  }
  const bool cache = options_.max_cached_workflows > 0 && !run->instance->completed();
  if (cache) {
    auto* sa = resp.mutable_sticky_attributes();
    sa->mutable_worker_task_queue()->set_name(sticky_queue_);
    sa->mutable_worker_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_STICKY);
    sa->mutable_worker_task_queue()->set_normal_name(options_.task_queue);
    converter::to_proto_duration(options_.sticky_schedule_to_start_timeout, sa->mutable_schedule_to_start_timeout());
  }
  // Cached before answering: once the server has the answer it may hand the run's next task (or a
  // query) to another poller at once, which must find this state, not an older one.
  if (cache) {
    cache_put(run_id, run);
  } else {
    evict(run_id);
  }
  auto r = rpc::RespondWorkflowTaskCompleted(core_->channel(), std::move(resp), core_->rpc_options()).get();
  // A failed answer leaves the instance ahead of the server's history: never reuse it.
  if (!r.ok()) evict(run_id, run.get());
}

}  // namespace temporal::worker::detail
