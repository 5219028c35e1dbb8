// schedule/backfill: a paused every-minute schedule backfilled over two past three-minute
// ranges (both ends inclusive) runs its action six times.
#include "schedule/schedule_util.h"

namespace temporal::features::scenarios {

Scenario schedule_backfill() {
  Scenario s;
  s.dir = "schedule/backfill";
  s.registration = [](Registrar& r) { r.workflow("Workflow", schedule_echo); };
  s.check_history = false;  // as in the official version, which returns no run to check
  s.run = [](Context& ctx) {
    auto options = echo_schedule(ctx, std::chrono::minutes(1), "Workflow", new_uuid(), "arg1");
    options.state.paused = true;
    ScopedSchedule handle(ctx.client().schedule().create(new_uuid(), options).get());
    using std::chrono::floor;
    using std::chrono::minutes;
    const auto now = std::chrono::system_clock::now();
    const auto three_years_ago = floor<minutes>(now - std::chrono::hours(3 * 365 * 24));
    const auto thirty_minutes_ago = floor<minutes>(now - minutes(30));
    handle->backfill({
                         {three_years_ago - minutes(2), three_years_ago, client::ScheduleOverlapPolicy::kAllowAll},
                         {thirty_minutes_ago - minutes(2), thirty_minutes_ago, client::ScheduleOverlapPolicy::kAllowAll},
                     })
        .get();
    int64_t actions = 0;
    size_t running = 0;
    eventually(10s, 500ms, [&] {
      auto d = handle->describe().get();
      actions = d.info.num_actions;
      running = d.info.running_workflows.size();
      return actions == 6 && running == 0;
    }, "six backfilled actions, none running");
  };
  return s;
}

}  // namespace temporal::features::scenarios
