#include <google/protobuf/duration.pb.h>

#include <typeinfo>

#include "common/uuid.h"
#include "converter/proto.h"

namespace temporal::converter {

namespace {

RetryState retry_state(int v) { return (v >= 0 && v <= 7) ? static_cast<RetryState>(v) : RetryState::kUnspecified; }

Payloads details_of(const DataConverter& dc, const apifailure::Failure& f, const apicommon::Payloads& p) {
  (void)f;
  return decode_from(dc, p);
}

// Causes converted below one failure. Protobuf's parser stops at 100 nested messages, so no chain
// that arrives on the wire is cut; a deeper one built in memory would otherwise overflow the stack
// (about 4 KiB a level under ASan), and so would destroying the resulting chain of exceptions.
constexpr int kMaxCauseDepth = 100;

std::shared_ptr<const FailureError> failure_from_proto_at(const DataConverter& dc, const apifailure::Failure& in,
                                                          int depth);

}  // namespace

std::shared_ptr<const FailureError> failure_from_proto(const DataConverter& dc, const apifailure::Failure& in) {
  return failure_from_proto_at(dc, in, 0);
}

namespace {

std::shared_ptr<const FailureError> failure_from_proto_at(const DataConverter& dc, const apifailure::Failure& in,
                                                          int depth) {
  std::string message = in.message();
  std::string stack = in.stack_trace();
  if (in.has_encoded_attributes()) {
    try {
      Payload attrs = decode_one(dc, in.encoded_attributes());
      auto j = detail::payload_to_json(attrs);
      if (j.is_object()) {
        if (j.contains("message") && j["message"].is_string()) message = j["message"].get<std::string>();
        if (j.contains("stack_trace") && j["stack_trace"].is_string()) stack = j["stack_trace"].get<std::string>();
      }
    } catch (const std::exception&) {
      // Keep the visible message: a codec we lack cannot hide the failure itself.
    }
  }
  std::shared_ptr<const FailureError> cause;
  if (in.has_cause() && depth < kMaxCauseDepth) {
    cause = failure_from_proto_at(dc, in.cause(), depth + 1);
  } else if (in.has_cause()) {
    cause = std::make_shared<FailureError>("cause chain truncated: deeper than " + std::to_string(kMaxCauseDepth) +
                                           " failures");
  }

  if (in.has_application_failure_info()) {
    const auto& a = in.application_failure_info();
    ApplicationFailure::Info info;
    info.type = a.type();
    info.non_retryable = a.non_retryable();
    info.details = details_of(dc, in, a.details());
    if (a.has_next_retry_delay()) {
      info.next_retry_delay = from_proto_duration(a.next_retry_delay());
    }
    info.category = a.category() == 1 ? ApplicationErrorCategory::kBenign : ApplicationErrorCategory::kUnspecified;
    return std::make_shared<ApplicationFailure>(message, std::move(info), stack, cause);
  }
  if (in.has_canceled_failure_info()) {
    return std::make_shared<CanceledFailure>(message, details_of(dc, in, in.canceled_failure_info().details()), stack,
                                             cause);
  }
  if (in.has_timeout_failure_info()) {
    const auto& t = in.timeout_failure_info();
    int type = t.timeout_type();
    return std::make_shared<TimeoutFailure>(
        message, (type >= 0 && type <= 4) ? static_cast<TimeoutType>(type) : TimeoutType::kUnspecified,
        details_of(dc, in, t.last_heartbeat_details()), stack, cause);
  }
  if (in.has_terminated_failure_info()) {
    return std::make_shared<TerminatedFailure>(message, Payloads{}, stack, cause);
  }
  if (in.has_server_failure_info()) {
    return std::make_shared<ServerFailure>(message, in.server_failure_info().non_retryable(), stack, cause);
  }
  if (in.has_reset_workflow_failure_info()) {
    return std::make_shared<ResetWorkflowFailure>(
        message, details_of(dc, in, in.reset_workflow_failure_info().last_heartbeat_details()), stack, cause);
  }
  if (in.has_activity_failure_info()) {
    const auto& a = in.activity_failure_info();
    ActivityFailure::Info info{a.activity_type().name(), a.activity_id(), a.identity(), retry_state(a.retry_state()),
                               a.scheduled_event_id(), a.started_event_id()};
    return std::make_shared<ActivityFailure>(message, std::move(info), stack, cause);
  }
  if (in.has_child_workflow_execution_failure_info()) {
    const auto& c = in.child_workflow_execution_failure_info();
    ChildWorkflowFailure::Info info{c.namespace_(),          c.workflow_execution().workflow_id(),
                                    c.workflow_execution().run_id(), c.workflow_type().name(),
                                    retry_state(c.retry_state()), c.initiated_event_id(),
                                    c.started_event_id()};
    return std::make_shared<ChildWorkflowFailure>(message, std::move(info), stack, cause);
  }
  // No info (or one this SDK does not know, e.g. nexus): keep message and cause.
  return std::make_shared<FailureError>(message, stack, cause);
}

}  // namespace

void failure_to_proto(const DataConverter& dc, const FailureError& e, apifailure::Failure* out) {
  // Messages come from any exception's what(): sent as they are, except bytes that are not UTF-8
  // (a protobuf string and JSON cannot hold them), which become U+FFFD.
  out->set_message(temporal::detail::to_valid_utf8(e.message()));
  out->set_stack_trace(temporal::detail::to_valid_utf8(e.stack_trace()));
  out->set_source("temporal-cpp");
  if (const auto* a = dynamic_cast<const ApplicationFailure*>(&e)) {
    auto* info = out->mutable_application_failure_info();
    info->set_type(temporal::detail::to_valid_utf8(a->type()));
    info->set_non_retryable(a->non_retryable());
    if (!a->details().empty()) encode_to(dc, a->details(), info->mutable_details());
    if (a->next_retry_delay()) {
      to_proto_duration(*a->next_retry_delay(), info->mutable_next_retry_delay());
    }
    if (a->category() == ApplicationErrorCategory::kBenign) {
      info->set_category(::temporal::api::enums::v1::APPLICATION_ERROR_CATEGORY_BENIGN);
    }
  } else if (const auto* c = dynamic_cast<const CanceledFailure*>(&e)) {
    auto* info = out->mutable_canceled_failure_info();
    if (!c->details().empty()) encode_to(dc, c->details(), info->mutable_details());
  } else if (const auto* t = dynamic_cast<const TimeoutFailure*>(&e)) {
    auto* info = out->mutable_timeout_failure_info();
    info->set_timeout_type(static_cast<::temporal::api::enums::v1::TimeoutType>(t->timeout_type()));
    if (!t->last_heartbeat_details().empty()) {
      encode_to(dc, t->last_heartbeat_details(), info->mutable_last_heartbeat_details());
    }
  } else if (dynamic_cast<const TerminatedFailure*>(&e)) {
    out->mutable_terminated_failure_info();
  } else if (const auto* s = dynamic_cast<const ServerFailure*>(&e)) {
    out->mutable_server_failure_info()->set_non_retryable(s->non_retryable());
  } else if (const auto* r = dynamic_cast<const ResetWorkflowFailure*>(&e)) {
    auto* info = out->mutable_reset_workflow_failure_info();
    if (!r->last_heartbeat_details().empty()) {
      encode_to(dc, r->last_heartbeat_details(), info->mutable_last_heartbeat_details());
    }
  } else if (const auto* act = dynamic_cast<const ActivityFailure*>(&e)) {
    auto* info = out->mutable_activity_failure_info();
    info->mutable_activity_type()->set_name(act->info().activity_type);
    info->set_activity_id(act->info().activity_id);
    info->set_identity(act->info().identity);
    info->set_retry_state(static_cast<::temporal::api::enums::v1::RetryState>(act->info().retry_state));
    info->set_scheduled_event_id(act->info().scheduled_event_id);
    info->set_started_event_id(act->info().started_event_id);
  } else if (const auto* ch = dynamic_cast<const ChildWorkflowFailure*>(&e)) {
    auto* info = out->mutable_child_workflow_execution_failure_info();
    info->set_namespace_(ch->info().namespace_);
    info->mutable_workflow_execution()->set_workflow_id(ch->info().workflow_id);
    info->mutable_workflow_execution()->set_run_id(ch->info().run_id);
    info->mutable_workflow_type()->set_name(ch->info().workflow_type);
    info->set_retry_state(static_cast<::temporal::api::enums::v1::RetryState>(ch->info().retry_state));
    info->set_initiated_event_id(ch->info().initiated_event_id);
    info->set_started_event_id(ch->info().started_event_id);
  } else {
    // A plain FailureError: an application failure without a type.
    out->mutable_application_failure_info();
  }
  if (e.cause()) failure_to_proto(dc, *e.cause(), out->mutable_cause());
  if (dc.failure.encode_common_attributes) {
    nlohmann::json attrs = {{"message", out->message()}, {"stack_trace", out->stack_trace()}};
    *out->mutable_encoded_attributes() = encode_one(dc, to_payload(attrs));
    out->set_message("Encoded failure");
    out->set_stack_trace("");
  }
}

void failure_to_proto(const DataConverter& dc, const std::exception_ptr& ep, apifailure::Failure* out) {
  try {
    std::rethrow_exception(ep);
  } catch (const FailureError& e) {
    failure_to_proto(dc, e, out);
  } catch (const std::exception& e) {
    ApplicationFailure wrapped(e.what(), ApplicationFailure::Info{.type = detail::readable_type(typeid(e).name())});
    failure_to_proto(dc, wrapped, out);
  } catch (...) {
    ApplicationFailure wrapped("unknown C++ exception", ApplicationFailure::Info{.type = "UnknownException"});
    failure_to_proto(dc, wrapped, out);
  }
}

}  // namespace temporal::converter
