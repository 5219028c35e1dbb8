// libFuzzer target: bytes -> temporal.api.common.v1.Payload -> every kind of value the converter
// decodes. Decoding a payload that cannot become the requested type must raise DataConverterError;
// any other exception, a crash or a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/stubs/logging.h>

#include "converter/proto.h"
#include "temporal/converter/protobuf.h"

namespace {

namespace conv = temporal::converter;

template <class T>
void decode(const conv::Payload& p) {
  try {
    (void)conv::from_payload<T>(p);
  } catch (const temporal::DataConverterError&) {
  }
}

}  // namespace

// protobuf logs every string field with invalid UTF-8 that it rejects: noise at fuzzing speed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  temporal::api::common::v1::Payload proto;
  if (!proto.ParseFromArray(data, static_cast<int>(size))) return 0;
  const conv::Payload p = conv::from_proto(proto);
  if (conv::from_proto(conv::to_proto(p)) != p) std::abort();  // the wire copy loses nothing

  try {
    nlohmann::json j = conv::from_payload<nlohmann::json>(p);
    (void)conv::to_payload(j);  // whatever decodes re-encodes
  } catch (const temporal::DataConverterError&) {
  }
  decode<std::string>(p);
  decode<conv::Bytes>(p);
  decode<std::nullptr_t>(p);
  decode<std::monostate>(p);
  decode<std::optional<std::string>>(p);
  decode<int>(p);
  decode<int64_t>(p);
  decode<uint64_t>(p);
  decode<uint8_t>(p);
  decode<double>(p);
  decode<float>(p);
  decode<bool>(p);
  decode<std::optional<int>>(p);
  decode<std::vector<std::string>>(p);
  // Not std::vector<int> and the like: nlohmann converts nested numbers unchecked, so an element out
  // of range is undefined behaviour inside nlohmann; only top-level arithmetic types are checked.

  // Protobuf messages: json/protobuf and binary/protobuf, a flat one and two recursive ones.
  decode<temporal::api::common::v1::WorkflowExecution>(p);
  decode<google::protobuf::Struct>(p);
  decode<temporal::api::failure::v1::Failure>(p);
  return 0;
}
