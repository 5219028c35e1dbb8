#include "worker/workflow_task_client.h"

#include "client/client_core.h"
#include "rpc/services.h"

namespace temporal::worker::detail {

namespace {

constexpr std::chrono::milliseconds kPollTimeout{70'000};

class GrpcWorkflowTaskClient final : public WorkflowTaskClient {
 public:
  explicit GrpcWorkflowTaskClient(std::shared_ptr<const client::detail::ClientCore> core) : core_(std::move(core)) {}

  rpc::Result<wsv1::PollWorkflowTaskQueueResponse> poll(wsv1::PollWorkflowTaskQueueRequest request,
                                                        std::shared_ptr<rpc::CallCancellation> cancel) override {
    auto opts = core_->rpc_options();
    opts.timeout = kPollTimeout;
    opts.retry = false;  // the poll loop backs off itself
    opts.cancellation = std::move(cancel);
    return rpc::PollWorkflowTaskQueue(core_->channel(), std::move(request), std::move(opts)).get();
  }
  rpc::Result<wsv1::GetWorkflowExecutionHistoryResponse> history(wsv1::GetWorkflowExecutionHistoryRequest request) override {
    return rpc::GetWorkflowExecutionHistory(core_->channel(), std::move(request), core_->rpc_options()).get();
  }
  rpc::Status complete(wsv1::RespondWorkflowTaskCompletedRequest request) override {
    return rpc::RespondWorkflowTaskCompleted(core_->channel(), std::move(request), core_->rpc_options()).get().status;
  }
  rpc::Status fail(wsv1::RespondWorkflowTaskFailedRequest request) override {
    return rpc::RespondWorkflowTaskFailed(core_->channel(), std::move(request), core_->rpc_options()).get().status;
  }
  rpc::Status answer_query(wsv1::RespondQueryTaskCompletedRequest request) override {
    return rpc::RespondQueryTaskCompleted(core_->channel(), std::move(request), core_->rpc_options()).get().status;
  }
  rpc::Status shutdown_worker(wsv1::ShutdownWorkerRequest request) override {
    auto opts = core_->rpc_options();
    opts.timeout = std::chrono::milliseconds(5000);
    opts.retry = false;
    return rpc::ShutdownWorker(core_->channel(), std::move(request), std::move(opts)).get().status;
  }
  [[noreturn]] void throw_status(const rpc::Status& status, const std::string& operation) const override {
    rpc::throw_status(status, core_->error_context(operation));
  }

 private:
  std::shared_ptr<const client::detail::ClientCore> core_;
};

}  // namespace

std::shared_ptr<WorkflowTaskClient> grpc_workflow_task_client(std::shared_ptr<const client::detail::ClientCore> core) {
  return std::make_shared<GrpcWorkflowTaskClient>(std::move(core));
}

}  // namespace temporal::worker::detail
