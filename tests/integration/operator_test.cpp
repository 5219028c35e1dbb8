// Search attribute administration against the dev server.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(200ms);
  }
}

class OperatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }
  static Client* client_;
};
Client* OperatorTest::client_ = nullptr;

TEST_F(OperatorTest, ListShowsCustomAndSystemAttributesTyped) {
  auto list = client_->operator_service().list_search_attributes().get();
  // Registered by the test server.
  EXPECT_EQ(list.custom.at("CppKeyword"), SearchAttributeType::kKeyword);
  EXPECT_EQ(list.custom.at("CppInt"), SearchAttributeType::kInt);
  EXPECT_EQ(list.custom.at("CppDatetime"), SearchAttributeType::kDatetime);
  EXPECT_EQ(list.custom.at("CppKeywordList"), SearchAttributeType::kKeywordList);
  // Predefined by the server.
  EXPECT_EQ(list.system.at("WorkflowId"), SearchAttributeType::kKeyword);
  EXPECT_EQ(list.system.at("StartTime"), SearchAttributeType::kDatetime);
  EXPECT_EQ(list.system.count("CppKeyword"), 0u);
}

TEST_F(OperatorTest, AddedAttributeIsListedUsableInAWorkflowStartAndRemovable) {
  const std::string name = "CppOperatorKw" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
  auto ops = client_->operator_service();
  std::map<std::string, SearchAttributeType> attrs{{name, SearchAttributeType::kKeyword}};
  ops.add_search_attributes(attrs).get();
  EXPECT_EQ(ops.list_search_attributes().get().custom.at(name), SearchAttributeType::kKeyword);

  // Adding it again with the same type is accepted.
  ops.add_search_attributes(attrs).get();

  // A workflow started with it is found by a query on it (no worker needed: it stays running).
  // The value is unique to this run: SQL visibility keeps a removed attribute's values in its
  // column, and an attribute added later may be given the same column, so a fixed value would also
  // match the rows of an earlier run against the same server.
  const std::string value = "blue-" + name;
  WorkflowOptions o;
  o.task_queue = "operator-test-no-worker";
  o.workflow_id = "operator-" + name;
  o.search_attributes[name] = SearchAttributeValue::keyword(value);
  auto handle = client_->workflow().start("neverRuns", o).get();
  EXPECT_EQ(handle.describe().get().search_attributes.at(name).as_string(), value);
  int64_t found = -1;
  EXPECT_TRUE(eventually([&] { return (found = client_->workflow().count(name + " = '" + value + "'").get().count) == 1; }))
      << "count: " << found;
  handle.terminate("test done").get();

  ops.remove_search_attributes({name}).get();
  EXPECT_EQ(ops.list_search_attributes().get().custom.count(name), 0u);
  // Now unknown to the server: a start that uses it is refused.
  o.workflow_id += "-again";
  EXPECT_THROW(client_->workflow().start("neverRuns", o).get(), RpcError);
}

// The server ignores such a request without an error; the client must not.
TEST_F(OperatorTest, AddingAnExistingNameWithAnotherTypeRaisesInvalidArgumentAndChangesNothing) {
  std::map<std::string, SearchAttributeType> attrs{{"CppKeyword", SearchAttributeType::kInt}};
  try {
    client_->operator_service().add_search_attributes(attrs).get();
    FAIL() << "re-typing an existing search attribute succeeded";
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), "attributes.CppKeyword");
    EXPECT_NE(std::string(e.what()).find("with type Keyword, not Int"), std::string::npos) << e.what();
  }
  EXPECT_EQ(client_->operator_service().list_search_attributes().get().custom.at("CppKeyword"),
            SearchAttributeType::kKeyword);
  std::map<std::string, SearchAttributeType> system{{"WorkflowId", SearchAttributeType::kInt}};
  EXPECT_THROW(client_->operator_service().add_search_attributes(system).get(), InvalidArgumentError);
}

TEST_F(OperatorTest, RemovingAnUnknownAttributeIsANoOp) {
  std::vector<std::string> names{"CppNoSuchAttribute"};
  client_->operator_service().remove_search_attributes(names).get();
  EXPECT_EQ(client_->operator_service().list_search_attributes().get().custom.count("CppNoSuchAttribute"), 0u);
}

TEST_F(OperatorTest, EmptyRequestsAreRejectedBeforeAnyRpc) {
  Client offline(Connection::lazy({.address = "127.0.0.1:1", .retry = {.max_attempts = 1}}));
  std::map<std::string, SearchAttributeType> none;
  EXPECT_THROW(offline.operator_service().add_search_attributes(none).get(), InvalidArgumentError);
  std::map<std::string, SearchAttributeType> unnamed{{"", SearchAttributeType::kKeyword}};
  EXPECT_THROW(offline.operator_service().add_search_attributes(unnamed).get(), InvalidArgumentError);
  std::vector<std::string> no_names;
  EXPECT_THROW(offline.operator_service().remove_search_attributes(no_names).get(), InvalidArgumentError);
}

}  // namespace
}  // namespace temporal::client
