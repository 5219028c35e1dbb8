// update/self: a workflow's activity sends an update to the workflow (with a client of its
// own); once the activity returned, the update's effect is visible to the workflow.
#include "harness/harness.h"
#include "temporal/activity/activity.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

void self_update_activity() {
  client::Client c(environment().connection);
  const auto& info = temporal::activity::info();
  c.workflow().get_handle(info.workflow_id, info.workflow_run_id).execute_update<void>("update!").get();
}

wf::Workflow<std::string> workflow() {
  auto state = std::make_shared<std::string>("not called");
  wf::set_update_handler("update!", [state]() { *state = "called"; });
  wf::ActivityOptions options;
  options.start_to_close_timeout = std::chrono::seconds(5);
  auto a = wf::execute_activity<void>("selfUpdateActivity", options);
  co_await a;
  if (*state != "called") {
    throw ApplicationFailure("expected state == \"called\" but found \"" + *state + "\"", ApplicationFailure::Info{.non_retryable = true});
  }
  co_return *state;
}
}  // namespace

Scenario update_self() {
  Scenario s;
  s.dir = "update/self";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("selfUpdateActivity", self_update_activity); };
  s.run = [](Context& ctx) { check_eq(ctx.start("Workflow").result<std::string>().get(), std::string("called"), "workflow result"); };
  return s;
}

}  // namespace temporal::features::scenarios
