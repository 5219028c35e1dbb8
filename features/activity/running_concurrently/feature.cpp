// activity/running_concurrently: a workflow starts several activities at once and collects
// their results. The workflow task that starts them schedules all of them (one completion with
// every ScheduleActivityTask command), the worker runs them at the same time (each waits until
// all are running), and each result reaches the workflow.
//
// The official suite has only the README for this scenario; these checks follow its spec.
#include <condition_variable>
#include <map>
#include <mutex>

#include "harness/history.h"
#include "temporal/activity/activity.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

constexpr int kActivities = 3;

// Activities of one run meet here: each returns only once all of them are running.
std::mutex g_mu;
std::condition_variable g_cv;
std::map<std::string, int> g_running;

std::string meet(int index) {
  const std::string run = temporal::activity::info().workflow_run_id;
  std::unique_lock lock(g_mu);
  ++g_running[run];
  g_cv.notify_all();
  if (!g_cv.wait_for(lock, std::chrono::seconds(20), [&] { return g_running[run] >= kActivities; })) {
    throw ApplicationFailure("only " + std::to_string(g_running[run]) + " activities ran at once",
                             ApplicationFailure::Info{.type = "NotConcurrent", .non_retryable = true});
  }
  return "result-" + std::to_string(index);
}

wf::Workflow<std::vector<std::string>> workflow() {
  wf::ActivityOptions options;
  options.start_to_close_timeout = std::chrono::seconds(30);
  std::vector<wf::Workflow<std::string>> all;
  for (int i = 0; i < kActivities; ++i) all.push_back(wf::execute_activity<std::string>("meet", options, i));
  auto joined = wf::when_all(std::move(all));
  std::vector<std::string> results = co_await joined;
  co_return results;
}
}  // namespace

Scenario activity_running_concurrently() {
  Scenario s;
  s.dir = "activity/running_concurrently";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("meet", meet); };
  s.worker_options.max_concurrent_activities = kActivities;
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.result<std::vector<std::string>>().get(),
             std::vector<std::string>{"result-0", "result-1", "result-2"}, "workflow result");
    // Every ScheduleActivityTask came in the same workflow task completion, before any activity started.
    auto history = history_of(handle);
    int64_t completed_task = 0;
    std::vector<int64_t> scheduled_by;
    for (const auto& e : history.events()) {
      if (e.has_workflow_task_completed_event_attributes() && completed_task == 0) completed_task = e.event_id();
      if (e.has_activity_task_scheduled_event_attributes()) {
        scheduled_by.push_back(e.activity_task_scheduled_event_attributes().workflow_task_completed_event_id());
      }
    }
    check_eq(static_cast<int>(scheduled_by.size()), kActivities, "ActivityTaskScheduled events");
    for (int64_t id : scheduled_by) check_eq(id, completed_task, "workflow task that scheduled each activity");
  };
  return s;
}

}  // namespace temporal::features::scenarios
