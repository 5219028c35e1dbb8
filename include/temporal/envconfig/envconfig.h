// Environment configuration: connection settings from a TOML file of named profiles, overridden by
// TEMPORAL_* environment variables. The file and the variables are the ones the `temporal` CLI
// (`temporal config set ...`) and the official SDKs read, so one setup serves all of them.
//
//   // Profile $TEMPORAL_PROFILE (else "default") of $TEMPORAL_CONFIG_FILE (else
//   // ~/.config/temporalio/temporal.toml), then TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
//   // TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_GRPC_META_* on top.
//   auto conn = temporal::client::Connection::connect(temporal::envconfig::load_client_connect_config());
//
// The file:
//
//   [profile.default]
//   address = "localhost:7233"
//   namespace = "default"
//
//   [profile.prod]
//   address = "my-ns.a1b2c.tmprl.cloud:7233"
//   namespace = "my-ns.a1b2c"
//   api_key = "..."                      # turns TLS on unless tls.disabled = true
//   [profile.prod.tls]
//   server_ca_cert_path = "/etc/temporal/ca.pem"    # or server_ca_cert_data = "-----BEGIN ..."
//   client_cert_path = "client.pem"                 # client_cert_data, likewise
//   client_key_path = "client.key"                  # client_key_data, likewise
//   server_name = "temporal.internal"
//   [profile.prod.grpc_meta]
//   my-header = "value"
//
// A missing file is no error (the defaults and the environment apply); a profile asked for by name
// that the file lacks is. Every error is a ConfigError that names the file, key or variable.
// All functions are thread-safe (they read the environment and files only).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "temporal/client/connection.h"
#include "temporal/common/errors.h"

namespace temporal::envconfig {

/// A configuration file, profile or environment variable is invalid, or a file it names cannot be
/// read. The message says which one and what to change.
class ConfigError : public TemporalError {
 public:
  using TemporalError::TemporalError;
};

/// Where a PEM certificate or key comes from: a file (`path`) or the text itself (`data`); at most
/// one of them is set.
struct DataSource {
  std::string path{};
  std::string data{};
  bool empty() const { return path.empty() && data.empty(); }
};

/// The `tls` table of a profile. Its presence turns TLS on unless `disabled` is true.
struct ClientConfigTls {
  /// true: TLS off even with an API key; false or unset: on.
  std::optional<bool> disabled{};
  /// Name to verify the server certificate against (and send as SNI).
  std::string server_name{};
  DataSource server_ca_cert{};
  DataSource client_cert{};
  DataSource client_key{};
  /// Read for compatibility with the file format; temporal-cpp always verifies the server, so
  /// to_connection_options() rejects true.
  bool disable_host_verification = false;
};

/// The `codec` table (a remote codec server for the Web UI and CLI). Kept when loading; the client
/// does not use it.
struct ClientConfigCodec {
  std::string endpoint{};
  std::string auth{};
};

/// One named profile. Unset fields keep the ConnectionOptions defaults.
struct ClientConfigProfile {
  std::optional<std::string> address{};
  std::optional<std::string> namespace_name{};
  std::optional<std::string> api_key{};
  std::optional<ClientConfigTls> tls{};
  std::optional<ClientConfigCodec> codec{};
  /// gRPC headers for every call; keys are lower case with '-' (my_key and MY-KEY become my-key).
  std::map<std::string, std::string> grpc_meta{};

  /// The options to connect with: address, namespace, API key, TLS (certificate files are read
  /// here) and headers; everything else keeps its default. An empty address or namespace means the
  /// default. Throws ConfigError for conflicting or unreadable TLS settings.
  client::ConnectionOptions to_connection_options() const;
};

/// All profiles of a configuration file, by name.
struct ClientConfig {
  std::map<std::string, ClientConfigProfile> profiles{};

  /// Parses TOML text. `strict`: keys this format does not know are errors (else ignored).
  /// `source` names the text in error messages (e.g. its file path).
  static ClientConfig from_toml(std::string_view toml, bool strict = false, std::string_view source = "config");
};

/// Where and how to load. Every field is optional.
struct LoadOptions {
  /// Profile to load; empty means $TEMPORAL_PROFILE, else "default". A profile named here or in
  /// $TEMPORAL_PROFILE must exist in the file; the implicit "default" need not.
  std::string profile{};
  /// TOML file; empty means $TEMPORAL_CONFIG_FILE, else default_config_file_path().
  std::string config_file{};
  /// TOML text to use instead of any file.
  std::optional<std::string> config_data{};
  /// Unknown keys in the file are errors.
  bool config_file_strict = false;
  /// Skip the file: environment variables only.
  bool disable_file = false;
  /// Skip the TEMPORAL_ADDRESS... overrides (TEMPORAL_CONFIG_FILE and TEMPORAL_PROFILE still
  /// choose the file and profile).
  bool disable_env = false;
  /// The environment to read instead of the process's (for tests and embedding).
  std::optional<std::map<std::string, std::string>> env{};
};

/// $XDG_CONFIG_HOME/temporalio/temporal.toml, else $HOME/.config/temporalio/temporal.toml (the
/// path the CLI uses on Linux); empty if neither variable is set.
std::string default_config_file_path(const std::optional<std::map<std::string, std::string>>& env = std::nullopt);

/// Every profile of the file, without environment overrides.
ClientConfig load_client_config(const LoadOptions& options = {});

/// One profile with the environment applied on top:
///   TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
///   TEMPORAL_TLS (true/false/1/0), TEMPORAL_TLS_SERVER_NAME, TEMPORAL_TLS_DISABLE_HOST_VERIFICATION,
///   TEMPORAL_TLS_SERVER_CA_CERT_PATH|_DATA, TEMPORAL_TLS_CLIENT_CERT_PATH|_DATA,
///   TEMPORAL_TLS_CLIENT_KEY_PATH|_DATA, TEMPORAL_CODEC_ENDPOINT, TEMPORAL_CODEC_AUTH,
///   TEMPORAL_GRPC_META_<NAME> (an empty value removes the header).
/// A variable that is set (even to "") replaces the file's value.
ClientConfigProfile load_client_config_profile(const LoadOptions& options = {});

/// load_client_config_profile(options).to_connection_options(): what to pass to Connection::connect.
client::ConnectionOptions load_client_connect_config(const LoadOptions& options = {});

}  // namespace temporal::envconfig
