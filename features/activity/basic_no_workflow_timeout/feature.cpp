// activity/basic_no_workflow_timeout: a workflow started without an execution timeout runs two
// activities, one with only a start-to-close timeout and one with only a schedule-to-close
// timeout (the server fills in the others; SDKs must not expect them to be set).
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<std::string> workflow() {
  wf::ActivityOptions start_to_close;
  start_to_close.start_to_close_timeout = std::chrono::minutes(1);
  auto first = wf::execute_activity<std::string>("echo", start_to_close);
  std::string result = co_await first;
  wf::ActivityOptions schedule_to_close;
  schedule_to_close.schedule_to_close_timeout = std::chrono::minutes(1);
  auto second = wf::execute_activity<std::string>("echo", schedule_to_close);
  result = co_await second;
  co_return result;
}

std::string echo() { return "echo"; }
}  // namespace

Scenario activity_basic_no_workflow_timeout() {
  Scenario s;
  s.dir = "activity/basic_no_workflow_timeout";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("echo", echo); };
  s.run = [](Context& ctx) {
    auto options = ctx.workflow_options();
    options.workflow_execution_timeout.reset();
    auto handle = ctx.client().workflow().start("Workflow", options).get();
    check_eq(handle.result<std::string>().get(), std::string("echo"), "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios
