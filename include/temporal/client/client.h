// Client: the entry point for talking to Temporal from application code. Include
// <temporal/client.h> for it and all its sub-clients.
//
//   auto connection = temporal::client::Connection::connect({});
//   temporal::client::Client client(connection, {.namespace_name = "default"});
//   auto handle = client.workflow().start("example", {.task_queue = "tutorial", .workflow_id = "wf-1"},
//                                         std::string("Temporal")).get();
//   std::string greeting = handle.result<std::string>().get();
//
// Client and its sub-clients are cheap, copyable handles to shared, immutable state; they are
// thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "temporal/async/task.h"
#include "temporal/client/connection.h"
#include "temporal/converter/data_converter.h"

namespace temporal::client {

class WorkflowClient;
class ScheduleClient;
class AsyncActivityClient;
class OperatorClient;

/// One client call as interceptors see it. Interceptors may read and change `headers` (Temporal
/// headers, delivered to the workflow), `grpc_metadata` (sent to the server with the call) and
/// `args`.
struct ClientCall {
  /// "StartWorkflow", "SignalWithStartWorkflow", "SignalWorkflow", "QueryWorkflow", "StartWorkflowUpdate",
  /// "CancelWorkflow", "TerminateWorkflow", "DescribeWorkflow", "GetWorkflowResult",
  /// "FetchWorkflowHistory", "ListWorkflows" or "CountWorkflows".
  std::string operation;
  std::string workflow_id;
  std::string run_id;
  /// Workflow type, signal, query or update name, where the call has one.
  std::string name;
  std::map<std::string, converter::Payload> headers;
  std::map<std::string, std::string> grpc_metadata;
  /// The call's arguments, encoded but before the codec chain: the workflow's (StartWorkflow,
  /// SignalWithStartWorkflow), the signal's, the query's or the update's. Interceptors may
  /// replace them; other operations have none.
  converter::Payloads args;
};

/// Wraps every client call. Override intercept() and call (and co_await) next(call) to proceed;
/// throwing stops the call. Must be thread-safe.
class ClientInterceptor {
 public:
  using Next = std::function<Task<void>(ClientCall&)>;
  virtual ~ClientInterceptor() = default;
  virtual Task<void> intercept(ClientCall& call, Next next) { co_await next(call); }
};

struct ClientOptions {
  /// Namespace of every call; empty means the connection's.
  std::string namespace_name{};
  converter::DataConverter data_converter{};
  /// Outermost first.
  std::vector<std::shared_ptr<ClientInterceptor>> interceptors{};
  /// Identity reported to the server; empty means the connection's.
  std::string identity{};
};

namespace detail {
struct ClientCore;
}

class Client {
 public:
  explicit Client(Connection connection, ClientOptions options = ClientOptions());

  const Connection& connection() const;
  const std::string& namespace_name() const;
  const converter::DataConverter& data_converter() const;
  const std::string& identity() const;

  /// Starting, finding, listing and counting workflows.
  WorkflowClient workflow() const;
  /// Schedules.
  ScheduleClient schedule() const;
  /// Completing activities from outside their worker.
  AsyncActivityClient activity() const;
  /// Search attribute administration.
  OperatorClient operator_service() const;

  /// A copy of this client whose calls carry extra gRPC headers and a deadline.
  Client with_call_options(CallOptions options) const;

  const std::shared_ptr<const detail::ClientCore>& core() const { return core_; }

 private:
  explicit Client(std::shared_ptr<const detail::ClientCore> core) : core_(std::move(core)) {}
  std::shared_ptr<const detail::ClientCore> core_;
};

}  // namespace temporal::client
