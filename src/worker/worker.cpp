#include "temporal/worker/worker.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>

#include "worker/activity_worker.h"
#include "worker/workflow_worker.h"

namespace temporal::worker {

namespace {

// run_until_signal: the handler only writes the signal number to a pipe (async-signal-safe), so
// whichever thread the kernel picks, a worker thread included, the waiting thread learns of it.
std::atomic<int> g_signal_pipe{-1};  // write end, -1 when no run_until_signal is active
std::atomic<int> g_signals_seen{0};
std::atomic<bool> g_signal_waiter_active{false};

constexpr char kSecondSigint[] = "temporal: second SIGINT during the worker's graceful shutdown; exiting now\n";
constexpr char kSecondSigterm[] = "temporal: second SIGTERM during the worker's graceful shutdown; exiting now\n";

extern "C" void temporal_worker_on_stop_signal(int sig) {
  const int saved_errno = errno;
  if (g_signals_seen.fetch_add(1) > 0) {
    // Impatient: say so, then die by the signal's default action (re-raised; it is blocked
    // while this handler runs, so it lands once the handler returns).
    if (sig == SIGINT) {
      (void)!::write(STDERR_FILENO, kSecondSigint, sizeof(kSecondSigint) - 1);
    } else {
      (void)!::write(STDERR_FILENO, kSecondSigterm, sizeof(kSecondSigterm) - 1);
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
    errno = saved_errno;
    return;
  }
  const int fd = g_signal_pipe.load();
  if (fd >= 0) {
    const unsigned char b = static_cast<unsigned char>(sig);
    (void)!::write(fd, &b, 1);
  }
  errno = saved_errno;
}

// Installs the handlers for its lifetime and puts back what was there before.
class StopSignals {
 public:
  StopSignals() {
    bool expected = false;
    if (!g_signal_waiter_active.compare_exchange_strong(expected, true)) {
      throw UsageError("Worker::run_until_signal is already running in this process; call it once at a time");
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
      const int err = errno;
      g_signal_waiter_active = false;
      throw TemporalError(std::string("Worker::run_until_signal: pipe2() failed: ") + std::strerror(err));
    }
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    g_signals_seen = 0;
    g_signal_pipe = write_fd_;
    struct sigaction sa {};
    sa.sa_handler = temporal_worker_on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    ::pthread_sigmask(SIG_UNBLOCK, &stop, &old_mask_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    g_signal_pipe = -1;
    ::close(read_fd_);
    ::close(write_fd_);
    g_signal_waiter_active = false;
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// The signal that arrived within `timeout`, or 0.
  int wait(std::chrono::milliseconds timeout) const {
    pollfd p{read_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return 0;
    unsigned char b = 0;
    return ::read(read_fd_, &b, 1) == 1 ? b : 0;
  }

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  sigset_t old_mask_{};
};

}  // namespace

struct Worker::Impl {
  Impl(client::Client c, WorkerOptions o) : client(std::move(c)), options(std::move(o)) {}
  client::Client client;
  WorkerOptions options;
  std::map<std::string, workflow::WorkflowDefinition> workflows;
  std::map<std::string, ActivityFunction> activities;
  std::unique_ptr<detail::WorkflowWorker> workflow_worker;
  std::unique_ptr<detail::ActivityWorker> activity_worker;
  std::mutex mu;
  std::condition_variable cv;
  bool started = false;
  bool stopped = false;
  std::exception_ptr fatal;

  void on_fatal(std::exception_ptr e) {
    std::lock_guard lock(mu);
    if (!fatal) fatal = e;
    cv.notify_all();
  }
};

Worker::Worker(client::Client client, WorkerOptions options) {
  if (options.task_queue.empty()) {
    throw InvalidArgumentError("task_queue", "WorkerOptions.task_queue is required: name the task queue to poll");
  }
  if (options.max_concurrent_activities < 1 || options.max_concurrent_workflow_tasks < 1) {
    throw InvalidArgumentError("max_concurrent_activities", "WorkerOptions concurrency limits must be at least 1");
  }
  impl_ = std::make_unique<Impl>(std::move(client), std::move(options));
}

Worker::~Worker() { shutdown(); }

Worker& Worker::register_workflow(workflow::WorkflowDefinition definition) {
  if (impl_->started) throw UsageError("register workflows before Worker::start");
  if (definition.name.empty()) throw InvalidArgumentError("workflow_type", "a workflow type needs a name");
  if (impl_->workflows.count(definition.name)) {
    throw InvalidArgumentError("workflow_type", "workflow type '" + definition.name +
                                                    "' is already registered on this worker; register each type once");
  }
  auto name = definition.name;
  impl_->workflows.emplace(std::move(name), std::move(definition));
  return *this;
}

Worker& Worker::register_activity_function(std::string name, ActivityFunction fn) {
  if (impl_->started) throw UsageError("register activities before Worker::start");
  if (name.empty()) throw InvalidArgumentError("activity_type", "an activity type needs a name");
  if (impl_->activities.count(name)) {
    throw InvalidArgumentError("activity_type", "activity type '" + name +
                                                    "' is already registered on this worker; register each type once");
  }
  impl_->activities.emplace(std::move(name), std::move(fn));
  return *this;
}

void Worker::start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->started) throw UsageError("Worker::start called twice");
  impl_->started = true;
  // Unset: the connection's logger (which defaults to stderr).
  if (!impl_->options.logger) impl_->options.logger = impl_->client.core()->connection.options().logger;
  auto* impl = impl_.get();
  auto on_fatal = [impl](std::exception_ptr e) { impl->on_fatal(e); };
  if (!impl_->workflows.empty()) {
    const auto& core = impl_->client.core();
    detail::WorkflowWorkerConfig config;
    config.namespace_name = core->namespace_name;
    config.identity = impl_->options.identity.empty() ? core->identity : impl_->options.identity;
    config.options = impl_->options;
    config.data_converter = core->data_converter;
    config.workflows = impl_->workflows;
    config.logger = impl_->options.logger;
    impl_->workflow_worker = std::make_unique<detail::WorkflowWorker>(detail::grpc_workflow_task_client(core),
                                                                      std::move(config), on_fatal);
    impl_->workflow_worker->start();
  }
  if (!impl_->activities.empty() && !impl_->options.no_activities) {
    impl_->activity_worker = std::make_unique<detail::ActivityWorker>(impl_->client.core(), impl_->options,
                                                                      impl_->activities, on_fatal);
    impl_->activity_worker->start();
  }
}

void Worker::run() {
  start();
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait(lock, [&] { return impl_->stopped || impl_->fatal; });
  auto fatal = impl_->fatal;
  lock.unlock();
  if (fatal) {
    shutdown();
    std::rethrow_exception(fatal);
  }
}

void Worker::run_until_signal() {
  StopSignals signals;
  start();
  int sig = 0;
  for (;;) {
    {
      std::lock_guard lock(impl_->mu);
      if (impl_->stopped || impl_->fatal) break;
    }
    // Short waits: shutdown() from another thread or a fatal error also end the wait.
    if ((sig = signals.wait(std::chrono::milliseconds(100))) != 0) break;
  }
  if (sig != 0) {
    const Logger& log = impl_->options.logger ? impl_->options.logger : stderr_logger();
    log(LogLevel::kInfo, std::string("worker: received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                             ", shutting down gracefully (a second signal exits at once)");
  }
  shutdown();
  auto fatal = fatal_error();
  if (fatal) std::rethrow_exception(fatal);
}

void Worker::shutdown() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  // Workflows first: ShutdownWorker makes the server send this worker's sticky work to the normal
  // queue, so the workflow tasks that the finishing activities cause go to another worker at once
  // instead of waiting out the sticky schedule-to-start timeout.
  if (impl_->workflow_worker) impl_->workflow_worker->shutdown();
  if (impl_->activity_worker) impl_->activity_worker->shutdown();
  impl_->cv.notify_all();
}

std::exception_ptr Worker::fatal_error() const {
  std::lock_guard lock(impl_->mu);
  return impl_->fatal;
}

const WorkerOptions& Worker::options() const { return impl_->options; }

}  // namespace temporal::worker
