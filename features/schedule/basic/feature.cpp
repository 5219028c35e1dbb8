// schedule/basic: a schedule every 2 s starts a workflow with an argument; it can be described
// and listed; once a run completed with the first argument, an update changes the argument and
// a later run completes with the new one.
#include "schedule/schedule_util.h"

namespace temporal::features::scenarios {
namespace {

// Waits (10 s at most) until a run of the schedule's workflow completed with `expected`; every
// other run seen must be running or completed.
void wait_completed_with(const Context& ctx, const std::string& id_prefix, const std::string& expected) {
  eventually(10s, 1s, [&] {
    for (const auto& e : ctx.client().workflow().list("WorkflowType = 'BasicScheduleWorkflow'")) {
      if (e.workflow_id.rfind(id_prefix, 0) != 0) continue;
      if (e.status == client::WorkflowExecutionStatus::kCompleted) {
        auto result = ctx.client().workflow().get_handle(e.workflow_id, e.run_id).result<std::string>().get();
        if (result == expected) return true;
      } else {
        check_eq(std::string(client::to_string(e.status)), std::string(client::to_string(client::WorkflowExecutionStatus::kRunning)),
                 "status of a scheduled run");
      }
    }
    return false;
  }, "a scheduled run completing with " + expected);
}
}  // namespace

Scenario schedule_basic() {
  Scenario s;
  s.dir = "schedule/basic";
  s.registration = [](Registrar& r) { r.workflow("BasicScheduleWorkflow", schedule_echo); };
  s.check_history = false;  // how many runs there are depends on timing
  s.run = [](Context& ctx) {
    const std::string workflow_id = new_uuid();
    auto options = echo_schedule(ctx, 2s, "BasicScheduleWorkflow", workflow_id, "arg1");
    options.policies.overlap = client::ScheduleOverlapPolicy::kBufferOne;
    ScopedSchedule handle(ctx.client().schedule().create(new_uuid(), options).get());

    check_eq(handle->describe().get().schedule.action.options.workflow_id, workflow_id, "described workflow id");
    // Visibility is eventually consistent: look for the schedule for up to 10 s.
    eventually(10s, 1s, [&] {
      for (const auto& e : ctx.client().schedule().list()) {
        if (e.id == handle->id()) return true;
      }
      return false;
    }, "the schedule in list()");

    wait_completed_with(ctx, workflow_id, "arg1");
    handle->update([](const client::ScheduleDescription& d) -> std::optional<client::ScheduleUpdate> {
            client::ScheduleUpdate u;
            u.schedule = d.schedule;
            u.schedule.action.args = converter::to_payloads(std::string("arg2"));
            return u;
          })
        .get();
    wait_completed_with(ctx, workflow_id, "arg2");
  };
  return s;
}

}  // namespace temporal::features::scenarios
