// query/unexpected_arguments: queries with arguments that do not fit the handler. C++ handlers
// are typed, so this SDK rejects what it can tell is wrong: an argument of the wrong type (a
// string for an int) or a missing one fails the query (QueryFailedError naming the problem); an
// extra argument is dropped, as in every SDK. (The official Go and TypeScript versions reject
// nothing: their handlers take what they get.)
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<void> workflow() {
  auto finished = std::make_shared<bool>(false);
  wf::set_query_handler("theQuery", [](int a) { return "got " + std::to_string(a); });
  wf::set_signal_handler("finish", [finished]() { *finished = true; });
  auto done = wf::wait_condition([finished] { return *finished; });
  co_await done;
}
}  // namespace

Scenario query_unexpected_arguments() {
  Scenario s;
  s.dir = "query/unexpected_arguments";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.start("Workflow");
    check_eq(handle.query<std::string>("theQuery", 123).get(), std::string("got 123"), "query with the right argument");
    auto wrong_type = check_throws<QueryFailedError>(
        [&] { (void)handle.query<std::string>("theQuery", std::string("not a number")).get(); },
        "query with an argument of the wrong type");
    check(contains(wrong_type.what(), "string"), std::string("the error does not say what was wrong: ") + wrong_type.what());
    check_eq(handle.query<std::string>("theQuery", 123, true).get(), std::string("got 123"), "query with an extra argument");
    auto missing = check_throws<QueryFailedError>([&] { (void)handle.query<std::string>("theQuery").get(); },
                                                  "query without its argument");
    check(contains(missing.what(), "expected 1 argument"), std::string("the error does not say what was missing: ") + missing.what());
    handle.signal("finish").get();
    handle.result<void>().get();
  };
  return s;
}

}  // namespace temporal::features::scenarios
