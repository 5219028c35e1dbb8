#include "rpc/channel.h"

#include <absl/synchronization/mutex.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <random>

#include "temporal/common/errors.h"
#include "temporal/version.h"

namespace temporal::rpc {

namespace {

std::string default_identity() {
  char host[HOST_NAME_MAX + 1] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::to_string(getpid()) + "@" + host;
}

double jitter_factor(double jitter) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> dist(1.0 - jitter, 1.0 + jitter);
  return dist(rng);
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
std::string http_proxy_url(const client::HttpConnectProxyOptions& p) {
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

}  // namespace

bool is_retryable(const grpc::Status& status, bool internal_error_differentiation) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE: {
      // A certificate the client does not trust, a name mismatch or a TLS/plaintext mix-up fails
      // the same way on every attempt: report it now instead of after the retry window.
      const std::string& m = status.error_message();
      for (const char* permanent : {"certificate verify failed", "CERTIFICATE_VERIFY_FAILED", "is not in peer certificate",
                                    "wrong version number", "WRONG_VERSION_NUMBER"}) {
        if (m.find(permanent) != std::string::npos) return false;
      }
      return true;
    }
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::UNKNOWN:
      return true;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      // Too-large messages will be just as large next time.
      return status.error_message().find("larger than max") == std::string::npos &&
             status.error_message().find("message larger") == std::string::npos;
    case grpc::StatusCode::INTERNAL:
      return !internal_error_differentiation;
    default:
      return false;
  }
}

Channel::Channel(client::ConnectionOptions options) : options_(std::move(options)) {
  // Keep gRPC initialized for the life of the process. Otherwise the last channel's destruction
  // shuts gRPC down, and a later channel races the shutdown of the callback completion queue
  // (an abort in grpc_cq_internal_unref with gRPC 1.51).
  //
  // Likewise gRPC 1.51 releases its shared callback completion queue when the last channel that
  // used it is destroyed, and a channel created meanwhile can hit the same abort. A process-wide
  // idle channel that has made one callback call holds that queue for the life of the process.
  // The keeper is never released, but stays reachable from this static so that LeakSanitizer does
  // not report it; volatile, or the compiler drops the never-read pointer and the keeper leaks.
  static const std::shared_ptr<grpc::Channel>* volatile keeper_channel = [] {
    // Debian builds abseil without NDEBUG, which leaves absl::Mutex's debug-only deadlock detector
    // on: every lock of every gRPC mutex then takes one process-wide spinlock and updates a lock
    // graph (1.6 % of the client's CPU in that graph alone in a profile under load, plus contention).
    // Release builds of abseil have it off; this makes the Debian one behave the same.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    grpc_init();
    auto keeper = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
    auto stub = grpc::health::v1::Health::NewStub(keeper);
    auto* ctx = new grpc::ClientContext;
    ctx->set_deadline(std::chrono::system_clock::now());
    auto* req = new grpc::health::v1::HealthCheckRequest;
    auto* resp = new grpc::health::v1::HealthCheckResponse;
    temporal::async_detail::GrpcHandoffScope handoff;
    stub->async()->Check(ctx, req, resp, [ctx, req, resp](grpc::Status) {
      delete ctx;
      delete req;
      delete resp;
    });
    return new std::shared_ptr<grpc::Channel>(std::move(keeper));  // never released, on purpose
  }();
  (void)keeper_channel;
  identity_ = options_.identity.empty() ? default_identity() : options_.identity;
  api_key_ = options_.api_key;

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options_.max_message_bytes);
  args.SetMaxSendMessageSize(options_.max_message_bytes);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, static_cast<int>(options_.keepalive.interval.count()));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, static_cast<int>(options_.keepalive.timeout.count()));
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // gRPC's default reconnect backoff grows to two minutes; a restarted server must be found
  // again within our own retry window.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  // Despite its name, this is the least time gRPC gives one connection attempt (TCP, TLS and the
  // HTTP/2 settings exchange), not a backoff. Keep gRPC's 20 s: at 100 ms a link with more than
  // ~100 ms round trip abandoned its handshakes and failed calls with UNAVAILABLE until the backoff
  // grew. A connect that hangs is bounded by each call's own deadline anyway.
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 20000);
  args.SetString(GRPC_ARG_PRIMARY_USER_AGENT_STRING, std::string("temporal-cpp/") + kVersion);
  if (options_.http_connect_proxy) args.SetString(GRPC_ARG_HTTP_PROXY, http_proxy_url(*options_.http_connect_proxy));

  const bool want_tls = !options_.tls_disabled && (options_.tls.has_value() || !options_.api_key.empty() ||
                                                   static_cast<bool>(options_.api_key_provider));
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (want_tls) {
    grpc::SslCredentialsOptions ssl;
    if (options_.tls) {
      const auto& t = *options_.tls;
      if (t.client_cert.empty() != t.client_private_key.empty()) {
        throw InvalidArgumentError("tls.client_cert",
                                   "mTLS needs both tls.client_cert and tls.client_private_key (PEM); one is empty");
      }
      ssl.pem_root_certs = t.server_root_ca_cert;
      ssl.pem_cert_chain = t.client_cert;
      ssl.pem_private_key = t.client_private_key;
      if (!t.server_name_override.empty()) {
        args.SetSslTargetNameOverride(t.server_name_override);
      }
    }
    creds = grpc::SslCredentials(ssl);
  } else {
    creds = grpc::InsecureChannelCredentials();
  }
  channel_ = grpc::CreateCustomChannel(options_.address, creds, args);
  workflow_stub_ = wsv1::WorkflowService::NewStub(channel_);
  operator_stub_ = osv1::OperatorService::NewStub(channel_);
  health_stub_ = grpc::health::v1::Health::NewStub(channel_);
}

