#include "worker/workflow_worker.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "common/uuid.h"
#include "converter/proto.h"
#include "worker/poller.h"
#include "worker/workflow_run.h"

namespace temporal::worker::detail {

namespace apienums = ::temporal::api::enums::v1;
namespace apihistory = ::temporal::api::history::v1;
using Clock = std::chrono::steady_clock;

namespace {

std::string host_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) return "host";
  return host;
}

int64_t now_ns() { return Clock::now().time_since_epoch().count(); }

/// A cached run and its lock. `stuck` is set when its code overran the deadlock timeout: the thread
/// in that code keeps the lock, and nobody else may use the run again.
struct CachedRun {
  std::mutex mu;
  std::unique_ptr<WorkflowRun> run;
  std::atomic<bool> stuck{false};
};

/// One pool thread, as the watchdog sees it.
struct PoolSlot {
  std::atomic<int64_t> code_since{0};  ///< steady-clock ns when workflow code started; 0: not in code
  // Under State::mu:
  std::shared_ptr<CachedRun> run;                 ///< the run of the task in progress
  wsv1::PollWorkflowTaskQueueResponse task_head;  ///< that task, without its history
  bool abandoned = false;                         ///< the watchdog answered its task; the thread leaves the pool
  bool busy = false;                              ///< processing a task
  bool exited = false;                            ///< the thread has left its loop (join does not wait)
  std::thread thread;
};

std::string what_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

struct WorkflowWorker::State : std::enable_shared_from_this<WorkflowWorker::State> {
  State(std::shared_ptr<WorkflowTaskClient> c, WorkflowWorkerConfig cfg, std::function<void(std::exception_ptr)> f)
      : client(std::move(c)), config(std::move(cfg)), on_fatal(std::move(f)) {
    sticky_queue = host_name() + ":" + temporal::detail::uuid4();
    if (!config.logger) config.logger = stderr_logger();
    slots = std::make_shared<Slots>(config.options.max_concurrent_workflow_tasks);
  }

  const std::shared_ptr<WorkflowTaskClient> client;
  WorkflowWorkerConfig config;
  const std::function<void(std::exception_ptr)> on_fatal;
  std::string sticky_queue;

  mutable std::mutex mu;
  std::condition_variable cv;  ///< the task queue
  bool stopping = false;       ///< no more polls
  bool pool_stop = false;      ///< pool threads leave once the queue is empty
  std::deque<wsv1::PollWorkflowTaskQueueResponse> queue;
  /// Tasks queued or in progress, at most max_concurrent_workflow_tasks; both pollers draw on it.
  std::shared_ptr<Slots> slots;
  std::exception_ptr fatal;
  std::vector<std::unique_ptr<Poller<wsv1::PollWorkflowTaskQueueResponse>>> pollers;
  std::vector<std::shared_ptr<PoolSlot>> pool;
  std::thread watchdog;
  std::condition_variable watchdog_cv;
  std::vector<StuckRun> stuck;
  std::set<std::string> stuck_run_ids;  ///< runs whose code is still stuck
  // The LRU cache of runs.
  std::list<std::string> lru;
  std::unordered_map<std::string, std::pair<std::shared_ptr<CachedRun>, std::list<std::string>::iterator>> cache;

  void log(LogLevel level, const std::string& message) const { config.logger(level, "workflow worker: " + message); }

  // ---- threads ------------------------------------------------------------------------------------
  void start_pool_thread() {  // under mu
    auto slot = std::make_shared<PoolSlot>();
    slot->thread = std::thread([self = shared_from_this(), slot] { self->pool_main(slot); });
    pool.push_back(std::move(slot));
  }

