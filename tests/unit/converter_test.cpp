#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "temporal/api/common/v1/message.pb.h"
#include "temporal/converter/data_converter.h"
#include "temporal/converter/protobuf.h"

namespace temporal::converter {
namespace {

struct Order {
  std::string id;
  int quantity = 0;
  friend bool operator==(const Order&, const Order&) = default;
};
void to_json(nlohmann::json& j, const Order& o) { j = {{"id", o.id}, {"quantity", o.quantity}}; }
void from_json(const nlohmann::json& j, Order& o) {
  j.at("id").get_to(o.id);
  j.at("quantity").get_to(o.quantity);
}

// The exact bytes the TypeScript and Go SDKs produce for the same values.
TEST(PayloadConverter, StringIsJsonPlainLikeOtherSdks) {
  Payload p = to_payload(std::string("hello"));
  EXPECT_EQ(p.encoding(), "json/plain");
  EXPECT_EQ(p.data, "\"hello\"");
  EXPECT_EQ(p.metadata.size(), 1u);
  EXPECT_EQ(from_payload<std::string>(p), "hello");
}

TEST(PayloadConverter, NumbersAndObjectsAreCompactJson) {
  EXPECT_EQ(to_payload(42).data, "42");
  EXPECT_EQ(to_payload(Order{"a-1", 3}).data, R"({"id":"a-1","quantity":3})");
  EXPECT_EQ(from_payload<Order>(to_payload(Order{"a-1", 3})), (Order{"a-1", 3}));
}

TEST(PayloadConverter, NullIsBinaryNullWithNoData) {
  Payload p = to_payload(nullptr);
  EXPECT_EQ(p.encoding(), "binary/null");
  EXPECT_TRUE(p.data.empty());
  EXPECT_EQ(to_payload(std::optional<int>{}).encoding(), "binary/null");
  EXPECT_EQ(from_payload<std::optional<int>>(p), std::nullopt);
  EXPECT_EQ(from_payload<std::optional<int>>(to_payload(7)), 7);
  EXPECT_TRUE(from_payload<nlohmann::json>(p).is_null());
}

TEST(PayloadConverter, BytesAreBinaryPlain) {
  Bytes b{std::byte{0}, std::byte{0xff}, std::byte{'a'}};
  Payload p = to_payload(b);
  EXPECT_EQ(p.encoding(), "binary/plain");
  EXPECT_EQ(p.data, std::string("\0\xff" "a", 3));
  EXPECT_EQ(from_payload<Bytes>(p), b);
}

TEST(PayloadConverter, ProtobufIsJsonProtobufWithMessageType) {
  ::temporal::api::common::v1::WorkflowExecution we;
  we.set_workflow_id("wf");
  we.set_run_id("run");
  Payload p = to_payload(we);
  EXPECT_EQ(p.encoding(), "json/protobuf");
  EXPECT_EQ(p.metadata.at("messageType"), "temporal.api.common.v1.WorkflowExecution");
  EXPECT_EQ(p.data, R"({"workflowId":"wf","runId":"run"})");
  auto back = from_payload<::temporal::api::common::v1::WorkflowExecution>(p);
  EXPECT_EQ(back.run_id(), "run");
}

TEST(PayloadConverter, BinaryProtobufDecodes) {
  ::temporal::api::common::v1::WorkflowExecution we;
  we.set_workflow_id("wf");
  Payload p{{{"encoding", "binary/protobuf"}, {"messageType", "temporal.api.common.v1.WorkflowExecution"}},
            we.SerializeAsString()};
  EXPECT_EQ(from_payload<::temporal::api::common::v1::WorkflowExecution>(p).workflow_id(), "wf");
}

TEST(PayloadConverter, WrongOrMissingEncodingIsATypedError) {
  Payload no_encoding{{}, "1"};
  EXPECT_THROW(from_payload<int>(no_encoding), DataConverterError);
  Payload unknown{{{"encoding", "application/x-mine"}}, "1"};
  try {
    from_payload<int>(unknown);
    FAIL();
  } catch (const DataConverterError& e) {
    EXPECT_NE(std::string(e.what()).find("application/x-mine"), std::string::npos);
  }
  EXPECT_THROW(from_payload<int>(to_payload(std::string("x"))), DataConverterError);
  EXPECT_THROW(from_payload<Bytes>(to_payload(1)), DataConverterError);
  Payload bad_json{{{"encoding", "json/plain"}}, "{not json"};
  EXPECT_THROW(from_payload<nlohmann::json>(bad_json), DataConverterError);
}

TEST(PayloadConverter, MultipleArgumentsBecomeOnePayloadEach) {
  auto ps = to_payloads(std::string("a"), 2, nullptr);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[2].encoding(), "binary/null");
}

class ReverseCodec : public PayloadCodec {
 public:
  explicit ReverseCodec(std::string tag) : tag_(std::move(tag)) {}
  Payloads encode(Payloads ps) const override {
    for (auto& p : ps) {
      p.data = tag_ + p.data;
    }
    return ps;
  }
  Payloads decode(Payloads ps) const override {
    for (auto& p : ps) {
      if (p.data.rfind(tag_, 0) != 0) throw DataConverterError("codec " + tag_ + " applied out of order");
      p.data = p.data.substr(tag_.size());
    }
    return ps;
  }

 private:
  std::string tag_;
};

TEST(DataConverter, CodecsEncodeInOrderAndDecodeInReverse) {
  DataConverter dc;
  dc.codecs = {std::make_shared<ReverseCodec>("A"), std::make_shared<ReverseCodec>("B")};
  auto enc = dc.encode({to_payload(1)});
  EXPECT_EQ(enc[0].data, "BA1");
  EXPECT_EQ(from_payload<int>(dc.decode(enc)[0]), 1);
}

}  // namespace
}  // namespace temporal::converter