std::shared_ptr<Channel> Channel::create(client::ConnectionOptions options) {
  if (options.address.empty()) {
    throw InvalidArgumentError("address", "ConnectionOptions.address is empty; give host:port, e.g. localhost:7233");
  }
  if (options.rpc_timeout.count() <= 0) {
    throw InvalidArgumentError("rpc_timeout", "ConnectionOptions.rpc_timeout must be positive");
  }
  if (options.retry.max_attempts < 1 || options.retry.backoff_coefficient < 1.0 ||
      options.retry.initial_interval.count() <= 0 || options.retry.max_interval < options.retry.initial_interval) {
    throw InvalidArgumentError("retry",
                               "ConnectionOptions.retry needs max_attempts >= 1, backoff_coefficient >= 1, "
                               "initial_interval > 0 and max_interval >= initial_interval");
  }
  return std::shared_ptr<Channel>(new Channel(std::move(options)));
}

void Channel::set_api_key(std::string key) {
  std::lock_guard lock(mu_);
  api_key_ = std::move(key);
}

void Channel::set_capabilities(const client::SystemInfo& info) {
  std::lock_guard lock(mu_);
  capabilities_ = info;
}

std::optional<client::SystemInfo> Channel::capabilities() const {
  std::lock_guard lock(mu_);
  return capabilities_;
}

void Channel::close() { closed_.store(true); }

void Channel::prepare(grpc::ClientContext& ctx, const CallOptions& opts) {
  ctx.set_deadline(std::chrono::system_clock::now() + opts.timeout.value_or(options_.rpc_timeout));
  ctx.AddMetadata("client-name", kClientName);
  ctx.AddMetadata("client-version", kVersion);
  ctx.AddMetadata("supported-server-versions", ">=1.0.0 <2.0.0");
  if (!opts.namespace_name.empty()) ctx.AddMetadata("temporal-namespace", opts.namespace_name);
  for (const auto& [k, v] : options_.metadata) ctx.AddMetadata(k, v);
  for (const auto& [k, v] : opts.metadata) ctx.AddMetadata(k, v);
  std::string key;
  if (options_.api_key_provider) {
    key = options_.api_key_provider();
  } else {
    std::lock_guard lock(mu_);
    key = api_key_;
  }
  if (!key.empty()) ctx.AddMetadata("authorization", "Bearer " + key);
}

std::optional<std::chrono::milliseconds> Channel::retry_delay(const grpc::Status& status, int attempt) {
  const auto caps = capabilities();
  if (!is_retryable(status, caps && caps->internal_error_differentiation)) return std::nullopt;
  const auto& r = options_.retry;
  if (attempt >= r.max_attempts) return std::nullopt;
  const double base = status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED
                          ? static_cast<double>(r.initial_interval_resource_exhausted.count())
                          : static_cast<double>(r.initial_interval.count());
  double ms = base;
  for (int i = 1; i < attempt; ++i) ms *= r.backoff_coefficient;
  ms = std::min(ms, static_cast<double>(r.max_interval.count()));
  ms *= jitter_factor(r.jitter);
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

}  // namespace temporal::rpc
