// data_converter/binary_protobuf: protobuf messages can travel as `binary/protobuf` payloads
// (converter::BinaryProtobuf): an echo workflow gets and returns a DataBlob holding 0xdeadbeef;
// the result and input payloads in history are binary/protobuf with messageType
// temporal.api.common.v1.DataBlob, and their data parses as the message's wire bytes to the
// same DataBlob.
#include "harness/history.h"
#include "temporal/converter/protobuf.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;
using Blob = converter::BinaryProtobuf<apicommon::DataBlob>;

apicommon::DataBlob deadbeef() {
  apicommon::DataBlob b;
  b.set_data(std::string("\xde\xad\xbe\xef", 4));
  return b;
}

wf::Workflow<Blob> workflow(Blob in) { co_return in; }

void check_binary_payload(const apicommon::Payload& p, const std::string& which) {
  check_eq(metadata(p, "encoding"), std::string("binary/protobuf"), which + " payload encoding");
  check_eq(metadata(p, "messageType"), std::string("temporal.api.common.v1.DataBlob"), which + " payload messageType");
  apicommon::DataBlob in_history;
  check(in_history.ParseFromString(p.data()), "the " + which + " payload's data is not a DataBlob's wire bytes");
  check(proto_equal(in_history, deadbeef()), "the DataBlob in the " + which + " payload is not 0xdeadbeef");
}
}  // namespace

Scenario data_converter_binary_protobuf() {
  Scenario s;
  s.dir = "data_converter/binary_protobuf";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.client().workflow().start("Workflow", ctx.workflow_options(), Blob{deadbeef()}).get();
    check(proto_equal(handle.result<Blob>().get().message, deadbeef()), "the workflow result is not 0xdeadbeef");
    auto history = history_of(handle);
    auto result = result_payload(history);
    check_binary_payload(result, "result");
    auto argument = argument_payload(history);
    check_binary_payload(argument, "input");
    check(proto_equal(argument, result), "the input payload differs from the result payload");
  };
  return s;
}

}  // namespace temporal::features::scenarios
