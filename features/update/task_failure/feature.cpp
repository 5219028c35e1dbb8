// update/task_failure: an exception that is not a Temporal failure, thrown by an update
// handler, fails the workflow task (not the update), so the task is retried; an
// ApplicationFailure fails the update; an exception in a validator rejects the update.
//
// Ported from the official Python version: the handler throws std::runtime_error on its first
// two runs (counted in a process-wide variable, which real workflows must never do), then an
// ApplicationFailure.
#include <atomic>

#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

std::atomic<int> g_task_failures{0};

wf::Workflow<std::string> workflow() {
  auto done = std::make_shared<bool>(false);
  wf::set_update_handler("do_update", []() {
    if (g_task_failures < 2) {
      ++g_task_failures;
      throw std::runtime_error("I'll fail task");
    }
    throw ApplicationFailure("I'll fail update", ApplicationFailure::Info{});
  });
  wf::set_update_handler(
      "throw_or_done", [done](bool) { *done = true; },
      [](bool do_throw) {
        if (do_throw) throw std::runtime_error("This will fail validation, not task");
      });
  auto finished = wf::wait_condition([done] { return *done; });
  co_await finished;
  co_return "Hello, World!";
}
}  // namespace

Scenario update_task_failure() {
  Scenario s;
  s.dir = "update/task_failure";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  // The handler's outcome depends on a process-wide counter (as in the official version), so its
  // history does not replay in a fresh process.
  s.check_history = false;
  s.run = [](Context& ctx) {
    auto options = ctx.workflow_options();
    options.workflow_task_timeout = std::chrono::seconds(3);  // a quicker retry of the failed task
    auto handle = ctx.client().workflow().start("Workflow", options).get();
    auto failed = check_throws<WorkflowUpdateFailedError>([&] { (void)handle.execute_update<void>("do_update").get(); },
                                                          "do_update");
    check(contains(failed.what(), "I'll fail update"), std::string("do_update failed otherwise: ") + failed.what());
    check_throws<WorkflowUpdateFailedError>([&] { (void)handle.execute_update<void>("throw_or_done", true).get(); },
                                            "throw_or_done(true)");
    handle.execute_update<void>("throw_or_done", false).get();
    check_eq(handle.result<std::string>().get(), std::string("Hello, World!"), "workflow result");
    check_eq(g_task_failures.load(), 2, "workflow task failures from do_update");
  };
  return s;
}

}  // namespace temporal::features::scenarios