  void pool_main(const std::shared_ptr<PoolSlot>& slot) {
    for (;;) {
      wsv1::PollWorkflowTaskQueueResponse task;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return !queue.empty() || pool_stop; });
        if (queue.empty()) {
          slot->exited = true;
          return;
        }
        task = std::move(queue.front());
        queue.pop_front();
        slot->task_head = task;
        slot->task_head.clear_history();
        slot->busy = true;
      }
      try {
        handle_task(task, *slot);
      } catch (const std::exception& e) {
        log(LogLevel::kError, std::string("unexpected error handling a workflow task: ") + e.what());
      }
      std::lock_guard lock(mu);
      slot->run.reset();
      slot->busy = false;
      if (slot->abandoned) {  // the watchdog answered the task and started a replacement thread
        slot->exited = true;
        return;
      }
      slots->release();
    }
  }

  void start_poller(bool sticky, int threads) {  // under mu
    using Response = wsv1::PollWorkflowTaskQueueResponse;
    auto poll = [this, sticky](const std::shared_ptr<rpc::CallCancellation>& cancel) {
      const auto& o = config.options;
      wsv1::PollWorkflowTaskQueueRequest req;
      req.set_namespace_(config.namespace_name);
      req.mutable_task_queue()->set_name(sticky ? sticky_queue : o.task_queue);
      req.mutable_task_queue()->set_kind(sticky ? apienums::TASK_QUEUE_KIND_STICKY : apienums::TASK_QUEUE_KIND_NORMAL);
      if (sticky) req.mutable_task_queue()->set_normal_name(o.task_queue);
      req.set_identity(config.identity);
      return client->poll(std::move(req), cancel);
    };
    auto dispatch = [this](Response task) {
      std::lock_guard lock(mu);
      queue.push_back(std::move(task));
      cv.notify_one();
    };
    auto has_task = [](const Response& r) { return !r.task_token().empty(); };
    auto fatal_poll = [this](const rpc::Status& status) { report_fatal(status); };
    pollers.push_back(std::make_unique<Poller<Response>>(slots, Poller<Response>::SlotTaken::kAfterPoll, poll, has_task,
                                                          dispatch, fatal_poll));
    pollers.back()->start(threads);
  }

  void report_fatal(const rpc::Status& status) {
    std::exception_ptr error;
    try {
      client->throw_status(status, "poll workflow tasks on '" + config.options.task_queue + "'");
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mu);
      if (!fatal) fatal = error;
      stopping = true;
      for (auto& p : pollers) p->request_stop();
    }
    log(LogLevel::kError, "stopped polling: " + what_of(error));
    if (on_fatal) on_fatal(error);
  }

  // ---- the deadlock watchdog -------------------------------------------------------------------
  void watchdog_main() {
    const auto timeout = config.options.deadlock_timeout;
    const auto tick = std::clamp(timeout / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
    std::unique_lock lock(mu);
    while (!pool_stop) {
      watchdog_cv.wait_for(lock, tick);
      const int64_t now = now_ns();
      std::vector<std::shared_ptr<PoolSlot>> overran;
      for (const auto& slot : pool) {
        const int64_t since = slot->code_since.load();
        if (since != 0 && !slot->abandoned &&
            now - since > std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count()) {
          overran.push_back(slot);
        }
      }
      for (const auto& slot : overran) {
        auto task = abandon(*slot);
        lock.unlock();
        if (task.has_query()) {
          fail_query(task, potential_deadlock().what());
        } else {
          fail_task(task, std::make_exception_ptr(potential_deadlock()), false);
        }
        lock.lock();
      }
    }
  }

  ApplicationFailure potential_deadlock() const {
    return ApplicationFailure("potential deadlock detected: workflow code ran longer than " +
                                  std::to_string(config.options.deadlock_timeout.count()) +
                                  " ms without yielding; workflow code must only await workflow awaitables "
                                  "(no blocking calls, no busy loops)",
                              ApplicationFailure::Info{.type = "PotentialDeadlock"});
  }

  // Under mu: gives up on the slot's task (the run is failed, evicted and remembered) and puts a
  // new thread in the pool in its place. Returns the task to fail.
  wsv1::PollWorkflowTaskQueueResponse abandon(PoolSlot& slot) {
    slot.abandoned = true;
    const auto& exec = slot.task_head.workflow_execution();
    if (slot.run) slot.run->stuck = true;
    stuck.push_back(StuckRun{exec.workflow_id(), exec.run_id(), slot.task_head.workflow_type().name(),
                             Clock::now() - config.options.deadlock_timeout, true});
    stuck_run_ids.insert(exec.run_id());
    evict_locked(exec.run_id());
    log(LogLevel::kError, "workflow " + exec.workflow_id() + " (run " + exec.run_id() + ", type " +
                              slot.task_head.workflow_type().name() + ") ran longer than " +
                              std::to_string(config.options.deadlock_timeout.count()) +
                              " ms without yielding; its task is failed and its thread left to finish on its own");
    slots->release();
    if (!pool_stop) start_pool_thread();
    return slot.task_head;
  }

  // The thread of a stuck run came back from the workflow code.
  void unstuck(const std::string& run_id) {
    std::lock_guard lock(mu);
    stuck_run_ids.erase(run_id);
    for (auto& s : stuck) {
      if (s.run_id == run_id) s.still_running = false;
    }
  }

  // ---- the cache ----------------------------------------------------------------------------------
  std::shared_ptr<CachedRun> cache_get(const std::string& run_id) {
    std::lock_guard lock(mu);
    auto it = cache.find(run_id);
    if (it == cache.end()) return nullptr;
    lru.splice(lru.begin(), lru, it->second.second);
    return it->second.first;
  }

  void cache_put(const std::string& run_id, std::shared_ptr<CachedRun> run) {
    const size_t max = config.options.max_cached_workflows;
    if (max == 0) return;
    std::lock_guard lock(mu);
    auto it = cache.find(run_id);
    if (it != cache.end()) {
      it->second.first = std::move(run);
      lru.splice(lru.begin(), lru, it->second.second);
      return;
    }
    lru.push_front(run_id);
    cache.emplace(run_id, std::make_pair(std::move(run), lru.begin()));
    while (cache.size() > max) {
      cache.erase(lru.back());
      lru.pop_back();
    }
  }

  void evict(const std::string& run_id, const CachedRun* only = nullptr) {
    std::lock_guard lock(mu);
    evict_locked(run_id, only);
  }

  void evict_locked(const std::string& run_id, const CachedRun* only = nullptr) {
    auto it = cache.find(run_id);
    if (it == cache.end() || (only && it->second.first.get() != only)) return;
    lru.erase(it->second.second);
    cache.erase(it);
  }

  // ---- tasks --------------------------------------------------------------------------------------
  std::vector<apihistory::HistoryEvent> fetch_history(const wsv1::PollWorkflowTaskQueueResponse& task, bool from_start) {
    std::vector<apihistory::HistoryEvent> events;
    std::string token;
    if (!from_start) {
      events.assign(task.history().events().begin(), task.history().events().end());
      token = task.next_page_token();
      if (token.empty()) return events;
    }
    do {
      wsv1::GetWorkflowExecutionHistoryRequest req;
      req.set_namespace_(config.namespace_name);
      *req.mutable_execution() = task.workflow_execution();
      req.set_next_page_token(token);
      auto r = client->history(std::move(req));
      if (!r.ok()) client->throw_status(r.status, "fetch history for a workflow task");
      for (auto& e : *r.value.mutable_history()->mutable_events()) events.push_back(std::move(e));
      token = r.value.next_page_token();
      // Pages past the task's started event belong to a later task.
      if (task.started_event_id() > 0 && !events.empty() && events.back().event_id() >= task.started_event_id()) break;
    } while (!token.empty());
    return events;
  }

  std::unique_ptr<WorkflowRun> new_run(const wsv1::PollWorkflowTaskQueueResponse& task) const {
    auto it = config.workflows.find(task.workflow_type().name());
    if (it == config.workflows.end()) {
      std::string known;
      for (const auto& [k, _] : config.workflows) known += (known.empty() ? "" : ", ") + k;
      throw ApplicationFailure("workflow type '" + task.workflow_type().name() + "' is not registered on task queue '" +
                                   config.options.task_queue + "'; registered: [" + known + "]",
                               ApplicationFailure::Info{.type = "NotFoundError"});
    }
    return std::make_unique<WorkflowRun>(&it->second, &config.data_converter, config.namespace_name,
                                         config.options.task_queue, task.workflow_execution().workflow_id(),
                                         task.workflow_execution().run_id(), config.logger);
  }

  // Locks `run`, unless its code is stuck (then false: the run may never be used again).
  static bool lock_run(CachedRun& run, std::unique_lock<std::mutex>& lock) {
    lock = std::unique_lock<std::mutex>(run.mu, std::defer_lock);
    // try_lock in a loop, not a timed lock: ThreadSanitizer does not see glibc's clocklock.
    while (!lock.try_lock()) {
      if (run.stuck) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return !run.stuck;
  }

  void fail_task(const wsv1::PollWorkflowTaskQueueResponse& task, std::exception_ptr error, bool nondeterminism) {
    evict(task.workflow_execution().run_id());
    // Only the first attempt reports: later attempts would fail the same way, in a hot loop.
    if (task.attempt() > 1) return;
    wsv1::RespondWorkflowTaskFailedRequest req;
    req.set_task_token(task.task_token());
    req.set_cause(nondeterminism ? apienums::WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR
                                 : apienums::WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE);
    converter::failure_to_proto(config.data_converter, error, req.mutable_failure());
    req.set_identity(config.identity);
    req.set_namespace_(config.namespace_name);
    const auto status = client->fail(std::move(req));
    if (!status.ok()) log(LogLevel::kWarn, "could not fail a workflow task: " + status.message);
  }

  void fail_query(const wsv1::PollWorkflowTaskQueueResponse& task, const std::string& message) {
    wsv1::RespondQueryTaskCompletedRequest resp;
    resp.set_task_token(task.task_token());
    resp.set_namespace_(config.namespace_name);
    resp.set_completed_type(apienums::QUERY_RESULT_TYPE_FAILED);
    resp.set_error_message(message);
    (void)client->answer_query(std::move(resp));
  }

  void handle_legacy_query(const wsv1::PollWorkflowTaskQueueResponse& task, PoolSlot& slot) {
    wsv1::RespondQueryTaskCompletedRequest resp;
    resp.set_task_token(task.task_token());
    resp.set_namespace_(config.namespace_name);
    try {
      const std::string run_id = task.workflow_execution().run_id();
      const bool have_events = task.history().events_size() > 0;
      auto run = cache_get(run_id);
      std::unique_lock<std::mutex> lock;
      if (run && !lock_run(*run, lock)) run.reset();
      if (!run || (have_events && task.history().events(0).event_id() != run->run->last_event_id() + 1)) {
        // Not cached (or behind): replay the history into a run of its own.
        if (lock.owns_lock()) lock.unlock();
        run = std::make_shared<CachedRun>();
        run->run = new_run(task);
        lock = std::unique_lock<std::mutex>(run->mu);
        auto events = fetch_history(task, !have_events || task.history().events(0).event_id() != 1);
        {
          std::lock_guard state_lock(mu);
          slot.run = run;
        }
        apply_watched(*run, slot, events, events.empty() ? 1 : events.back().event_id() + 1, {});
      } else if (have_events) {
        std::vector<apihistory::HistoryEvent> events(task.history().events().begin(), task.history().events().end());
        apply_watched(*run, slot, events, events.back().event_id() + 1, {});
      }
      auto args = converter::decode_from(config.data_converter, task.query().query_args());
      run->run->watch_code(&slot.code_since);
      auto result = run->run->query(task.query().query_type(), args);
      run->run->watch_code(nullptr);
      resp.set_completed_type(apienums::QUERY_RESULT_TYPE_ANSWERED);
      converter::encode_to(config.data_converter, converter::Payloads{result}, resp.mutable_query_result());
    } catch (const std::exception& e) {
      resp.set_completed_type(apienums::QUERY_RESULT_TYPE_FAILED);
      resp.set_error_message(e.what());
      converter::failure_to_proto(config.data_converter, std::current_exception(), resp.mutable_failure());
    }
    if (abandoned(slot)) return unstuck(task.workflow_execution().run_id());
    const auto status = client->answer_query(std::move(resp));
    if (!status.ok()) log(LogLevel::kWarn, "could not answer a query: " + status.message);
  }

  // Applies events to the run with its code timed by the watchdog through `slot`.
  TaskOutput apply_watched(CachedRun& run, PoolSlot& slot, const std::vector<apihistory::HistoryEvent>& events, int64_t current_started,
                           const std::vector<::temporal::api::protocol::v1::Message>& messages) {
    std::vector<const apihistory::HistoryEvent*> ptrs;
    ptrs.reserve(events.size());
    for (const auto& e : events) {
      if (current_started == 0 || e.event_id() <= current_started) ptrs.push_back(&e);
    }
    run.run->watch_code(&slot.code_since);
    struct Unwatch {
      WorkflowRun* r;
      ~Unwatch() { r->watch_code(nullptr); }
    } unwatch{run.run.get()};
    return run.run->apply(ptrs, current_started, messages);
  }

  void handle_task(const wsv1::PollWorkflowTaskQueueResponse& task, PoolSlot& slot) {
    if (task.has_query()) return handle_legacy_query(task, slot);
    const std::string run_id = task.workflow_execution().run_id();
    bool stuck_now;
    {
      std::lock_guard lock(mu);
      stuck_now = stuck_run_ids.count(run_id) > 0;
    }
    if (stuck_now) {
      // Its code is still stuck on another thread: failing again beats a second stuck thread.
      fail_task(task, std::make_exception_ptr(potential_deadlock()), false);
      return;
    }
    std::shared_ptr<CachedRun> run = cache_get(run_id);
    const int64_t first = task.history().events_size() ? task.history().events(0).event_id() : 0;
    std::unique_lock<std::mutex> lock;
    if (run && (!lock_run(*run, lock) || first != run->run->last_event_id() + 1)) {
      // Missed events (or the task came from the normal queue after a restart): replay in full.
      if (lock.owns_lock()) lock.unlock();
      evict(run_id);
      run.reset();
    }
    TaskOutput output;
    std::exception_ptr error;
    bool nondeterminism = false;
    try {
      std::vector<apihistory::HistoryEvent> events;
      if (!run) {
        run = std::make_shared<CachedRun>();
        run->run = new_run(task);
        lock = std::unique_lock<std::mutex>(run->mu);
        events = fetch_history(task, first != 1);
      } else {
        events = fetch_history(task, false);
      }
      {
        std::lock_guard state_lock(mu);
        slot.run = run;
      }
      if (events.empty() || events.back().event_id() < task.started_event_id()) {
        throw NondeterminismError("history for workflow task ends at event " +
                                  std::to_string(events.empty() ? 0 : events.back().event_id()) +
                                  " before its started event " + std::to_string(task.started_event_id()));
      }
      std::vector<::temporal::api::protocol::v1::Message> messages(task.messages().begin(), task.messages().end());
      output = apply_watched(*run, slot, events, task.started_event_id(), messages);
    } catch (const NondeterminismError&) {
      error = std::current_exception();
      nondeterminism = true;
    } catch (...) {
      error = std::current_exception();
    }
    if (abandoned(slot)) {
      // The watchdog failed this task while the code ran: what it produced is dropped.
      unstuck(run_id);
      return;
    }
    if (error) {
      fail_task(task, error, nondeterminism);
      return;
    }
    wsv1::RespondWorkflowTaskCompletedRequest resp;
    resp.set_task_token(task.task_token());
    resp.set_identity(config.identity);
    resp.set_namespace_(config.namespace_name);
    for (auto& c : output.commands) *resp.add_commands() = std::move(c);
    for (auto& m : output.messages) *resp.add_messages() = std::move(m);
    run->run->watch_code(&slot.code_since);
    for (const auto& [id, q] : task.queries()) {
      auto& qr = (*resp.mutable_query_results())[id];
      try {
        auto args = converter::decode_from(config.data_converter, q.query_args());
        auto result = run->run->query(q.query_type(), args);
        qr.set_result_type(apienums::QUERY_RESULT_TYPE_ANSWERED);
        converter::encode_to(config.data_converter, converter::Payloads{result}, qr.mutable_answer());
      } catch (const std::exception& e) {
        qr.set_result_type(apienums::QUERY_RESULT_TYPE_FAILED);
        qr.set_error_message(e.what());
      }
    }
    run->run->watch_code(nullptr);
    const bool cache_it = config.options.max_cached_workflows > 0 && !run->run->completed();
    if (cache_it) {
      auto* sa = resp.mutable_sticky_attributes();
      sa->mutable_worker_task_queue()->set_name(sticky_queue);
      sa->mutable_worker_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_STICKY);
      sa->mutable_worker_task_queue()->set_normal_name(config.options.task_queue);
      converter::to_proto_duration(config.options.sticky_schedule_to_start_timeout, sa->mutable_schedule_to_start_timeout());
      // Cached before answering: once the server has the answer it may hand the run's next task (or
      // a query) to another poller at once, which must find this state, not an older one.
      cache_put(run_id, run);
    } else {
      evict(run_id);
    }
    const auto status = client->complete(std::move(resp));
    // A failed answer leaves the run ahead of the server's history: never reuse it.
    if (!status.ok()) {
      evict(run_id, run.get());
      log(LogLevel::kWarn, "could not complete a workflow task of " + task.workflow_execution().workflow_id() + ": " +
                               status.message);
    }
  }

  bool abandoned(const PoolSlot& slot) const {
    std::lock_guard lock(mu);
    return slot.abandoned;
  }
};

