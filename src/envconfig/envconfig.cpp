// Environment configuration (see temporal/envconfig/envconfig.h). The TOML parser is toml++
// (Debian libtomlplusplus-dev) used header-only, so the library needs nothing of it at run time.
#include "temporal/envconfig/envconfig.h"

#define TOML_HEADER_ONLY 1
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

extern char** environ;

namespace temporal::envconfig {

namespace {

constexpr std::string_view kDefaultProfile = "default";
constexpr std::string_view kGrpcMetaPrefix = "TEMPORAL_GRPC_META_";

using EnvMap = std::optional<std::map<std::string, std::string>>;

// The environment as given, or the process's.
class Env {
 public:
  explicit Env(const EnvMap& map) : map_(map) {}
  std::optional<std::string> get(const std::string& key) const {
    if (map_) {
      auto it = map_->find(key);
      if (it == map_->end()) return std::nullopt;
      return it->second;
    }
    if (const char* v = std::getenv(key.c_str())) return std::string(v);
    return std::nullopt;
  }
  // Unset and empty both mean "not given" (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE, HOME...).
  std::string get_nonempty(const std::string& key) const { return get(key).value_or(""); }
  std::map<std::string, std::string> with_prefix(std::string_view prefix) const {
    std::map<std::string, std::string> out;
    if (map_) {
      for (const auto& [k, v] : *map_) {
        if (k.starts_with(prefix)) out.emplace(k, v);
      }
      return out;
    }
    for (char** e = environ; e && *e; ++e) {
      std::string_view entry(*e);
      auto eq = entry.find('=');
      if (eq == std::string_view::npos) continue;
      auto key = entry.substr(0, eq);
      if (key.starts_with(prefix)) out.emplace(std::string(key), std::string(entry.substr(eq + 1)));
    }
    return out;
  }

