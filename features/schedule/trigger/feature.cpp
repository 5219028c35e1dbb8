// schedule/trigger: a paused schedule triggered twice runs its action twice.
#include <thread>

#include "schedule/schedule_util.h"

namespace temporal::features::scenarios {

Scenario schedule_trigger() {
  Scenario s;
  s.dir = "schedule/trigger";
  s.registration = [](Registrar& r) { r.workflow("Workflow", schedule_echo); };
  s.check_history = false;  // as in the official version, which returns no run to check
  s.run = [](Context& ctx) {
    auto options = echo_schedule(ctx, std::chrono::minutes(1), "Workflow", new_uuid(), "arg1");
    options.state.paused = true;
    ScopedSchedule handle(ctx.client().schedule().create(new_uuid(), options).get());
    handle->trigger().get();
    // The server drops a second trigger that comes too soon after the first (temporalio/temporal#3614).
    std::this_thread::sleep_for(2s);
    handle->trigger().get();
    eventually(3s, 100ms, [&] { return handle->describe().get().info.num_actions == 2; }, "two actions");
  };
  return s;
}

}  // namespace temporal::features::scenarios
