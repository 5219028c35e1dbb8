// eager_activity/non_remote_activities_worker: a worker that does not run (non-local)
// activities but has them registered must not take an activity eagerly: the workflow's
// activity (3 s schedule-to-close) is never picked up and times out schedule-to-start, which
// the workflow checks.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

void dummy() {}

wf::Workflow<void> workflow() {
  wf::ActivityOptions options;
  options.schedule_to_close_timeout = std::chrono::seconds(3);
  try {
    auto a = wf::execute_activity<void>("dummy", options);
    co_await a;
  } catch (const ActivityFailure& e) {
    const auto* t = dynamic_cast<const TimeoutFailure*>(e.cause());
    if (t != nullptr && t->timeout_type() == TimeoutType::kScheduleToStart) co_return;
    throw ApplicationFailure(std::string("expected a schedule-to-start timeout, got: ") + e.what(),
                             ApplicationFailure::Info{.type = "Unexpected", .non_retryable = true});
  }
  throw ApplicationFailure("expected the activity to time out", ApplicationFailure::Info{.non_retryable = true});
}
}  // namespace

Scenario eager_activity_non_remote_activities_worker() {
  Scenario s;
  s.dir = "eager_activity/non_remote_activities_worker";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("dummy", dummy); };
  s.worker_options.no_activities = true;
  s.run = [](Context& ctx) { ctx.start("Workflow").result<void>().get(); };
  return s;
}

}  // namespace temporal::features::scenarios
