// The histories recorded by the features suite's runner (features/<area>/<name>/history*.json,
// written with `features_runner --record-histories features`) replay against the same C++
// scenario code without a server, as the official harness replays each language's histories.
// Also: binary/protobuf encoding (converter::BinaryProtobuf), which data_converter/binary_protobuf
// exercises against the server.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "harness/harness.h"
#include "temporal/api/common/v1/message.pb.h"
#include "temporal/converter/protobuf.h"

namespace temporal::features {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> histories_of(const std::string& dir) {
  std::vector<fs::path> out;
  const fs::path d = fs::path(TEMPORAL_FEATURES_DIR) / dir;
  if (!fs::is_directory(d)) return out;
  for (const auto& e : fs::directory_iterator(d)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("history", 0) == 0 && e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FeaturesReplay, EveryImplementedScenarioThatChecksHistoryHasARecordedHistory) {
  std::vector<std::string> missing;
  for (const auto& e : catalog()) {
    if (e.status != Status::kImplemented) continue;
    Scenario s = e.make();
    // A scenario that fails for a known bug has no passing run to record yet.
    if (s.check_history && s.known_bug.empty() && histories_of(s.dir).empty()) missing.push_back(s.dir);
  }
  EXPECT_TRUE(missing.empty()) << "no features/<dir>/history*.json for " << testing::PrintToString(missing)
                               << "; record them with: build/features/features_runner --record-histories features";
}

TEST(FeaturesReplay, RecordedHistoriesReplayOnTheScenarioCode) {
  int replayed = 0;
  for (const auto& e : catalog()) {
    if (e.status != Status::kImplemented) continue;
    Scenario s = e.make();
    for (const auto& path : histories_of(s.dir)) {
      SCOPED_TRACE(path.string());
      worker::ReplayerOptions o;
      o.data_converter = s.data_converter;
      worker::Replayer replayer(o);
      Registrar r(replayer);
      s.registration(r);
      try {
        auto result = replayer.replay_file(path);
        EXPECT_TRUE(result.workflow_closed) << "the recorded run did not close";
        EXPECT_GT(result.workflow_tasks, 0);
        ++replayed;
      } catch (const std::exception& ex) {
        ADD_FAILURE() << "replay failed: " << ex.what();
      }
    }
  }
  EXPECT_GE(replayed, 30) << "fewer recorded histories than scenarios that record one";
}

TEST(FeaturesReplay, ChangedScenarioCodeIsReportedAsNondeterministic) {
  // The recorded activity/basic_no_workflow_timeout history replayed against a workflow that
  // schedules another activity type must fail: the replay really compares commands.
  auto paths = histories_of("activity/basic_no_workflow_timeout");
  ASSERT_FALSE(paths.empty());
  worker::Replayer replayer;
  replayer.register_workflow("Workflow", []() -> workflow::Workflow<std::string> {
    workflow::ActivityOptions o;
    o.start_to_close_timeout = std::chrono::minutes(1);
    auto a = workflow::execute_activity<std::string>("somethingElse", o);
    co_return co_await a;
  });
  EXPECT_THROW(replayer.replay_file(paths.front()), NondeterminismError);
}

TEST(FeaturesCatalog, ListsEveryScenarioOnceWithAReasonForThoseThatDoNotRun) {
  std::set<std::string> seen;
  for (const auto& e : catalog()) {
    EXPECT_TRUE(seen.insert(e.dir).second) << "listed twice: " << e.dir;
    if (e.status == Status::kImplemented) {
      ASSERT_TRUE(e.make) << e.dir;
      EXPECT_EQ(e.make().dir, e.dir) << "the scenario names another folder";
    } else {
      EXPECT_FALSE(e.reason.empty()) << e.dir;
    }
  }
  // The official suite has 104 scenario folders (102 under features/<area>/, 2 under bugs/go/).
  EXPECT_EQ(seen.size(), 104u);
}

// ---- binary/protobuf

api::common::v1::DataBlob deadbeef() {
  api::common::v1::DataBlob b;
  b.set_data(std::string("\xde\xad\xbe\xef", 4));
  b.set_encoding_type(api::enums::v1::ENCODING_TYPE_PROTO3);
  return b;
}

TEST(BinaryProtobuf, EncodesTheWireBytesWithTheMessageType) {
  auto p = converter::to_payload(converter::BinaryProtobuf<api::common::v1::DataBlob>{deadbeef()});
  EXPECT_EQ(p.encoding(), "binary/protobuf");
  EXPECT_EQ(p.metadata.at("messageType"), "temporal.api.common.v1.DataBlob");
  EXPECT_EQ(p.data, deadbeef().SerializeAsString());
}

TEST(BinaryProtobuf, RoundTripsAndDecodesEitherEncoding) {
  using Blob = converter::BinaryProtobuf<api::common::v1::DataBlob>;
  auto binary = converter::to_payload(Blob{deadbeef()});
  auto json = converter::to_payload(deadbeef());
  EXPECT_EQ(converter::from_payload<Blob>(binary).message.SerializeAsString(), deadbeef().SerializeAsString());
  EXPECT_EQ(converter::from_payload<Blob>(json).message.SerializeAsString(), deadbeef().SerializeAsString());
  EXPECT_EQ(converter::from_payload<api::common::v1::DataBlob>(binary).SerializeAsString(), deadbeef().SerializeAsString());
}

TEST(BinaryProtobuf, RejectsAnotherMessageTypeAndBadBytesWithATypedError) {
  using Blob = converter::BinaryProtobuf<api::common::v1::DataBlob>;
  auto other = converter::to_payload(converter::BinaryProtobuf<api::common::v1::Payload>{});
  try {
    (void)converter::from_payload<Blob>(other);
    ADD_FAILURE() << "decoded a Payload message as a DataBlob";
  } catch (const DataConverterError& e) {
    EXPECT_NE(std::string(e.what()).find("temporal.api.common.v1.Payload"), std::string::npos) << e.what();
  }
  auto garbage = converter::to_payload(Blob{deadbeef()});
  garbage.data = "\xff\xff\xff";
  EXPECT_THROW((void)converter::from_payload<Blob>(garbage), DataConverterError);
  auto plain = converter::to_payload(std::string("text"));
  EXPECT_THROW((void)converter::from_payload<Blob>(plain), DataConverterError);
}

// ---- ConnectionOptions::http_connect_proxy (client/http_proxy*): bad settings are rejected
// before anything is sent, naming the field.

void expect_proxy_rejected(client::HttpConnectProxyOptions proxy, const std::string& field, const std::string& text) {
  client::ConnectionOptions o;
  o.address = "127.0.0.1:1";
  o.http_connect_proxy = std::move(proxy);
  try {
    (void)client::Connection::lazy(o);
    ADD_FAILURE() << "accepted a proxy setting that should fail on " << field;
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), field);
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(HttpConnectProxy, RejectsAnEmptyOrSchemedTargetAndHalfCredentials) {
  expect_proxy_rejected({}, "http_connect_proxy.target_host", "empty");
  expect_proxy_rejected({.target_host = "http://proxy:3128"}, "http_connect_proxy.target_host", "without a scheme");
  expect_proxy_rejected({.target_host = "proxy:3128", .basic_auth_user = "user"}, "http_connect_proxy.basic_auth_user",
                        "both");
  expect_proxy_rejected({.target_host = "proxy:3128", .basic_auth_password = "secret"},
                        "http_connect_proxy.basic_auth_user", "both");
}

TEST(HttpConnectProxy, AcceptsAProxyWithAndWithoutCredentials) {
  client::ConnectionOptions o;
  o.address = "127.0.0.1:1";
  o.http_connect_proxy = client::HttpConnectProxyOptions{.target_host = "127.0.0.1:3128"};
  EXPECT_NO_THROW((void)client::Connection::lazy(o));
  o.http_connect_proxy->basic_auth_user = "user@example";
  o.http_connect_proxy->basic_auth_password = "p:ss/word";
  EXPECT_NO_THROW((void)client::Connection::lazy(o));
}

}  // namespace
}  // namespace temporal::features
