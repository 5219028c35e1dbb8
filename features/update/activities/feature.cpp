// update/activities: an update handler runs activities (five at once) and returns when all
// completed, with their total; no update is rejected.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

constexpr int kActivityResult = 6;
constexpr int kActivities = 5;

int some_activity() { return kActivityResult; }

wf::Workflow<int> run_activities() {
  wf::ActivityOptions options;
  options.start_to_close_timeout = std::chrono::seconds(5);
  std::vector<wf::Workflow<int>> all;
  for (int i = 0; i < kActivities; ++i) all.push_back(wf::execute_activity<int>("someActivity", options));
  auto joined = wf::when_all(std::move(all));
  std::vector<int> results = co_await joined;
  int total = 0;
  for (int r : results) total += r;
  co_return total;
}

wf::Workflow<void> workflow() {
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler("updateActivity", []() { return run_activities(); });
  wf::set_signal_handler("shutdown_signal", [done]() { *done = true; });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
}
}  // namespace

Scenario update_activities() {
  Scenario s;
  s.dir = "update/activities";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("someActivity", some_activity); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.execute_update<int>("updateActivity").get(), kActivityResult * kActivities, "update result");
    handle.signal("shutdown_signal").get();
    handle.result<void>().get();
    check_no_update_rejected_events(ctx);
  };
  return s;
}

}  // namespace temporal::features::scenarios
