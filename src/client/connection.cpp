#include "temporal/client/connection.h"

#include <mutex>

#include "client/connection_options.h"
#include "rpc/services.h"
#include "rpc/status.h"
#include "temporal/common/errors.h"

namespace temporal::client {

/// What copies of a Connection share: the options as given (validated), the channel, and what the
/// server said about itself.
struct Connection::State {
  ConnectionOptions options;
  std::shared_ptr<rpc::Channel> channel;
  std::mutex mu;
  std::optional<SystemInfo> info;

  explicit State(ConnectionOptions o) {
    rpc::ChannelOptions c = detail::channel_options(o);  // validates and normalizes o
    options = std::move(o);
    channel = rpc::Channel::create(std::move(c));
  }
  void set_info(const SystemInfo& i) {
    channel->set_internal_error_differentiation(i.internal_error_differentiation);
    std::lock_guard lock(mu);
    info = i;
  }
  std::optional<SystemInfo> cached_info() {
    std::lock_guard lock(mu);
    return info;
  }
};

namespace {

SystemInfo to_system_info(const rpc::wsv1::GetSystemInfoResponse& r) {
  SystemInfo info;
  info.server_version = r.server_version();
  const auto& c = r.capabilities();
  info.signal_and_query_header = c.signal_and_query_header();
  info.internal_error_differentiation = c.internal_error_differentiation();
  info.activity_failure_include_heartbeat = c.activity_failure_include_heartbeat();
  info.supports_schedules = c.supports_schedules();
  info.encoded_failure_attributes = c.encoded_failure_attributes();
  info.eager_workflow_start = c.eager_workflow_start();
  info.sdk_metadata = c.sdk_metadata();
  info.count_group_by_execution_status = c.count_group_by_execution_status();
  info.nexus = c.nexus();
  return info;
}

// GetSystemInfo with a 5 s deadline per attempt, retried until connect_timeout.
Task<SystemInfo> fetch_system_info(std::shared_ptr<Connection::State> st) {
  using Clock = std::chrono::steady_clock;
  rpc::CallOptions opts;
  opts.timeout = std::chrono::milliseconds(5000);
  opts.deadline = async_detail::saturating_after<Clock>(Clock::now(), st->options.connect_timeout);
  auto r = co_await rpc::GetSystemInfo(*st->channel, {}, opts);
  if (r.status.code == grpc::StatusCode::UNIMPLEMENTED) {
    SystemInfo empty;
    st->set_info(empty);
    co_return empty;
  }
  if (!r.ok()) {
    rpc::throw_status(r.status, {.operation = "connect", .address = st->options.address,
                                 .namespace_name = st->options.namespace_name});
  }
  SystemInfo info = to_system_info(r.value);
  st->set_info(info);
  co_return info;
}

Task<SystemInfo> cached_system_info(std::shared_ptr<Connection::State> st) {
  if (auto info = st->cached_info()) co_return *info;
  co_return co_await fetch_system_info(st);
}

Task<bool> health(std::shared_ptr<Connection::State> st) {
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("temporal.api.workflowservice.v1.WorkflowService");
  auto r = co_await rpc::HealthCheck(*st->channel, std::move(req));
  if (!r.ok()) rpc::throw_status(r.status, {.operation = "health check", .address = st->options.address});
  co_return r.value.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}

}  // namespace

Task<Connection> Connection::connect_task(ConnectionOptions options) {
  auto st = std::make_shared<State>(std::move(options));
  co_await fetch_system_info(st);
  co_return Connection(std::move(st));
}

Connection Connection::connect(ConnectionOptions options) { return connect_task(std::move(options)).get(); }

Connection Connection::lazy(ConnectionOptions options) { return Connection(std::make_shared<State>(std::move(options))); }

const ConnectionOptions& Connection::options() const { return state_->options; }

const std::shared_ptr<rpc::Channel>& Connection::channel() const { return state_->channel; }

// Member functions hand the shared state to free coroutines, so a task stays valid even if this
// Connection handle is gone before it is awaited.
Task<SystemInfo> Connection::system_info() const { return cached_system_info(state_); }

Task<bool> Connection::check_health() const { return health(state_); }

void Connection::set_api_key(std::string api_key) const { state_->channel->set_api_key(std::move(api_key)); }

void Connection::close() const { state_->channel->close(); }

}  // namespace temporal::client
