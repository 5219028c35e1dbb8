// search_attributes/set: search attributes set at start (Keyword, Int, Bool, Datetime, Double,
// Text) are in the workflow's info with their types and values, and describe() returns them.
//
// The official suite has only the README for this scenario; these checks follow its spec with
// typed search attributes (the README's list values predate them).
#include "harness/harness.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

SearchAttributes expected() {
  SearchAttributes a;
  a["CustomKeywordField"] = SearchAttributeValue::keyword("test-value");
  a["CustomIntField"] = SearchAttributeValue::integer(1);
  a["CustomBoolField"] = SearchAttributeValue::boolean(true);
  a["CustomDatetimeField"] = SearchAttributeValue::datetime(std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)));
  a["CustomDoubleField"] = SearchAttributeValue::floating(3.14);
  a["CustomTextField"] = SearchAttributeValue::text("is useful");
  return a;
}

// "<name>=<type>:<value>" for each attribute, sorted by name.
std::vector<std::string> describe_attributes(const SearchAttributes& attrs) {
  std::vector<std::string> out;
  for (const auto& [name, v] : attrs) {
    std::string value;
    switch (v.type) {
      case SearchAttributeType::kInt: value = std::to_string(v.as_int()); break;
      case SearchAttributeType::kDouble: value = std::to_string(v.as_double()); break;
      case SearchAttributeType::kBool: value = v.as_bool() ? "true" : "false"; break;
      case SearchAttributeType::kDatetime:
        value = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(v.as_time().time_since_epoch()).count());
        break;
      case SearchAttributeType::kKeywordList:
        for (const auto& k : v.as_keyword_list()) value += k + ",";
        break;
      default: value = v.as_string();
    }
    out.push_back(name + "=" + to_string(v.type) + ":" + value);
  }
  return out;
}

wf::Workflow<std::vector<std::string>> workflow() { co_return describe_attributes(wf::info().search_attributes); }
}  // namespace

Scenario search_attributes_set() {
  Scenario s;
  s.dir = "search_attributes/set";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto options = ctx.workflow_options();
    options.search_attributes = expected();
    auto handle = ctx.client().workflow().start("Workflow", options).get();
    const auto want = describe_attributes(expected());
    check_eq(handle.result<std::vector<std::string>>().get(), want, "search attributes in the workflow's info");
    auto described = handle.describe().get().search_attributes;
    SearchAttributes ours;
    for (const auto& [k, v] : described) {
      if (expected().count(k)) ours[k] = v;
    }
    check_eq(describe_attributes(ours), want, "search attributes in describe()");
  };
  return s;
}

}  // namespace temporal::features::scenarios
