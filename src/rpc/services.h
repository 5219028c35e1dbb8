// One typed awaitable function per RPC the SDK uses: rpc::StartWorkflowExecution(channel, req, opts).
#pragma once

#include "rpc/channel.h"

namespace temporal::rpc {

namespace hv1 = ::grpc::health::v1;

#define TEMPORAL_WS(Name) TEMPORAL_RPC(wsv1, workflow, Name)
#define TEMPORAL_OS(Name) TEMPORAL_RPC(osv1, operator_service, Name)

TEMPORAL_WS(GetSystemInfo)
TEMPORAL_WS(DescribeNamespace)
TEMPORAL_WS(StartWorkflowExecution)
TEMPORAL_WS(SignalWithStartWorkflowExecution)
TEMPORAL_WS(SignalWorkflowExecution)
TEMPORAL_WS(QueryWorkflow)
TEMPORAL_WS(RequestCancelWorkflowExecution)
TEMPORAL_WS(TerminateWorkflowExecution)
TEMPORAL_WS(DescribeWorkflowExecution)
TEMPORAL_WS(GetWorkflowExecutionHistory)
TEMPORAL_WS(ListWorkflowExecutions)
TEMPORAL_WS(CountWorkflowExecutions)
TEMPORAL_WS(UpdateWorkflowExecution)
TEMPORAL_WS(PollWorkflowExecutionUpdate)
TEMPORAL_WS(ExecuteMultiOperation)
TEMPORAL_WS(CreateSchedule)
TEMPORAL_WS(DescribeSchedule)
TEMPORAL_WS(UpdateSchedule)
TEMPORAL_WS(PatchSchedule)
TEMPORAL_WS(DeleteSchedule)
TEMPORAL_WS(ListSchedules)
TEMPORAL_WS(ListScheduleMatchingTimes)
TEMPORAL_WS(RecordActivityTaskHeartbeat)
TEMPORAL_WS(RecordActivityTaskHeartbeatById)
TEMPORAL_WS(RespondActivityTaskCompleted)
TEMPORAL_WS(RespondActivityTaskCompletedById)
TEMPORAL_WS(RespondActivityTaskFailed)
TEMPORAL_WS(RespondActivityTaskFailedById)
TEMPORAL_WS(RespondActivityTaskCanceled)
TEMPORAL_WS(RespondActivityTaskCanceledById)
TEMPORAL_WS(PollWorkflowTaskQueue)
TEMPORAL_WS(RespondWorkflowTaskCompleted)
TEMPORAL_WS(RespondWorkflowTaskFailed)
TEMPORAL_WS(RespondQueryTaskCompleted)
TEMPORAL_WS(PollActivityTaskQueue)
TEMPORAL_WS(ShutdownWorker)
TEMPORAL_OS(AddSearchAttributes)
TEMPORAL_OS(ListSearchAttributes)
TEMPORAL_OS(RemoveSearchAttributes)

/// grpc.health.v1 Check (its messages don't follow the NameRequest/NameResponse pattern).
inline Task<Result<hv1::HealthCheckResponse>> HealthCheck(Channel& ch, hv1::HealthCheckRequest req,
                                                         CallOptions opts = CallOptions()) {
  return ch.unary<hv1::HealthCheckRequest, hv1::HealthCheckResponse>(
      "Check", std::move(req), std::move(opts),
      [&ch](grpc::ClientContext* ctx, const hv1::HealthCheckRequest* rq, hv1::HealthCheckResponse* rs,
            std::function<void(grpc::Status)> done) { ch.health().async()->Check(ctx, rq, rs, std::move(done)); });
}

#undef TEMPORAL_WS
#undef TEMPORAL_OS

}  // namespace temporal::rpc
