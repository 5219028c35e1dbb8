// The workflow half of a Worker: pollers (normal and sticky queue) hand workflow tasks to a fixed
// pool of max_concurrent_workflow_tasks threads; each task is applied to its run (an LRU cache of
// runs, each behind its own lock) and answered. A watchdog times every activation of workflow code:
// a run whose code did not yield within deadlock_timeout has its task failed (PotentialDeadlock),
// is remembered while its thread is stuck, and is reported at shutdown.
//
// Everything a pool thread touches is owned through a shared_ptr it holds, so a thread stuck in
// workflow code can outlive the worker (and the client) without touching freed memory; shutdown()
// never waits for such a thread.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "temporal/common/logger.h"
#include "temporal/worker/worker.h"
#include "worker/workflow_task_client.h"

namespace temporal::worker::detail {

struct WorkflowWorkerConfig {
  std::string namespace_name;
  std::string identity;
  WorkerOptions options;
  converter::DataConverter data_converter;
  std::map<std::string, workflow::WorkflowDefinition> workflows;
  Logger logger;
  /// How long shutdown() waits for workflow tasks in progress before it gives up on them.
  std::chrono::milliseconds shutdown_wait{10'000};
};

/// A run whose workflow code did not yield within the deadlock timeout.
struct StuckRun {
  std::string workflow_id;
  std::string run_id;
  std::string workflow_type;
  std::chrono::steady_clock::time_point since;
  bool still_running = true;  ///< false once its code returned
};

class WorkflowWorker {
 public:
  WorkflowWorker(std::shared_ptr<WorkflowTaskClient> client, WorkflowWorkerConfig config,
                 std::function<void(std::exception_ptr)> on_fatal = {});
  ~WorkflowWorker();
  WorkflowWorker(const WorkflowWorker&) = delete;
  WorkflowWorker& operator=(const WorkflowWorker&) = delete;

  void start();
  /// Stops polling, answers tasks already polled (waiting at most config.shutdown_wait), tells the
  /// server the sticky queue is gone, and reports runs still stuck in workflow code. Idempotent;
  /// never waits for a stuck thread.
  void shutdown();
  std::exception_ptr fatal_error() const;
  const std::string& sticky_queue() const;
  size_t cached_runs() const;
  /// Runs whose code overran the deadlock timeout, in the order detected.
  std::vector<StuckRun> stuck_runs() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace temporal::worker::detail
