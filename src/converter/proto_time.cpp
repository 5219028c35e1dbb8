#include <algorithm>
#include <cstdint>
#include <limits>

#include "converter/proto.h"

namespace temporal::converter {

namespace {
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
}  // namespace

void to_proto_duration(std::chrono::milliseconds d, google::protobuf::Duration* out) {
  out->set_seconds(d.count() / 1000);
  out->set_nanos(static_cast<int32_t>((d.count() % 1000) * 1000000));
}

std::chrono::milliseconds from_proto_duration(const google::protobuf::Duration& d) {
  constexpr int64_t kMaxSeconds = kMax / 1000 - 1;
  const int64_t seconds = std::clamp<int64_t>(d.seconds(), -kMaxSeconds, kMaxSeconds);
  return std::chrono::milliseconds(seconds * 1000 + d.nanos() / 1000000);
}

std::chrono::system_clock::time_point from_proto_time(const google::protobuf::Timestamp& t) {
  using Clock = std::chrono::system_clock;
  constexpr int64_t kMaxSeconds =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count() - 1;
  const int64_t seconds = std::clamp<int64_t>(t.seconds(), -kMaxSeconds, kMaxSeconds);
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(seconds) +
                                                                       std::chrono::nanoseconds(t.nanos())));
}

void to_proto_time(std::chrono::system_clock::time_point t, google::protobuf::Timestamp* out) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  int64_t s = ns / 1000000000;
  int64_t rem = ns % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    --s;
  }
  out->set_seconds(s);
  out->set_nanos(static_cast<int32_t>(rem));
}

}  // namespace temporal::converter
