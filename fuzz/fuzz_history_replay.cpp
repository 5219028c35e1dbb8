// libFuzzer target: a workflow history (JSON as `temporal workflow show --output json` writes it,
// or serialized protobuf bytes) replayed by worker::Replayer against the workflows whose recorded
// histories seed the corpus (tests/replay/). Replay may reject a history with a typed error or
// report non-determinism; it must never crash, hang, leak or hit undefined behaviour, and a
// workflow's own exceptions must come out as exceptions.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/stubs/logging.h>

#include "replay/workflows.h"
#include "temporal/worker/replayer.h"

namespace {

namespace rw = temporal::replay_workflows;

const temporal::worker::Replayer& replayer() {
  static const auto* r = [] {
    auto* out = new temporal::worker::Replayer();
    rw::register_originals(*out);
    return out;
  }();
  return *r;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    if (!text.empty() && (text[0] == '{' || text[0] == '[')) {
      (void)replayer().replay_json(text);
    } else {
      temporal::client::WorkflowHistory history;
      history.serialized.assign(text);
      (void)replayer().replay(history);
    }
  } catch (const std::exception&) {
    // Rejected, non-deterministic, or the workflow threw: all reported, none fatal.
  }
  return 0;
}
