// TLS against a real TLS endpoint: nginx terminating TLS (optionally mTLS) in front of the dev
// server, with certificates made at test time.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>

#include "support/certs.h"
#include "support/nginx_proxy.h"
#include "temporal/client/connection.h"
#include "temporal/common/errors.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using test_support::CertAndKey;
using test_support::NginxProxy;
using test_support::ProxyRequest;

const test_support::TestCerts& pki() { return test_support::test_certs(); }

std::unique_ptr<NginxProxy> tls_proxy(const CertAndKey& server_cert) {
  return NginxProxy::start({.upstream = testing::shared_test_server_address(),
                            .cert_path = server_cert.cert_path,
                            .key_path = server_cert.key_path});
}

// A proxy that wants client certificates signed by the client CA. `in_handshake`: a missing one
// fails the TLS handshake (as a Temporal server does); otherwise nginx answers HTTP 400.
std::unique_ptr<NginxProxy> mtls_proxy(bool in_handshake) {
  return NginxProxy::start({.upstream = testing::shared_test_server_address(),
                            .cert_path = pki().server.cert_path,
                            .key_path = pki().server.key_path,
                            .client_ca_path = pki().client_ca.cert_path,
                            .require_client_cert_in_handshake = in_handshake});
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// How a connect attempt failed (threw is false if it did not).
struct ConnectFailure {
  bool threw = false;
  int code = 0;
  std::string what;
  std::string server_message;
  std::chrono::milliseconds elapsed{0};
};

ConnectFailure connect_failure(ConnectionOptions options) {
  ConnectFailure f;
  const auto began = std::chrono::steady_clock::now();
  try {
    Connection::connect(std::move(options));
  } catch (const RpcError& e) {
    f.threw = true;
    f.code = e.code();
    f.what = e.what();
    f.server_message = e.server_message();
  }
  f.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  ::testing::Test::RecordProperty("error", f.what);
  return f;
}

constexpr auto kConnectTimeout = 3s;
// A failed connect may use all of connect_timeout (it retries UNAVAILABLE) plus one attempt.
constexpr auto kFailureBound = kConnectTimeout + 3s;

TEST(Tls, ConnectsThroughATlsProxyWhenGivenTheRightCa) {
  auto proxy = tls_proxy(pki().server);
  auto conn = Connection::connect({.address = proxy->address(),
                                   .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                                   .connect_timeout = kConnectTimeout});
  EXPECT_FALSE(conn.system_info().get().server_version.empty());
  EXPECT_TRUE(conn.check_health().get());
  // The calls really went through the proxy, over TLS.
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
    return contains(r.uri, "/GetSystemInfo") && r.status == "200" && contains(r.ssl_protocol, "TLS");
  })) << proxy->access_log();
}