WorkflowWorker::WorkflowWorker(std::shared_ptr<WorkflowTaskClient> client, WorkflowWorkerConfig config,
                               std::function<void(std::exception_ptr)> on_fatal)
    : state_(std::make_shared<State>(std::move(client), std::move(config), std::move(on_fatal))) {}

WorkflowWorker::~WorkflowWorker() {
  shutdown();
  // Threads still in workflow code that never yields cannot be joined; they own (through the
  // state) everything they can touch, and end when that code returns.
  std::lock_guard lock(state_->mu);
  for (auto& slot : state_->pool) {
    if (slot->thread.joinable()) slot->thread.detach();
  }
}

void WorkflowWorker::start() {
  auto& s = *state_;
  std::lock_guard lock(s.mu);
  if (!s.pool.empty()) throw UsageError("WorkflowWorker::start called twice");
  const auto& o = s.config.options;
  for (int i = 0; i < o.max_concurrent_workflow_tasks; ++i) s.start_pool_thread();
  s.watchdog = std::thread([st = state_] { st->watchdog_main(); });
  const int pollers = std::max(1, o.workflow_task_pollers);
  s.start_poller(false, pollers);
  if (o.max_cached_workflows > 0) s.start_poller(true, std::max(1, pollers / 2));
}

void WorkflowWorker::shutdown() {
  auto& s = *state_;
  std::vector<std::unique_ptr<Poller<wsv1::PollWorkflowTaskQueueResponse>>> pollers;
  {
    std::lock_guard lock(s.mu);
    if (s.pool_stop) return;
    s.stopping = true;
    pollers = std::move(s.pollers);
  }
  const bool started = !pollers.empty();
  // Pollers waiting for a free slot give up at once; polls in flight are cancelled.
  for (auto& p : pollers) p->request_stop();
  s.slots->stop();
  for (auto& p : pollers) p->stop();
  pollers.clear();
  // Tasks already polled are answered, within the bound.
  s.slots->wait_idle(s.config.shutdown_wait);
  std::vector<std::shared_ptr<PoolSlot>> pool;
  {
    std::lock_guard lock(s.mu);
    // Tasks still queued past the bound are left to the server (they time out and go to another
    // worker); pool threads take no more.
    s.slots->release(static_cast<int>(s.queue.size()));
    s.queue.clear();
    s.pool_stop = true;
    s.cv.notify_all();
    s.watchdog_cv.notify_all();
    pool = s.pool;
  }
  if (s.watchdog.joinable()) s.watchdog.join();
  size_t busy = 0;
  for (auto& slot : pool) {
    bool idle, abandoned;
    {
      std::lock_guard lock(s.mu);
      idle = slot->exited || (!slot->busy && !slot->abandoned);
      abandoned = slot->abandoned;
    }
    // An idle thread leaves at once; one that is busy past the bound, or stuck, is not waited for.
    if (idle && slot->thread.joinable()) {
      slot->thread.join();
    } else if (!abandoned) {
      ++busy;
    }
  }
  if (started && s.config.options.max_cached_workflows > 0) {
    wsv1::ShutdownWorkerRequest req;
    req.set_namespace_(s.config.namespace_name);
    req.set_sticky_task_queue(s.sticky_queue);
    req.set_identity(s.config.identity);
    req.set_reason("graceful shutdown");
    // Older servers lack ShutdownWorker (UNIMPLEMENTED); nothing else to do then.
    (void)s.client->shutdown_worker(std::move(req));
  }
  std::lock_guard lock(s.mu);
  for (const auto& r : s.stuck) {
    if (!r.still_running) continue;
    s.log(LogLevel::kError, "shutdown: workflow " + r.workflow_id + " (run " + r.run_id + ", type " + r.workflow_type +
                                ") is still stuck in workflow code; its thread is left running");
  }
  if (busy > 0) {
    s.log(LogLevel::kWarn, "shutdown: " + std::to_string(busy) + " workflow task(s) still in progress after " +
                               std::to_string(s.config.shutdown_wait.count()) + " ms were not waited for");
  }
  s.cache.clear();
  s.lru.clear();
}

std::exception_ptr WorkflowWorker::fatal_error() const {
  std::lock_guard lock(state_->mu);
  return state_->fatal;
}

const std::string& WorkflowWorker::sticky_queue() const { return state_->sticky_queue; }

size_t WorkflowWorker::cached_runs() const {
  std::lock_guard lock(state_->mu);
  return state_->cache.size();
}

std::vector<StuckRun> WorkflowWorker::stuck_runs() const {
  std::lock_guard lock(state_->mu);
  return state_->stuck;
}

}  // namespace temporal::worker::detail
