// expect: gcc12-rejects
#include "temporal/client.h"
temporal::Task<void> f(temporal::client::ScheduleHandle handle, std::string note) {
  co_await handle.update([note](const temporal::client::ScheduleDescription& d) {
    std::optional<temporal::client::ScheduleUpdate> u = temporal::client::ScheduleUpdate{d.schedule};
    u->schedule.state.note = note;
    return u;
  });
}
