// data_converter/json: JSON values travel as `json/plain` payloads: an echo workflow gets and
// returns {"spec": true}; the result payload in history is json/plain whose data parses to the
// same object, and the input payload in history is the same.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

struct Message {
  bool spec = false;
  friend bool operator==(const Message&, const Message&) = default;
};
void to_json(nlohmann::json& j, const Message& m) { j = nlohmann::json{{"spec", m.spec}}; }
void from_json(const nlohmann::json& j, Message& m) { j.at("spec").get_to(m.spec); }

wf::Workflow<Message> workflow(Message in) { co_return in; }
}  // namespace

Scenario data_converter_json() {
  Scenario s;
  s.dir = "data_converter/json";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.client().workflow().start("Workflow", ctx.workflow_options(), Message{true}).get();
    check(handle.result<Message>().get() == Message{true}, "the workflow result is not {\"spec\": true}");
    auto history = history_of(handle);
    auto result = result_payload(history);
    check_eq(metadata(result, "encoding"), std::string("json/plain"), "result payload encoding");
    check_eq(nlohmann::json::parse(result.data()), nlohmann::json{{"spec", true}}, "result payload data");
    auto argument = argument_payload(history);
    check(proto_equal(argument, result), "the input payload differs from the result payload:\n" + proto_text(argument));
  };
  return s;
}

}  // namespace temporal::features::scenarios