TEST(Tls, AnUntrustedServerCertificateFailsNamingTheCertificateProblem) {
  auto proxy = tls_proxy(pki().server);
  auto f = connect_failure({.address = proxy->address(),
                            .tls = TlsOptions{.server_root_ca_cert = pki().other_ca.cert},
                            .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(f.threw) << "connect with an unrelated CA succeeded";
  EXPECT_EQ(f.code, 14) << f.what;
  EXPECT_TRUE(contains(f.what, "TLS handshake with " + proxy->address() + " failed")) << f.what;
  EXPECT_TRUE(contains(f.what, "certificate is not trusted")) << f.what;
  EXPECT_TRUE(contains(f.what, "tls.server_root_ca_cert")) << f.what;
  EXPECT_LT(f.elapsed, kFailureBound);
  // Nothing got past the handshake.
  EXPECT_TRUE(proxy->requests().empty()) << proxy->access_log();
}

TEST(Tls, AnExpiredServerCertificateFailsNamingTheCertificateProblem) {
  auto proxy = tls_proxy(pki().expired_server);
  auto f = connect_failure({.address = proxy->address(),
                            .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                            .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(f.threw) << "connect to a server with an expired certificate succeeded";
  EXPECT_EQ(f.code, 14) << f.what;
  EXPECT_TRUE(contains(f.what, "TLS handshake with " + proxy->address() + " failed")) << f.what;
  EXPECT_TRUE(contains(f.what, "expired")) << f.what;
  EXPECT_LT(f.elapsed, kFailureBound);
  EXPECT_TRUE(proxy->requests().empty()) << proxy->access_log();
}

// The proxy's certificate names only DNS:localhost; the tests connect to 127.0.0.1.
TEST(Tls, ConnectingByAnAddressTheCertificateDoesNotNameFailsSayingToSetTheOverride) {
  auto proxy = tls_proxy(pki().localhost_only);
  auto f = connect_failure({.address = proxy->address(),
                            .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                            .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(f.threw) << "connect to 127.0.0.1 with a certificate for localhost only succeeded";
  EXPECT_EQ(f.code, 14) << f.what;
  EXPECT_TRUE(contains(f.what, "does not match the server name")) << f.what;
  EXPECT_TRUE(contains(f.what, "tls.server_name_override")) << f.what;
  EXPECT_LT(f.elapsed, kFailureBound);
  EXPECT_TRUE(proxy->requests().empty()) << proxy->access_log();
}

TEST(Tls, AServerNameOverrideTheCertificateDoesNotNameFails) {
  auto proxy = tls_proxy(pki().localhost_only);
  auto f = connect_failure({.address = proxy->address(),
                            .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert,
                                              .server_name_override = "wrong.example"},
                            .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(f.threw) << "connect with server_name_override=wrong.example succeeded";
  EXPECT_EQ(f.code, 14) << f.what;
  EXPECT_TRUE(contains(f.what, "wrong.example")) << "the override was not the name checked: " << f.what;
  EXPECT_TRUE(contains(f.what, "TLS handshake with " + proxy->address() + " failed")) << f.what;
  EXPECT_TRUE(contains(f.what, "does not match the server name")) << f.what;
  EXPECT_TRUE(contains(f.what, "tls.server_name_override")) << f.what;
  EXPECT_LT(f.elapsed, kFailureBound);
  EXPECT_TRUE(proxy->requests().empty()) << proxy->access_log();
}

TEST(Tls, AServerNameOverrideTheCertificateNamesConnects) {
  auto proxy = tls_proxy(pki().localhost_only);
  auto conn = Connection::connect({.address = proxy->address(),
                                   .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert,
                                                     .server_name_override = "localhost"},
                                   .connect_timeout = kConnectTimeout});
  EXPECT_FALSE(conn.system_info().get().server_version.empty());
}

TEST(Tls, MutualTlsWithAClientCertificateConnects) {
  for (bool in_handshake : {true, false}) {
    SCOPED_TRACE(in_handshake ? "proxy requires the certificate in the handshake" : "nginx's default mTLS");
    auto proxy = mtls_proxy(in_handshake);
    auto conn = Connection::connect({.address = proxy->address(),
                                     .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert,
                                                       .client_cert = pki().client.cert,
                                                       .client_private_key = pki().client.key},
                                     .connect_timeout = kConnectTimeout});
    EXPECT_FALSE(conn.system_info().get().server_version.empty());
    EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
      return contains(r.uri, "/GetSystemInfo") && r.status == "200" && r.client_verify == "SUCCESS";
    })) << proxy->access_log();
  }
}

TEST(Tls, MutualTlsWithoutAClientCertificateFailsTheHandshakeSayingOneIsRequired) {
  auto proxy = mtls_proxy(/*in_handshake=*/true);
  auto f = connect_failure({.address = proxy->address(),
                            .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                            .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(f.threw) << "connect without a client certificate to a mTLS proxy succeeded";
  EXPECT_EQ(f.code, 14) << f.what;
  EXPECT_TRUE(contains(f.what, "TLS handshake with " + proxy->address() + " failed")) << f.what;
  EXPECT_TRUE(contains(f.what, "client certificate")) << f.what;
  EXPECT_TRUE(contains(f.what, "tls.client_cert")) << f.what;
  EXPECT_LT(f.elapsed, kFailureBound);
  // No request got past the handshake.
  EXPECT_TRUE(proxy->requests().empty()) << proxy->access_log();
}

TEST(Tls, MutualTlsProxyAnsweringHttp400WithoutAClientCertificateSaysOneIsRequired) {
  auto proxy = mtls_proxy(/*in_handshake=*/false);
  auto f = connect_failure({.address = proxy->address(),
                            .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                            .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(f.threw) << "connect without a client certificate to a mTLS proxy succeeded";
  EXPECT_TRUE(contains(f.what, "client certificate")) << f.what;
  EXPECT_TRUE(contains(f.what, "tls.client_cert")) << f.what;
  EXPECT_LT(f.elapsed, kFailureBound);
  // nginx saw the call and refused it without a certificate.
  ASSERT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) { return r.status == "400"; })) << proxy->access_log();
  for (const auto& r : proxy->requests()) {
    EXPECT_EQ(r.status, "400") << proxy->access_log();
    EXPECT_EQ(r.client_verify, "NONE") << proxy->access_log();
  }
}

TEST(Tls, MutualTlsWithAClientCertificateFromAnotherCaIsRejected) {
  auto proxy = mtls_proxy(/*in_handshake=*/true);
  // A certificate the proxy's client CA did not sign (the server's own).
  auto f = connect_failure({.address = proxy->address(),
                            .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert,
                                              .client_cert = pki().server.cert,
                                              .client_private_key = pki().server.key},
                            .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(f.threw) << "connect with a client certificate the server does not trust succeeded";
  EXPECT_TRUE(contains(f.what, "client certificate")) << f.what;
  EXPECT_LT(f.elapsed, kFailureBound);
  for (const auto& r : proxy->requests()) {
    EXPECT_NE(r.status, "200") << proxy->access_log();
    EXPECT_TRUE(contains(r.client_verify, "FAILED")) << proxy->access_log();
  }
}

TEST(Tls, AClientCertificateWithoutItsKeyIsRejectedBeforeConnecting) {
  EXPECT_THROW(Connection::lazy({.address = "127.0.0.1:1",
                                 .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert,
                                                   .client_cert = pki().client.cert}}),
               InvalidArgumentError);
}

TEST(Tls, AnApiKeyArrivesAsABearerAuthorizationHeader) {
  auto proxy = tls_proxy(pki().server);
  auto conn = Connection::connect({.address = proxy->address(),
                                   .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                                   .api_key = "secret-key-123",
                                   .connect_timeout = kConnectTimeout});
  EXPECT_TRUE(conn.check_health().get());
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
    return contains(r.uri, "/GetSystemInfo") && r.authorization == "Bearer secret-key-123";
  })) << proxy->access_log();
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
    return contains(r.uri, "/grpc.health.v1.Health/Check") && r.authorization == "Bearer secret-key-123";
  })) << proxy->access_log();
}

