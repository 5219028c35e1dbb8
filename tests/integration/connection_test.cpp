#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "temporal/client/connection.h"
#include "temporal/common/errors.h"
#include "temporal/testing/dev_server.h"
#include "rpc/services.h"
#include "rpc/status.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;

std::string address() { return testing::shared_test_server_address(); }

TEST(Connection, ConnectReadsSystemInfo) {
  auto conn = Connection::connect({.address = address()});
  auto info = conn.system_info().get();
  EXPECT_FALSE(info.server_version.empty());
  EXPECT_TRUE(info.supports_schedules);
  EXPECT_TRUE(info.internal_error_differentiation);
}

TEST(Connection, HealthCheckSaysServing) {
  auto conn = Connection::connect({.address = address()});
  EXPECT_TRUE(conn.check_health().get());
}

TEST(Connection, WrongAddressNamesTheCause) {
  auto started = std::chrono::steady_clock::now();
  try {
    Connection::connect({.address = "127.0.0.1:1", .connect_timeout = 2s});
    FAIL() << "connect to a closed port succeeded";
  } catch (const RpcError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("cannot reach the Temporal server at 127.0.0.1:1"), std::string::npos) << what;
    EXPECT_NE(what.find("connection refused"), std::string::npos) << what;
    EXPECT_EQ(e.code(), 14);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(Connection, UnknownNamespaceRaisesNamespaceNotFound) {
  auto conn = Connection::connect({.address = address()});
  rpc::wsv1::DescribeNamespaceRequest req;
  req.set_namespace_("no-such-namespace");
  auto r = rpc::DescribeNamespace(*conn.channel(), req, {.namespace_name = "no-such-namespace"}).get();
  ASSERT_FALSE(r.ok());
  try {
    rpc::throw_status(r.status, {.operation = "describe namespace", .namespace_name = "no-such-namespace"});
  } catch (const NamespaceNotFoundError& e) {
    EXPECT_EQ(e.namespace_name(), "no-such-namespace");
    EXPECT_NE(std::string(e.what()).find("namespace 'no-such-namespace' does not exist"), std::string::npos);
  }
}

TEST(Connection, ThousandConcurrentCallsFromOneThread) {
  auto conn = Connection::connect({.address = address()});
  std::vector<Task<bool>> calls;
  for (int i = 0; i < 1000; ++i) calls.push_back(conn.check_health());
  auto results = when_all(std::move(calls)).get();
  ASSERT_EQ(results.size(), 1000u);
  for (bool ok : results) EXPECT_TRUE(ok);
}

TEST(Connection, LazyConnectionConnectsOnFirstCall) {
  auto conn = Connection::lazy({.address = address()});
  EXPECT_FALSE(conn.system_info().get().server_version.empty());
}

TEST(Connection, ClosedConnectionFailsCalls) {
  auto conn = Connection::connect({.address = address()});
  conn.close();
  EXPECT_THROW(conn.check_health().get(), RpcError);
}

}  // namespace
}  // namespace temporal::client
