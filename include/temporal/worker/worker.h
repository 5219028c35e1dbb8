// Worker: polls a task queue and runs the workflows and activities registered with it.
//
//   temporal::worker::Worker worker(client, {.task_queue = "tutorial"});
//   worker.register_workflow("greet", greet);          // wf::Workflow<std::string> greet(std::string)
//   worker.register_activity("compose", compose);      // std::string compose(std::string)
//   worker.run();                                      // until shutdown() or a fatal error
//   // or: worker.run_until_signal();                  // until SIGINT/SIGTERM, then a graceful shutdown
//
// Register everything before start(). start/shutdown may be called from any thread; the
// registration functions are not thread-safe.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>

#include "temporal/client/client.h"
#include "temporal/common/function_traits.h"
#include "temporal/common/logger.h"
#include "temporal/converter/data_converter.h"
#include "temporal/workflow/definition.h"
#include "temporal/workflow/workflow.h"

namespace temporal::worker {

struct WorkerOptions {
  std::string task_queue{};
  /// Workflow tasks processed at once, by a fixed pool of as many threads; a poller polls only
  /// when a slot is free.
  int max_concurrent_workflow_tasks = 50;
  /// Activities running at once (each on its own pool thread).
  int max_concurrent_activities = 20;
  int workflow_task_pollers = 2;
  int activity_task_pollers = 2;
  /// Workflow instances kept in memory between tasks (sticky execution); 0 disables the cache.
  size_t max_cached_workflows = 1000;
  std::chrono::milliseconds sticky_schedule_to_start_timeout{5000};
  /// Workflow code that runs longer than this in one activation without yielding is a likely
  /// deadlock: its task fails (PotentialDeadlock) and the run is remembered until its code returns.
  /// Only the code is timed, not history fetching or replay bookkeeping.
  std::chrono::milliseconds deadlock_timeout{2000};
  /// How long shutdown() lets running activities finish before cancelling them.
  std::chrono::milliseconds graceful_shutdown_timeout{0};
  /// Do not poll for activities (workflow-only worker).
  bool no_activities = false;
  std::string identity{};
  /// Where the worker's log lines go. Empty: the connection's ConnectionOptions::logger (stderr by default).
  Logger logger{};
};

/// A registered activity: runs synchronously on a pool thread.
using ActivityFunction = std::function<converter::Payload(const converter::Payloads&)>;

class Worker {
 public:
  Worker(client::Client client, WorkerOptions options);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Registers a workflow type: a definition (a WorkflowClass, see workflow/definition.h) ...
  Worker& register_workflow(workflow::WorkflowDefinition definition);
  /// ... or a coroutine function. Registering a name twice throws InvalidArgumentError.
  template <class F>
  Worker& register_workflow(std::string name, F fn) {
    return register_workflow(workflow::define_workflow(std::move(name), std::move(fn)));
  }

  /// Registering a name twice throws InvalidArgumentError.
  Worker& register_activity_function(std::string name, ActivityFunction fn);
  template <class F>
  Worker& register_activity(std::string name, F fn) {
    return register_activity_function(std::move(name), [fn](const converter::Payloads& input) mutable {
      auto args = workflow::detail::decode_for<F>(input);
      using R = typename temporal::detail::FunctionTraits<F>::Result;
      if constexpr (std::is_void_v<R>) {
        std::apply(fn, std::move(args));
        return converter::to_payload(nullptr);
      } else {
        return converter::to_payload(std::apply(fn, std::move(args)));
      }
    });
  }

  /// Starts polling on background threads and returns.
  void start();
  /// start(), then blocks until shutdown() completes or a fatal error (rethrown here).
  void run();
  /// run() until the process gets SIGINT or SIGTERM, then shutdown() (in-flight workflow tasks
  /// finish, activities get graceful_shutdown_timeout) and return; a fatal error is rethrown.
  /// For a worker's main():
  ///
  ///   worker.run_until_signal();   // Ctrl-C or `kill` stops it cleanly
  ///
  /// Installs SIGINT and SIGTERM handlers (sigaction; they only write to a pipe, so any thread,
  /// the worker's included, may take the signal) while it runs and restores the previous ones
  /// before returning. A second SIGINT or SIGTERM during the graceful shutdown says so on stderr
  /// and ends the process at once, by that signal's default action. A signal that every thread
  /// blocks is never delivered (it is unblocked in the calling thread while this runs). One call
  /// at a time per process: a concurrent second call throws UsageError.
  void run_until_signal();
  /// Stops polling, lets running tasks finish (activities up to graceful_shutdown_timeout, then
  /// cancelled), tells the server (ShutdownWorker) and joins the threads. Idempotent.
  void shutdown();
  /// The error that stopped the worker, if any (e.g. the namespace does not exist).
  std::exception_ptr fatal_error() const;

  const WorkerOptions& options() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace temporal::worker
