// ConnectionOptions: checked (every field a user can get wrong, named in the error) and turned
// into what the transport takes.
#include "client/connection_options.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cmath>
#include <memory>

#include "common/uuid.h"
#include "rpc/target.h"
#include "rpc/validate.h"
#include "temporal/common/errors.h"

namespace temporal::client::detail {

namespace {

std::string default_identity() {
  char host[HOST_NAME_MAX + 1] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::to_string(getpid()) + "@" + host;
}

// Percent-encodes what may not appear as is in the user-info part of a URL.
std::string url_escape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The proxy as gRPC's `grpc.http_proxy` channel argument takes it; gRPC turns user info into a
// Proxy-Authorization: Basic header of the CONNECT request.
std::string http_proxy_url(const HttpConnectProxyOptions& p) {
  if (p.target_host.empty()) {
    throw InvalidArgumentError("http_connect_proxy.target_host",
                               "http_connect_proxy.target_host is empty; give the proxy's host:port");
  }
  if (p.target_host.find("://") != std::string::npos) {
    throw InvalidArgumentError("http_connect_proxy.target_host",
                               "http_connect_proxy.target_host must be host:port, without a scheme: '" + p.target_host + "'");
  }
  if (p.basic_auth_user.empty() != p.basic_auth_password.empty()) {
    throw InvalidArgumentError("http_connect_proxy.basic_auth_user",
                               "proxy basic authentication needs both basic_auth_user and basic_auth_password; one is empty");
  }
  std::string url = "http://";
  if (!p.basic_auth_user.empty()) url += url_escape(p.basic_auth_user) + ":" + url_escape(p.basic_auth_password) + "@";
  return url + p.target_host;
}


// ---- TLS material: parsed here so that a bad certificate is named at once, not reported by gRPC
// seconds later as an "empty address list".

std::string openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  const char* r = e ? ERR_reason_error_string(e) : nullptr;
  ERR_clear_error();
  return r ? r : "unknown OpenSSL error";
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

BioPtr bio_of(const std::string& pem) { return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))); }

// Never prompt on the terminal for a passphrase: gRPC cannot use an encrypted key anyway.
int no_passphrase(char*, int, int, void*) { return -1; }

std::string not_pem_hint(const std::string& pem, const char* begin_line) {
  if (pem.find("-----BEGIN") != std::string::npos) return {};
  std::string hint = "; it holds no PEM block (" + std::string(begin_line) + ")";
  if (pem.size() < 4096 && pem.find('\n') == std::string::npos) {
    hint += ": pass the PEM text itself, not a file name";
  }
  return hint;
}

// The first certificate of a PEM bundle; throws unless every block parses and there is at least one.
X509Ptr check_certificates(const std::string& pem, const std::string& field, const char* what) {
  ERR_clear_error();
  if (pem.size() > static_cast<size_t>(INT32_MAX)) throw InvalidArgumentError(field, field + " is too large");
  BioPtr bio = bio_of(pem);
  X509Ptr first;
  int count = 0;
  for (;;) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
    if (!cert) {
      const unsigned long e = ERR_peek_last_error();
      if (count > 0 && ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
        ERR_clear_error();
        break;
      }
      const std::string reason = openssl_reason();
      throw InvalidArgumentError(
          field, field + " is not a valid PEM " + what + (count > 0 ? " bundle (certificate " +
                                                                          std::to_string(count + 1) + " is broken)"
                                                                    : std::string()) +
                     ": " + reason + not_pem_hint(pem, "-----BEGIN CERTIFICATE-----"));
    }
    if (!first) first = std::move(cert);
    ++count;
  }
  return first;
}

void check_tls(const TlsOptions& t) {
  if (t.client_cert.empty() != t.client_private_key.empty()) {
    throw InvalidArgumentError("tls.client_cert",
                               "mTLS needs both tls.client_cert and tls.client_private_key (PEM); one is empty");
  }
  if (!t.server_root_ca_cert.empty()) check_certificates(t.server_root_ca_cert, "tls.server_root_ca_cert", "CA certificate");
  if (!t.server_name_override.empty()) {
    rpc::check_printable_ascii(t.server_name_override, "tls.server_name_override", "tls.server_name_override");
    for (size_t i = 0; i < t.server_name_override.size(); ++i) {
      const char c = t.server_name_override[i];
      if (c == ' ' || c == '/' || c == '@') {
        rpc::bad_byte("tls.server_name_override", "tls.server_name_override", t.server_name_override, i,
                 "give the host name the server's certificate names");
      }
    }
  }
  if (t.client_cert.empty()) return;
  X509Ptr cert = check_certificates(t.client_cert, "tls.client_cert", "client certificate");
  ERR_clear_error();
  BioPtr bio = bio_of(t.client_private_key);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    const std::string reason = openssl_reason();
    throw InvalidArgumentError("tls.client_private_key",
                               "tls.client_private_key is not a valid unencrypted PEM private key: " + reason +
                                   not_pem_hint(t.client_private_key, "-----BEGIN PRIVATE KEY-----"));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    throw InvalidArgumentError("tls.client_private_key",
                               "tls.client_private_key does not belong to tls.client_cert (the key does not match the "
                               "certificate's public key); pass the key the certificate was issued for");
  }
}

// The load-balancing policy for the address (ConnectionOptions::load_balancing; see connection.h).
void check_load_balancing(const ConnectionOptions& options) {
  if (rpc::is_address_list(options.address) && options.http_connect_proxy) {
    throw InvalidArgumentError("address", "ConnectionOptions.address '" + options.address +
                                              "' lists several frontends, but an HTTP CONNECT proxy tunnels to one "
                                              "address: give the address of a load balancer behind the proxy instead");
  }
  const int v = static_cast<int>(options.load_balancing);
  if (v < 0 || v > 2) {
    throw InvalidArgumentError("load_balancing", "ConnectionOptions.load_balancing is " + std::to_string(v) +
                                                     ", not a LoadBalancing value (kDefault, kPickFirst, kRoundRobin)");
  }
}

