// Connection: one gRPC channel to a Temporal server (or Temporal Cloud), shared by clients and workers.
//
//   auto conn = temporal::client::Connection::connect({.address = "localhost:7233"});
//
// A Connection is a cheap, copyable handle to shared state; copies talk over the same channel.
// It is thread-safe: any thread may issue calls through it at the same time.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "temporal/async/cancellation.h"
#include "temporal/async/task.h"
#include "temporal/common/logger.h"

namespace temporal::rpc {
class Channel;
}

namespace temporal::client {

/// TLS settings. An engaged `ConnectionOptions::tls` turns TLS on.
struct TlsOptions {
  /// PEM of the CA that signed the server's certificate; empty means the system's roots.
  std::string server_root_ca_cert{};
  /// Name to verify the server certificate against (and send as SNI/authority), when it differs
  /// from the host of `address`.
  std::string server_name_override{};
  /// PEM client certificate and key for mutual TLS; both or neither.
  std::string client_cert{};
  std::string client_private_key{};
};

/// How transient failures (UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED, UNKNOWN, and INTERNAL where the
/// server allows) are retried. Every retry of a call resends the same request, including its request id.
struct RetryOptions {
  std::chrono::milliseconds initial_interval{100};
  std::chrono::milliseconds initial_interval_resource_exhausted{1000};
  double backoff_coefficient = 1.7;
  std::chrono::milliseconds max_interval{5000};
  double jitter = 0.2;  ///< +- fraction applied to each interval
  int max_attempts = 10;
};

/// gRPC keepalive pings.
struct KeepAliveOptions {
  std::chrono::milliseconds interval{30000};
  std::chrono::milliseconds timeout{15000};
};

/// An HTTP CONNECT proxy that every call of the connection tunnels through (instead of the
/// `grpc_proxy`/`https_proxy`/`http_proxy` environment variables, which gRPC reads otherwise).
struct HttpConnectProxyOptions {
  /// host:port of the proxy.
  std::string target_host{};
  /// Basic authentication (Proxy-Authorization); both or neither.
  std::string basic_auth_user{};
  std::string basic_auth_password{};
};

/// How one connection spreads its calls over the frontends its address names.
///
/// Which to pick when the cluster has several frontends:
/// - Production and Temporal Cloud: one address that a real load balancer answers (an L7 gRPC
///   balancer such as nginx `grpc_pass`, Envoy, or a cloud LB; Temporal Cloud's endpoint is one).
///   The balancer sees every call and moves them off a dead frontend; keep `kDefault`.
/// - No balancer: list the frontends, `"10.0.0.1:7233,10.0.0.2:7233"` (IP literals), or give one
///   name that resolves to all of them, `"dns:///frontends.internal:7233"`, with `kRoundRobin`.
///   Calls then spread over every frontend that is up, and a dead one is skipped at once.
/// - `kPickFirst` sends everything to the first frontend that answers and moves to the next only
///   when that connection breaks: it fails over, but it does not spread the load.
enum class LoadBalancing {
  kDefault = 0,     ///< kPickFirst for one address, kRoundRobin for a list of addresses
  kPickFirst = 1,   ///< gRPC pick_first: one connection at a time, the next address on failure
  kRoundRobin = 2,  ///< gRPC round_robin: a connection to every address, calls spread over those ready
};

/// Everything needed to reach a Temporal server. Fill with designated initializers. Everything is
/// checked when the Connection is made (InvalidArgumentError naming the field): see the README's
/// "Reliability" section.
struct ConnectionOptions {
  /// host:port of the frontend (port 1-65535; without a port, 7233), [ipv6]:port, or a gRPC target
  /// such as unix:///path or dns:///name:port. No URL scheme: TLS is turned on by `tls` or an API key.
  /// Several frontends: a comma-separated list of IP literals, "127.0.0.1:7233,127.0.0.1:7234" or
  /// "[::1]:7233,[::1]:7234" (all IPv4 or all IPv6); a list with a host name is rejected, since gRPC
  /// cannot balance over names: use a load balancer, or dns:///name:port (see LoadBalancing). With
  /// TLS and a list, set tls.server_name_override to the name the frontends' certificate holds. A list
  /// cannot go through `http_connect_proxy` (the proxy tunnels to one address).
  std::string address = "localhost:7233";
  /// How calls spread over the addresses (see LoadBalancing for which to pick).
  LoadBalancing load_balancing = LoadBalancing::kDefault;
  /// Namespace sent in the temporal-namespace header by default; Client may override it.
  std::string namespace_name = "default";
  /// TLS; engaged means on. An API key turns TLS on (with system roots) unless `tls_disabled`.
  std::optional<TlsOptions> tls{};
  bool tls_disabled = false;
  /// Sent as `authorization: Bearer <key>`. `api_key_provider`, when set, is called for every call
  /// instead (and must be thread-safe and fast).
  std::string api_key{};
  std::function<std::string()> api_key_provider{};
  /// Tunnel through an HTTP CONNECT proxy.
  std::optional<HttpConnectProxyOptions> http_connect_proxy{};
  /// Headers added to every call.
  std::map<std::string, std::string> metadata{};
  /// Deadline of each RPC attempt when the call itself sets none. Positive.
  std::chrono::milliseconds rpc_timeout{10000};
  RetryOptions retry{};
  KeepAliveOptions keepalive{};
  /// Max gRPC message size, both directions.
  int max_message_bytes = 128 * 1024 * 1024;
  /// How long connect() keeps trying to reach the server. Positive.
  std::chrono::milliseconds connect_timeout{10000};
  /// Worker/client identity reported to the server; default `pid@hostname`.
  std::string identity{};
  /// Where the connection's log lines go (each retried call at LogLevel::kDebug); workers on this
  /// connection use it too unless WorkerOptions::logger is set. Empty: stderr_logger().
  Logger logger{};
};

/// What the server said about itself at connect time.
struct SystemInfo {
  std::string server_version;
  bool signal_and_query_header = false;
  bool internal_error_differentiation = false;
  bool activity_failure_include_heartbeat = false;
  bool supports_schedules = false;
  bool encoded_failure_attributes = false;
  bool eager_workflow_start = false;
  bool sdk_metadata = false;
  bool count_group_by_execution_status = false;
  bool nexus = false;
};

/// Per-call settings layered over the connection's: extra headers, a deadline and a cancellation
/// token. Give them to a client with Client::with_call_options() (or WorkflowHandle's).
struct CallOptions {
  /// gRPC headers added to each call. Names are lower-cased; names must be letters, digits, '-',
  /// '_' or '.', values printable ASCII unless the name ends in "-bin" (binary values).
  std::map<std::string, std::string> metadata{};
  /// The deadline of each whole call, retries and long polls included: every call made through the
  /// client ends within it (result() and update results too), with DeadlineExceededError. Unset:
  /// each RPC attempt gets ConnectionOptions::rpc_timeout, and waits (result(), update results)
  /// last until what they wait for happens. Must be positive; milliseconds::max() means no deadline.
  std::optional<std::chrono::milliseconds> timeout{};
  /// Cancels every call made through the client, in flight or later, with CallCancelledError.
  std::optional<CancellationToken> cancellation{};
};

class Connection {
 public:
  /// Connects, calls GetSystemInfo and keeps its capabilities. Throws RpcError (with the cause in
  /// words: unreachable, TLS, authentication) when the server cannot be reached in connect_timeout.
  static Connection connect(ConnectionOptions options);
  /// Awaitable form of connect().
  template <class O = ConnectionOptions, class = async_detail::Is<O, ConnectionOptions>>
  static CheckedTask<Connection, O> connect_async(O&& options) {
    return connect_task(std::forward<O>(options));
  }
  /// Builds the channel without contacting the server; the first call connects.
  static Connection lazy(ConnectionOptions options);

  const ConnectionOptions& options() const;
  /// Capabilities from GetSystemInfo (fetched on first use for a lazy connection).
  Task<SystemInfo> system_info() const;
  /// grpc.health.v1 check of the WorkflowService; true when SERVING.
  Task<bool> check_health() const;
  /// Replaces the static API key used by later calls. Throws InvalidArgumentError if the key holds
  /// anything but printable ASCII (a trailing newline, say).
  void set_api_key(std::string api_key) const;
  /// Closes the channel: calls in flight (long polls and waits included) and every later call fail
  /// promptly with ConnectionClosedError (an RpcError, code UNAVAILABLE). Idempotent.
  void close() const;

  /// The transport, for the SDK's own layers.
  const std::shared_ptr<rpc::Channel>& channel() const;

  struct State;

 private:
  static Task<Connection> connect_task(ConnectionOptions options);
  explicit Connection(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace temporal::client
