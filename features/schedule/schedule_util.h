// Shared by the schedule scenarios: the echo workflow they schedule and a schedule that is
// deleted when the scenario ends, pass or fail (as the official versions defer Delete).
#pragma once

#include "harness/harness.h"
#include "temporal/client/schedule_client.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {

inline workflow::Workflow<std::string> schedule_echo(std::string arg) { co_return arg; }

/// Deletes its schedule on destruction.
class ScopedSchedule {
 public:
  explicit ScopedSchedule(client::ScheduleHandle h) : handle_(std::move(h)) {}
  ~ScopedSchedule() {
    try {
      handle_.delete_schedule().get();
    } catch (...) {
    }
  }
  ScopedSchedule(const ScopedSchedule&) = delete;
  ScopedSchedule& operator=(const ScopedSchedule&) = delete;
  const client::ScheduleHandle& operator*() const { return handle_; }
  const client::ScheduleHandle* operator->() const { return &handle_; }

 private:
  client::ScheduleHandle handle_;
};

/// A schedule every `every` that starts `workflow_type`(arg) with the workflow id `workflow_id`.
inline client::ScheduleOptions echo_schedule(const Context& ctx, std::chrono::milliseconds every,
                                             const std::string& workflow_type, const std::string& workflow_id,
                                             const std::string& arg) {
  client::ScheduleOptions o;
  o.spec.intervals.push_back({.every = every});
  client::WorkflowOptions wo;
  wo.task_queue = ctx.task_queue();
  wo.workflow_id = workflow_id;
  o.action = client::ScheduleActionStartWorkflow::with_args(workflow_type, wo, arg);
  return o;
}

}  // namespace temporal::features::scenarios
