// libFuzzer target: bytes -> temporal.api.failure.v1.Failure -> failure_from_proto ->
// failure_to_proto, with and without encoded common attributes. Neither direction may throw, and
// one round trip reaches a fixed point. The parser's recursion limit is raised far above protobuf's
// default of 100 so that the fuzzer can build cause chains deeper than the wire would carry.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/message_differencer.h>

#include "converter/proto.h"

namespace {

namespace conv = temporal::converter;

void round_trip(const conv::DataConverter& dc, const conv::apifailure::Failure& in) {
  auto e = conv::failure_from_proto(dc, in);
  if (!e) std::abort();
  conv::apifailure::Failure once;
  conv::failure_to_proto(dc, *e, &once);
  auto again = conv::failure_from_proto(dc, once);
  conv::apifailure::Failure twice;
  conv::failure_to_proto(dc, *again, &twice);
  if (!google::protobuf::util::MessageDifferencer::Equals(once, twice)) std::abort();
}

}  // namespace

// protobuf logs every string field with invalid UTF-8 that it rejects: noise at fuzzing speed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  google::protobuf::io::CodedInputStream stream(data, static_cast<int>(size));
  stream.SetRecursionLimit(100000);
  conv::apifailure::Failure in;
  if (!in.ParseFromCodedStream(&stream)) return 0;

  conv::DataConverter plain;
  round_trip(plain, in);
  conv::DataConverter encoded;
  encoded.failure.encode_common_attributes = true;
  round_trip(encoded, in);
  return 0;
}
