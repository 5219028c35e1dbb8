// What reaches the server through a plaintext gRPC proxy (nginx in front of the dev server): custom
// headers, and the API key's effect on TLS.
#include <gtest/gtest.h>

#include <chrono>

#include "support/nginx_proxy.h"
#include "temporal/client/connection.h"
#include "temporal/common/errors.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using test_support::NginxProxy;
using test_support::ProxyRequest;

std::unique_ptr<NginxProxy> plaintext_proxy() {
  return NginxProxy::start({.upstream = testing::shared_test_server_address()});
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

constexpr auto kConnectTimeout = 3s;
constexpr auto kFailureBound = kConnectTimeout + 3s;

// Connects, expecting an RpcError; returns its what() ("" if connect succeeded).
std::string connect_error(ConnectionOptions options, std::chrono::milliseconds* elapsed = nullptr) {
  const auto began = std::chrono::steady_clock::now();
  std::string what;
  try {
    Connection::connect(std::move(options));
  } catch (const RpcError& e) {
    what = e.what();
  }
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  if (elapsed) *elapsed = took;
  ::testing::Test::RecordProperty("error", what);
  return what;
}

TEST(Proxy, CustomMetadataReachesTheServerOnEveryCall) {
  auto proxy = plaintext_proxy();
  auto conn = Connection::connect({.address = proxy->address(),
                                   .metadata = {{"x-cpp-test", "hello"}},
                                   .connect_timeout = kConnectTimeout});
  EXPECT_TRUE(conn.check_health().get());
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
    return contains(r.uri, "Health/Check") && r.status == "200";
  })) << proxy->access_log();
  const auto requests = proxy->requests();
  ASSERT_GE(requests.size(), 2u) << proxy->access_log();
  for (const auto& r : requests) {
    EXPECT_EQ(r.x_cpp_test, "hello") << r.uri;
    // Plaintext and no API key: no TLS, no authorization header.
    EXPECT_EQ(r.ssl_protocol, "") << r.uri;
    EXPECT_EQ(r.authorization, "") << r.uri;
  }
}

TEST(Proxy, ConnectionsWithoutCustomMetadataSendNoSuchHeader) {
  auto proxy = plaintext_proxy();
  auto conn = Connection::connect({.address = proxy->address(), .connect_timeout = kConnectTimeout});
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) { return contains(r.uri, "/GetSystemInfo"); }))
      << proxy->access_log();
  for (const auto& r : proxy->requests()) EXPECT_EQ(r.x_cpp_test, "") << r.uri;
}

TEST(Proxy, AnApiKeyWithoutTlsOptionsTurnsTlsOn) {
  auto proxy = plaintext_proxy();
  std::chrono::milliseconds took{};
  auto what = connect_error({.address = proxy->address(), .api_key = "secret-key-123", .connect_timeout = kConnectTimeout},
                            &took);
  ASSERT_FALSE(what.empty()) << "connect with an API key to a plaintext proxy succeeded, so it did not use TLS";
  EXPECT_TRUE(contains(what, "TLS")) << what;
  EXPECT_TRUE(contains(what, "does not speak TLS")) << what;
  EXPECT_FALSE(contains(what, "secret-key-123")) << what;
  EXPECT_LT(took, kFailureBound);
  // The key never went out in plaintext.
  EXPECT_TRUE(proxy->requests().empty()) << proxy->access_log();
}

TEST(Proxy, AnApiKeyProviderWithoutTlsOptionsTurnsTlsOn) {
  auto proxy = plaintext_proxy();
  int calls = 0;
  auto what = connect_error({.address = proxy->address(),
                             .api_key_provider = [&calls] {
                               ++calls;
                               return std::string("provided-key");
                             },
                             .connect_timeout = kConnectTimeout});
  ASSERT_FALSE(what.empty()) << "connect with an API key provider to a plaintext proxy succeeded";
  EXPECT_TRUE(contains(what, "does not speak TLS")) << what;
  EXPECT_GE(calls, 1);
  EXPECT_TRUE(proxy->requests().empty()) << proxy->access_log();
}

TEST(Proxy, AnApiKeyWithoutTlsOptionsTurnsTlsOnAgainstThePlaintextServerToo) {
  auto what = connect_error({.address = testing::shared_test_server_address(),
                             .api_key = "secret-key-123",
                             .connect_timeout = kConnectTimeout});
  ASSERT_FALSE(what.empty()) << "connect with an API key to the plaintext dev server succeeded";
  EXPECT_TRUE(contains(what, "TLS")) << what;
}

TEST(Proxy, AnApiKeyWithTlsDisabledGoesInPlaintextAndArrives) {
  auto proxy = plaintext_proxy();
  auto conn = Connection::connect({.address = proxy->address(),
                                   .tls_disabled = true,
                                   .api_key = "secret-key-123",
                                   .connect_timeout = kConnectTimeout});
  EXPECT_FALSE(conn.system_info().get().server_version.empty());
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
    return contains(r.uri, "/GetSystemInfo") && r.status == "200" && r.authorization == "Bearer secret-key-123" &&
           r.ssl_protocol.empty();
  })) << proxy->access_log();
}

}  // namespace
}  // namespace temporal::client
