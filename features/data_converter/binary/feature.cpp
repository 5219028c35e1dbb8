// data_converter/binary: bytes travel as `binary/plain` payloads: an echo workflow gets and
// returns 0xdeadbeef; the result and the input in history are the same payload, byte for byte
// {metadata: {encoding: "binary/plain"}, data: de ad be ef}.
#include "harness/history.h"
#include "temporal/workflow/workflow.h"

namespace temporal::features::scenarios {
namespace {
namespace wf = temporal::workflow;

const converter::Bytes kDeadbeef = {std::byte{0xde}, std::byte{0xad}, std::byte{0xbe}, std::byte{0xef}};

wf::Workflow<converter::Bytes> workflow(converter::Bytes in) { co_return in; }
}  // namespace

Scenario data_converter_binary() {
  Scenario s;
  s.dir = "data_converter/binary";
  s.registration = [](Registrar& r) { r.workflow("Workflow", workflow); };
  s.run = [](Context& ctx) {
    auto handle = ctx.client().workflow().start("Workflow", ctx.workflow_options(), kDeadbeef).get();
    check(handle.result<converter::Bytes>().get() == kDeadbeef, "the workflow result is not 0xdeadbeef");
    auto history = history_of(handle);
    apicommon::Payload expected;
    (*expected.mutable_metadata())["encoding"] = "binary/plain";
    expected.set_data(std::string("\xde\xad\xbe\xef", 4));
    auto result = result_payload(history);
    check(proto_equal(result, expected), "result payload in history:\n" + proto_text(result));
    auto argument = argument_payload(history);
    check(proto_equal(argument, result), "the input payload differs from the result payload:\n" + proto_text(argument));
  };
  return s;
}

}  // namespace temporal::features::scenarios
