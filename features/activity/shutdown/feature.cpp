// activity/shutdown: activities running when the worker shuts down learn of it (after the
// graceful shutdown timeout, as cancellation) and react as they like: one completes, one fails
// with "worker is shutting down", one ignores it and hits its schedule-to-close timeout. A new
// worker then finishes the workflow, which checks each outcome.
#include <atomic>
#include <thread>

#include "harness/history.h"
#include "temporal/activity/activity.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;
namespace act = temporal::activity;

// Activities of this scenario that have started (the starter stops the worker once all have).
std::atomic<int> g_started{0};

void wait_for_shutdown() {
  ++g_started;
  while (!act::cancellation_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void cancel_success() { wait_for_shutdown(); }

void cancel_failure() {
  wait_for_shutdown();
  throw std::runtime_error("worker is shutting down");
}

// Ignores the shutdown (a plain sleep), so its schedule-to-close timeout fires on the server.
void cancel_ignore() {
  std::this_thread::sleep_for(std::chrono::seconds(15));
}

[[noreturn]] void unexpected(const std::string& what, const std::exception& e) {
  throw ApplicationFailure(what + ": " + e.what(), ApplicationFailure::Info{.type = "Unexpected", .non_retryable = true});
}

wf::Workflow<std::string> workflow() {
  RetryPolicy once;
  once.maximum_attempts = 1;
  wf::ActivityOptions graceful;
  graceful.schedule_to_close_timeout = std::chrono::seconds(30);
  graceful.retry_policy = once;
  wf::ActivityOptions ignoring;
  ignoring.schedule_to_close_timeout = std::chrono::milliseconds(300);
  ignoring.retry_policy = once;

  std::vector<wf::Workflow<std::string>> all;
  auto outcome = [](const char* type, wf::ActivityOptions o) -> wf::Workflow<std::string> {
    try {
      auto a = wf::execute_activity<void>(type, std::move(o));
      co_await a;
      co_return "completed";
    } catch (const ActivityFailure& e) {
      if (const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause())) co_return "failed: " + app->message();
      if (const auto* t = dynamic_cast<const TimeoutFailure*>(e.cause())) {
        co_return "timed out: " + std::to_string(static_cast<int>(t->timeout_type()));
      }
      co_return std::string("other failure: ") + e.what();
    }
  };
  all.push_back(outcome("cancelSuccess", graceful));
  all.push_back(outcome("cancelFailure", graceful));
  all.push_back(outcome("cancelIgnore", ignoring));
  auto joined = wf::when_all(std::move(all));
  std::vector<std::string> results = co_await joined;
  try {
    if (results[0] != "completed") throw std::runtime_error("cancelSuccess: " + results[0]);
    if (results[1].find("failed: ") != 0 || results[1].find("worker is shutting down") == std::string::npos) {
      throw std::runtime_error("cancelFailure: " + results[1]);
    }
    const std::string schedule_to_close = std::to_string(static_cast<int>(TimeoutType::kScheduleToClose));
    if (results[2] != "timed out: " + schedule_to_close) throw std::runtime_error("cancelIgnore: " + results[2]);
  } catch (const std::runtime_error& e) {
    unexpected("unexpected activity outcome", e);
  }
  co_return "done";
}
}  // namespace

Scenario activity_shutdown() {
  Scenario s;
  s.dir = "activity/shutdown";
  s.registration = [](Registrar& r) {
    r.workflow("Workflow", workflow)
        .activity("cancelSuccess", cancel_success)
        .activity("cancelFailure", cancel_failure)
        .activity("cancelIgnore", cancel_ignore);
  };
  s.worker_options.graceful_shutdown_timeout = std::chrono::seconds(1);
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    wait_for_event(handle, [](const auto& e) { return e.has_activity_task_scheduled_event_attributes(); }, 5s,
                   "an ActivityTaskScheduled event");
    // Stronger than the official check: stop only once the two graceful activities are running
    // (the third may time out on the server before a poll picks it up: 300 ms).
    eventually(10s, 10ms, [] { return g_started.load() >= 2; }, "the graceful activities running");
    ctx.stop_worker();
    ctx.start_worker();
    check_eq(handle.result<std::string>().get(), std::string("done"), "workflow result");
  };
  return s;
}

}  // namespace temporal::features::scenarios
