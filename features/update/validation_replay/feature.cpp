// update/validation_replay: validators do not run on replay. The validator accepts only its
// first call (a process-wide counter, which real workflows must never use); the update runs an
// activity, so the workflow is replayed with the accepted update in history, and the run must
// still complete (a validator called on replay would reject it and the replay would diverge).
#include <atomic>

#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

std::atomic<int> g_validations{0};

int the_activity() { return 1; }

wf::Workflow<void> workflow() {
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler(
      "doSomeStuff",
      []() -> wf::Workflow<void> {
        wf::ActivityOptions options;
        options.start_to_close_timeout = std::chrono::seconds(5);
        auto a = wf::execute_activity<int>("theActivity", options);
        co_await a;
      },
      []() {
        if (++g_validations > 1) throw std::runtime_error("failing validation");
      });
  wf::set_signal_handler("shutdown_signal", [done]() { *done = true; });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
}
}  // namespace

Scenario update_validation_replay() {
  Scenario s;
  s.dir = "update/validation_replay";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow).activity("theActivity", the_activity); };
  s.worker_options.max_cached_workflows = 0;  // every task replays the history from the start
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    handle.execute_update<void>("doSomeStuff").get();
    handle.signal("shutdown_signal").get();
    handle.result<void>().get();
    check_eq(g_validations.load(), 1, "validator calls");
  };
  return s;
}

}  // namespace temporal::features::scenarios
