// query/timeout_due_to_no_active_workers: with no worker polling, a query waits until the
// client's deadline and then fails with a deadline error; once a worker is back the workflow
// finishes.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  auto finished = std::make_shared<bool>(false);
  wf::set_query_handler("somequery", []() { return true; });
  wf::set_signal_handler("finish", [finished]() { *finished = true; });
  auto done = wf::wait_condition([finished] { return *finished; });
  co_await done;
}
}  // namespace

Scenario query_timeout_due_to_no_active_workers() {
  Scenario s;
  s.dir = "query/timeout_due_to_no_active_workers";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.query<bool>("somequery").get(), true, "query while the worker runs");
    ctx.stop_worker();
    auto one_second = ctx.client().with_call_options({.timeout = 1s}).workflow().get_handle(handle.workflow_id());
    try {
      (void)one_second.query<bool>("somequery").get();
      throw CheckFailed("the query succeeded with no worker");
    } catch (const DeadlineExceededError&) {
    } catch (const RpcError& e) {
      // DEADLINE_EXCEEDED, or CANCELLED when the server gave up first (the TypeScript check accepts both).
      check(e.code() == 4 || e.code() == 1, std::string("expected a deadline error, got: ") + e.what());
    }
    ctx.start_worker();
    handle.signal("finish").get();
    handle.result<void>().get();
  };
  return s;
}

}  // namespace temporal::features::scenarios
