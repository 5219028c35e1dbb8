// The other direction: the official TypeScript client (tests/interop/ts/src/client.ts, run as a
// subprocess) reads what the C++ client wrote (arguments, memo, search attributes, terminate
// details, cancellation), and the C++ client reads workflows the TypeScript client started.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/ts_client.h"
#include "support/ts_worker.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

using test_support::ts_client;

class TsClientInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Starting the shared TypeScript worker also builds tests/interop/ts/lib (client.js).
    queue_ = new std::string(test_support::ts_task_queue());
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }
  WorkflowOptions options(const std::string& prefix) const {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return o;
  }
  static std::string* queue_;
  static Client* client_;
};
std::string* TsClientInterop::queue_ = nullptr;
Client* TsClientInterop::client_ = nullptr;

TEST_F(TsClientInterop, TheTypeScriptClientDecodesEveryPayloadKindCppEncoded) {
  struct Case {
    std::string name;
    converter::Payload arg;
    json expected;  // as client.js prints it
  };
  const json obj = {{"a", 1}, {"b", {true, nullptr, "x"}}, {"c", 1.5}, {"d", {{"e", "f"}}}};
  converter::Bytes bytes{std::byte{0}, std::byte{1}, std::byte{0xfe}};
  const std::vector<Case> cases = {
      {"json", converter::to_payload(obj), obj},
      {"string", converter::to_payload(std::string("héllo ✓")), "héllo ✓"},
      {"int", converter::to_payload(int64_t{9007199254740991}), 9007199254740991},
      {"binary", converter::to_payload(bytes), json::parse(R"({"$bytes":"AAH+"})")},
      {"null", converter::to_payload(nullptr), nullptr},
  };
  for (const auto& c : cases) {
    auto o = options(c.name);
    auto handle = client_->workflow().start_payloads("echo", o, {c.arg}).get();
    auto out = ts_client({"result", handle.workflow_id()});
    EXPECT_EQ(out["status"], "completed") << c.name << ": " << out.dump();
    EXPECT_EQ(out["result"], c.expected) << c.name << ": " << out.dump();
    // And the payload TypeScript wrote back is byte-identical to what we sent.
    EXPECT_EQ(handle.result_payload().get(), c.arg) << c.name;
  }
}

