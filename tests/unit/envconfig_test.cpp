// Environment configuration without a server: TOML profiles, environment overrides, TLS sources
// and the errors for each kind of bad input. (tests/integration/envconfig_test.cpp connects with
// profiles that the real `temporal config set` wrote.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "temporal/envconfig/envconfig.h"

namespace temporal::envconfig {
namespace {

using Env = std::map<std::string, std::string>;

std::string temp_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("envconfig-test-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
  return path;
}

// What the message of the ConfigError thrown by `f` says ("" if none was thrown).
template <class F>
std::string config_error(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

constexpr const char* kTwoProfiles = R"(
[profile.default]
address = "file-host:7233"
namespace = "file-ns"

[profile.prod]
address = "prod.example:7233"
namespace = "prod-ns"
api_key = "prod-key"
[profile.prod.tls]
server_name = "prod-sni"
server_ca_cert_data = "CA PEM"
client_cert_data = "CERT PEM"
client_key_data = "KEY PEM"
[profile.prod.grpc_meta]
My_Header = "v1"
)";

TEST(EnvConfig, NoFileAndNoEnvironmentGiveTheConnectionDefaults) {
  auto o = load_client_connect_config({.config_file = temp_dir() + "/absent.toml", .env = Env{}});
  EXPECT_EQ(o.address, "localhost:7233");
  EXPECT_EQ(o.namespace_name, "default");
  EXPECT_TRUE(o.api_key.empty());
  EXPECT_FALSE(o.tls.has_value());
  EXPECT_FALSE(o.tls_disabled);
  EXPECT_TRUE(o.metadata.empty());
}

TEST(EnvConfig, DefaultProfileComesFromTheFile) {
  auto o = load_client_connect_config({.config_data = kTwoProfiles, .env = Env{}});
  EXPECT_EQ(o.address, "file-host:7233");
  EXPECT_EQ(o.namespace_name, "file-ns");
  EXPECT_FALSE(o.tls.has_value());
}

TEST(EnvConfig, NamedProfileCarriesApiKeyTlsDataAndNormalizedHeaders) {
  auto o = load_client_connect_config({.profile = "prod", .config_data = kTwoProfiles, .env = Env{}});
  EXPECT_EQ(o.address, "prod.example:7233");
  EXPECT_EQ(o.namespace_name, "prod-ns");
  EXPECT_EQ(o.api_key, "prod-key");
  ASSERT_TRUE(o.tls.has_value());
  EXPECT_EQ(o.tls->server_name_override, "prod-sni");
  EXPECT_EQ(o.tls->server_root_ca_cert, "CA PEM");
  EXPECT_EQ(o.tls->client_cert, "CERT PEM");
  EXPECT_EQ(o.tls->client_private_key, "KEY PEM");
  EXPECT_EQ(o.metadata, (std::map<std::string, std::string>{{"my-header", "v1"}}));
}

TEST(EnvConfig, ProfileIsChosenByTemporalProfile) {
  auto o = load_client_connect_config({.config_data = kTwoProfiles, .env = Env{{"TEMPORAL_PROFILE", "prod"}}});
  EXPECT_EQ(o.address, "prod.example:7233");
}

TEST(EnvConfig, FileIsChosenByTemporalConfigFileAndDefaultsToTheUserConfigDir) {
  const std::string dir = temp_dir();
  write_file(dir + "/chosen.toml", "[profile.default]\naddress = \"chosen:1\"\n");
  EXPECT_EQ(load_client_connect_config({.env = Env{{"TEMPORAL_CONFIG_FILE", dir + "/chosen.toml"}}}).address,
            "chosen:1");

  // The CLI's default location: $XDG_CONFIG_HOME, else $HOME/.config, + /temporalio/temporal.toml.
  write_file(dir + "/xdg/temporalio/temporal.toml", "[profile.default]\naddress = \"xdg:1\"\n");
  write_file(dir + "/home/.config/temporalio/temporal.toml", "[profile.default]\naddress = \"home:1\"\n");
  EXPECT_EQ(default_config_file_path(Env{{"HOME", dir + "/home"}}), dir + "/home/.config/temporalio/temporal.toml");
  EXPECT_EQ(load_client_connect_config({.env = Env{{"XDG_CONFIG_HOME", dir + "/xdg"}, {"HOME", dir + "/home"}}}).address,
            "xdg:1");
  EXPECT_EQ(load_client_connect_config({.env = Env{{"HOME", dir + "/home"}}}).address, "home:1");
  // An empty TEMPORAL_CONFIG_FILE means "not set".
  EXPECT_EQ(load_client_connect_config({.env = Env{{"TEMPORAL_CONFIG_FILE", ""}, {"HOME", dir + "/home"}}}).address,
            "home:1");
}

TEST(EnvConfig, EnvironmentOverridesTheFile) {
  auto p = load_client_config_profile({.config_data = kTwoProfiles,
                                       .env = Env{{"TEMPORAL_ADDRESS", "env-host:1"},
                                                  {"TEMPORAL_NAMESPACE", "env-ns"},
                                                  {"TEMPORAL_API_KEY", "env-key"},
                                                  {"TEMPORAL_GRPC_META_X_TEAM", "blue"}}});
  EXPECT_EQ(p.address, "env-host:1");
  EXPECT_EQ(p.namespace_name, "env-ns");
  EXPECT_EQ(p.api_key, "env-key");
  EXPECT_EQ(p.grpc_meta, (std::map<std::string, std::string>{{"x-team", "blue"}}));
  auto o = p.to_connection_options();
  EXPECT_EQ(o.address, "env-host:1");
  EXPECT_EQ(o.api_key, "env-key");
  EXPECT_EQ(o.metadata.at("x-team"), "blue");
}

TEST(EnvConfig, EmptyGrpcMetaVariableRemovesTheFilesHeader) {
  auto p = load_client_config_profile(
      {.profile = "prod", .config_data = kTwoProfiles, .env = Env{{"TEMPORAL_GRPC_META_MY_HEADER", ""}}});
  EXPECT_TRUE(p.grpc_meta.empty());
}

TEST(EnvConfig, DisableEnvIgnoresOverridesButStillChoosesTheProfile) {
  auto o = load_client_connect_config({.config_data = kTwoProfiles,
                                       .disable_env = true,
                                       .env = Env{{"TEMPORAL_PROFILE", "prod"}, {"TEMPORAL_ADDRESS", "ignored:1"}}});
  EXPECT_EQ(o.address, "prod.example:7233");
}

TEST(EnvConfig, DisableFileUsesTheEnvironmentOnly) {
  auto o = load_client_connect_config(
      {.config_data = kTwoProfiles, .disable_file = true, .env = Env{{"TEMPORAL_NAMESPACE", "only-env"}}});
  EXPECT_EQ(o.address, "localhost:7233");
  EXPECT_EQ(o.namespace_name, "only-env");
}

TEST(EnvConfig, ApiKeyAloneLeavesTlsToTheConnectionWhichTurnsItOn) {
  auto o = load_client_connect_config({.disable_file = true, .env = Env{{"TEMPORAL_API_KEY", "k"}}});
  EXPECT_EQ(o.api_key, "k");
  EXPECT_FALSE(o.tls_disabled);  // Connection turns TLS on for an API key unless tls_disabled
}

TEST(EnvConfig, TlsVariableTurnsTlsOnAndOff) {
  for (const char* on : {"true", "1", "TRUE"}) {
    auto o = load_client_connect_config({.disable_file = true, .env = Env{{"TEMPORAL_TLS", on}}});
    EXPECT_TRUE(o.tls.has_value()) << on;
    EXPECT_FALSE(o.tls_disabled) << on;
  }
  for (const char* off : {"false", "0"}) {
    auto o = load_client_connect_config(
        {.profile = "prod", .config_data = kTwoProfiles, .env = Env{{"TEMPORAL_TLS", off}}});
    EXPECT_FALSE(o.tls.has_value()) << off;
    EXPECT_TRUE(o.tls_disabled) << off;  // even with the profile's API key
    EXPECT_EQ(o.api_key, "prod-key");
  }
}

TEST(EnvConfig, TlsDisabledInTheFileWins) {
  auto o = load_client_connect_config(
      {.config_data = "[profile.default]\napi_key = \"k\"\n[profile.default.tls]\ndisabled = true\n", .env = Env{}});
  EXPECT_TRUE(o.tls_disabled);
  EXPECT_FALSE(o.tls.has_value());
}

TEST(EnvConfig, CertificatePathsAreReadAtConversion) {
  const std::string dir = temp_dir();
  write_file(dir + "/ca.pem", "CA FROM FILE");
  write_file(dir + "/c.pem", "CERT FROM FILE");
  write_file(dir + "/c.key", "KEY FROM FILE");
  auto o = load_client_connect_config({.disable_file = true,
                                       .env = Env{{"TEMPORAL_TLS_SERVER_CA_CERT_PATH", dir + "/ca.pem"},
                                                  {"TEMPORAL_TLS_CLIENT_CERT_PATH", dir + "/c.pem"},
                                                  {"TEMPORAL_TLS_CLIENT_KEY_PATH", dir + "/c.key"},
                                                  {"TEMPORAL_TLS_SERVER_NAME", "sni"}}});
  ASSERT_TRUE(o.tls.has_value());
  EXPECT_EQ(o.tls->server_root_ca_cert, "CA FROM FILE");
  EXPECT_EQ(o.tls->client_cert, "CERT FROM FILE");
  EXPECT_EQ(o.tls->client_private_key, "KEY FROM FILE");
  EXPECT_EQ(o.tls->server_name_override, "sni");
}

TEST(EnvConfig, CodecAndUnknownKeysAreKeptOrIgnoredOutsideStrictMode) {
  const char* toml = "[profile.default]\naddress = \"a:1\"\nfuture_key = 1\n[profile.default.codec]\n"
                     "endpoint = \"http://codec\"\nauth = \"Bearer x\"\n[other]\nx = 1\n";
  auto p = load_client_config_profile({.config_data = toml, .env = Env{}});
  EXPECT_EQ(p.address, "a:1");
  ASSERT_TRUE(p.codec.has_value());
  EXPECT_EQ(p.codec->endpoint, "http://codec");
  EXPECT_EQ(p.codec->auth, "Bearer x");
}

TEST(EnvConfig, LoadClientConfigReturnsEveryProfileWithoutEnvironment) {
  auto c = load_client_config({.config_data = kTwoProfiles, .env = Env{{"TEMPORAL_ADDRESS", "ignored:1"}}});
  ASSERT_EQ(c.profiles.size(), 2u);
  EXPECT_EQ(c.profiles.at("default").address, "file-host:7233");
  EXPECT_EQ(c.profiles.at("prod").namespace_name, "prod-ns");
}

// --- bad input: one ConfigError per class, each naming what to fix ----------------------------

TEST(EnvConfigErrors, ProfileAskedForByNameMustExist) {
  for (const Env& env : {Env{{"TEMPORAL_PROFILE", "staging"}}, Env{}}) {
    LoadOptions o{.config_data = kTwoProfiles, .env = env};
    if (env.empty()) o.profile = "staging";
    auto msg = config_error([&] { load_client_config_profile(o); });
    EXPECT_TRUE(contains(msg, "profile 'staging' not found")) << msg;
    EXPECT_TRUE(contains(msg, "default, prod")) << msg;
  }
  // The implicit "default" need not exist.
  EXPECT_EQ(load_client_connect_config({.config_data = "[profile.prod]\naddress = \"p:1\"\n", .env = Env{}}).address,
            "localhost:7233");
}

TEST(EnvConfigErrors, InvalidTomlNamesFileAndLine) {
  const std::string path = write_file(temp_dir() + "/bad.toml", "[profile.default]\naddress = \"unterminated\n");
  auto msg = config_error([&] { load_client_config({.config_file = path, .env = Env{}}); });
  EXPECT_TRUE(contains(msg, path + ":2")) << msg;
  EXPECT_TRUE(contains(msg, "not valid TOML")) << msg;
}

TEST(EnvConfigErrors, WrongValueTypesNameTheKey) {
  struct Case {
    const char* toml;
    const char* key;
  };
  for (const Case& c : {Case{"[profile.default]\naddress = 7233\n", "profile.default.address"},
                        Case{"[profile.default.tls]\ndisabled = \"yes\"\n", "profile.default.tls.disabled"},
                        Case{"profile = 1\n", "profile"},
                        Case{"[profile.default]\ntls = \"on\"\n", "profile.default.tls"},
                        Case{"[profile.default.grpc_meta]\nx = 1\n", "profile.default.grpc_meta.x"}}) {
    auto msg = config_error([&] { load_client_config({.config_data = c.toml, .env = Env{}}); });
    EXPECT_TRUE(contains(msg, c.key)) << c.toml << " -> " << msg;
    EXPECT_TRUE(contains(msg, "must be")) << msg;
  }
}

TEST(EnvConfigErrors, StrictModeRejectsUnknownKeys) {
  const char* toml = "[profile.default]\nadress = \"typo:1\"\n[profile.default.tls]\nserver_nam = \"x\"\n";
  EXPECT_NO_THROW(load_client_config({.config_data = toml, .env = Env{}}));
  auto msg = config_error([&] { load_client_config({.config_data = toml, .config_file_strict = true, .env = Env{}}); });
  EXPECT_TRUE(contains(msg, "profile.default.adress")) << msg;
  EXPECT_TRUE(contains(msg, "profile.default.tls.server_nam")) << msg;
}

TEST(EnvConfigErrors, PathAndDataForTheSamePemConflict) {
  auto msg = config_error([] {
    load_client_config({.config_data = "[profile.default.tls]\nclient_cert_path = \"a\"\nclient_cert_data = \"b\"\n",
                        .env = Env{}});
  });
  EXPECT_TRUE(contains(msg, "client_cert_path and client_cert_data")) << msg;

  msg = config_error([] {
    load_client_config_profile({.disable_file = true,
                                .env = Env{{"TEMPORAL_TLS_SERVER_CA_CERT_PATH", "a"},
                                           {"TEMPORAL_TLS_SERVER_CA_CERT_DATA", "b"}}});
  });
  EXPECT_TRUE(contains(msg, "TEMPORAL_TLS_SERVER_CA_CERT_PATH and TEMPORAL_TLS_SERVER_CA_CERT_DATA")) << msg;

  msg = config_error([] {
    load_client_config_profile({.profile = "prod", .config_data = kTwoProfiles,
                                .env = Env{{"TEMPORAL_TLS_CLIENT_KEY_PATH", "/k"}}});
  });
  EXPECT_TRUE(contains(msg, "TEMPORAL_TLS_CLIENT_KEY_PATH")) << msg;
}

TEST(EnvConfigErrors, CertificateWithoutKeyAndUnreadableFilesAreNamed) {
  auto msg = config_error([] {
    load_client_connect_config({.disable_file = true, .env = Env{{"TEMPORAL_TLS_CLIENT_CERT_DATA", "CERT"}}});
  });
  EXPECT_TRUE(contains(msg, "needs both")) << msg;

  msg = config_error([] {
    load_client_connect_config(
        {.disable_file = true, .env = Env{{"TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/nonexistent/ca.pem"}}});
  });
  EXPECT_TRUE(contains(msg, "/nonexistent/ca.pem")) << msg;
  EXPECT_TRUE(contains(msg, "server CA certificate")) << msg;
}

TEST(EnvConfigErrors, BadBooleansAndUnsupportedSettingsAreRejected) {
  auto msg = config_error(
      [] { load_client_config_profile({.disable_file = true, .env = Env{{"TEMPORAL_TLS", "yes"}}}); });
  EXPECT_TRUE(contains(msg, "TEMPORAL_TLS must be true, false, 1 or 0")) << msg;

  msg = config_error([] {
    load_client_connect_config(
        {.disable_file = true, .env = Env{{"TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", "true"}}});
  });
  EXPECT_TRUE(contains(msg, "disable_host_verification")) << msg;

  msg = config_error([] { load_client_config_profile({.disable_file = true, .disable_env = true}); });
  EXPECT_TRUE(contains(msg, "disable_file and disable_env")) << msg;
}

TEST(EnvConfigErrors, ConfigErrorIsATemporalError) {
  try {
    load_client_config({.config_data = "[[[", .env = Env{}});
    FAIL() << "no error";
  } catch (const TemporalError& e) {
    EXPECT_NE(dynamic_cast<const ConfigError*>(&e), nullptr);
  }
}

}  // namespace
}  // namespace temporal::envconfig
