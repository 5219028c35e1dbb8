// AsyncActivityClient. Member functions hand copies of their arguments (failures already
// converted to their proto) to free coroutines, so a Task stays valid after its caller's objects
// are gone. (GCC 12: no braced temporaries inside co_await expressions.)
#include "temporal/client/async_activity.h"

#include <optional>

#include "client/client_core.h"
#include "converter/proto.h"
#include "temporal/api/errordetails/v1/message.pb.h"

namespace temporal::client {

namespace apifailure = ::temporal::api::failure::v1;
namespace ws = ::temporal::api::workflowservice::v1;
using detail::ClientCore;
using CorePtr = std::shared_ptr<const ClientCore>;

namespace {

// An activity by task token, or (when `id` is set) by ids.
struct Target {
  std::string token;
  std::optional<ActivityId> id;
};

std::string name_of(const Target& t) {
  if (!t.id) return "activity (by task token)";
  return "activity '" + t.id->activity_id + "' of workflow '" + t.id->workflow_id + "'" +
         (t.id->run_id.empty() ? std::string() : " run '" + t.id->run_id + "'");
}

void validate(const Target& t) {
  if (!t.id) {
    if (t.token.empty()) throw InvalidArgumentError("task_token", "task_token is empty; pass the bytes the worker gave the activity");
    return;
  }
  detail::validate_identifier(t.id->workflow_id, "activity_id.workflow_id", true);
  detail::validate_run_id(t.id->run_id, "activity_id.run_id");
  detail::validate_identifier(t.id->activity_id, "activity_id.activity_id", true);
}

template <class Resp>
Resp value_or_throw(const ClientCore& core, rpc::Result<Resp>&& r, const std::string& operation, const Target& t) {
  if (r.ok()) return std::move(r.value);
  const auto& s = r.status;
  if (s.code == grpc::StatusCode::NOT_FOUND && !rpc::is_namespace_not_found(s)) {
    throw ActivityNotFoundError(static_cast<int>(s.code),
                                operation + " failed: " + name_of(t) +
                                    " not found; it may have completed, timed out or been canceled, or its workflow "
                                    "closed (" + s.message + ")",
                                s.message);
  }
  rpc::throw_status(s, core.error_context(operation + " " + name_of(t)));
}

template <class Req>
void fill_by_id(const ClientCore& core, const ActivityId& id, Req* req) {
  req->set_namespace_(core.namespace_name);
  req->set_workflow_id(id.workflow_id);
  req->set_run_id(id.run_id);
  req->set_activity_id(id.activity_id);
  req->set_identity(core.identity);
}

template <class Req>
void fill_by_token(const ClientCore& core, const std::string& token, Req* req) {
  req->set_namespace_(core.namespace_name);
  req->set_task_token(token);
  req->set_identity(core.identity);
}

Task<void> complete_impl(CorePtr core, Target t, converter::Payload result) {
  validate(t);
  converter::Payloads payloads;
  payloads.push_back(std::move(result));
  const std::string op = "complete";
  if (t.id) {
    ws::RespondActivityTaskCompletedByIdRequest req;
    fill_by_id(*core, *t.id, &req);
    converter::encode_to(core->data_converter, std::move(payloads), req.mutable_result());
    auto opts = core->rpc_options();
    auto r = co_await rpc::RespondActivityTaskCompletedById(core->channel(), std::move(req), std::move(opts));
    value_or_throw(*core, std::move(r), op, t);
  } else {
    ws::RespondActivityTaskCompletedRequest req;
    fill_by_token(*core, t.token, &req);
    converter::encode_to(core->data_converter, std::move(payloads), req.mutable_result());
    auto opts = core->rpc_options();
    auto r = co_await rpc::RespondActivityTaskCompleted(core->channel(), std::move(req), std::move(opts));
    value_or_throw(*core, std::move(r), op, t);
  }
}

Task<void> fail_impl(CorePtr core, Target t, apifailure::Failure failure, converter::Payloads last_heartbeat_details) {
  validate(t);
  const std::string op = "fail";
  if (t.id) {
    ws::RespondActivityTaskFailedByIdRequest req;
    fill_by_id(*core, *t.id, &req);
    *req.mutable_failure() = std::move(failure);
    if (!last_heartbeat_details.empty()) {
      converter::encode_to(core->data_converter, std::move(last_heartbeat_details), req.mutable_last_heartbeat_details());
    }
    auto opts = core->rpc_options();
    auto r = co_await rpc::RespondActivityTaskFailedById(core->channel(), std::move(req), std::move(opts));
    value_or_throw(*core, std::move(r), op, t);
  } else {
    ws::RespondActivityTaskFailedRequest req;
    fill_by_token(*core, t.token, &req);
    *req.mutable_failure() = std::move(failure);
    if (!last_heartbeat_details.empty()) {
      converter::encode_to(core->data_converter, std::move(last_heartbeat_details), req.mutable_last_heartbeat_details());
    }
    auto opts = core->rpc_options();
    auto r = co_await rpc::RespondActivityTaskFailed(core->channel(), std::move(req), std::move(opts));
    value_or_throw(*core, std::move(r), op, t);
  }
}

Task<void> cancel_impl(CorePtr core, Target t, converter::Payloads details) {
  validate(t);
  const std::string op = "report cancellation of";
  if (t.id) {
    ws::RespondActivityTaskCanceledByIdRequest req;
    fill_by_id(*core, *t.id, &req);
    if (!details.empty()) converter::encode_to(core->data_converter, std::move(details), req.mutable_details());
    auto opts = core->rpc_options();
    auto r = co_await rpc::RespondActivityTaskCanceledById(core->channel(), std::move(req), std::move(opts));
    value_or_throw(*core, std::move(r), op, t);
  } else {
    ws::RespondActivityTaskCanceledRequest req;
    fill_by_token(*core, t.token, &req);
    if (!details.empty()) converter::encode_to(core->data_converter, std::move(details), req.mutable_details());
    auto opts = core->rpc_options();
    auto r = co_await rpc::RespondActivityTaskCanceled(core->channel(), std::move(req), std::move(opts));
    value_or_throw(*core, std::move(r), op, t);
  }
}

template <class Resp>
void throw_if_should_stop(const Resp& resp, const Target& t) {
  using Reason = ActivityCancelledError::Reason;
  if (resp.cancel_requested()) {
    throw ActivityCancelledError(Reason::kCancelRequested,
                                 "cancellation of " + name_of(t) + " was requested; stop and report_cancellation()");
  }
  if (resp.activity_paused()) throw ActivityCancelledError(Reason::kPaused, name_of(t) + " was paused");
  if (resp.activity_reset()) throw ActivityCancelledError(Reason::kReset, name_of(t) + " was reset");
}

Task<void> heartbeat_impl(CorePtr core, Target t, converter::Payloads details) {
  validate(t);
  const std::string op = "heartbeat";
  if (t.id) {
    ws::RecordActivityTaskHeartbeatByIdRequest req;
    fill_by_id(*core, *t.id, &req);
    if (!details.empty()) converter::encode_to(core->data_converter, std::move(details), req.mutable_details());
    auto opts = core->rpc_options();
    auto r = co_await rpc::RecordActivityTaskHeartbeatById(core->channel(), std::move(req), std::move(opts));
    throw_if_should_stop(value_or_throw(*core, std::move(r), op, t), t);
  } else {
    ws::RecordActivityTaskHeartbeatRequest req;
    fill_by_token(*core, t.token, &req);
    if (!details.empty()) converter::encode_to(core->data_converter, std::move(details), req.mutable_details());
    auto opts = core->rpc_options();
    auto r = co_await rpc::RecordActivityTaskHeartbeat(core->channel(), std::move(req), std::move(opts));
    throw_if_should_stop(value_or_throw(*core, std::move(r), op, t), t);
  }
}

Target by_token(std::string token) { return Target{std::move(token), std::nullopt}; }
Target by_id(ActivityId id) { return Target{{}, std::move(id)}; }

apifailure::Failure to_failure(const ClientCore& core, const FailureError& e) {
  apifailure::Failure f;
  converter::failure_to_proto(core.data_converter, e, &f);
  return f;
}

apifailure::Failure to_failure(const ClientCore& core, const std::exception_ptr& e) {
  apifailure::Failure f;
  if (!e) throw InvalidArgumentError("error", "fail() needs an exception; got a null exception_ptr");
  converter::failure_to_proto(core.data_converter, e, &f);
  return f;
}

}  // namespace

AsyncActivityClient Client::activity() const { return AsyncActivityClient(*this); }

Task<void> AsyncActivityClient::complete_payload(std::string task_token, converter::Payload result) const {
  return complete_impl(client_.core(), by_token(std::move(task_token)), std::move(result));
}
Task<void> AsyncActivityClient::complete_payload_by_id(ActivityId id, converter::Payload result) const {
  return complete_impl(client_.core(), by_id(std::move(id)), std::move(result));
}
Task<void> AsyncActivityClient::complete(std::string task_token) const {
  return complete_payload(std::move(task_token), converter::to_payload(nullptr));
}

Task<void> AsyncActivityClient::fail(std::string task_token, const FailureError& failure) const {
  return fail_impl(client_.core(), by_token(std::move(task_token)), to_failure(*client_.core(), failure), {});
}
Task<void> AsyncActivityClient::fail(std::string task_token, const FailureError& failure,
                                     converter::Payloads last_heartbeat_details) const {
  return fail_impl(client_.core(), by_token(std::move(task_token)), to_failure(*client_.core(), failure),
                   std::move(last_heartbeat_details));
}
Task<void> AsyncActivityClient::fail_by_id(ActivityId id, const FailureError& failure,
                                           converter::Payloads last_heartbeat_details) const {
  return fail_impl(client_.core(), by_id(std::move(id)), to_failure(*client_.core(), failure),
                   std::move(last_heartbeat_details));
}
Task<void> AsyncActivityClient::fail(std::string task_token, std::exception_ptr error) const {
  return fail_impl(client_.core(), by_token(std::move(task_token)), to_failure(*client_.core(), error), {});
}
Task<void> AsyncActivityClient::fail_error_by_id(ActivityId id, std::exception_ptr error) const {
  return fail_impl(client_.core(), by_id(std::move(id)), to_failure(*client_.core(), error), {});
}

Task<void> AsyncActivityClient::report_cancellation_payloads(std::string task_token, converter::Payloads details) const {
  return cancel_impl(client_.core(), by_token(std::move(task_token)), std::move(details));
}
Task<void> AsyncActivityClient::report_cancellation_by_id(ActivityId id, converter::Payloads details) const {
  return cancel_impl(client_.core(), by_id(std::move(id)), std::move(details));
}

Task<void> AsyncActivityClient::heartbeat_payloads(std::string task_token, converter::Payloads details) const {
  return heartbeat_impl(client_.core(), by_token(std::move(task_token)), std::move(details));
}
Task<void> AsyncActivityClient::heartbeat_by_id(ActivityId id, converter::Payloads details) const {
  return heartbeat_impl(client_.core(), by_id(std::move(id)), std::move(details));
}

}  // namespace temporal::client
