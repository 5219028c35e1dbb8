#include "worker/workflow_run.h"

#include <chrono>

namespace temporal::worker::detail {

/// Marks workflow code as running for the deadlock watchdog, for the scope's lifetime.
struct WorkflowRun::CodeRunning {
  explicit CodeRunning(std::atomic<int64_t>* clock) : clock_(clock) {
    if (clock_) clock_->store(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  ~CodeRunning() {
    if (clock_) clock_->store(0);
  }
  std::atomic<int64_t>* clock_;
};

WorkflowRun::WorkflowRun(const workflow::WorkflowDefinition* definition, const converter::DataConverter* data_converter,
                         std::string namespace_name, std::string task_queue, std::string workflow_id,
                         std::string run_id, Logger logger)
    : instance_(definition, std::move(logger)),
      machines_(MachineContext{.data_converter = data_converter,
                               .namespace_name = std::move(namespace_name),
                               .task_queue = std::move(task_queue),
                               .workflow_type = {},
                               .memo = {},
                               .search_attributes = {}},
                std::move(workflow_id), std::move(run_id), [this](workflow::detail::Activation a) {
                  CodeRunning running(code_clock_);
                  return instance_.activate(std::move(a));
                }) {}

converter::Payload WorkflowRun::query(const std::string& name, const converter::Payloads& args) {
  CodeRunning running(code_clock_);
  return instance_.query(name, args);
}

}  // namespace temporal::worker::detail
