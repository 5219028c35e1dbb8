// query/unexpected_query_type_name: a query whose name has no handler fails with
// QueryFailedError (the query is rejected, the workflow keeps running).
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  auto finished = std::make_shared<bool>(false);
  wf::set_signal_handler("finish", [finished]() { *finished = true; });
  auto done = wf::wait_condition([finished] { return *finished; });
  co_await done;
}
}  // namespace

Scenario query_unexpected_query_type_name() {
  Scenario s;
  s.dir = "query/unexpected_query_type_name";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    auto e = check_throws<QueryFailedError>([&] { (void)handle.query<std::string>("nonexistent").get(); },
                                            "query with an unknown name");
    check(contains(e.what(), "nonexistent"), std::string("the error does not name the query: ") + e.what());
    handle.signal("finish").get();
    handle.result<void>().get();
  };
  return s;
}

}  // namespace temporal::features::scenarios
