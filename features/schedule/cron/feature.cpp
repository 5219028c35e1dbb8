// schedule/cron: a workflow started with the cron schedule "@every 2s" sees it in its info, and
// within 10 s at least two of its runs have completed (none failed).
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

#include <thread>

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<std::string> workflow() {
  if (wf::info().cron_schedule != "@every 2s") {
    throw ApplicationFailure("invalid cron schedule: " + wf::info().cron_schedule, ApplicationFailure::Info{});
  }
  co_return "";
}
}  // namespace

Scenario schedule_cron() {
  Scenario s;
  s.dir = "schedule/cron";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.check_history = false;  // the number of runs depends on timing
  s.run = [](Context& ctx) {
    auto options = ctx.workflow_options();
    options.cron_schedule = "@every 2s";
    auto handle = ctx.client().workflow().start("Workflow", options).get();
    struct Terminate {
      client::WorkflowHandle h;
      ~Terminate() {
        try {
          h.terminate("feature complete").get();
        } catch (...) {
        }
      }
    } terminate{handle};
    int completed = 0;
    eventually(10s, 1s, [&] {
      completed = 0;
      for (const auto& e : ctx.client().workflow().list("WorkflowId = '" + handle.workflow_id() + "'")) {
        if (e.status == client::WorkflowExecutionStatus::kCompleted) {
          ++completed;
        } else {
          check(e.status == client::WorkflowExecutionStatus::kRunning,
                std::string("a cron run ended ") + client::to_string(e.status));
        }
      }
      return completed >= 2;
    }, "two completed cron runs");
  };
  return s;
}

}  // namespace temporal::features::scenarios
