// schedule/pause: a schedule created paused with a note can be re-paused with another note,
// unpaused (default note), re-unpaused with a note, and paused again (default note); describe()
// shows each state and note.
#include "schedule/schedule_util.h"

namespace temporal::features::scenarios {

Scenario schedule_pause() {
  Scenario s;
  s.dir = "schedule/pause";
  s.registration = [](Registrar& r) { r.workflow("Workflow", schedule_echo); };
  s.check_history = false;  // as in the official version, which returns no run to check
  s.run = [](Context& ctx) {
    auto options = echo_schedule(ctx, std::chrono::minutes(1), "Workflow", new_uuid(), "arg1");
    options.state.paused = true;
    options.state.note = "initial note";
    ScopedSchedule handle(ctx.client().schedule().create(new_uuid(), options).get());
    auto expect = [&](bool paused, const std::string& note) {
      auto d = handle->describe().get();
      check_eq(d.schedule.state.paused, paused, "paused");
      check_eq(d.schedule.state.note, note, "note");
    };
    expect(true, "initial note");
    handle->pause("custom note1").get();
    expect(true, "custom note1");
    handle->unpause().get();
    expect(false, "Unpaused via C++ SDK");
    handle->unpause("custom note2").get();
    expect(false, "custom note2");
    handle->pause().get();
    expect(true, "Paused via C++ SDK");
  };
  return s;
}

}  // namespace temporal::features::scenarios
