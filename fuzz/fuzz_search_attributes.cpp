// libFuzzer target: bytes -> temporal.api.common.v1.SearchAttributes -> decode_search_attributes.
// Attributes that are not of their declared type must raise DataConverterError; any other exception,
// a crash or a sanitizer report is a bug. What decodes must survive encode -> decode unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <google/protobuf/stubs/logging.h>

#include "converter/proto.h"

// protobuf logs every string field with invalid UTF-8 that it rejects: noise at fuzzing speed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  temporal::api::common::v1::SearchAttributes in;
  if (!in.ParseFromArray(data, static_cast<int>(size))) return 0;
  temporal::SearchAttributes attrs;
  try {
    attrs = temporal::converter::decode_search_attributes(in);
  } catch (const temporal::DataConverterError&) {
    return 0;
  }
  temporal::api::common::v1::SearchAttributes wire;
  temporal::converter::encode_search_attributes(attrs, &wire);
  if (temporal::converter::decode_search_attributes(wire) != attrs) std::abort();
  return 0;
}
