// activity/heartbeating: activities heartbeat with details; the calls are throttled, so an
// activity may heartbeat in a tight loop; the details of the last heartbeat reach the next
// attempt (to resume from), and an activity that stops heartbeating times out with
// TimeoutType HEARTBEAT carrying its last details.
//
// The official suite has only the README for this scenario; these checks follow its spec.
#include "harness/harness.h"
#include "temporal/activity/activity.h"
#include "temporal/workflow/workflow.h"

#include <thread>

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;
namespace act = temporal::activity;

constexpr int kBeats = 1000;

// Attempt 1 heartbeats kBeats times in a tight loop, then fails; attempt 2 resumes from the
// details of the last heartbeat.
std::string resumable() {
  const auto& info = act::info();
  if (info.attempt == 1) {
    for (int i = 1; i <= kBeats; ++i) act::heartbeat(i);
    throw ApplicationFailure("failing after heartbeating", ApplicationFailure::Info{.type = "Crash"});
  }
  if (info.heartbeat_details.empty()) return "attempt " + std::to_string(info.attempt) + " got no heartbeat details";
  return "resumed from " + std::to_string(converter::from_payload<int>(info.heartbeat_details.at(0)));
}

// Heartbeats once, then goes silent past its heartbeat timeout.
void silent() {
  act::heartbeat(std::string("started"));
  for (int i = 0; i < 40 && !act::cancellation_requested(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

wf::Workflow<std::string> workflow() {
  wf::ActivityOptions options;
  options.start_to_close_timeout = std::chrono::seconds(30);
  options.heartbeat_timeout = std::chrono::seconds(5);
  RetryPolicy twice;
  twice.initial_interval = std::chrono::milliseconds(100);
  twice.maximum_attempts = 2;
  options.retry_policy = twice;
  auto first = wf::execute_activity<std::string>("resumable", options);
  std::string resumed = co_await first;

  wf::ActivityOptions silent_options;
  silent_options.start_to_close_timeout = std::chrono::seconds(30);
  silent_options.heartbeat_timeout = std::chrono::seconds(1);
  RetryPolicy once;
  once.maximum_attempts = 1;
  silent_options.retry_policy = once;
  std::string timeout = "no timeout";
  try {
    auto second = wf::execute_activity<void>("silent", silent_options);
    co_await second;
  } catch (const ActivityFailure& e) {
    const auto* t = dynamic_cast<const TimeoutFailure*>(e.cause());
    if (t == nullptr) {
      timeout = std::string("not a timeout: ") + e.what();
    } else if (t->timeout_type() != TimeoutType::kHeartbeat) {
      timeout = "timeout type " + std::to_string(static_cast<int>(t->timeout_type()));
    } else if (t->last_heartbeat_details().empty()) {
      timeout = "heartbeat timeout without details";
    } else {
      timeout = "heartbeat timeout after " + converter::from_payload<std::string>(t->last_heartbeat_details().at(0));
    }
  }
  co_return resumed + "; " + timeout;
}
}  // namespace

Scenario activity_heartbeating() {
  Scenario s;
  s.dir = "activity/heartbeating";
  s.registration = [](Registrar& r) {
    r.workflow("Workflow", workflow).activity("resumable", resumable).activity("silent", silent);
  };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.result<std::string>().get(),
             "resumed from " + std::to_string(kBeats) + "; heartbeat timeout after started", "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios
