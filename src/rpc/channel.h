// The transport: one gRPC channel, its stubs, headers, deadlines and retries. The only place that
// includes the generated service headers. Calls return Result<T>; callers decide what to throw
// (see status.h).
#pragma once

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <coroutine>
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
#include "temporal/async/task.h"
#include "temporal/client/connection.h"

namespace temporal::rpc {

namespace wsv1 = ::temporal::api::workflowservice::v1;
namespace osv1 = ::temporal::api::operatorservice::v1;

/// A finished call's status: gRPC code, message and the serialized google.rpc.Status details.
struct Status {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  std::string details;
  bool ok() const { return code == grpc::StatusCode::OK; }
};

template <class T>
struct Result {
  Status status;
  T value;
  bool ok() const { return status.ok(); }
};

/// Cancels calls in flight (e.g. long polls at worker shutdown). Thread-safe.
class CallCancellation {
 public:
  void cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    for (auto* c : contexts_) c->TryCancel();
  }
  bool cancelled() const {
    std::lock_guard lock(mu_);
    return cancelled_;
  }
  /// Registers a call; false if already cancelled.
  bool add(grpc::ClientContext* c) {
    std::lock_guard lock(mu_);
    if (cancelled_) return false;
    contexts_.push_back(c);
    return true;
  }
  void remove(grpc::ClientContext* c) {
    std::lock_guard lock(mu_);
    contexts_.erase(std::remove(contexts_.begin(), contexts_.end(), c), contexts_.end());
  }

 private:
  mutable std::mutex mu_;
  bool cancelled_ = false;
  std::vector<grpc::ClientContext*> contexts_;
};

/// Per-call settings.
struct CallOptions {
  std::map<std::string, std::string> metadata;
  /// Deadline of each attempt; default ConnectionOptions::rpc_timeout.
  std::optional<std::chrono::milliseconds> timeout;
  /// Namespace for the temporal-namespace header; empty means none.
  std::string namespace_name;
  /// Retry transient failures (off for task polls, which back off themselves).
  bool retry = true;
  /// Stop retrying once this much time has passed since the call began.
  std::optional<std::chrono::milliseconds> retry_budget;
  /// Cancels the call (status CANCELLED) when triggered.
  std::shared_ptr<CallCancellation> cancellation;
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
  static std::shared_ptr<Channel> create(client::ConnectionOptions options);

  const client::ConnectionOptions& options() const { return options_; }
  wsv1::WorkflowService::Stub& workflow() { return *workflow_stub_; }
  osv1::OperatorService::Stub& operator_service() { return *operator_stub_; }
  grpc::health::v1::Health::Stub& health() { return *health_stub_; }
  /// The gRPC channel, for stubs of services the SDK does not wrap (the test server's TestService).
  const std::shared_ptr<grpc::Channel>& grpc_channel() const { return channel_; }
  const std::string& identity() const { return identity_; }

  void set_api_key(std::string key);
  void set_capabilities(const client::SystemInfo& info);
  std::optional<client::SystemInfo> capabilities() const;
  void close();
  bool closed() const { return closed_.load(); }

  /// One unary call with deadline, headers and retries. `start(ctx, req, resp, done)` begins one attempt.
  template <class Req, class Resp, class Start>
  Task<Result<Resp>> unary(const char* method, Req req, CallOptions opts, Start start);

  /// Milliseconds to wait before retry number `attempt` (1-based) after `code`, or nullopt if the
  /// code must not be retried.
  std::optional<std::chrono::milliseconds> retry_delay(const grpc::Status& status, int attempt);

 private:
  explicit Channel(client::ConnectionOptions options);
  void prepare(grpc::ClientContext& ctx, const CallOptions& opts);

  client::ConnectionOptions options_;
  std::string identity_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<wsv1::WorkflowService::Stub> workflow_stub_;
  std::unique_ptr<osv1::OperatorService::Stub> operator_stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_stub_;
  mutable std::mutex mu_;
  std::string api_key_;
  std::optional<client::SystemInfo> capabilities_;
  std::atomic<bool> closed_{false};
};

/// True if the status is one the client retries (see TEMPORAL-FACTS: Retries).
bool is_retryable(const grpc::Status& status, bool internal_error_differentiation);

template <class Req, class Resp, class Start>
Task<Result<Resp>> Channel::unary(const char* method, Req req, CallOptions opts, Start start) {
  auto self = shared_from_this();  // the channel outlives every call in flight
  const auto began = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    if (closed_.load()) {
      co_return Result<Resp>{Status{grpc::StatusCode::UNAVAILABLE,
                                    std::string("connection closed before ") + method, {}},
                             Resp{}};
    }
    grpc::ClientContext ctx;
    prepare(ctx, opts);
    if (opts.cancellation && !opts.cancellation->add(&ctx)) {
      co_return Result<Resp>{Status{grpc::StatusCode::CANCELLED, std::string(method) + " cancelled", {}}, Resp{}};
    }
    Resp resp;
    grpc::Status st = co_await CallAwaiter([&](std::function<void(grpc::Status)> done) {
      start(&ctx, &req, &resp, std::move(done));
    });
    if (opts.cancellation) opts.cancellation->remove(&ctx);
    if (st.ok()) co_return Result<Resp>{Status{}, std::move(resp)};
    std::optional<std::chrono::milliseconds> delay;
    if (opts.retry) delay = retry_delay(st, attempt);
    if (delay && opts.retry_budget &&
        std::chrono::steady_clock::now() + *delay - began > *opts.retry_budget) {
      delay.reset();
    }
    if (!delay) {
      co_return Result<Resp>{Status{st.error_code(), st.error_message(), st.error_details()}, Resp{}};
    }
    async_detail::SleepFor pause{*delay};
    co_await pause;
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
