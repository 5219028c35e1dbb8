// Environment configuration against the real `temporal` CLI and a real server: profiles written by
// `temporal config set` load into ConnectionOptions that connect (plain, and with TLS, mTLS, an
// API key and headers through nginx), and environment variables override them.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/certs.h"
#include "support/nginx_proxy.h"
#include "temporal/client.h"
#include "temporal/envconfig/envconfig.h"
#include "temporal/testing/dev_server.h"

namespace temporal::envconfig {
namespace {

using Env = std::map<std::string, std::string>;
using test_support::NginxProxy;
using test_support::ProxyRequest;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A config file that only the real CLI writes.
class CliConfigFile {
 public:
  CliConfigFile() {
    auto dir = std::filesystem::temp_directory_path() /
               ("envconfig-cli-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path_ = (dir / "temporal.toml").string();
  }
  const std::string& path() const { return path_; }

  // temporal config set --profile <profile> --prop <prop> --value <value>
  void set(const std::string& profile, const std::string& prop, const std::string& value) const {
    const char* cli = std::getenv("TEMPORAL_CLI");
    const std::string cmd = "TEMPORAL_CONFIG_FILE=" + shell_quote(path_) + " " + shell_quote(cli && *cli ? cli : "temporal") +
                            " config set --profile " + shell_quote(profile) + " --prop " + shell_quote(prop) +
                            " --value " + shell_quote(value) + " 2>&1";
    const int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << "failed: " << cmd;
  }
  std::string text() const {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::string path_;
};

TEST(EnvConfigCli, ProfileWrittenByTheCliConnectsToTheServer) {
  CliConfigFile file;
  file.set("dev", "address", testing::shared_test_server_address());
  file.set("dev", "namespace", "default");
  file.set("default", "address", "127.0.0.1:1");  // never used: the test picks "dev"

  auto options = load_client_connect_config({.env = Env{{"TEMPORAL_CONFIG_FILE", file.path()},
                                                        {"TEMPORAL_PROFILE", "dev"}}});
  EXPECT_EQ(options.address, testing::shared_test_server_address());
  auto conn = client::Connection::connect(options);
  EXPECT_FALSE(conn.system_info().get().server_version.empty());
  // A namespaced call: the namespace came from the profile.
  client::Client client(conn);
  EXPECT_NO_THROW(client.workflow().count("").get());
}

TEST(EnvConfigCli, EnvironmentOverridesTheCliProfile) {
  CliConfigFile file;
  file.set("default", "address", "127.0.0.1:1");
  file.set("default", "namespace", "no-such-namespace");
  auto options = load_client_connect_config({.config_file = file.path(),
                                             .env = Env{{"TEMPORAL_ADDRESS", testing::shared_test_server_address()},
                                                        {"TEMPORAL_NAMESPACE", "default"}}});
  auto conn = client::Connection::connect(options);
  client::Client client(conn);
  EXPECT_NO_THROW(client.workflow().count("").get());
}

TEST(EnvConfigCli, EveryKeyTheCliWritesIsKnownInStrictMode) {
  CliConfigFile file;
  for (auto [prop, value] : std::vector<std::pair<std::string, std::string>>{
           {"address", "a:1"},
           {"namespace", "ns"},
           {"api_key", "k"},
           {"tls.server_name", "sni"},
           {"tls.server_ca_cert_path", "/ca.pem"},
           {"tls.client_cert_data", "CERT"},
           {"tls.client_key_data", "KEY"},
           {"tls.disable_host_verification", "false"},
           {"tls.disabled", "false"},
           {"codec.endpoint", "http://codec"},
           {"codec.auth", "Bearer z"},
           {"grpc_meta.X_Team", "blue"}}) {
    file.set("all", prop, value);
  }
  auto p = load_client_config_profile({.profile = "all", .config_file = file.path(), .config_file_strict = true,
                                       .env = Env{}});
  EXPECT_EQ(p.address, "a:1");
  EXPECT_EQ(p.namespace_name, "ns");
  EXPECT_EQ(p.api_key, "k");
  ASSERT_TRUE(p.tls.has_value()) << file.text();
  EXPECT_EQ(p.tls->server_name, "sni");
  EXPECT_EQ(p.tls->server_ca_cert.path, "/ca.pem");
  EXPECT_EQ(p.tls->client_cert.data, "CERT");
  EXPECT_EQ(p.tls->client_key.data, "KEY");
  EXPECT_FALSE(p.tls->disabled.value_or(false));
  ASSERT_TRUE(p.codec.has_value());
  EXPECT_EQ(p.codec->endpoint, "http://codec");
  EXPECT_EQ(p.grpc_meta, (std::map<std::string, std::string>{{"x-team", "blue"}}));
}

TEST(EnvConfigCli, CliTlsProfileConnectsWithMutualTlsApiKeyAndHeaders) {
  const auto& pki = test_support::test_certs();
  auto proxy = NginxProxy::start({.upstream = testing::shared_test_server_address(),
                                  .cert_path = pki.server.cert_path,
                                  .key_path = pki.server.key_path,
                                  .client_ca_path = pki.client_ca.cert_path,
                                  .require_client_cert_in_handshake = true});
  CliConfigFile file;
  file.set("cloud", "address", proxy->address());
  file.set("cloud", "api_key", "profile-key");
  file.set("cloud", "tls.server_ca_cert_path", pki.ca.cert_path);
  file.set("cloud", "tls.client_cert_path", pki.client.cert_path);
  file.set("cloud", "tls.client_key_path", pki.client.key_path);
  file.set("cloud", "tls.server_name", "localhost");
  file.set("cloud", "grpc_meta.x-cpp-test", "from-profile");

  auto options = load_client_connect_config({.profile = "cloud", .config_file = file.path(), .env = Env{}});
  options.connect_timeout = std::chrono::seconds(5);
  auto conn = client::Connection::connect(options);
  EXPECT_FALSE(conn.system_info().get().server_version.empty());
  EXPECT_TRUE(proxy->wait_for_request([](const ProxyRequest& r) {
    return r.authorization == "Bearer profile-key" && r.x_cpp_test == "from-profile" && !r.ssl_protocol.empty() &&
           r.client_verify == "SUCCESS";
  })) << proxy->access_log();
}

TEST(EnvConfigCli, TlsFromEnvironmentOnlyWithCertificateData) {
  const auto& pki = test_support::test_certs();
  auto proxy = NginxProxy::start({.upstream = testing::shared_test_server_address(),
                                  .cert_path = pki.server.cert_path,
                                  .key_path = pki.server.key_path});
  auto options = load_client_connect_config({.disable_file = true,
                                             .env = Env{{"TEMPORAL_ADDRESS", proxy->address()},
                                                        {"TEMPORAL_TLS_SERVER_CA_CERT_DATA", pki.ca.cert},
                                                        {"TEMPORAL_GRPC_META_X_CPP_TEST", "from-env"}}});
  options.connect_timeout = std::chrono::seconds(5);
  auto conn = client::Connection::connect(options);
  EXPECT_TRUE(conn.check_health().get());
  EXPECT_TRUE(proxy->wait_for_request(
      [](const ProxyRequest& r) { return r.x_cpp_test == "from-env" && !r.ssl_protocol.empty(); }))
      << proxy->access_log();
}

TEST(EnvConfigCli, ProfileWithTheWrongCaFailsToConnect) {
  const auto& pki = test_support::test_certs();
  auto proxy = NginxProxy::start({.upstream = testing::shared_test_server_address(),
                                  .cert_path = pki.server.cert_path,
                                  .key_path = pki.server.key_path});
  CliConfigFile file;
  file.set("default", "address", proxy->address());
  file.set("default", "tls.server_ca_cert_path", pki.other_ca.cert_path);
  auto options = load_client_connect_config({.config_file = file.path(), .env = Env{}});
  options.connect_timeout = std::chrono::seconds(3);
  EXPECT_THROW(client::Connection::connect(options), RpcError);
}

}  // namespace
}  // namespace temporal::envconfig
