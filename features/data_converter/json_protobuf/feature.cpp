// data_converter/json_protobuf: protobuf messages travel as `json/protobuf` payloads with their
// messageType: an echo workflow gets and returns a temporal.api.common.v1.DataBlob holding
// 0xdeadbeef; the result payload in history has both metadata entries and its data parses (as
// proto3 JSON) to the same message; the input payload is the same.
#include <google/protobuf/util/json_util.h>

#include "harness/history.h"
#include "temporal/converter/protobuf.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

apicommon::DataBlob deadbeef() {
  apicommon::DataBlob b;
  b.set_data(std::string("\xde\xad\xbe\xef", 4));
  return b;
}

wf::Workflow<apicommon::DataBlob> workflow(apicommon::DataBlob in) { co_return in; }
}  // namespace

Scenario data_converter_json_protobuf() {
  Scenario s;
  s.dir = "data_converter/json_protobuf";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.client().workflow().start("Workflow", ctx.workflow_options(), deadbeef()).get();
    auto result_blob = handle.result<apicommon::DataBlob>().get();
    check(proto_equal(result_blob, deadbeef()), "the workflow result is not the DataBlob 0xdeadbeef");
    auto history = history_of(handle);
    auto result = result_payload(history);
    check_eq(metadata(result, "encoding"), std::string("json/protobuf"), "result payload encoding");
    check_eq(metadata(result, "messageType"), std::string("temporal.api.common.v1.DataBlob"), "result payload messageType");
    apicommon::DataBlob in_history;
    check(google::protobuf::util::JsonStringToMessage(result.data(), &in_history).ok(),
          "the result payload's data is not proto3 JSON of a DataBlob: " + result.data());
    check(proto_equal(in_history, result_blob), "the DataBlob in history differs from the result");
    auto argument = argument_payload(history);
    check(proto_equal(argument, result), "the input payload differs from the result payload:\n" + proto_text(argument));
  };
  return s;
}

}  // namespace temporal::features::scenarios
