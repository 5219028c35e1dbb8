#include "rpc/channel.h"

#include <limits>

#include "common/backoff.h"
#include "rpc/validate.h"
#include "temporal/common/errors.h"
#include "temporal/version.h"

namespace temporal::rpc {

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

Channel::Channel(ChannelOptions options) : options_(std::move(options)) {
  // Keep gRPC initialized for the life of the process. Otherwise the last channel's destruction
  // shuts gRPC down, and a later channel races the shutdown of the callback completion queue
  // (an abort in grpc_cq_internal_unref with gRPC 1.51).
  //
  // Likewise gRPC 1.51 releases its shared callback completion queue when the last channel that
  // used it is destroyed, and a channel created meanwhile can hit the same abort. One idle channel
  // that has made one callback call holds that queue for the life of the process. Its target is an
  // empty address list: the call fails at once, and nothing is resolved, dialed or logged.
  // The keeper is never released, but stays reachable from this static so that LeakSanitizer does
  // not report it; volatile, or the compiler drops the never-read pointer and the keeper leaks.
  static const std::shared_ptr<grpc::Channel>* volatile keeper_channel = [] {
    grpc_init();
    auto keeper = grpc::CreateChannel("ipv4:", grpc::InsecureChannelCredentials());
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
  api_key_ = options_.api_key;

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options_.max_message_bytes);
  args.SetMaxSendMessageSize(options_.max_message_bytes);
  // gRPC takes int milliseconds; INT_MAX (24.8 days) is its "never".
  const auto int_ms = [](std::chrono::milliseconds d) {
    return static_cast<int>(std::min<int64_t>(d.count(), std::numeric_limits<int>::max()));
  };
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, int_ms(options_.keepalive_interval));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, int_ms(options_.keepalive_timeout));
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
  if (!options_.http_proxy.empty()) args.SetString(GRPC_ARG_HTTP_PROXY, options_.http_proxy);

  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (options_.tls) {
    const auto& t = *options_.tls;
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = t.root_certs;
    ssl.pem_cert_chain = t.cert_chain;
    ssl.pem_private_key = t.private_key;
    if (!t.server_name.empty()) args.SetSslTargetNameOverride(t.server_name);
    creds = grpc::SslCredentials(ssl);
  } else {
    creds = grpc::InsecureChannelCredentials();
  }
  // Several frontends or a balancing policy (client/connection_options.cpp).
  if (!options_.service_config.empty()) args.SetServiceConfigJSON(options_.service_config);
  if (!options_.authority.empty()) args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, options_.authority);
  channel_ = grpc::CreateCustomChannel(options_.target, creds, args);
  workflow_stub_ = wsv1::WorkflowService::NewStub(channel_);
  operator_stub_ = osv1::OperatorService::NewStub(channel_);
  health_stub_ = grpc::health::v1::Health::NewStub(channel_);
}

std::shared_ptr<Channel> Channel::create(ChannelOptions options) {
  return std::shared_ptr<Channel>(new Channel(std::move(options)));
}

void Channel::set_api_key(std::string key) {
  check_printable_ascii(key, "api_key", "the API key given to set_api_key()");
  std::lock_guard lock(mu_);
  api_key_ = std::move(key);
}

void Channel::close() {
  closed_.store(true);
  closing_.cancel();
}

bool Channel::connected() const { return channel_->GetState(false) == GRPC_CHANNEL_READY; }

std::optional<Status> Channel::stopped(const char* method, const CallOptions& opts) const {
  if (closed_.load()) {
    return Status{grpc::StatusCode::UNAVAILABLE, std::string("the connection was closed before ") + method, {},
                  Status::Local::kClosed};
  }
  if (opts.cancellation && opts.cancellation->cancelled()) {
    return Status{grpc::StatusCode::CANCELLED, std::string(method) + " was cancelled by the caller", {},
                  Status::Local::kCancelled};
  }
  if (opts.deadline && std::chrono::steady_clock::now() >= *opts.deadline) {
    Status s{grpc::StatusCode::DEADLINE_EXCEEDED,
             std::string("the call's deadline passed before ") + method + " could be sent", {}};
    s.connected = connected();
    return s;
  }
  return std::nullopt;
}