// The service config that selects the policy; empty: gRPC's default (pick_first).
std::string service_config(const ConnectionOptions& options) {
  LoadBalancing lb = options.load_balancing;
  if (lb == LoadBalancing::kDefault) {
    lb = rpc::is_address_list(options.address) ? LoadBalancing::kRoundRobin : LoadBalancing::kPickFirst;
  }
  if (lb == LoadBalancing::kRoundRobin) return R"({"loadBalancingConfig":[{"round_robin":{}}]})";
  if (options.load_balancing == LoadBalancing::kPickFirst) return R"({"loadBalancingConfig":[{"pick_first":{}}]})";
  return {};
}

void validate(ConnectionOptions& o) {
  o.address = rpc::checked_address(o.address);
  check_load_balancing(o);
  if (o.namespace_name.empty()) {
    throw InvalidArgumentError("namespace_name", "ConnectionOptions.namespace_name is empty; the default is \"default\"");
  }
  rpc::check_printable_ascii(o.namespace_name, "namespace_name", "ConnectionOptions.namespace_name");
  rpc::check_printable_ascii(o.api_key, "api_key", "ConnectionOptions.api_key");
  o.metadata = rpc::checked_metadata(o.metadata, "ConnectionOptions.metadata");
  if (!temporal::detail::is_valid_utf8(o.identity)) {
    throw InvalidArgumentError("identity", "ConnectionOptions.identity is not valid UTF-8");
  }
  if (o.identity.size() > 1000) {
    throw InvalidArgumentError("identity", "ConnectionOptions.identity is " + std::to_string(o.identity.size()) +
                                               " bytes; the limit is 1000");
  }
  rpc::check_positive(o.rpc_timeout, "rpc_timeout", "ConnectionOptions.rpc_timeout");
  rpc::check_positive(o.connect_timeout, "connect_timeout", "ConnectionOptions.connect_timeout");
  rpc::check_positive(o.keepalive.interval, "keepalive.interval", "ConnectionOptions.keepalive.interval");
  rpc::check_positive(o.keepalive.timeout, "keepalive.timeout", "ConnectionOptions.keepalive.timeout");
  if (o.max_message_bytes <= 0) {
    throw InvalidArgumentError("max_message_bytes", "ConnectionOptions.max_message_bytes must be positive (got " +
                                                        std::to_string(o.max_message_bytes) + ")");
  }
  const auto& r = o.retry;
  const auto retry_error = [](const std::string& field, const std::string& rule) {
    return InvalidArgumentError("retry." + field, "ConnectionOptions.retry." + field + " " + rule);
  };
  if (r.max_attempts < 1) throw retry_error("max_attempts", "must be >= 1 (1 means no retries)");
  if (!std::isfinite(r.backoff_coefficient) || r.backoff_coefficient < 1.0) {
    throw retry_error("backoff_coefficient", "must be a finite number >= 1");
  }
  if (!std::isfinite(r.jitter) || r.jitter < 0.0 || r.jitter >= 1.0) {
    throw retry_error("jitter", "must be in [0, 1) (a fraction of each interval)");
  }
  if (r.initial_interval.count() <= 0) throw retry_error("initial_interval", "must be positive");
  if (r.initial_interval_resource_exhausted.count() <= 0) {
    throw retry_error("initial_interval_resource_exhausted", "must be positive");
  }
  if (r.max_interval < r.initial_interval) throw retry_error("max_interval", "must be >= initial_interval");
  if (o.tls && !o.tls_disabled) check_tls(*o.tls);
}


}  // namespace

rpc::ChannelOptions channel_options(ConnectionOptions& o) {
  validate(o);
  rpc::ChannelOptions c;
  c.target = rpc::list_target(o.address);
  if (rpc::is_address_list(o.address)) c.authority = o.address.substr(0, o.address.find(','));  // its first entry
  c.service_config = service_config(o);
  c.identity = o.identity.empty() ? default_identity() : o.identity;
  const bool want_tls =
      !o.tls_disabled && (o.tls.has_value() || !o.api_key.empty() || static_cast<bool>(o.api_key_provider));
  if (want_tls) {
    c.tls.emplace();
    if (o.tls) {
      c.tls->root_certs = o.tls->server_root_ca_cert;
      c.tls->cert_chain = o.tls->client_cert;
      c.tls->private_key = o.tls->client_private_key;
      c.tls->server_name = o.tls->server_name_override;
    }
  }
  c.api_key = o.api_key;
  c.api_key_provider = o.api_key_provider;
  if (o.http_connect_proxy) c.http_proxy = http_proxy_url(*o.http_connect_proxy);
  c.metadata = o.metadata;
  c.rpc_timeout = o.rpc_timeout;
  const auto& r = o.retry;
  c.retry_backoff = {r.initial_interval, r.backoff_coefficient, r.max_interval, r.jitter};
  c.retry_backoff_resource_exhausted = {r.initial_interval_resource_exhausted, r.backoff_coefficient, r.max_interval,
                                        r.jitter};
  c.max_attempts = r.max_attempts;
  c.keepalive_interval = o.keepalive.interval;
  c.keepalive_timeout = o.keepalive.timeout;
  c.max_message_bytes = o.max_message_bytes;
  if (!o.logger) o.logger = stderr_logger();
  c.logger = o.logger;
  return c;
}

}  // namespace temporal::client::detail
