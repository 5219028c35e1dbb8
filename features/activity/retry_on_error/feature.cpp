// activity/retry_on_error: an activity that always fails is retried up to 5 attempts without
// backoff; the workflow fails with the last attempt's error as the activity failure's cause.
#include "harness/harness.h"
#include "temporal/activity/activity.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  wf::ActivityOptions options;
  options.schedule_to_close_timeout = std::chrono::minutes(1);
  RetryPolicy retry;
  retry.initial_interval = std::chrono::milliseconds(1);  // retry at once
  retry.backoff_coefficient = 1;                          // and never back off
  retry.maximum_attempts = 5;
  options.retry_policy = retry;
  auto activity = wf::execute_activity<void>("alwaysFailActivity", options);
  co_await activity;
}

void always_fail() {
  throw std::runtime_error("activity attempt " + std::to_string(temporal::activity::info().attempt) + " failed");
}
}  // namespace

Scenario activity_retry_on_error() {
  Scenario s;
  s.dir = "activity/retry_on_error";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("alwaysFailActivity", always_fail); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    auto error = check_throws<WorkflowFailedError>([&] { handle.result<void>().get(); }, "workflow result");
    const auto* activity = dynamic_cast<const ActivityFailure*>(error.cause());
    check(activity != nullptr, std::string("the workflow failure's cause is not an ActivityFailure: ") + error.what());
    check_eq(activity->info().retry_state, RetryState::kMaximumAttemptsReached, "activity retry state");
    const auto* app = dynamic_cast<const ApplicationFailure*>(activity->cause());
    check(app != nullptr, "the activity failure's cause is not an ApplicationFailure");
    check_eq(app->message(), std::string("activity attempt 5 failed"), "the activity failure's cause");
  };
  return s;
}

}  // namespace temporal::features::scenarios