TEST(Tls, SetApiKeyChangesTheHeaderOfLaterCalls) {
  auto proxy = tls_proxy(pki().server);
  auto conn = Connection::connect({.address = proxy->address(),
                                   .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                                   .api_key = "old-key",
                                   .connect_timeout = kConnectTimeout});
  conn.set_api_key("new-key");
  EXPECT_TRUE(conn.check_health().get());
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
    return contains(r.uri, "Health/Check") && r.authorization == "Bearer new-key";
  })) << proxy->access_log();
  for (const auto& r : proxy->requests()) {
    if (contains(r.uri, "Health/Check")) {
      EXPECT_EQ(r.authorization, "Bearer new-key");
    }
  }
}

TEST(Tls, AnApiKeyProviderIsCalledForEveryCallAndItsCurrentKeyArrives) {
  auto proxy = tls_proxy(pki().server);
  std::atomic<int> calls{0};
  auto conn = Connection::connect({.address = proxy->address(),
                                   .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                                   .api_key_provider = [&calls] { return "rotating-" + std::to_string(++calls); },
                                   .connect_timeout = kConnectTimeout});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(conn.check_health().get());
  // GetSystemInfo at connect, then three health checks: one provider call each.
  EXPECT_EQ(calls.load(), 4);
  std::set<std::string> sent;
  for (int i = 1; i <= calls.load(); ++i) sent.insert("Bearer rotating-" + std::to_string(i));
  ASSERT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) { return r.authorization == "Bearer rotating-4"; }))
      << proxy->access_log();
  std::set<std::string> arrived;
  for (const auto& r : proxy->requests()) arrived.insert(r.authorization);
  EXPECT_EQ(arrived, sent) << proxy->access_log();
  // The key computed for a call is the one that call carries.
  for (const auto& r : proxy->requests()) {
    if (contains(r.uri, "/GetSystemInfo")) {
      EXPECT_EQ(r.authorization, "Bearer rotating-1");
    }
  }
}

TEST(Tls, TheApiKeyNeverAppearsInErrorMessages) {
  const std::string key = "secret-key-123";
  auto proxy = tls_proxy(pki().server);
  // A TLS failure (untrusted certificate).
  auto untrusted = connect_failure({.address = proxy->address(),
                                    .tls = TlsOptions{.server_root_ca_cert = pki().other_ca.cert},
                                    .api_key = key,
                                    .connect_timeout = kConnectTimeout});
  ASSERT_TRUE(untrusted.threw);
  EXPECT_FALSE(contains(untrusted.what, key)) << untrusted.what;
  EXPECT_FALSE(contains(untrusted.server_message, key)) << untrusted.server_message;
  // An unreachable server.
  const std::string closed = proxy->address();
  proxy->stop();
  auto refused = connect_failure({.address = closed,
                                  .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                                  .api_key = key,
                                  .connect_timeout = 1s});
  ASSERT_TRUE(refused.threw);
  EXPECT_FALSE(contains(refused.what, key)) << refused.what;
  EXPECT_FALSE(contains(refused.server_message, key)) << refused.server_message;
  // A call failing on an established connection whose server went away.
  auto proxy2 = tls_proxy(pki().server);
  auto conn = Connection::connect({.address = proxy2->address(),
                                   .tls = TlsOptions{.server_root_ca_cert = pki().ca.cert},
                                   .api_key = key,
                                   .rpc_timeout = 1s,
                                   .retry = {.max_attempts = 2},
                                   .connect_timeout = kConnectTimeout});
  proxy2->stop();
  try {
    conn.check_health().get();
    FAIL() << "health check through a stopped proxy succeeded";
  } catch (const RpcError& e) {
    EXPECT_FALSE(contains(e.what(), key)) << e.what();
    EXPECT_FALSE(contains(e.server_message(), key)) << e.server_message();
  }
}

}  // namespace
}  // namespace temporal::client
