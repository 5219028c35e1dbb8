// Polls workflow tasks (normal and sticky queues), keeps an LRU cache of workflow instances,
// replays history through them and answers the server.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "client/client_core.h"
#include "temporal/worker/worker.h"
#include "workflow/instance.h"

namespace temporal::worker::detail {

namespace wsv1 = ::temporal::api::workflowservice::v1;

class WorkflowWorker {
 public:
  WorkflowWorker(std::shared_ptr<const client::detail::ClientCore> core, WorkerOptions options,
                 std::map<std::string, WorkflowFactory> workflows, std::function<void(std::exception_ptr)> on_fatal = {});
  ~WorkflowWorker();
  void start();
  /// Stops polling, waits for tasks in progress, tells the server the sticky queue is gone. Idempotent.
  void shutdown();
  std::exception_ptr fatal_error() const;
  const std::string& sticky_queue() const { return sticky_queue_; }
  size_t cached_runs() const;

  /// Processes one polled task and answers it (exposed for tests).
  void handle_task(wsv1::PollWorkflowTaskQueueResponse task);

 private:
  struct Run {
    std::mutex mu;
    std::unique_ptr<workflow::detail::Instance> instance;
  };
  void poll_loop(bool sticky);
  /// Waits for one of max_concurrent_workflow_tasks slots.
  void acquire_slot();
  void release_slot();
  std::shared_ptr<Run> cache_get(const std::string& run_id);
  void cache_put(const std::string& run_id, std::shared_ptr<Run> run);
  /// Drops the run from the cache (only if the cached entry is `only`, when given).
  void evict(const std::string& run_id, const Run* only = nullptr);
  std::vector<::temporal::api::history::v1::HistoryEvent> fetch_history(const wsv1::PollWorkflowTaskQueueResponse& task,
                                                                         bool from_start);
  std::unique_ptr<workflow::detail::Instance> new_instance(const wsv1::PollWorkflowTaskQueueResponse& task);
  void handle_legacy_query(wsv1::PollWorkflowTaskQueueResponse& task);
  void fail_task(const wsv1::PollWorkflowTaskQueueResponse& task, std::exception_ptr error, bool nondeterminism);

  std::shared_ptr<const client::detail::ClientCore> core_;
  WorkerOptions options_;
  std::map<std::string, WorkflowFactory> workflows_;
  std::function<void(std::exception_ptr)> on_fatal_;
  std::string sticky_queue_;
  std::shared_ptr<rpc::CallCancellation> polls_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex slots_mu_;
  std::condition_variable slots_cv_;
  int in_flight_ = 0;  ///< tasks being processed
  std::atomic<bool> started_{false};
  mutable std::mutex mu_;
  std::exception_ptr fatal_;
  std::list<std::string> lru_;
  std::unordered_map<std::string, std::pair<std::shared_ptr<Run>, std::list<std::string>::iterator>> cache_;
};

}  // namespace temporal::worker::detail