Status Channel::failed(const char* method, const grpc::Status& st, const CallOptions& opts) const {
  Status s{st.error_code(), st.error_message(), st.error_details()};
  if (st.error_code() == grpc::StatusCode::CANCELLED) {
    // Ours, not the server's: close() or the caller's token cut the call.
    if (closed_.load()) {
      s.local = Status::Local::kClosed;
      s.code = grpc::StatusCode::UNAVAILABLE;
      s.message = std::string("the connection was closed while ") + method + " was in flight";
    } else if (opts.cancellation && opts.cancellation->cancelled()) {
      s.local = Status::Local::kCancelled;
      s.message = std::string(method) + " was cancelled by the caller while in flight";
    }
  }
  if (s.code == grpc::StatusCode::DEADLINE_EXCEEDED || s.code == grpc::StatusCode::UNAVAILABLE) s.connected = connected();
  return s;
}

void Channel::log_retry(const char* method, const Status& status, int attempt, std::chrono::milliseconds delay) const {
  options_.logger(LogLevel::kDebug, std::string(method) + " attempt " + std::to_string(attempt) + " failed (" +
                                        std::to_string(static_cast<int>(status.code)) + ": " + status.message +
                                        "); retrying in " + std::to_string(delay.count()) + " ms");
}

Task<void> Channel::pause(std::chrono::milliseconds delay, std::shared_ptr<CallCancellation> cancellation) const {
  // Short slices, so that close() and the caller's token end the pause within one of them.
  using Clock = std::chrono::steady_clock;
  const auto until = async_detail::saturating_after<Clock>(Clock::now(), delay);
  for (;;) {
    if (closed_.load() || (cancellation && cancellation->cancelled())) co_return;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) co_return;
    async_detail::SleepFor slice{std::min(left, std::chrono::milliseconds(50))};
    co_await slice;
  }
}

Status Channel::prepare(grpc::ClientContext& ctx, const CallOptions& opts) {
  using namespace std::chrono;
  // The attempt's own deadline, cut to what is left of the call's. Far deadlines mean "none"
  // (system_clock counts nanoseconds: now + milliseconds::max() would overflow).
  milliseconds attempt = opts.timeout ? *opts.timeout : options_.rpc_timeout;
  if (opts.deadline) {
    const auto left = duration_cast<milliseconds>(*opts.deadline - steady_clock::now());
    attempt = opts.timeout ? std::min(attempt, left) : left;
    if (attempt.count() < 1) attempt = milliseconds(1);
  }
  if (attempt >= async_detail::kForever) {
    ctx.set_deadline(gpr_inf_future(GPR_CLOCK_REALTIME));
  } else {
    ctx.set_deadline(system_clock::now() + attempt);
  }
  try {
    ctx.AddMetadata("client-name", kClientName);
    ctx.AddMetadata("client-version", kVersion);
    ctx.AddMetadata("supported-server-versions", ">=1.0.0 <2.0.0");
    if (!opts.namespace_name.empty()) {
      check_printable_ascii(opts.namespace_name, "namespace_name", "the namespace name");
      ctx.AddMetadata("temporal-namespace", opts.namespace_name);
    }
    for (const auto& [k, v] : options_.metadata) ctx.AddMetadata(k, v);  // checked by the client
    for (const auto& [k, v] : opts.metadata) {
      const std::string key = checked_header_key(k, "metadata");
      check_header_value(key, v, "metadata");
      ctx.AddMetadata(key, v);
    }
    std::string key;
    if (options_.api_key_provider) {
      try {
        key = options_.api_key_provider();
      } catch (const std::exception& e) {
        throw InvalidArgumentError("api_key_provider",
                                   std::string("ConnectionOptions.api_key_provider threw, so the call was not sent: ") +
                                       e.what());
      } catch (...) {
        throw InvalidArgumentError("api_key_provider",
                                   "ConnectionOptions.api_key_provider threw a non-standard exception, so the call "
                                   "was not sent");
      }
      check_printable_ascii(key, "api_key_provider", "the API key api_key_provider returned");
    } else {
      std::lock_guard lock(mu_);
      key = api_key_;
    }
    if (!key.empty()) ctx.AddMetadata("authorization", "Bearer " + key);
  } catch (const InvalidArgumentError& e) {
    Status s{grpc::StatusCode::INVALID_ARGUMENT, e.what(), {}, Status::Local::kRejected};
    s.error = std::current_exception();
    return s;
  }
  return Status{};
}

std::optional<std::chrono::milliseconds> Channel::retry_delay(const grpc::Status& status, int attempt) {
  if (!is_retryable(status, internal_error_differentiation_.load())) return std::nullopt;
  if (attempt >= options_.max_attempts) return std::nullopt;
  return status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ? options_.retry_backoff_resource_exhausted.delay(attempt)
                                                                      : options_.retry_backoff.delay(attempt);
}

}  // namespace temporal::rpc
