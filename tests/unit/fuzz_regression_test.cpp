// Regression tests for what the sanitizer builds and the fuzz targets (fuzz/) found: each test is
// named after what broke and feeds the smallest input that broke it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "converter/proto.h"
#include "converter/proto.h"
#include "replay/workflows.h"
#include "temporal/worker/replayer.h"

namespace temporal::converter {
namespace {

Payload json_payload(std::string data) { return Payload{{{"encoding", encodings::kJsonPlain}}, std::move(data)}; }

// fuzz_payload_decode: nlohmann's get<T>() casts a float to an integer unchecked, which is undefined
// behaviour out of range (UBSan: "-2.5 is outside the range of representable values").
TEST(FuzzRegression, NumberOutOfRangeOfTheRequestedTypeIsADataConverterError) {
  EXPECT_THROW(from_payload<uint64_t>(json_payload("-2.5")), DataConverterError);
  EXPECT_THROW(from_payload<int>(json_payload("1e300")), DataConverterError);
  EXPECT_THROW(from_payload<int64_t>(json_payload("9223372036854775808")), DataConverterError);
  EXPECT_THROW(from_payload<int>(json_payload("4294967297")), DataConverterError);
  EXPECT_THROW(from_payload<uint8_t>(json_payload("-1")), DataConverterError);
  EXPECT_THROW(from_payload<float>(json_payload("1e300")), DataConverterError);
  EXPECT_THROW(from_payload<std::optional<int>>(json_payload("-1e20")), DataConverterError);
  // In range: unchanged, including nlohmann's truncation of a float into an integer.
  EXPECT_EQ(from_payload<int64_t>(json_payload("-9223372036854775808")), INT64_MIN);
  EXPECT_EQ(from_payload<uint64_t>(json_payload("18446744073709551615")), UINT64_MAX);
  EXPECT_EQ(from_payload<int>(json_payload("-2.5")), -2);
  EXPECT_EQ(from_payload<double>(json_payload("1e300")), 1e300);
  EXPECT_EQ(from_payload<float>(json_payload("7")), 7.0f);
}

api::common::v1::SearchAttributes one_attribute(const std::string& type, const std::string& data) {
  api::common::v1::SearchAttributes out;
  auto& p = (*out.mutable_indexed_fields())["Attr"];
  (*p.mutable_metadata())["encoding"] = "json/plain";
  if (!type.empty()) (*p.mutable_metadata())["type"] = type;
  p.set_data(data);
  return out;
}

// fuzz_search_attributes: a datetime after 2262 overflowed the nanosecond count of system_clock
// (UBSan: "signed integer overflow: 65539750400 * 1000000000").
TEST(FuzzRegression, SearchAttributeDatetimeOutsideTheClockRangeIsADataConverterError) {
  using converter::decode_search_attributes;
  EXPECT_THROW(decode_search_attributes(one_attribute("Datetime", "\"4046-11-14T22:13:20.250000000Z\"")),
               DataConverterError);
  EXPECT_THROW(decode_search_attributes(one_attribute("Datetime", "\"1000-01-01T00:00:00Z\"")), DataConverterError);
  auto ok = decode_search_attributes(one_attribute("Datetime", "\"2262-01-01T00:00:00Z\""));
  EXPECT_EQ(ok.at("Attr").type, SearchAttributeType::kDatetime);
}

// Found next to the above: a truncated UTC offset made std::stoi or substr throw std::invalid_argument
// or std::out_of_range instead of DataConverterError.
TEST(FuzzRegression, SearchAttributeDatetimeWithTruncatedOffsetIsADataConverterError) {
  using converter::decode_search_attributes;
  for (const char* s : {"\"2024-01-01T00:00:00+\"", "\"2024-01-01T00:00:00+05\"", "\"2024-01-01T00:00:00-05:\"",
                        "\"2024-01-01T00:00:00+ab:cd\""}) {
    EXPECT_THROW(decode_search_attributes(one_attribute("Datetime", s)), DataConverterError) << s;
  }
  auto ok = decode_search_attributes(one_attribute("Datetime", "\"2024-01-01T05:30:00+05:30\""));
  EXPECT_EQ(ok.at("Attr").as_time(), SearchAttributeValue::Time(std::chrono::seconds(1704067200)));
}

// A float out of int64 range declared Int was cast unchecked (undefined behaviour under clang's UBSan).
TEST(FuzzRegression, SearchAttributeIntOutOfRangeIsADataConverterError) {
  using converter::decode_search_attributes;
  EXPECT_THROW(decode_search_attributes(one_attribute("Int", "1e300")), DataConverterError);
  EXPECT_THROW(decode_search_attributes(one_attribute("Int", "9223372036854775808")), DataConverterError);
  EXPECT_EQ(decode_search_attributes(one_attribute("Int", "[-7]")).at("Attr").as_int(), -7);
  // Untyped: an integer too large for int64 becomes a Double rather than wrapping around.
  auto untyped = decode_search_attributes(one_attribute("", "18446744073709551615"));
  EXPECT_EQ(untyped.at("Attr").type, SearchAttributeType::kDouble);
}

// Destroys a cause chain one link at a time: protobuf's own destructor recurses once a level.
void destroy_iteratively(apifailure::Failure& f) {
  std::unique_ptr<apifailure::Failure> next(f.release_cause());
  while (next) next.reset(next->release_cause());
}

TEST(FuzzRegression, DeeplyNestedFailureCauseChainDoesNotOverflowTheStack) {
  apifailure::Failure root;
  apifailure::Failure* f = &root;
  for (int i = 0; i < 200000; ++i) {
    f->set_message("level " + std::to_string(i));
    f->mutable_application_failure_info()->set_type("Nested");
    f = f->mutable_cause();
  }
  DataConverter dc;
  auto e = failure_from_proto(dc, root);
  destroy_iteratively(root);

  int depth = 0;
  const FailureError* last = e.get();
  for (const FailureError* c = e.get(); c; c = c->cause()) {
    ++depth;
    last = c;
  }
  EXPECT_EQ(depth, 102);  // the failure, 100 causes and a marker in place of the rest
  EXPECT_EQ(e->message(), "level 0");
  EXPECT_NE(last->message().find("truncated"), std::string::npos) << last->message();

  apifailure::Failure back;
  failure_to_proto(dc, *e, &back);
  EXPECT_EQ(back.message(), "level 0");
}

// Found while triaging fuzz_failure_convert: a next_retry_delay beyond the range of
// google.protobuf.Duration overflowed `seconds * 1000` (UBSan: signed integer overflow).
TEST(FuzzRegression, FailureNextRetryDelayBeyondTheDurationRangeDoesNotOverflow) {
  for (int64_t seconds : {INT64_MAX, INT64_MIN}) {
    apifailure::Failure f;
    f.set_message("m");
    f.mutable_application_failure_info()->mutable_next_retry_delay()->set_seconds(seconds);
    auto e = failure_from_proto(DataConverter{}, f);
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.get());
    ASSERT_NE(app, nullptr);
    ASSERT_TRUE(app->next_retry_delay().has_value());
    EXPECT_EQ(app->next_retry_delay()->count() > 0, seconds > 0);
    apifailure::Failure back;
    failure_to_proto(DataConverter{}, *e, &back);
    EXPECT_EQ(back.application_failure_info().next_retry_delay().seconds() > 0, seconds > 0);
  }
}

// fuzz_history_replay: an event time after 2262 overflowed the nanosecond count of the workflow
// clock (UBSan: "signed integer overflow: 65730128977 * 1000000000"). Times now saturate.
TEST(FuzzRegression, HistoryEventTimeBeyondTheClockRangeDoesNotOverflow) {
  std::ifstream in(std::string(TEMPORAL_REPLAY_HISTORIES) + "/chat.json");
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str());
  for (auto& e : j["events"]) e["eventTime"] = "4052-11-26T09:09:37.822692432Z";
  temporal::worker::Replayer replayer;
  replayer.register_workflow("chat", temporal::replay_workflows::chat);
  EXPECT_TRUE(replayer.replay_json(j.dump()).workflow_closed);
  google::protobuf::Timestamp far;
  far.set_seconds(INT64_MAX);
  // Saturates at the clock's last whole second (an overflow would wrap to a negative count).
  EXPECT_GE(from_proto_time(far).time_since_epoch(),
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max()) -
                std::chrono::seconds(1));
  google::protobuf::Duration long_one;
  long_one.set_seconds(INT64_MIN);
  EXPECT_LT(from_proto_duration(long_one).count(), 0);
}

}  // namespace
}  // namespace temporal::converter
