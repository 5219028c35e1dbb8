// continue_as_new/signals_block_continue_as_new: a signal that becomes durable while the
// workflow task that continues as new is in flight makes the server reject that completion; the
// task is retried with the signal, which is handled on the pre-continue-as-new run.
//
// The official suite has only the README for this scenario; these checks follow its spec. The
// workflow blocks its first task in a gate until the starter's signal is durable (as the
// official updates_do_not_block_continue_as_new does in Python).
#include "harness/history.h"
#include "harness/latch.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

Gate g_gate;

// Returns how many signals the first run had handled when it continued as new.
wf::Workflow<int> workflow(int handled_before_continue) {
  auto handled = std::make_shared<int>(0);
  wf::set_signal_handler("signal", [handled](std::string) { ++*handled; });
  if (!wf::info().continued_from_run_id.empty()) co_return handled_before_continue;
  if (!wf::is_replaying()) g_gate.wait_once(wf::info().workflow_id);
  wf::continue_as_new({}, *handled);
}
}  // namespace

Scenario continue_as_new_signals_block_continue_as_new() {
  Scenario s;
  s.dir = "continue_as_new/signals_block_continue_as_new";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.worker_options.deadlock_timeout = std::chrono::seconds(30);  // the first task blocks on purpose
  s.run = [](Context& ctx) {
    auto handle = ctx.client().workflow().start("Workflow", ctx.workflow_options(), 0).get();
    const std::string id = handle.workflow_id();
    check(g_gate.wait_until_blocked(id, 20s), "the first workflow task never reached the gate");
    handle.signal("signal", std::string("durable while the task is in flight")).get();
    g_gate.release(id);
    check_eq(handle.result<int>().get(), 1, "signals the first run handled before continuing as new");
    auto first = history_of(ctx.client().workflow().get_handle(id, handle.first_execution_run_id()));
    check_eq(count_events(first, apienums::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED), 1, "signals in the first run");
    const auto* failed = find_event(first, [](const auto& e) {
      return e.has_workflow_task_failed_event_attributes() &&
             e.workflow_task_failed_event_attributes().cause() ==
                 api::enums::v1::WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND;
    });
    check(failed != nullptr, "the first run has no WorkflowTaskFailed (UNHANDLED_COMMAND): the completion was not retried");
    check_eq(count_events(first, apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW), 1,
             "continue-as-new events in the first run");
  };
  return s;
}

}  // namespace temporal::features::scenarios
