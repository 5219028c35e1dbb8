// query/successful_query: queries answer with the workflow's current state between signals.
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  auto counter = std::make_shared<int>(0);
  auto finished = std::make_shared<bool>(false);
  wf::set_signal_handler("counterInc", [counter]() { ++*counter; });
  wf::set_signal_handler("finish", [finished]() { *finished = true; });
  wf::set_query_handler("counterQ", [counter]() { return *counter; });
  auto done = wf::wait_condition([finished] { return *finished; });
  co_await done;
}
}  // namespace

Scenario query_successful_query() {
  Scenario s;
  s.dir = "query/successful_query";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.query<int>("counterQ").get(), 0, "query before any signal");
    handle.signal("counterInc").get();
    check_eq(handle.query<int>("counterQ").get(), 1, "query after one signal");
    for (int i = 0; i < 3; ++i) handle.signal("counterInc").get();
    check_eq(handle.query<int>("counterQ").get(), 4, "query after four signals");
    handle.signal("finish").get();
    handle.result<void>().get();
  };
  return s;
}

}  // namespace temporal::features::scenarios