TEST_F(TsClientInterop, TheTypeScriptClientReadsMemoAndSearchAttributesCppSet) {
  auto o = options("memo");
  o.memo = {{"owner", converter::to_payload(std::string("team-a"))},
            {"n", converter::to_payload(7)},
            {"nested", converter::to_payload(json{{"list", {1, 2, 3}}, {"ok", true}})}};
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  o.search_attributes = {{"CppKeyword", SearchAttributeValue::keyword("gold")},
                         {"CppInt", SearchAttributeValue::integer(42)},
                         {"CppBool", SearchAttributeValue::boolean(true)},
                         {"CppDouble", SearchAttributeValue::floating(2.5)},
                         {"CppText", SearchAttributeValue::text("some words")},
                         {"CppDatetime", SearchAttributeValue::datetime(when)},
                         {"CppKeywordList", SearchAttributeValue::keyword_list({"a", "b"})}};
  auto handle = client_->workflow().start("echo", o, std::string("x")).get();
  handle.result<void>().get();
  auto d = ts_client({"describe", handle.workflow_id()});
  EXPECT_EQ(d["status"], "COMPLETED") << d.dump();
  EXPECT_EQ(d["type"], "echo");
  EXPECT_EQ(d["taskQueue"], *queue_);
  EXPECT_EQ(d["runId"], handle.first_execution_run_id());
  EXPECT_EQ(d["memo"], (json{{"owner", "team-a"}, {"n", 7}, {"nested", {{"list", {1, 2, 3}}, {"ok", true}}}}))
      << d.dump();
  const auto& sa = d["searchAttributes"];
  EXPECT_EQ(sa["CppKeyword"], "gold") << d.dump();
  EXPECT_EQ(sa["CppInt"], 42);
  EXPECT_EQ(sa["CppBool"], true);
  EXPECT_EQ(sa["CppDouble"], 2.5);
  EXPECT_EQ(sa["CppText"], "some words");
  EXPECT_EQ(sa["CppDatetime"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(sa["CppKeywordList"], json::parse(R"(["a","b"])"));
}

TEST_F(TsClientInterop, TerminateByCppIsSeenAsTerminatedWithReasonAndDetails) {
  auto handle = client_->workflow().start("sleeper", options("term"), 3600000).get();
  handle.terminate("enough", std::string("why"), json{{"code", 42}}).get();
  auto out = ts_client({"result", handle.workflow_id()});
  EXPECT_EQ(out["status"], "terminated") << out.dump();
  EXPECT_EQ(out["error"]["failureType"], "TerminatedFailure") << out.dump();
  EXPECT_EQ(out["error"]["message"], "enough") << out.dump();
  EXPECT_EQ(out["reason"], "enough") << out.dump();
  EXPECT_EQ(out["details"], json::parse(R"(["why",{"code":42}])")) << out.dump();
  EXPECT_EQ(ts_client({"describe", handle.workflow_id()})["status"], "TERMINATED");
}

TEST_F(TsClientInterop, CancelByCppIsSeenAsCanceled) {
  auto handle = client_->workflow().start("cancellable", options("cancel")).get();
  handle.cancel().get();
  auto out = ts_client({"result", handle.workflow_id()});
  EXPECT_EQ(out["status"], "canceled") << out.dump();
  EXPECT_EQ(out["error"]["failureType"], "CancelledFailure") << out.dump();
  // The TypeScript SDK spells this status name with two Ls (WorkflowExecutionStatusName).
  EXPECT_EQ(ts_client({"describe", handle.workflow_id()})["status"], "CANCELLED");
}

TEST_F(TsClientInterop, TheTypeScriptClientSignalsAndQueriesAWorkflowCppStarted) {
  auto handle = client_->workflow().start("signalsAndQueries", options("sq")).get();
  handle.signal("add", std::string("from c++")).get();
  EXPECT_EQ(ts_client({"signal", handle.workflow_id(), "add", R"(["from typescript"])"})["status"], "ok");
  auto q = ts_client({"query", handle.workflow_id(), "getMessages"});
  EXPECT_EQ(q["result"], json::parse(R"(["from c++","from typescript"])")) << q.dump();
  handle.signal("finish").get();
  EXPECT_EQ(handle.result<std::vector<std::string>>().get(), (std::vector<std::string>{"from c++", "from typescript"}));
}

TEST_F(TsClientInterop, CppReadsTheResultMemoAndSearchAttributesOfAWorkflowTheTypeScriptClientStarted) {
  const std::string id = options("ts-start").workflow_id;
  auto started = ts_client({"start-async", "echo", *queue_, id, R"([{"k":"v","n":[1,2.5,null]}])",
                            R"({"memo":{"team":"ts","n":5,"obj":{"a":[true]}},
                                "typedSearchAttributes":{
                                  "CppKeyword":{"type":"KEYWORD","value":"from-ts"},
                                  "CppInt":{"type":"INT","value":5},
                                  "CppDatetime":{"type":"DATETIME","value":"2023-11-14T22:13:20Z"},
                                  "CppKeywordList":{"type":"KEYWORD_LIST","value":["x","y"]}}})"});
  ASSERT_EQ(started["status"], "started") << started.dump();
  auto handle = client_->workflow().get_handle(id, started["runId"].get<std::string>());
  EXPECT_EQ(handle.result<json>().get(), json::parse(R"({"k":"v","n":[1,2.5,null]})"));
  auto d = handle.describe().get();
  EXPECT_EQ(d.workflow_type, "echo");
  EXPECT_EQ(d.status, WorkflowExecutionStatus::kCompleted);
  EXPECT_EQ(converter::from_payload<std::string>(d.memo.at("team")), "ts");
  EXPECT_EQ(converter::from_payload<int>(d.memo.at("n")), 5);
  EXPECT_EQ(converter::from_payload<json>(d.memo.at("obj")), json::parse(R"({"a":[true]})"));
  EXPECT_EQ(d.search_attributes.at("CppKeyword").as_string(), "from-ts");
  EXPECT_EQ(d.search_attributes.at("CppInt").as_int(), 5);
  EXPECT_EQ(d.search_attributes.at("CppDatetime").as_time(),
            std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)));
  EXPECT_EQ(d.search_attributes.at("CppKeywordList").as_keyword_list(), (std::vector<std::string>{"x", "y"}));
}

TEST_F(TsClientInterop, CppReadsTheResultOfAWorkflowTheTypeScriptClientRanToCompletion) {
  const std::string id = options("ts-run").workflow_id;
  auto out = ts_client({"start", "echoAll", *queue_, id, R"(["a",2,true,null])"});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_EQ(out["result"], json::parse(R"(["a",2,true,null])")) << out.dump();
  auto handle = client_->workflow().get_handle(id);
  EXPECT_EQ(handle.result<json>().get(), json::parse(R"(["a",2,true,null])"));
  EXPECT_EQ(handle.describe().get().first_run_id, out["runId"]);
}

// BUG (src/client/client.cpp decode_search_attributes): the TypeScript client's untyped
// `searchAttributes` option (deprecated, still common) writes every value as a JSON array with the
// `type` metadata of the scalar ("Keyword" -> ["from-ts"], "Int" -> [5]). describe() then throws a
// raw nlohmann::json type_error ("type must be string, but is array") instead of reading the
// single element. Enable when fixed.
TEST_F(TsClientInterop, CppReadsUntypedSearchAttributesTheTypeScriptClientSet) {
  const std::string id = options("ts-legacy").workflow_id;
  auto started = ts_client({"start-async", "echo", *queue_, id, R"(["x"])",
                            R"({"searchAttributes":{"CppKeyword":["from-ts"],"CppInt":[5]}})"});
  ASSERT_EQ(started["status"], "started") << started.dump();
  auto handle = client_->workflow().get_handle(id);
  handle.result<void>().get();
  auto d = handle.describe().get();
  EXPECT_EQ(d.search_attributes.at("CppKeyword").as_string(), "from-ts");
  EXPECT_EQ(d.search_attributes.at("CppInt").as_int(), 5);
}

}  // namespace
}  // namespace temporal::client
