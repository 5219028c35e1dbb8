// One workflow run as the worker holds it: the engine side (WorkflowMachines: history, machines,
// protobuf) and the language side (workflow::detail::Instance: coroutines, handlers), joined at the
// activation boundary. Used by the workflow worker (one per cached run) and by the Replayer.
//
// Not thread-safe: one thread at a time (the worker's per-run lock).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "temporal/common/logger.h"
#include "temporal/workflow/definition.h"
#include "worker/workflow_machines.h"
#include "workflow/instance.h"

namespace temporal::worker::detail {

class WorkflowRun {
 public:
  /// `definition` and `data_converter` must outlive the run.
  WorkflowRun(const workflow::WorkflowDefinition* definition, const converter::DataConverter* data_converter,
              std::string namespace_name, std::string task_queue, std::string workflow_id, std::string run_id,
              Logger logger);

  /// See WorkflowMachines::apply.
  TaskOutput apply(const std::vector<const HistoryEvent*>& events, int64_t current_started_event_id,
                   const std::vector<apiprotocol::Message>& messages) {
    return machines_.apply(events, current_started_event_id, messages);
  }
  /// Runs a query handler, read-only (throws if there is none).
  converter::Payload query(const std::string& name, const converter::Payloads& args);

  /// While workflow code runs (an activation or a query handler), `*clock` holds the steady-clock
  /// time it started, in nanoseconds; 0 otherwise. The worker's deadlock watchdog reads it.
  void watch_code(std::atomic<int64_t>* clock) { code_clock_ = clock; }
  void require_all_commands_recorded() const { machines_.require_all_commands_recorded(); }

  bool completed() const { return instance_.completed(); }
  int64_t last_event_id() const { return machines_.last_event_id(); }
  int tasks_run() const { return machines_.tasks_run(); }
  /// What the run holds for work not finished: live machines, and operations the code waits for.
  size_t live_machines() const { return machines_.machine_count(); }
  size_t pending_operations() const { return instance_.pending_operations(); }

 private:
  struct CodeRunning;

  std::atomic<int64_t>* code_clock_ = nullptr;
  workflow::detail::Instance instance_;
  WorkflowMachines machines_;  // after instance_: it calls into it
};

}  // namespace temporal::worker::detail
