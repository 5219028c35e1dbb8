// The transport: one gRPC channel, its stubs, headers, deadlines and retries. The only place that
// includes the generated service headers. Calls return Result<T>; callers decide what to throw
// (see status.h).
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <coroutine>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "temporal/api/operatorservice/v1/service.grpc.pb.h"
#include "temporal/api/workflowservice/v1/service.grpc.pb.h"
#include "async/happens_before.h"
#include "async/timer.h"
#include "common/backoff.h"
#include "temporal/common/logger.h"
#include "temporal/async/cancellation.h"
#include "temporal/async/task.h"

namespace temporal::rpc {

namespace wsv1 = ::temporal::api::workflowservice::v1;
namespace osv1 = ::temporal::api::operatorservice::v1;

/// TLS material of a channel (ChannelOptions::tls).
struct ChannelTls {
  std::string root_certs{};   ///< PEM; empty means the system's roots
  std::string cert_chain{};   ///< PEM client certificate (mutual TLS), or empty
  std::string private_key{};  ///< its key
  std::string server_name{};  ///< verify against (and send as SNI) this name instead of the target's host
};

/// What the transport needs to open a channel. The client fills it from the user's (validated)
/// ConnectionOptions: rpc knows nothing of the client.
struct ChannelOptions {
  /// A checked gRPC target (host:port, dns:///..., unix:..., ipv4:a,b for several frontends).
  std::string target{};
  /// The channel's service config (its load-balancing policy), or empty for gRPC's default.
  std::string service_config{};
  /// The default :authority when the target names several frontends (the first), or empty.
  std::string authority{};
  /// Sent with every call that reports an identity; never empty.
  std::string identity{};
  /// Engaged means TLS.
  std::optional<ChannelTls> tls{};
  /// `authorization: Bearer <key>`; the provider, when set, is asked for every call instead.
  std::string api_key{};
  std::function<std::string()> api_key_provider{};
  /// An HTTP CONNECT proxy as gRPC's grpc.http_proxy argument takes it, or empty.
  std::string http_proxy{};
  /// Checked headers (names lower-case) added to every call.
  std::map<std::string, std::string> metadata{};
  /// Deadline of each attempt when the call sets none.
  std::chrono::milliseconds rpc_timeout{10000};
  /// Retries of transient failures: the delays, and attempts in all (1 = no retries).
  detail::Backoff retry_backoff{};
  detail::Backoff retry_backoff_resource_exhausted{};
  int max_attempts = 10;
  std::chrono::milliseconds keepalive_interval{30000};
  std::chrono::milliseconds keepalive_timeout{15000};
  int max_message_bytes = 128 * 1024 * 1024;
  /// Receives a line for every retry (kDebug). Never empty.
  Logger logger{};
};

/// A finished call's status: gRPC code, message and the serialized google.rpc.Status details.
struct Status {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message{};
  std::string details{};
  /// Why a call failed on this side, without an answer from the server.
  enum class Local {
    kNone,       ///< the server's (or the transport's) status
    kClosed,     ///< Connection::close() was called (code UNAVAILABLE)
    kCancelled,  ///< the call's CancellationToken was cancelled (code CANCELLED)
    kRejected,   ///< the call was not sent: `error` says why (e.g. an illegal header value)
  };
  Local local = Local::kNone;
  std::exception_ptr error{};
  /// For UNAVAILABLE and DEADLINE_EXCEEDED: whether the channel had a live connection to the
  /// server when the call failed (it was reached but did not answer in time).
  bool connected = false;
  bool ok() const { return code == grpc::StatusCode::OK; }
};

template <class T>
struct Result {
  Status status{};
  T value{};
  bool ok() const { return status.ok(); }
};

/// Cancels calls in flight (e.g. long polls at worker shutdown): the user-facing token. Thread-safe.
using CallCancellation = CancellationToken;

/// Per-call settings.
struct CallOptions {
  std::map<std::string, std::string> metadata{};
  /// Deadline of each attempt; default ConnectionOptions::rpc_timeout, or what is left until
  /// `deadline` when that is set.
  std::optional<std::chrono::milliseconds> timeout{};
  /// The whole call's deadline, retries included: no attempt runs past it and no retry starts
  /// after it.
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  /// Namespace for the temporal-namespace header; empty means none.
  std::string namespace_name{};
  /// Retry transient failures (off for task polls, which back off themselves).
  bool retry = true;
  /// Stop retrying once this much time has passed since the call began.
  std::optional<std::chrono::milliseconds> retry_budget{};
  /// Cancels the call (status CANCELLED, Local::kCancelled) when triggered.
  std::shared_ptr<CallCancellation> cancellation{};
};

/// Starts a callback-API unary call and resumes the awaiting coroutine with its status.
class CallAwaiter {
 public:
  using Starter = std::function<void(std::function<void(grpc::Status)>)>;
  explicit CallAwaiter(Starter start) : start_(std::move(start)) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    // Nothing may touch `this` after start_(): the callback can run (and resume) before it returns.
    // TSan (see happens_before.h): what we did before the call is visible in the callback, and
    // start_ (a pass-through into gRPC's API) is gRPC's code, unchecked like its library.
    async_detail::happens_before(this);
    async_detail::GrpcHandoffScope handoff;
    start_([this, h](grpc::Status s) {
      async_detail::happens_after(this);
      status_ = std::move(s);
      async_detail::NonBlockingScope scope;
      h.resume();
    });
  }
  grpc::Status await_resume() { return std::move(status_); }

