// data_converter/codec: payloads run through a custom codec (`my-encoding`: the serialized inner
// Payload, base64). An echo workflow gets and returns {"spec": true}; the result payload in
// history is my-encoding whose decoded inner payload is json/plain holding the same object, and
// the input payload in history is the same.
#include "data_converter/codec/base64_codec.h"
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

wf::Workflow<nlohmann::json> workflow(nlohmann::json in) { co_return in; }
}  // namespace

Scenario data_converter_codec() {
  Scenario s;
  s.dir = "data_converter/codec";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.data_converter.codecs.push_back(std::make_shared<Base64Codec>());
  s.run = [](Context& ctx) {
    const nlohmann::json expected = {{"spec", true}};
    auto handle = ctx.client().workflow().start("Workflow", ctx.workflow_options(), expected).get();
    check_eq(handle.result<nlohmann::json>().get(), expected, "workflow result");
    auto history = history_of(handle);
    auto result = result_payload(history);
    check_eq(metadata(result, "encoding"), std::string(Base64Codec::kEncoding), "result payload encoding");
    apicommon::Payload inner;
    check(inner.ParseFromString(Base64Codec::decode_base64(result.data())),
          "the result payload's data is not a base64 serialized Payload");
    check_eq(metadata(inner, "encoding"), std::string("json/plain"), "inner payload encoding");
    check_eq(nlohmann::json::parse(inner.data()), expected, "inner payload data");
    auto argument = argument_payload(history);
    check(proto_equal(argument, result), "the input payload differs from the result payload");
  };
  return s;
}

}  // namespace temporal::features::scenarios