 private:
  const EnvMap& map_;
};

std::string normalize_meta_key(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::string> read_file_if_exists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError("cannot read the Temporal configuration file '" + path + "': " + std::strerror(errno));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_pem(const DataSource& source, const char* what) {
  if (!source.data.empty()) return source.data;
  std::ifstream in(source.path, std::ios::binary);
  if (!in) {
    throw ConfigError(std::string("cannot read the ") + what + " file '" + source.path + "' named by the Temporal " +
                      "configuration: " + std::strerror(errno));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// --- TOML -------------------------------------------------------------------------------------

class TomlReader {
 public:
  TomlReader(std::string_view source, bool strict) : source_(source), strict_(strict) {}

  ClientConfig read(const toml::table& root) {
    ClientConfig config;
    for (const auto& [key, node] : root) {
      if (key.str() != "profile") {
        unknown(std::string(key.str()));
        continue;
      }
      const toml::table* profiles = table(node, "profile");
      for (const auto& [name, pnode] : *profiles) {
        const std::string path = "profile." + std::string(name.str());
        config.profiles[std::string(name.str())] = read_profile(*table(pnode, path), path);
      }
    }
    if (!unknown_.empty()) {
      std::string list;
      for (const auto& k : unknown_) list += (list.empty() ? "" : ", ") + k;
      throw ConfigError(std::string(source_) + ": unknown key(s) " + list +
                        " (strict mode; known: address, namespace, api_key, tls.*, codec.*, grpc_meta.*)");
    }
    return config;
  }

 private:
  ClientConfigProfile read_profile(const toml::table& t, const std::string& path) {
    ClientConfigProfile p;
    for (const auto& [k, node] : t) {
      const std::string key(k.str());
      const std::string where = path + "." + key;
      if (key == "address") {
        p.address = string(node, where);
      } else if (key == "namespace") {
        p.namespace_name = string(node, where);
      } else if (key == "api_key") {
        p.api_key = string(node, where);
      } else if (key == "tls") {
        p.tls = read_tls(*table(node, where), where);
      } else if (key == "codec") {
        ClientConfigCodec codec;
        for (const auto& [ck, cnode] : *table(node, where)) {
          const std::string cwhere = where + "." + std::string(ck.str());
          if (ck.str() == "endpoint") {
            codec.endpoint = string(cnode, cwhere);
          } else if (ck.str() == "auth") {
            codec.auth = string(cnode, cwhere);
          } else {
            unknown(cwhere);
          }
        }
        p.codec = codec;
      } else if (key == "grpc_meta") {
        for (const auto& [mk, mnode] : *table(node, where)) {
          p.grpc_meta[normalize_meta_key(mk.str())] = string(mnode, where + "." + std::string(mk.str()));
        }
      } else {
        unknown(where);
      }
    }
    return p;
  }

  ClientConfigTls read_tls(const toml::table& t, const std::string& path) {
    ClientConfigTls tls;
    std::optional<std::string> ca_path, ca_data, cert_path, cert_data, key_path, key_data;
    for (const auto& [k, node] : t) {
      const std::string key(k.str());
      const std::string where = path + "." + key;
      if (key == "disabled") {
        tls.disabled = boolean(node, where);
      } else if (key == "server_name") {
        tls.server_name = string(node, where);
      } else if (key == "disable_host_verification") {
        tls.disable_host_verification = boolean(node, where);
      } else if (key == "server_ca_cert_path") {
        ca_path = string(node, where);
      } else if (key == "server_ca_cert_data") {
        ca_data = string(node, where);
      } else if (key == "client_cert_path") {
        cert_path = string(node, where);
      } else if (key == "client_cert_data") {
        cert_data = string(node, where);
      } else if (key == "client_key_path") {
        key_path = string(node, where);
      } else if (key == "client_key_data") {
        key_data = string(node, where);
      } else {
        unknown(where);
      }
    }
    auto source = [&](const std::optional<std::string>& p, const std::optional<std::string>& d, const char* name) {
      if (p && d) {
        throw ConfigError(std::string(source_) + ": " + path + " sets both " + name + "_path and " + name +
                          "_data; keep one");
      }
      DataSource s;
      if (p) s.path = *p;
      if (d) s.data = *d;
      return s;
    };
    tls.server_ca_cert = source(ca_path, ca_data, "server_ca_cert");
    tls.client_cert = source(cert_path, cert_data, "client_cert");
    tls.client_key = source(key_path, key_data, "client_key");
    return tls;
  }

  const toml::table* table(const toml::node& node, const std::string& where) {
    if (const auto* t = node.as_table()) return t;
    type_error(node, where, "a table");
  }
  std::string string(const toml::node& node, const std::string& where) {
    if (const auto* s = node.as_string()) return s->get();
    type_error(node, where, "a string");
  }
  bool boolean(const toml::node& node, const std::string& where) {
    if (const auto* b = node.as_boolean()) return b->get();
    type_error(node, where, "true or false");
  }
  [[noreturn]] void type_error(const toml::node& node, const std::string& where, const char* expected) {
    std::ostringstream msg;
    msg << source_ << ":" << node.source().begin.line << ": " << where << " must be " << expected << ", not a "
        << node.type();
    throw ConfigError(msg.str());
  }
  void unknown(std::string key) {
    if (strict_) unknown_.push_back(std::move(key));
  }

  std::string_view source_;
  bool strict_;
  std::vector<std::string> unknown_;
};

// --- environment ------------------------------------------------------------------------------

std::optional<bool> env_bool(const Env& env, const std::string& name) {
  auto v = env.get(name);
  if (!v) return std::nullopt;
  std::string s = *v;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  throw ConfigError(name + " must be true, false, 1 or 0, not '" + *v + "'");
}

void apply_env_source(const Env& env, const std::string& path_var, const std::string& data_var, DataSource& dest) {
  auto path = env.get(path_var);
  auto data = env.get(data_var);
  if (path && data) throw ConfigError("both " + path_var + " and " + data_var + " are set; keep one");
  // As in the official SDKs, the environment may not switch a file's PEM data to a path or back:
  // that is more likely two setups colliding than an intended override.
  if (path) {
    if (!dest.data.empty()) {
      throw ConfigError(path_var + " is set but the profile gives that PEM as data (*_data); unset one of them");
    }
    dest.path = *path;
  } else if (data) {
    if (!dest.path.empty()) {
      throw ConfigError(data_var + " is set but the profile gives that PEM as a path (*_path); unset one of them");
    }
    dest.data = *data;
  }
}

void apply_env(ClientConfigProfile& p, const Env& env) {
  if (auto v = env.get("TEMPORAL_ADDRESS")) p.address = *v;
  if (auto v = env.get("TEMPORAL_NAMESPACE")) p.namespace_name = *v;
  if (auto v = env.get("TEMPORAL_API_KEY")) p.api_key = *v;

  static const char* const kTlsVars[] = {
      "TEMPORAL_TLS",
      "TEMPORAL_TLS_CLIENT_CERT_PATH",
      "TEMPORAL_TLS_CLIENT_CERT_DATA",
      "TEMPORAL_TLS_CLIENT_KEY_PATH",
      "TEMPORAL_TLS_CLIENT_KEY_DATA",
      "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
      "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
      "TEMPORAL_TLS_SERVER_NAME",
      "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION",
  };
  if (!p.tls && std::any_of(std::begin(kTlsVars), std::end(kTlsVars), [&](const char* k) { return env.get(k); })) {
    p.tls = ClientConfigTls{};
  }
  if (p.tls) {
    if (auto on = env_bool(env, "TEMPORAL_TLS")) p.tls->disabled = !*on;
    apply_env_source(env, "TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_CERT_DATA", p.tls->client_cert);
    apply_env_source(env, "TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_CLIENT_KEY_DATA", p.tls->client_key);
    apply_env_source(env, "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
                     p.tls->server_ca_cert);
    if (auto v = env.get("TEMPORAL_TLS_SERVER_NAME")) p.tls->server_name = *v;
    if (auto v = env_bool(env, "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION")) p.tls->disable_host_verification = *v;
  }

  auto endpoint = env.get("TEMPORAL_CODEC_ENDPOINT");
  auto auth = env.get("TEMPORAL_CODEC_AUTH");
  if (endpoint || auth) {
    if (!p.codec) p.codec = ClientConfigCodec{};
    if (endpoint) p.codec->endpoint = *endpoint;
    if (auth) p.codec->auth = *auth;
  }

  for (const auto& [name, value] : env.with_prefix(kGrpcMetaPrefix)) {
    const std::string key = normalize_meta_key(std::string_view(name).substr(kGrpcMetaPrefix.size()));
    if (value.empty()) {
      p.grpc_meta.erase(key);
    } else {
      p.grpc_meta[key] = value;
    }
  }
}

// The file to read: the one given, else $TEMPORAL_CONFIG_FILE, else the default path.
std::string config_file_path(const LoadOptions& o) {
  if (!o.config_file.empty()) return o.config_file;
  std::string from_env = Env(o.env).get_nonempty("TEMPORAL_CONFIG_FILE");
  if (!from_env.empty()) return from_env;
  return default_config_file_path(o.env);
}

}  // namespace

ClientConfig ClientConfig::from_toml(std::string_view text, bool strict, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source << ":" << e.source().begin.line << ":" << e.source().begin.column
        << ": not valid TOML: " << e.description();
    throw ConfigError(msg.str());
  }
  return TomlReader(source, strict).read(root);
}

client::ConnectionOptions ClientConfigProfile::to_connection_options() const {
  client::ConnectionOptions o;
  if (address && !address->empty()) o.address = *address;
  if (namespace_name && !namespace_name->empty()) o.namespace_name = *namespace_name;
  if (api_key) o.api_key = *api_key;
  o.metadata = grpc_meta;
  if (tls) {
    if (tls->disable_host_verification) {
      throw ConfigError(
          "the Temporal configuration sets disable_host_verification (tls.disable_host_verification or "
          "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION), which temporal-cpp does not support: give the server's CA "
          "(server_ca_cert_path) and, if its certificate names another host, server_name");
    }
    if (tls->disabled.value_or(false)) {
      o.tls_disabled = true;
    } else {
      if (tls->client_cert.empty() != tls->client_key.empty()) {
        throw ConfigError(
            "the Temporal configuration gives a client certificate without its key or a key without its "
            "certificate (tls.client_cert_* and tls.client_key_*, or TEMPORAL_TLS_CLIENT_CERT_* and "
            "TEMPORAL_TLS_CLIENT_KEY_*): mutual TLS needs both");
      }
      client::TlsOptions t;
      t.server_name_override = tls->server_name;
      if (!tls->server_ca_cert.empty()) t.server_root_ca_cert = read_pem(tls->server_ca_cert, "server CA certificate");
      if (!tls->client_cert.empty()) {
        t.client_cert = read_pem(tls->client_cert, "client certificate");
        t.client_private_key = read_pem(tls->client_key, "client key");
      }
      o.tls = std::move(t);
    }
  }
  return o;
}

std::string default_config_file_path(const std::optional<std::map<std::string, std::string>>& env_map) {
  Env env(env_map);
  std::string dir = env.get_nonempty("XDG_CONFIG_HOME");
  if (dir.empty() || dir.front() != '/') {
    const std::string home = env.get_nonempty("HOME");
    if (home.empty()) return {};
    dir = home + "/.config";
  }
  return dir + "/temporalio/temporal.toml";
}

ClientConfig load_client_config(const LoadOptions& options) {
  if (options.config_data) return ClientConfig::from_toml(*options.config_data, options.config_file_strict, "config data");
  const std::string path = config_file_path(options);
  if (path.empty()) return {};
  auto text = read_file_if_exists(path);
  if (!text) return {};
  return ClientConfig::from_toml(*text, options.config_file_strict, path);
}

ClientConfigProfile load_client_config_profile(const LoadOptions& options) {
  if (options.disable_file && options.disable_env) {
    throw ConfigError("envconfig::LoadOptions: disable_file and disable_env are both set; nothing would be loaded");
  }
  Env env(options.env);
  ClientConfigProfile profile;
  if (!options.disable_file) {
    ClientConfig config = load_client_config(options);
    std::string name = options.profile;
    if (name.empty()) name = env.get_nonempty("TEMPORAL_PROFILE");
    const bool named = !name.empty();
    if (!named) name = kDefaultProfile;
    auto it = config.profiles.find(name);
    if (it != config.profiles.end()) {
      profile = it->second;
    } else if (named) {
      std::string where = options.config_data ? std::string("the given config data") : "'" + config_file_path(options) + "'";
      std::string have;
      for (const auto& [n, unused] : config.profiles) have += (have.empty() ? "" : ", ") + n;
      throw ConfigError("Temporal configuration profile '" + name + "' not found in " + where +
                        (have.empty() ? std::string(" (no profiles there)") : " (profiles there: " + have + ")") +
                        "; create it with `temporal config set --profile " + name + " --prop address --value ...`");
    }
  }
  if (!options.disable_env) apply_env(profile, env);
  return profile;
}

client::ConnectionOptions load_client_connect_config(const LoadOptions& options) {
  return load_client_config_profile(options).to_connection_options();
}

}  // namespace temporal::envconfig
