// What the workflow worker asks of the server, as one small interface: the gRPC implementation talks
// to the frontend through the client's connection; unit tests give the worker a fake
// (tests/support/fake_workflow_service.h) to drive polling, caching, eviction, shutdown and the
// deadlock detector without a server.
#pragma once

#include <memory>
#include <string>

#include "rpc/channel.h"
#include "temporal/api/workflowservice/v1/request_response.pb.h"

namespace temporal::client::detail {
struct ClientCore;
}

namespace temporal::worker::detail {

namespace wsv1 = ::temporal::api::workflowservice::v1;

class WorkflowTaskClient {
 public:
  virtual ~WorkflowTaskClient() = default;
  /// Long-polls; an answer with an empty task token means the poll expired without a task.
  virtual rpc::Result<wsv1::PollWorkflowTaskQueueResponse> poll(wsv1::PollWorkflowTaskQueueRequest request,
                                                                std::shared_ptr<rpc::CallCancellation> cancel) = 0;
  virtual rpc::Result<wsv1::GetWorkflowExecutionHistoryResponse> history(
      wsv1::GetWorkflowExecutionHistoryRequest request) = 0;
  virtual rpc::Status complete(wsv1::RespondWorkflowTaskCompletedRequest request) = 0;
  virtual rpc::Status fail(wsv1::RespondWorkflowTaskFailedRequest request) = 0;
  virtual rpc::Status answer_query(wsv1::RespondQueryTaskCompletedRequest request) = 0;
  virtual rpc::Status shutdown_worker(wsv1::ShutdownWorkerRequest request) = 0;
  /// Turns a failed status into the typed error a user sees (for fatal poll errors).
  [[noreturn]] virtual void throw_status(const rpc::Status& status, const std::string& operation) const = 0;
};

/// The server behind `core`'s connection.
std::shared_ptr<WorkflowTaskClient> grpc_workflow_task_client(std::shared_ptr<const client::detail::ClientCore> core);

}  // namespace temporal::worker::detail
