#include "temporal/client/connection.h"

#include "rpc/services.h"
#include "rpc/status.h"
#include "temporal/common/errors.h"

namespace temporal::client {

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
Task<SystemInfo> fetch_system_info(std::shared_ptr<rpc::Channel> ch) {
  using Clock = std::chrono::steady_clock;
  rpc::CallOptions opts;
  opts.timeout = std::chrono::milliseconds(5000);
  opts.deadline = async_detail::saturating_after<Clock>(Clock::now(), ch->options().connect_timeout);
  auto r = co_await rpc::GetSystemInfo(*ch, {}, opts);
  if (r.status.code == grpc::StatusCode::UNIMPLEMENTED) {
    SystemInfo empty;
    ch->set_capabilities(empty);
    co_return empty;
  }
  if (!r.ok()) {
    rpc::throw_status(r.status, {.operation = "connect", .address = ch->options().address,
                                 .namespace_name = ch->options().namespace_name});
  }
  SystemInfo info = to_system_info(r.value);
  ch->set_capabilities(info);
  co_return info;
}

}  // namespace

Task<Connection> Connection::connect_async(ConnectionOptions options) {
  auto ch = rpc::Channel::create(std::move(options));
  co_await fetch_system_info(ch);
  co_return Connection(std::move(ch));
}

Connection Connection::connect(ConnectionOptions options) { return connect_async(std::move(options)).get(); }

Connection Connection::lazy(ConnectionOptions options) { return Connection(rpc::Channel::create(std::move(options))); }

const ConnectionOptions& Connection::options() const { return channel_->options(); }

namespace {
Task<SystemInfo> cached_system_info(std::shared_ptr<rpc::Channel> ch) {
  if (auto caps = ch->capabilities()) co_return *caps;
  co_return co_await fetch_system_info(ch);
}

Task<bool> health(std::shared_ptr<rpc::Channel> ch) {
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("temporal.api.workflowservice.v1.WorkflowService");
  auto r = co_await rpc::HealthCheck(*ch, std::move(req));
  if (!r.ok()) rpc::throw_status(r.status, {.operation = "health check", .address = ch->options().address});
  co_return r.value.status() == grpc::health::v1::HealthCheckResponse::SERVING;
}
}  // namespace

// Member functions hand the shared channel to free coroutines, so a task stays valid even if
// this Connection handle is gone before it is awaited.
Task<SystemInfo> Connection::system_info() const { return cached_system_info(channel_); }

Task<bool> Connection::check_health() const { return health(channel_); }

void Connection::set_api_key(std::string api_key) const { channel_->set_api_key(std::move(api_key)); }

void Connection::close() const { channel_->close(); }

}  // namespace temporal::client