 private:
  Starter start_;
  grpc::Status status_;
};

class Channel : public std::enable_shared_from_this<Channel> {
 public:
  static std::shared_ptr<Channel> create(ChannelOptions options);

  const ChannelOptions& options() const { return options_; }
  wsv1::WorkflowService::Stub& workflow() { return *workflow_stub_; }
  osv1::OperatorService::Stub& operator_service() { return *operator_stub_; }
  grpc::health::v1::Health::Stub& health() { return *health_stub_; }
  /// The gRPC channel, for stubs of services the SDK does not wrap (the test server's TestService).
  const std::shared_ptr<grpc::Channel>& grpc_channel() const { return channel_; }
  const std::string& identity() const { return options_.identity; }

  void set_api_key(std::string key);
  /// The server reports INTERNAL only for errors that must not be retried (its capability
  /// internal_error_differentiation); until told, INTERNAL is retried.
  void set_internal_error_differentiation(bool on) { internal_error_differentiation_.store(on); }
  /// Fails every call in flight and every later call with Local::kClosed.
  void close();
  bool closed() const { return closed_.load(); }
  /// True while the channel has a live connection to the server.
  bool connected() const;

  /// One unary call with deadline, headers and retries. `start(ctx, req, resp, done)` begins one attempt.
  template <class Req, class Resp, class Start>
  Task<Result<Resp>> unary(const char* method, Req req, CallOptions opts, Start start);

  /// Sleeps (before a retry or a new poll); returns early when the channel is closed or
  /// `cancellation` (may be null) is cancelled.
  Task<void> pause(std::chrono::milliseconds delay, std::shared_ptr<CallCancellation> cancellation) const;

  /// Milliseconds to wait before retry number `attempt` (1-based) after `code`, or nullopt if the
  /// code must not be retried.
  std::optional<std::chrono::milliseconds> retry_delay(const grpc::Status& status, int attempt);

 private:
  explicit Channel(ChannelOptions options);
  /// Sets the attempt's deadline and headers; a header that gRPC would reject fails the call here.
  Status prepare(grpc::ClientContext& ctx, const CallOptions& opts);
  /// Why the call must not make (another) attempt, if it must not: closed, cancelled, past its deadline.
  std::optional<Status> stopped(const char* method, const CallOptions& opts) const;
  void log_retry(const char* method, const Status& status, int attempt, std::chrono::milliseconds delay) const;
  /// The status of a failed attempt, with what this side knows about why.
  Status failed(const char* method, const grpc::Status& st, const CallOptions& opts) const;

  ChannelOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<wsv1::WorkflowService::Stub> workflow_stub_;
  std::unique_ptr<osv1::OperatorService::Stub> operator_stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_stub_;
  mutable std::mutex mu_;
  std::string api_key_;
  std::atomic<bool> internal_error_differentiation_{false};
  std::atomic<bool> closed_{false};
  CancellationToken closing_;  ///< cancelled by close(): cuts every call in flight
};

/// True if the status is one the client retries (see TEMPORAL-FACTS: Retries).
bool is_retryable(const grpc::Status& status, bool internal_error_differentiation);

template <class Req, class Resp, class Start>
Task<Result<Resp>> Channel::unary(const char* method, Req req, CallOptions opts, Start start) {
  auto self = shared_from_this();  // the channel outlives every call in flight
  const auto began = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    if (auto stop = stopped(method, opts)) co_return Result<Resp>{std::move(*stop), Resp{}};
    grpc::ClientContext ctx;
    if (Status rejected = prepare(ctx, opts); !rejected.ok()) co_return Result<Resp>{std::move(rejected), Resp{}};
    Resp resp;
    grpc::Status st;
    {
      // close() and the caller's token cut the call in flight. A token cancelled before the call
      // starts cancels it as it starts (gRPC keeps a TryCancel made before the call).
      CancellationRegistration on_close = closing_.on_cancel([&ctx] { ctx.TryCancel(); });
      CancellationRegistration on_cancel;
      if (opts.cancellation) on_cancel = opts.cancellation->on_cancel([&ctx] { ctx.TryCancel(); });
      st = co_await CallAwaiter([&](std::function<void(grpc::Status)> done) {
        start(&ctx, &req, &resp, std::move(done));
      });
    }
    if (st.ok()) co_return Result<Resp>{Status{}, std::move(resp)};
    Status status = failed(method, st, opts);
    if (status.local != Status::Local::kNone) co_return Result<Resp>{std::move(status), Resp{}};
    std::optional<std::chrono::milliseconds> delay;
    if (opts.retry) delay = retry_delay(st, attempt);
    const auto now = std::chrono::steady_clock::now();
    if (delay && opts.retry_budget && now + *delay - began > *opts.retry_budget) delay.reset();
    if (delay && opts.deadline && now + *delay >= *opts.deadline) delay.reset();
    if (!delay) co_return Result<Resp>{std::move(status), Resp{}};
    log_retry(method, status, attempt, *delay);
    Task<void> wait = pause(*delay, opts.cancellation);
    co_await std::move(wait);
  }
}

/// Declares `Task<Result<NameResponse>> Name(Channel&, NameRequest, CallOptions)` for one RPC.
/// (No default argument for opts: GCC 12 destroys a braced default-argument temporary twice when
/// the call sits inside a co_await expression.)
#define TEMPORAL_RPC(ns, stub, Name)                                                                     \
  inline Task<Result<ns::Name##Response>> Name(Channel& ch, ns::Name##Request req, CallOptions opts) {   \
    return ch.unary<ns::Name##Request, ns::Name##Response>(                                              \
        #Name, std::move(req), std::move(opts),                                                          \
        [&ch](grpc::ClientContext* ctx, const ns::Name##Request* rq, ns::Name##Response* rs,            \
              std::function<void(grpc::Status)> done) { ch.stub().async()->Name(ctx, rq, rs, std::move(done)); }); \
  }                                                                                                      \
  inline Task<Result<ns::Name##Response>> Name(Channel& ch, ns::Name##Request req) {                     \
    return Name(ch, std::move(req), CallOptions());                                                      \
  }

}  // namespace temporal::rpc
