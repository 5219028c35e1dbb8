// WorkflowClient and WorkflowHandle. Member functions hand copies of their state to free
// coroutines, so a Task stays valid after the handle that made it is gone. (GCC 12: no braced
// temporaries inside co_await expressions; build requests and options in named variables.)
#include "temporal/client/workflow_client.h"

#include <google/protobuf/util/json_util.h>

#include "client/client_core.h"
#include "common/uuid.h"
#include "converter/proto.h"
#include "rpc/validate.h"
#include "temporal/api/errordetails/v1/message.pb.h"
#include "temporal/api/history/v1/message.pb.h"

namespace temporal::client {

namespace apicommon = ::temporal::api::common::v1;
namespace apienums = ::temporal::api::enums::v1;
namespace apihistory = ::temporal::api::history::v1;
namespace ws = ::temporal::api::workflowservice::v1;
using detail::ClientCore;
using CorePtr = std::shared_ptr<const ClientCore>;

const char* to_string(WorkflowExecutionStatus s) {
  switch (s) {
    case WorkflowExecutionStatus::kRunning: return "RUNNING";
    case WorkflowExecutionStatus::kCompleted: return "COMPLETED";
    case WorkflowExecutionStatus::kFailed: return "FAILED";
    case WorkflowExecutionStatus::kCanceled: return "CANCELED";
    case WorkflowExecutionStatus::kTerminated: return "TERMINATED";
    case WorkflowExecutionStatus::kContinuedAsNew: return "CONTINUED_AS_NEW";
    case WorkflowExecutionStatus::kTimedOut: return "TIMED_OUT";
    default: return "UNSPECIFIED";
  }
}

namespace {

void set_execution(apicommon::WorkflowExecution* e, const std::string& workflow_id, const std::string& run_id) {
  e->set_workflow_id(workflow_id);
  e->set_run_id(run_id);
}

// ---------------------------------------------------------------------------------------------
// Start

void validate_options(const std::string& workflow_type, const WorkflowOptions& o) {
  detail::validate_identifier(workflow_type, "workflow_type", true);
  if (o.task_queue.empty()) {
    throw InvalidArgumentError("task_queue",
                               "WorkflowOptions.task_queue is required: name the task queue your worker polls");
  }
  detail::validate_identifier(o.task_queue, "task_queue", true);
  detail::validate_identifier(o.workflow_id, "workflow_id", false);
  detail::validate_duration(o.workflow_execution_timeout, "workflow_execution_timeout", false);
  detail::validate_duration(o.workflow_run_timeout, "workflow_run_timeout", false);
  detail::validate_duration(o.workflow_task_timeout, "workflow_task_timeout", false);
  detail::validate_duration(o.start_delay, "start_delay", true);
  if (o.retry_policy) detail::validate_retry_policy(*o.retry_policy, "retry_policy");
  if (!o.cron_schedule.empty() && o.start_delay) {
    throw InvalidArgumentError("start_delay", "start_delay cannot be combined with cron_schedule");
  }
  detail::validate_workflow_options_common(o, "");
}

// Fills the fields StartWorkflowExecution and SignalWithStart share (they are the same names).
template <class Req>
void fill_start(const ClientCore& core, const std::string& workflow_type, const WorkflowOptions& o,
                const converter::Payloads& args, const Headers& headers, Req* req) {
  req->set_namespace_(core.namespace_name);
  req->set_workflow_id(o.workflow_id);
  req->mutable_workflow_type()->set_name(workflow_type);
  req->mutable_task_queue()->set_name(o.task_queue);
  req->mutable_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_NORMAL);
  if (!args.empty()) converter::encode_to(core.data_converter, args, req->mutable_input());
  if (o.workflow_execution_timeout) {
    converter::to_proto_duration(*o.workflow_execution_timeout, req->mutable_workflow_execution_timeout());
  }
  if (o.workflow_run_timeout) converter::to_proto_duration(*o.workflow_run_timeout, req->mutable_workflow_run_timeout());
  if (o.workflow_task_timeout) {
    converter::to_proto_duration(*o.workflow_task_timeout, req->mutable_workflow_task_timeout());
  }
  req->set_identity(core.identity);
  req->set_request_id(temporal::detail::uuid4());
  req->set_workflow_id_reuse_policy(static_cast<apienums::WorkflowIdReusePolicy>(o.id_reuse_policy));
  req->set_workflow_id_conflict_policy(static_cast<apienums::WorkflowIdConflictPolicy>(o.id_conflict_policy));
  if (o.retry_policy) converter::to_proto_retry_policy(*o.retry_policy, req->mutable_retry_policy());
  req->set_cron_schedule(o.cron_schedule);
  if (!o.memo.empty()) converter::encode_memo(core.data_converter, o.memo, req->mutable_memo());
  if (!o.search_attributes.empty()) converter::encode_search_attributes(o.search_attributes, req->mutable_search_attributes());
  if (!headers.empty()) converter::encode_headers(headers, req->mutable_header());
  if (o.start_delay) converter::to_proto_duration(*o.start_delay, req->mutable_workflow_start_delay());
  if (!o.static_summary.empty()) {
    *req->mutable_user_metadata()->mutable_summary() =
        converter::encode_one(core.data_converter, converter::to_payload(o.static_summary));
  }
  if (!o.static_details.empty()) {
    *req->mutable_user_metadata()->mutable_details() =
        converter::encode_one(core.data_converter, converter::to_payload(o.static_details));
  }
  if (o.priority) {
    req->mutable_priority()->set_priority_key(o.priority->priority_key);
    req->mutable_priority()->set_fairness_key(o.priority->fairness_key);
    req->mutable_priority()->set_fairness_weight(o.priority->fairness_weight);
  }
}

Task<void> do_start(CorePtr core, ClientCall& call, std::string workflow_type, WorkflowOptions o,
                    converter::Payloads args, std::string* run_id) {
  ws::StartWorkflowExecutionRequest req;
  fill_start(*core, workflow_type, o, args, call.headers, &req);
  req.set_request_eager_execution(o.request_eager_start);
  auto opts = core->rpc_options(call.grpc_metadata);
  auto r = co_await rpc::StartWorkflowExecution(core->channel(), std::move(req), std::move(opts));
  *run_id = rpc::value_or_throw(std::move(r), core->error_context("start workflow", o.workflow_id)).run_id();
}

Task<WorkflowHandle> start_impl(Client client, std::string workflow_type, WorkflowOptions o, converter::Payloads args) {
  validate_options(workflow_type, o);
  if (o.workflow_id.empty()) o.workflow_id = temporal::detail::uuid4();
  CorePtr core = client.core();
  ClientCall call;
  call.operation = "StartWorkflow";
  call.workflow_id = o.workflow_id;
  call.name = workflow_type;
  call.headers = o.headers;
  call.args = std::move(args);
  std::string run_id;
  std::function<Task<void>(ClientCall&)> terminal = [core, workflow_type, o, &run_id](ClientCall& c) {
    return do_start(core, c, workflow_type, o, c.args, &run_id);
  };
  co_await detail::run_intercepted(core, call, std::move(terminal));
  co_return WorkflowHandle(client, o.workflow_id, {}, run_id, run_id);
}

Task<void> do_signal_with_start(CorePtr core, ClientCall& call, std::string workflow_type, WorkflowOptions o,
                                SignalWithStart signal, converter::Payloads args, std::string* run_id) {
  ws::SignalWithStartWorkflowExecutionRequest req;
  fill_start(*core, workflow_type, o, args, call.headers, &req);
  req.set_signal_name(signal.signal_name());
  if (!signal.signal_args().empty()) {
    converter::encode_to(core->data_converter, signal.signal_args(), req.mutable_signal_input());
  }
  auto opts = core->rpc_options(call.grpc_metadata);
  auto r = co_await rpc::SignalWithStartWorkflowExecution(core->channel(), std::move(req), std::move(opts));
  *run_id = rpc::value_or_throw(std::move(r), core->error_context("signal with start", o.workflow_id)).run_id();
}

Task<WorkflowHandle> signal_with_start_impl(Client client, std::string workflow_type, WorkflowOptions o,
                                            SignalWithStart signal, converter::Payloads args) {
  validate_options(workflow_type, o);
  detail::validate_identifier(signal.signal_name(), "signal_name", true);
  if (o.workflow_id.empty()) o.workflow_id = temporal::detail::uuid4();
  CorePtr core = client.core();
  ClientCall call;
  call.operation = "SignalWithStartWorkflow";
  call.workflow_id = o.workflow_id;
  call.name = workflow_type;
  call.headers = o.headers;
  call.args = std::move(args);
  std::string run_id;
  std::function<Task<void>(ClientCall&)> terminal = [core, workflow_type, o, signal, &run_id](ClientCall& c) {
    return do_signal_with_start(core, c, workflow_type, o, signal, c.args, &run_id);
  };
  co_await detail::run_intercepted(core, call, std::move(terminal));
  // Signal-with-start may have signaled an existing run: follow the chain from the run it names.
  co_return WorkflowHandle(client, o.workflow_id, {}, {}, run_id);
}

// ---------------------------------------------------------------------------------------------
// Result

// What a close event says: a result, a run to follow, or an error to throw.
struct CloseOutcome {
  std::optional<converter::Payload> result;
  std::string follow_run_id;
};

CloseOutcome interpret_close_event(const ClientCore& core, const apihistory::HistoryEvent& e,
                                   const std::string& workflow_id, const std::string& run_id, bool follow_runs) {
  const auto& dc = core.data_converter;
  auto failed = [&](std::string what, RetryState rs, std::shared_ptr<const FailureError> cause) -> CloseOutcome {
    throw WorkflowFailedError("workflow '" + workflow_id + "' (run " + run_id + ") " + what +
                                  (cause ? ": " + cause->message() : std::string()),
                              workflow_id, run_id, rs, std::move(cause));
  };
  switch (e.event_type()) {
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: {
      const auto& a = e.workflow_execution_completed_event_attributes();
      if (follow_runs && !a.new_execution_run_id().empty()) return {std::nullopt, a.new_execution_run_id()};
      auto payloads = converter::decode_from(dc, a.result());
      if (payloads.empty()) return {converter::to_payload(nullptr), {}};
      return {std::move(payloads[0]), {}};
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: {
      const auto& a = e.workflow_execution_failed_event_attributes();
      if (follow_runs && !a.new_execution_run_id().empty()) return {std::nullopt, a.new_execution_run_id()};
      return failed("failed", static_cast<RetryState>(a.retry_state()), converter::failure_from_proto(dc, a.failure()));
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT: {
      const auto& a = e.workflow_execution_timed_out_event_attributes();
      if (follow_runs && !a.new_execution_run_id().empty()) return {std::nullopt, a.new_execution_run_id()};
      return failed("timed out", static_cast<RetryState>(a.retry_state()),
                    std::make_shared<TimeoutFailure>("workflow execution timed out", TimeoutType::kStartToClose));
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED: {
      const auto& a = e.workflow_execution_canceled_event_attributes();
      return failed("was canceled", RetryState::kNonRetryableFailure,
                    std::make_shared<CanceledFailure>("workflow canceled", converter::decode_from(dc, a.details())));
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: {
      const auto& a = e.workflow_execution_terminated_event_attributes();
      std::string reason = a.reason().empty() ? std::string("workflow terminated") : a.reason();
      return failed("was terminated", RetryState::kNonRetryableFailure,
                    std::make_shared<TerminatedFailure>(reason, converter::decode_from(dc, a.details())));
    }
    case apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: {
      const auto& a = e.workflow_execution_continued_as_new_event_attributes();
      if (follow_runs) return {std::nullopt, a.new_execution_run_id()};
      throw WorkflowContinuedAsNewError("workflow '" + workflow_id + "' (run " + run_id + ") continued as new run " +
                                            a.new_execution_run_id() + "; follow runs to get the final result",
                                        workflow_id, run_id, a.new_execution_run_id());
    }
    default:
      throw TemporalError("workflow '" + workflow_id + "': unexpected close event type " +
                          apienums::EventType_Name(e.event_type()));
  }
}

// The deadline of a wait: the client's CallOptions::timeout and the wait's own timeout, whichever
// ends first.
ClientCore::Deadline wait_deadline(const ClientCore& core, const std::optional<std::chrono::milliseconds>& timeout) {
  using Clock = std::chrono::steady_clock;
  ClientCore::Deadline deadline = core.call_deadline();
  if (timeout && *timeout < async_detail::kForever) {
    const auto mine = async_detail::saturating_after<Clock>(Clock::now(), *timeout);
    if (!deadline || mine < *deadline) deadline = mine;
  }
  return deadline;
}

// What a long wait knows when its deadline passes: whether the server answered at all, and how
// the last poll failed.
struct WaitState {
  std::chrono::steady_clock::time_point began = std::chrono::steady_clock::now();
  bool reached = false;  ///< some poll of this wait was answered, or held, by the server
  rpc::Status last;      ///< the last failed poll (code OK if the last one succeeded)

  void answered() {
    reached = true;
    last = rpc::Status{};
  }
  void failed(const rpc::Status& s) {
    last = s;
    if (s.code == grpc::StatusCode::DEADLINE_EXCEEDED && s.connected) reached = true;
  }
  bool unreachable() const {
    return !last.ok() && !last.connected &&
           (last.code == grpc::StatusCode::UNAVAILABLE || last.code == grpc::StatusCode::DEADLINE_EXCEEDED ||
            last.code == grpc::StatusCode::UNKNOWN);
  }
  /// "waited N ms for <what>; <reachable>", or that the server could not be reached.
  [[noreturn]] void throw_deadline(const ClientCore& core, const std::string& what, const std::string& reachable) const {
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
    const std::string address = core.connection.options().address;
    if (unreachable()) {
      throw DeadlineExceededError("waited " + std::to_string(waited) + " ms for " + what +
                                      ", but the Temporal server at " + address + " could not be reached " +
                                      (reached ? "at the end of the wait" : "for the whole wait") +
                                      ", so the outcome is unknown (last error: " +
                                      rpc::describe_status(last, address) + ")",
                                  last.message, last.details);
    }
    throw DeadlineExceededError("waited " + std::to_string(waited) + " ms for " + what + "; " + reachable);
  }
};

Task<converter::Payload> wait_result(CorePtr core, std::string workflow_id, std::string run_id, ResultOptions o,
                                     std::map<std::string, std::string> md) {
  detail::validate_run_id(run_id, "run_id");
  if (o.timeout) rpc::check_positive(*o.timeout, "timeout", "ResultOptions.timeout");
  using Clock = std::chrono::steady_clock;
  const ClientCore::Deadline deadline = wait_deadline(*core, o.timeout);
  const std::chrono::milliseconds kLongPoll(65000);
  WaitState wait;
  std::string token;
  for (;;) {
    if (deadline && Clock::now() >= *deadline) {
      wait.throw_deadline(*core, "the result of workflow '" + workflow_id + "'",
                          "the workflow had not closed (it is still running)");
    }
    ws::GetWorkflowExecutionHistoryRequest req;
    req.set_namespace_(core->namespace_name);
    set_execution(req.mutable_execution(), workflow_id, run_id);
    req.set_wait_new_event(true);
    req.set_history_event_filter_type(apienums::HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT);
    req.set_skip_archival(true);
    req.set_next_page_token(token);
    auto opts = core->rpc_options(md, deadline);
    opts.timeout = kLongPoll;
    auto r = co_await rpc::GetWorkflowExecutionHistory(core->channel(), std::move(req), std::move(opts));
    if (!r.ok()) {
      const auto code = r.status.code;
      const bool transient = r.status.local == rpc::Status::Local::kNone &&
                             (code == grpc::StatusCode::DEADLINE_EXCEEDED || code == grpc::StatusCode::UNAVAILABLE ||
                              code == grpc::StatusCode::RESOURCE_EXHAUSTED || code == grpc::StatusCode::UNKNOWN);
      // The wait survives an expired long poll and a server restart; only the caller's deadline,
      // cancellation or close() ends it (and errors that will not go away).
      if (transient) {
        wait.failed(r.status);
        if (code != grpc::StatusCode::DEADLINE_EXCEEDED) {
          auto pause = std::chrono::milliseconds(500);
          if (deadline) {
            pause = std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()));
          }
          Task<void> sleep = core->channel().pause(pause, opts.cancellation);
          co_await std::move(sleep);
        }
        continue;
      }
      rpc::throw_status(r.status, core->error_context("wait for workflow result", workflow_id, run_id));
    }
    wait.answered();
    auto& resp = r.value;
    if (resp.history().events_size() == 0) {
      token = resp.next_page_token();
      continue;
    }
    const auto& event = resp.history().events(resp.history().events_size() - 1);
    CloseOutcome outcome = interpret_close_event(*core, event, workflow_id, run_id, o.follow_runs);
    if (outcome.result) co_return std::move(*outcome.result);
    run_id = outcome.follow_run_id;
    token.clear();
  }
}

Task<std::optional<converter::Payload>> try_result_impl(CorePtr core, std::string workflow_id, std::string run_id) {
  detail::validate_run_id(run_id, "run_id");
  const ClientCore::Deadline deadline = core->call_deadline();
  for (;;) {
    // The server long-polls a close-event history read of an open run even without
    // wait_new_event, so ask for the status first.
    ws::DescribeWorkflowExecutionRequest dreq;
    dreq.set_namespace_(core->namespace_name);
    set_execution(dreq.mutable_execution(), workflow_id, run_id);
    auto dopts = core->rpc_options({}, deadline);
    auto dr = co_await rpc::DescribeWorkflowExecution(core->channel(), std::move(dreq), std::move(dopts));
    auto desc = rpc::value_or_throw(std::move(dr), core->error_context("read workflow result", workflow_id, run_id));
    if (desc.workflow_execution_info().status() == apienums::WORKFLOW_EXECUTION_STATUS_RUNNING) co_return std::nullopt;
    run_id = desc.workflow_execution_info().execution().run_id();
    ws::GetWorkflowExecutionHistoryRequest req;
    req.set_namespace_(core->namespace_name);
    set_execution(req.mutable_execution(), workflow_id, run_id);
    req.set_wait_new_event(false);
    req.set_history_event_filter_type(apienums::HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT);
    req.set_skip_archival(true);
    auto hopts = core->rpc_options({}, deadline);
    auto r = co_await rpc::GetWorkflowExecutionHistory(core->channel(), std::move(req), std::move(hopts));
    auto resp = rpc::value_or_throw(std::move(r), core->error_context("read workflow result", workflow_id, run_id));
    if (resp.history().events_size() == 0) co_return std::nullopt;
    CloseOutcome outcome = interpret_close_event(*core, resp.history().events(resp.history().events_size() - 1),
                                                 workflow_id, run_id, true);
    if (outcome.result) co_return std::move(outcome.result);
    run_id = outcome.follow_run_id;
  }
}

// ---------------------------------------------------------------------------------------------
// Signal, query, cancel, terminate, describe, history

Task<void> do_signal(CorePtr core, ClientCall& call, converter::Payloads args) {
  ws::SignalWorkflowExecutionRequest req;
  req.set_namespace_(core->namespace_name);
  set_execution(req.mutable_workflow_execution(), call.workflow_id, call.run_id);
  req.set_signal_name(call.name);
  if (!args.empty()) converter::encode_to(core->data_converter, std::move(args), req.mutable_input());
  req.set_identity(core->identity);
  req.set_request_id(temporal::detail::uuid4());
  if (!call.headers.empty()) converter::encode_headers(call.headers, req.mutable_header());
  auto opts = core->rpc_options(call.grpc_metadata);
  auto r = co_await rpc::SignalWorkflowExecution(core->channel(), std::move(req), std::move(opts));
  rpc::value_or_throw(std::move(r), core->error_context("signal '" + call.name + "'", call.workflow_id, call.run_id));
}

Task<void> signal_impl(CorePtr core, std::string workflow_id, std::string run_id, std::string name,
                       converter::Payloads args) {
  detail::validate_identifier(name, "signal_name", true);
  detail::validate_run_id(run_id, "run_id");
  ClientCall call;
  call.operation = "SignalWorkflow";
  call.workflow_id = std::move(workflow_id);
  call.run_id = std::move(run_id);
  call.name = std::move(name);
  call.args = std::move(args);
  std::function<Task<void>(ClientCall&)> terminal = [core](ClientCall& c) { return do_signal(core, c, c.args); };
  co_await detail::run_intercepted(core, call, std::move(terminal));
}

Task<void> do_query(CorePtr core, ClientCall& call, converter::Payloads args, QueryRejectCondition condition,
                    converter::Payload* out) {
  ws::QueryWorkflowRequest req;
  req.set_namespace_(core->namespace_name);
  set_execution(req.mutable_execution(), call.workflow_id, call.run_id);
  req.mutable_query()->set_query_type(call.name);
  if (!args.empty()) converter::encode_to(core->data_converter, std::move(args), req.mutable_query()->mutable_query_args());
  if (!call.headers.empty()) converter::encode_headers(call.headers, req.mutable_query()->mutable_header());
  req.set_query_reject_condition(static_cast<apienums::QueryRejectCondition>(condition));
  auto opts = core->rpc_options(call.grpc_metadata);
  auto r = co_await rpc::QueryWorkflow(core->channel(), std::move(req), std::move(opts));
  if (!r.ok()) {
    const auto& s = r.status;
    const auto context = core->error_context("query '" + call.name + "'", call.workflow_id, call.run_id);
    if (s.local != rpc::Status::Local::kNone) rpc::throw_status(s, context);
    // No worker to answer: the server says so when none has polled the task queue lately, and
    // otherwise holds the query until the deadline. Neither is a transport problem.
    if (s.code == grpc::StatusCode::FAILED_PRECONDITION &&
        (s.message.find("poller") != std::string::npos || s.message.find("worker") != std::string::npos)) {
      throw RpcError(static_cast<int>(s.code),
                     "query '" + call.name + "' on workflow '" + call.workflow_id +
                         "' failed: no worker is polling the workflow's task queue, so none can answer; start a "
                         "worker for it (server: " + s.message + ")",
                     s.message, s.details);
    }
    if (s.code == grpc::StatusCode::DEADLINE_EXCEEDED && s.connected) {
      throw DeadlineExceededError("query '" + call.name + "' on workflow '" + call.workflow_id +
                                      "' got no answer before its deadline: the server was reachable, but no worker "
                                      "answered; check that a worker polls the workflow's task queue and that the "
                                      "query handler returns (gRPC: " + s.message + ")",
                                  s.message, s.details);
    }
    const auto qf = rpc::status_detail<::temporal::api::errordetails::v1::QueryFailedFailure>(s);
    if (qf || ((s.code == grpc::StatusCode::INVALID_ARGUMENT || s.code == grpc::StatusCode::FAILED_PRECONDITION) &&
               (s.message.find("query") != std::string::npos || s.message.find("Query") != std::string::npos))) {
      std::string msg = s.message;
      if (qf && qf->has_failure()) msg = converter::failure_from_proto(core->data_converter, qf->failure())->message();
      throw QueryFailedError("query '" + call.name + "' on workflow '" + call.workflow_id + "' failed: " + msg,
                             call.workflow_id, call.run_id, static_cast<int>(s.code), s.details);
    }
    rpc::throw_status(s, context);
  }
  auto& resp = r.value;
  if (resp.has_query_rejected()) {
    const int status = resp.query_rejected().status();
    throw QueryRejectedError("query '" + call.name + "' on workflow '" + call.workflow_id +
                                 "' was rejected: the workflow is " +
                                 to_string(static_cast<WorkflowExecutionStatus>(status)),
                             call.workflow_id, call.run_id, status);
  }
  auto payloads = converter::decode_from(core->data_converter, resp.query_result());
  *out = payloads.empty() ? converter::to_payload(nullptr) : std::move(payloads[0]);
}

Task<converter::Payload> query_impl(CorePtr core, std::string workflow_id, std::string run_id, std::string name,
                                    converter::Payloads args, QueryRejectCondition condition) {
  detail::validate_identifier(name, "query_type", true);
  detail::validate_enum(condition, 0, 3, "reject_condition", "QueryRejectCondition");
  detail::validate_run_id(run_id, "run_id");
  ClientCall call;
  call.operation = "QueryWorkflow";
  call.workflow_id = std::move(workflow_id);
  call.run_id = std::move(run_id);
  call.name = std::move(name);
  call.args = std::move(args);
  converter::Payload out;
  std::function<Task<void>(ClientCall&)> terminal = [core, condition, &out](ClientCall& c) {
    return do_query(core, c, c.args, condition, &out);
  };
  co_await detail::run_intercepted(core, call, std::move(terminal));
  co_return out;
}

Task<void> do_cancel(CorePtr core, ClientCall& call, std::string first_run_id, std::string reason) {
  ws::RequestCancelWorkflowExecutionRequest req;
  req.set_namespace_(core->namespace_name);
  set_execution(req.mutable_workflow_execution(), call.workflow_id, call.run_id);
  req.set_identity(core->identity);
  req.set_request_id(temporal::detail::uuid4());
  req.set_first_execution_run_id(first_run_id);
  req.set_reason(reason);
  auto opts = core->rpc_options(call.grpc_metadata);
  auto r = co_await rpc::RequestCancelWorkflowExecution(core->channel(), std::move(req), std::move(opts));
  rpc::value_or_throw(std::move(r), core->error_context("cancel workflow", call.workflow_id, call.run_id));
}

Task<void> cancel_impl(CorePtr core, std::string workflow_id, std::string run_id, std::string first_run_id,
                       std::string reason) {
  detail::validate_run_id(run_id, "run_id");
  detail::validate_run_id(first_run_id, "first_execution_run_id");
  ClientCall call;
  call.operation = "CancelWorkflow";
  call.workflow_id = std::move(workflow_id);
  call.run_id = std::move(run_id);
  std::function<Task<void>(ClientCall&)> terminal = [core, first_run_id, reason](ClientCall& c) {
    return do_cancel(core, c, first_run_id, reason);
  };
  co_await detail::run_intercepted(core, call, std::move(terminal));
}

Task<void> do_terminate(CorePtr core, ClientCall& call, std::string first_run_id, std::string reason,
                        converter::Payloads details) {
  ws::TerminateWorkflowExecutionRequest req;
  req.set_namespace_(core->namespace_name);
  set_execution(req.mutable_workflow_execution(), call.workflow_id, call.run_id);
  req.set_reason(reason);
  if (!details.empty()) converter::encode_to(core->data_converter, std::move(details), req.mutable_details());
  req.set_identity(core->identity);
  req.set_first_execution_run_id(first_run_id);
  auto opts = core->rpc_options(call.grpc_metadata);
  auto r = co_await rpc::TerminateWorkflowExecution(core->channel(), std::move(req), std::move(opts));
  rpc::value_or_throw(std::move(r), core->error_context("terminate workflow", call.workflow_id, call.run_id));
}

Task<void> terminate_impl(CorePtr core, std::string workflow_id, std::string run_id, std::string first_run_id,
                          std::string reason, converter::Payloads details) {
  detail::validate_run_id(run_id, "run_id");
  detail::validate_run_id(first_run_id, "first_execution_run_id");
  ClientCall call;
  call.operation = "TerminateWorkflow";
  call.workflow_id = std::move(workflow_id);
  call.run_id = std::move(run_id);
  std::function<Task<void>(ClientCall&)> terminal = [core, first_run_id, reason, details](ClientCall& c) {
    return do_terminate(core, c, first_run_id, reason, details);
  };
  co_await detail::run_intercepted(core, call, std::move(terminal));
}

void fill_info(const ClientCore& core, const ::temporal::api::workflow::v1::WorkflowExecutionInfo& in,
               WorkflowExecutionInfo* out) {
  out->workflow_id = in.execution().workflow_id();
  out->run_id = in.execution().run_id();
  out->workflow_type = in.type().name();
  out->task_queue = in.task_queue();
  out->status = static_cast<WorkflowExecutionStatus>(in.status());
  out->start_time = converter::from_proto_time(in.start_time());
  if (in.has_close_time()) out->close_time = converter::from_proto_time(in.close_time());
  if (in.has_execution_time()) out->execution_time = converter::from_proto_time(in.execution_time());
  out->history_length = in.history_length();
  out->history_size_bytes = in.history_size_bytes();
  out->memo = converter::decode_memo(core.data_converter, in.memo());
  out->search_attributes = converter::decode_search_attributes(in.search_attributes());
  if (in.has_parent_execution()) {
    out->parent = WorkflowExecution{in.parent_execution().workflow_id(), in.parent_execution().run_id()};
  }
  if (in.has_root_execution()) {
    out->root = WorkflowExecution{in.root_execution().workflow_id(), in.root_execution().run_id()};
  }
  out->first_run_id = in.first_run_id();
}

Task<void> do_describe(CorePtr core, ClientCall& call, WorkflowExecutionDescription* out) {
  ws::DescribeWorkflowExecutionRequest req;
  req.set_namespace_(core->namespace_name);
  set_execution(req.mutable_execution(), call.workflow_id, call.run_id);
  auto opts = core->rpc_options(call.grpc_metadata);
  auto r = co_await rpc::DescribeWorkflowExecution(core->channel(), std::move(req), std::move(opts));
  auto resp = rpc::value_or_throw(std::move(r), core->error_context("describe workflow", call.workflow_id, call.run_id));
  fill_info(*core, resp.workflow_execution_info(), out);
  if (resp.has_execution_config() && resp.execution_config().has_user_metadata()) {
    const auto& um = resp.execution_config().user_metadata();
    if (um.has_summary()) {
      out->static_summary = converter::from_payload<std::string>(converter::decode_one(core->data_converter, um.summary()));
    }
    if (um.has_details()) {
      out->static_details = converter::from_payload<std::string>(converter::decode_one(core->data_converter, um.details()));
    }
  }
  out->raw_response = resp.SerializeAsString();
}

Task<WorkflowExecutionDescription> describe_impl(CorePtr core, std::string workflow_id, std::string run_id) {
  detail::validate_run_id(run_id, "run_id");
  ClientCall call;
  call.operation = "DescribeWorkflow";
  call.workflow_id = std::move(workflow_id);
  call.run_id = std::move(run_id);
  WorkflowExecutionDescription out;
  std::function<Task<void>(ClientCall&)> terminal = [core, &out](ClientCall& c) { return do_describe(core, c, &out); };
  co_await detail::run_intercepted(core, call, std::move(terminal));
  co_return out;
}

Task<WorkflowHistory> read_history(CorePtr core, std::string workflow_id, std::string run_id, std::map<std::string, std::string> md) {
  detail::validate_run_id(run_id, "run_id");
  const ClientCore::Deadline deadline = core->call_deadline();
  apihistory::History all;
  std::string token;
  do {
    ws::GetWorkflowExecutionHistoryRequest req;
    req.set_namespace_(core->namespace_name);
    set_execution(req.mutable_execution(), workflow_id, run_id);
    req.set_next_page_token(token);
    req.set_skip_archival(true);
    auto opts = core->rpc_options(md, deadline);
    auto r = co_await rpc::GetWorkflowExecutionHistory(core->channel(), std::move(req), std::move(opts));
    auto resp = rpc::value_or_throw(std::move(r), core->error_context("fetch history", workflow_id, run_id));
    for (auto& e : *resp.mutable_history()->mutable_events()) *all.add_events() = std::move(e);
    token = resp.next_page_token();
  } while (!token.empty());
  WorkflowHistory out;
  out.workflow_id = workflow_id;
  for (const auto& e : all.events()) {
    out.events.push_back({e.event_id(), apienums::EventType_Name(e.event_type()), converter::from_proto_time(e.event_time())});
  }
  out.serialized = all.SerializeAsString();
  co_return out;
}

// ---------------------------------------------------------------------------------------------
// Updates

void fill_update_request(const ClientCore& core, const std::string& workflow_id, const std::string& run_id,
                         const std::string& first_run_id, const std::string& name, const converter::Payloads& args,
                         const UpdateOptions& o, const std::string& update_id, ws::UpdateWorkflowExecutionRequest* req) {
  req->set_namespace_(core.namespace_name);
  set_execution(req->mutable_workflow_execution(), workflow_id, run_id);
  req->set_first_execution_run_id(first_run_id);
  // The server cannot wait for ADMITTED; ACCEPTED is the least a client can ask for.
  auto stage = o.wait_for_stage == WorkflowUpdateStage::kCompleted
                   ? apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED
                   : apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
  req->mutable_wait_policy()->set_lifecycle_stage(stage);
  auto* r = req->mutable_request();
  r->mutable_meta()->set_update_id(update_id);
  r->mutable_meta()->set_identity(core.identity);
  r->mutable_input()->set_name(name);
  if (!args.empty()) converter::encode_to(core.data_converter, args, r->mutable_input()->mutable_args());
  if (!o.headers.empty()) converter::encode_headers(o.headers, r->mutable_input()->mutable_header());
}

struct UpdateOutcome {
  std::optional<converter::Payload> result;
  std::shared_ptr<const FailureError> failure;
  bool known = false;
};

UpdateOutcome read_outcome(const ClientCore& core, const ::temporal::api::update::v1::Outcome& o) {
  UpdateOutcome out;
  if (o.has_success()) {
    auto ps = converter::decode_from(core.data_converter, o.success());
    out.result = ps.empty() ? converter::to_payload(nullptr) : std::move(ps[0]);
    out.known = true;
  } else if (o.has_failure()) {
    out.failure = converter::failure_from_proto(core.data_converter, o.failure());
    out.known = true;
  }
  return out;
}

const char* stage_name(apienums::UpdateWorkflowExecutionLifecycleStage stage) {
  switch (stage) {
    case apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED: return "admitted";
    case apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED: return "accepted";
    case apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED: return "completed";
    default: return "sent";
  }
}

// What a wait for an update means when it ends at its deadline with the server reachable.
std::string update_pending(apienums::UpdateWorkflowExecutionLifecycleStage stage) {
  if (stage >= apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED) {
    return "a worker accepted the update, but its handler had not finished";
  }
  return std::string("the update was ") + stage_name(stage) +
         " but no worker had accepted it: check that a worker polls the workflow's task queue";
}

// Resends until the server reports at least ACCEPTED: the same update id makes this idempotent.
Task<void> send_update(CorePtr core, std::string wid, std::string rid, std::string first, std::string name,
                       converter::Payloads args, UpdateOptions o, std::string update_id,
                       std::map<std::string, std::string> md, ws::UpdateWorkflowExecutionResponse* out) {
  const ClientCore::Deadline deadline = core->call_deadline();
  WaitState wait;
  auto stage = apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED;
  for (;;) {
    if (deadline && std::chrono::steady_clock::now() >= *deadline) {
      wait.throw_deadline(*core, "update '" + name + "' (id '" + update_id + "') of workflow '" + wid + "'",
                          update_pending(stage));
    }
    ws::UpdateWorkflowExecutionRequest req;
    fill_update_request(*core, wid, rid, first, name, args, o, update_id, &req);
    auto opts = core->rpc_options(md, deadline);
    opts.timeout = std::chrono::milliseconds(70000);
    auto r = co_await rpc::UpdateWorkflowExecution(core->channel(), std::move(req), std::move(opts));
    if (!r.ok() && r.status.code == grpc::StatusCode::DEADLINE_EXCEEDED && r.status.local == rpc::Status::Local::kNone) {
      wait.failed(r.status);
      continue;
    }
    auto context = core->error_context("update '" + name + "'", wid, rid);
    *out = rpc::value_or_throw(std::move(r), context);
    wait.answered();
    stage = out->stage();
    if (out->stage() >= apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED || out->has_outcome()) co_return;
  }
}

Task<WorkflowUpdateHandle> start_update_impl(Client client, std::string workflow_id, std::string run_id,
                                             std::string first_run_id, std::string name, converter::Payloads args,
                                             UpdateOptions o) {
  detail::validate_identifier(name, "update_name", true);
  detail::validate_run_id(run_id, "run_id");
  detail::validate_run_id(first_run_id, "first_execution_run_id");
  detail::validate_enum(o.wait_for_stage, 1, 3, "wait_for_stage", "WorkflowUpdateStage");
  detail::validate_identifier(o.update_id, "update_id", false);
  detail::validate_header_keys(o.headers, "headers");
  if (o.wait_for_stage == WorkflowUpdateStage::kAdmitted) {
    throw InvalidArgumentError("wait_for_stage",
                               "wait_for_stage ADMITTED is not supported by the server; use ACCEPTED or COMPLETED");
  }
  CorePtr core = client.core();
  const std::string update_id = o.update_id.empty() ? temporal::detail::uuid4() : o.update_id;
  ClientCall call;
  call.operation = "StartWorkflowUpdate";
  call.workflow_id = workflow_id;
  call.run_id = run_id;
  call.name = name;
  call.headers = o.headers;
  call.args = std::move(args);
  ws::UpdateWorkflowExecutionResponse resp;
  std::function<Task<void>(ClientCall&)> terminal = [core, first_run_id, o, update_id, &resp](ClientCall& c) {
    UpdateOptions with_headers = o;
    with_headers.headers = c.headers;
    return send_update(core, c.workflow_id, c.run_id, first_run_id, c.name, c.args, with_headers, update_id,
                       c.grpc_metadata, &resp);
  };
  co_await detail::run_intercepted(core, call, std::move(terminal));
  UpdateOutcome outcome;
  if (resp.has_outcome()) outcome = read_outcome(*core, resp.outcome());
  const std::string rid = resp.update_ref().workflow_execution().run_id().empty()
                              ? run_id
                              : resp.update_ref().workflow_execution().run_id();
  co_return WorkflowUpdateHandle(client, workflow_id, rid, update_id, outcome.result, outcome.failure);
}

Task<converter::Payload> update_result_impl(CorePtr core, std::string workflow_id, std::string run_id,
                                            std::string update_id, std::optional<converter::Payload> known,
                                            std::shared_ptr<const FailureError> known_failure) {
  detail::validate_run_id(run_id, "run_id");
  auto fail = [&](std::shared_ptr<const FailureError> f) {
    throw WorkflowUpdateFailedError("update '" + update_id + "' of workflow '" + workflow_id + "' failed: " + f->message(),
                                    workflow_id, run_id, update_id, f);
  };
  if (known) co_return std::move(*known);
  if (known_failure) fail(known_failure);
  const ClientCore::Deadline deadline = core->call_deadline();
  WaitState wait;
  auto stage = apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED;
  for (;;) {
    if (deadline && std::chrono::steady_clock::now() >= *deadline) {
      wait.throw_deadline(*core, "the outcome of update '" + update_id + "' of workflow '" + workflow_id + "'",
                          update_pending(stage));
    }
    ws::PollWorkflowExecutionUpdateRequest req;
    req.set_namespace_(core->namespace_name);
    set_execution(req.mutable_update_ref()->mutable_workflow_execution(), workflow_id, run_id);
    req.mutable_update_ref()->set_update_id(update_id);
    req.set_identity(core->identity);
    req.mutable_wait_policy()->set_lifecycle_stage(apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED);
    auto opts = core->rpc_options({}, deadline);
    opts.timeout = std::chrono::milliseconds(70000);
    auto r = co_await rpc::PollWorkflowExecutionUpdate(core->channel(), std::move(req), std::move(opts));
    if (!r.ok() && r.status.code == grpc::StatusCode::DEADLINE_EXCEEDED && r.status.local == rpc::Status::Local::kNone) {
      wait.failed(r.status);
      continue;
    }
    auto context = core->error_context("wait for update '" + update_id + "'", workflow_id, run_id);
    context.update_id = update_id;
    auto resp = rpc::value_or_throw(std::move(r), context);
    wait.answered();
    stage = resp.stage();
    if (!resp.has_outcome()) continue;
    UpdateOutcome outcome = read_outcome(*core, resp.outcome());
    if (outcome.failure) fail(outcome.failure);
    co_return std::move(*outcome.result);
  }
}

Task<WorkflowUpdateHandle> update_with_start_impl(Client client, std::string workflow_type, WorkflowOptions o,
                                                  converter::Payloads workflow_args, std::string update_name,
                                                  converter::Payloads update_args, UpdateOptions uo) {
  validate_options(workflow_type, o);
  detail::validate_identifier(update_name, "update_name", true);
  detail::validate_enum(uo.wait_for_stage, 1, 3, "wait_for_stage", "WorkflowUpdateStage");
  detail::validate_identifier(uo.update_id, "update_id", false);
  detail::validate_header_keys(uo.headers, "headers");
  if (o.id_conflict_policy == WorkflowIdConflictPolicy::kUnspecified) {
    throw InvalidArgumentError("id_conflict_policy",
                               "update-with-start needs WorkflowOptions.id_conflict_policy (kFail or kUseExisting)");
  }
  if (o.workflow_id.empty()) {
    throw InvalidArgumentError("workflow_id", "update-with-start needs an explicit WorkflowOptions.workflow_id");
  }
  CorePtr core = client.core();
  const std::string update_id = uo.update_id.empty() ? temporal::detail::uuid4() : uo.update_id;
  ws::ExecuteMultiOperationRequest req;
  req.set_namespace_(core->namespace_name);
  auto* start = req.add_operations()->mutable_start_workflow();
  fill_start(*core, workflow_type, o, workflow_args, o.headers, start);
  auto* update = req.add_operations()->mutable_update_workflow();
  fill_update_request(*core, o.workflow_id, {}, {}, update_name, update_args, uo, update_id, update);
  ws::ExecuteMultiOperationResponse resp;
  const ClientCore::Deadline deadline = core->call_deadline();
  WaitState wait;
  auto stage = apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_UNSPECIFIED;
  for (;;) {
    if (deadline && std::chrono::steady_clock::now() >= *deadline) {
      wait.throw_deadline(*core, "update-with-start of '" + update_name + "' on workflow '" + o.workflow_id + "'",
                          update_pending(stage));
    }
    auto attempt = req;
    auto opts = core->rpc_options({}, deadline);
    opts.timeout = std::chrono::milliseconds(70000);
    auto r = co_await rpc::ExecuteMultiOperation(core->channel(), std::move(attempt), std::move(opts));
    if (!r.ok()) {
      if (r.status.local != rpc::Status::Local::kNone) {
        rpc::throw_status(r.status, core->error_context("update with start", o.workflow_id));
      }
      if (r.status.code == grpc::StatusCode::DEADLINE_EXCEEDED) {
        wait.failed(r.status);
        continue;
      }
      // The failing operation's own status is inside MultiOperationExecutionFailure.
      for (const rpc::Status& failed : rpc::failed_operations(r.status)) {
        rpc::throw_status(failed, core->error_context("update with start", o.workflow_id));
      }
      rpc::throw_status(r.status, core->error_context("update with start", o.workflow_id));
    }
    resp = std::move(r.value);
    wait.answered();
    if (resp.responses_size() == 2) {
      const auto& u = resp.responses(1).update_workflow();
      stage = u.stage();
      if (u.stage() >= apienums::UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED || u.has_outcome()) break;
    }
  }
  const auto& u = resp.responses(1).update_workflow();
  UpdateOutcome outcome;
  if (u.has_outcome()) outcome = read_outcome(*core, u.outcome());
  co_return WorkflowUpdateHandle(client, o.workflow_id, resp.responses(0).start_workflow().run_id(), update_id,
                                 outcome.result, outcome.failure);
}

// ---------------------------------------------------------------------------------------------
// List and count

Task<WorkflowExecutionPage> read_list_page(CorePtr core, std::string query, std::string token, int page_size,
                                           std::map<std::string, std::string> md) {
  ws::ListWorkflowExecutionsRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_query(query);
  req.set_next_page_token(token);
  req.set_page_size(page_size);
  auto opts = core->rpc_options(md);
  auto r = co_await rpc::ListWorkflowExecutions(core->channel(), std::move(req), std::move(opts));
  auto resp = rpc::value_or_throw(std::move(r), core->error_context("list workflows with query '" + query + "'"));
  WorkflowExecutionPage page;
  page.executions.reserve(resp.executions_size());
  for (const auto& e : resp.executions()) {
    WorkflowExecutionInfo info;
    fill_info(*core, e, &info);
    page.executions.push_back(std::move(info));
  }
  page.next_page_token = resp.next_page_token();
  co_return page;
}

Task<WorkflowExecutionCount> read_count(CorePtr core, std::string query, std::map<std::string, std::string> md) {
  ws::CountWorkflowExecutionsRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_query(query);
  auto opts = core->rpc_options(md);
  auto r = co_await rpc::CountWorkflowExecutions(core->channel(), std::move(req), std::move(opts));
  auto resp = rpc::value_or_throw(std::move(r), core->error_context("count workflows with query '" + query + "'"));
  WorkflowExecutionCount out;
  out.count = resp.count();
  for (const auto& g : resp.groups()) {
    WorkflowExecutionCount::Group group;
    group.count = g.count();
    for (const auto& v : g.group_values()) group.values.push_back(converter::from_payload<nlohmann::json>(converter::from_proto(v)));
    out.groups.push_back(std::move(group));
  }
  co_return out;
}


// Reads that pass through the interceptor chain like every other call. Their ClientCall carries
// no Temporal headers (the server takes none for them); interceptors may still set gRPC metadata.
template <class T>
Task<void> store_into(Task<T> task, T* out) {
  *out = co_await std::move(task);
}

template <class T, class Make>
Task<T> intercepted_read(CorePtr core, ClientCall call, Make make) {
  T out{};
  std::function<Task<void>(ClientCall&)> terminal = [make, &out](ClientCall& c) {
    return store_into<T>(make(c), &out);
  };
  co_await detail::run_intercepted(core, call, std::move(terminal));
  co_return out;
}

ClientCall read_call(const char* operation, std::string workflow_id = {}, std::string run_id = {}) {
  ClientCall call;
  call.operation = operation;
  call.workflow_id = std::move(workflow_id);
  call.run_id = std::move(run_id);
  return call;
}

Task<converter::Payload> result_impl(CorePtr core, std::string workflow_id, std::string run_id, ResultOptions o) {
  auto make = [core, o](ClientCall& c) { return wait_result(core, c.workflow_id, c.run_id, o, c.grpc_metadata); };
  return intercepted_read<converter::Payload>(core, read_call("GetWorkflowResult", workflow_id, run_id), make);
}

Task<WorkflowHistory> history_impl(CorePtr core, std::string workflow_id, std::string run_id) {
  auto make = [core](ClientCall& c) { return read_history(core, c.workflow_id, c.run_id, c.grpc_metadata); };
  return intercepted_read<WorkflowHistory>(core, read_call("FetchWorkflowHistory", workflow_id, run_id), make);
}

Task<WorkflowExecutionPage> list_impl(CorePtr core, std::string query, std::string token, int page_size) {
  auto make = [core, query, token, page_size](ClientCall& c) {
    return read_list_page(core, query, token, page_size, c.grpc_metadata);
  };
  return intercepted_read<WorkflowExecutionPage>(core, read_call("ListWorkflows"), make);
}

Task<WorkflowExecutionCount> count_impl(CorePtr core, std::string query) {
  auto make = [core, query](ClientCall& c) { return read_count(core, query, c.grpc_metadata); };
  return intercepted_read<WorkflowExecutionCount>(core, read_call("CountWorkflows"), make);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public members

WorkflowHandle::WorkflowHandle(Client client, std::string workflow_id, std::string run_id,
                               std::string first_execution_run_id, std::string result_run_id)
    : client_(std::move(client)),
      workflow_id_(std::move(workflow_id)),
      run_id_(std::move(run_id)),
      first_execution_run_id_(std::move(first_execution_run_id)),
      result_run_id_(std::move(result_run_id)) {
  if (result_run_id_.empty()) result_run_id_ = run_id_;
}

Task<converter::Payload> WorkflowHandle::result_payload(ResultOptions options) const {
  return result_impl(client_.core(), workflow_id_, result_run_id_, options);
}

Task<std::optional<converter::Payload>> WorkflowHandle::try_result_payload() const {
  return try_result_impl(client_.core(), workflow_id_, result_run_id_);
}

Task<void> WorkflowHandle::signal_payloads(std::string signal_name, converter::Payloads args) const {
  return signal_impl(client_.core(), workflow_id_, run_id_, std::move(signal_name), std::move(args));
}

Task<converter::Payload> WorkflowHandle::query_payloads(std::string query_type, converter::Payloads args,
                                                        QueryRejectCondition reject_condition) const {
  return query_impl(client_.core(), workflow_id_, run_id_, std::move(query_type), std::move(args), reject_condition);
}

Task<WorkflowUpdateHandle> WorkflowHandle::start_update_payloads(std::string update_name, converter::Payloads args,
                                                                 UpdateOptions options) const {
  return start_update_impl(client_, workflow_id_, run_id_, first_execution_run_id_, std::move(update_name),
                           std::move(args), std::move(options));
}

WorkflowUpdateHandle WorkflowHandle::get_update_handle(std::string update_id) const {
  return WorkflowUpdateHandle(client_, workflow_id_, run_id_, std::move(update_id));
}

Task<void> WorkflowHandle::cancel(std::string reason) const {
  return cancel_impl(client_.core(), workflow_id_, run_id_, first_execution_run_id_, std::move(reason));
}

Task<void> WorkflowHandle::terminate_payloads(std::string reason, converter::Payloads details) const {
  return terminate_impl(client_.core(), workflow_id_, run_id_, first_execution_run_id_, std::move(reason),
                        std::move(details));
}

Task<WorkflowExecutionDescription> WorkflowHandle::describe() const {
  return describe_impl(client_.core(), workflow_id_, run_id_);
}

Task<WorkflowHistory> WorkflowHandle::fetch_history() const {
  return history_impl(client_.core(), workflow_id_, run_id_.empty() ? result_run_id_ : run_id_);
}

std::string WorkflowHistory::to_json() const {
  apihistory::History h;
  h.ParseFromString(serialized);
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  (void)google::protobuf::util::MessageToJsonString(h, &out, opts);
  return out;
}

WorkflowUpdateHandle::WorkflowUpdateHandle(Client client, std::string workflow_id, std::string run_id,
                                           std::string update_id, std::optional<converter::Payload> known_outcome,
                                           std::shared_ptr<const FailureError> known_failure)
    : client_(std::move(client)),
      workflow_id_(std::move(workflow_id)),
      run_id_(std::move(run_id)),
      update_id_(std::move(update_id)),
      known_outcome_(std::move(known_outcome)),
      known_failure_(std::move(known_failure)) {}

Task<converter::Payload> WorkflowUpdateHandle::result_payload() const {
  return update_result_impl(client_.core(), workflow_id_, run_id_, update_id_, known_outcome_, known_failure_);
}

Task<WorkflowHandle> WorkflowClient::start_task(std::string workflow_type, WorkflowOptions options,
                                                converter::Payloads args) const {
  return start_impl(client_, std::move(workflow_type), std::move(options), std::move(args));
}

Task<WorkflowHandle> WorkflowClient::signal_with_start_task(std::string workflow_type, WorkflowOptions options,
                                                            SignalWithStart signal, converter::Payloads args) const {
  return signal_with_start_impl(client_, std::move(workflow_type), std::move(options), std::move(signal),
                                std::move(args));
}

Task<WorkflowUpdateHandle> WorkflowClient::update_with_start_task(
    std::string workflow_type, WorkflowOptions options, converter::Payloads workflow_args, std::string update_name,
    converter::Payloads update_args, UpdateOptions update_options) const {
  return update_with_start_impl(client_, std::move(workflow_type), std::move(options), std::move(workflow_args),
                                std::move(update_name), std::move(update_args), std::move(update_options));
}

WorkflowHandle WorkflowClient::get_handle(std::string workflow_id, std::string run_id,
                                          std::string first_execution_run_id) const {
  return WorkflowHandle(client_, std::move(workflow_id), std::move(run_id), std::move(first_execution_run_id));
}

Task<WorkflowExecutionPage> WorkflowClient::list_page(std::string query, std::string page_token, int page_size) const {
  return list_impl(client_.core(), std::move(query), std::move(page_token), page_size);
}

WorkflowExecutionRange WorkflowClient::list(std::string query, int page_size) const {
  return WorkflowExecutionRange(*this, std::move(query), page_size);
}

Task<WorkflowExecutionCount> WorkflowClient::count(std::string query) const {
  return count_impl(client_.core(), std::move(query));
}

WorkflowExecutionRange::WorkflowExecutionRange(WorkflowClient client, std::string query, int page_size)
    : client_(std::make_shared<WorkflowClient>(std::move(client))), query_(std::move(query)), page_size_(page_size) {}

WorkflowExecutionRange::iterator WorkflowExecutionRange::begin() {
  if (!started_) {
    started_ = true;
    fetch();
  }
  return iterator(this);
}

void WorkflowExecutionRange::fetch() {
  // Skip empty pages that still carry a token (the server may return those).
  std::string token = page_.next_page_token;
  do {
    page_ = client_->list_page(query_, token, page_size_).get();
    index_ = 0;
    token = page_.next_page_token;
    done_ = token.empty();
  } while (page_.executions.empty() && !done_);
}

void WorkflowExecutionRange::advance() {
  ++index_;
  if (index_ >= page_.executions.size() && !done_) fetch();
}

}  // namespace temporal::client
