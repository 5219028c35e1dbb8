// schedule/duplicate_error: creating a schedule with an id that exists fails with
// ScheduleAlreadyRunningError.
#include "schedule/schedule_util.h"

namespace temporal::features::scenarios {
namespace {
workflow::Workflow<void> noop() { co_return; }
}  // namespace

Scenario schedule_duplicate_error() {
  Scenario s;
  s.dir = "schedule/duplicate_error";
  s.registration = [](Registrar& r) { r.workflow("Workflow", noop); };
  s.check_history = false;  // as in the official version, which returns no run to check
  s.run = [](Context& ctx) {
    const std::string id = new_uuid();
    client::ScheduleOptions options;
    options.spec.intervals.push_back({.every = std::chrono::hours(1)});
    client::WorkflowOptions wo;
    wo.task_queue = ctx.task_queue();
    wo.workflow_id = new_uuid();
    options.action = client::ScheduleActionStartWorkflow::with_args("Workflow", wo);
    options.state.paused = true;
    ScopedSchedule handle(ctx.client().schedule().create(id, options).get());
    auto e = check_throws<client::ScheduleAlreadyRunningError>([&] { (void)ctx.client().schedule().create(id, options).get(); },
                                                               "creating the schedule again");
    check_eq(e.schedule_id(), id, "schedule id in the error");
  };
  return s;
}

}  // namespace temporal::features::scenarios
