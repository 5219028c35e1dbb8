// query/unexpected_return_type: a query whose handler returns a string, read as an int, fails
// on the caller's side with a conversion error (the query itself succeeded).
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  auto finished = std::make_shared<bool>(false);
  wf::set_query_handler("theQuery", []() { return std::string("hi bob"); });
  wf::set_signal_handler("finish", [finished]() { *finished = true; });
  auto done = wf::wait_condition([finished] { return *finished; });
  co_await done;
}
}  // namespace

Scenario query_unexpected_return_type() {
  Scenario s;
  s.dir = "query/unexpected_return_type";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_throws<DataConverterError>([&] { (void)handle.query<int>("theQuery").get(); }, "query read as the wrong type");
    check_eq(handle.query<std::string>("theQuery").get(), std::string("hi bob"), "query read as its type");
    handle.signal("finish").get();
    handle.result<void>().get();
  };
  return s;
}

}  // namespace temporal::features::scenarios
