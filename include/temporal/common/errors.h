// The typed errors of temporal-cpp. Every error derives from TemporalError.
//
// Failures that cross the wire (raised by workflows and activities, carried in Temporal's Failure
// proto) derive from FailureError and keep their cause chain. Client errors describe what went wrong
// with a call. All errors are immutable values after construction and safe to share between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include "temporal/converter/payload.h"

namespace temporal {

// Defined in temporal/converter/data_converter.h (included at the end of this file).
namespace converter {
template <class T>
T from_payload(const Payload& p);
template <class... Args>
Payloads to_payloads(const Args&... args);
}  // namespace converter

/// Base of every error temporal-cpp raises.
class TemporalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An argument or option was invalid; nothing was sent. `field()` names the offending option.
class InvalidArgumentError : public TemporalError {
 public:
  InvalidArgumentError(std::string field, const std::string& what)
      : TemporalError(what), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

/// An SDK function was called where or when it cannot work: a workflow function outside workflow
/// code, a handler registered from a query, a worker started twice. A bug in the calling code.
class UsageError : public TemporalError {
 public:
  using TemporalError::TemporalError;
};

/// A value could not be encoded to or decoded from a Payload.
class DataConverterError : public TemporalError {
 public:
  using TemporalError::TemporalError;
};

namespace detail {
[[noreturn]] void throw_missing_detail(size_t index, size_t count, size_t available);
[[noreturn]] void throw_detail_error(size_t index, size_t count, const std::exception& e);
/// Decodes payloads[0..N) as T... (the typed details<T...>() of the failures below).
template <class... T, size_t... I>
std::tuple<T...> decode_details(const converter::Payloads& payloads, std::index_sequence<I...>) {
  auto one = [&payloads]<class U>(size_t index, std::type_identity<U>) -> U {
    if (index >= payloads.size()) throw_missing_detail(index, sizeof...(T), payloads.size());
    try {
      return converter::from_payload<U>(payloads[index]);
    } catch (const std::exception& e) {
      throw_detail_error(index, sizeof...(T), e);
    }
  };
  return std::tuple<T...>{one(I, std::type_identity<T>{})...};
}
template <class... T>
std::tuple<T...> decode_details(const converter::Payloads& payloads) {
  return decode_details<T...>(payloads, std::index_sequence_for<T...>{});
}

/// The details a failure carries, as payloads or decoded: the one implementation behind
/// details() / details<T...>() of the failure types below.
class FailureDetails {
 public:
  /// Details as payloads (already decoded by the codec chain).
  const converter::Payloads& details() const { return details_; }
  /// The first sizeof...(T) details decoded as T... (`auto [a, b] = f.details<std::string, int>()`).
  /// Throws DataConverterError naming the detail's index when one is missing or is not a T.
  template <class... T>
  std::tuple<T...> details() const {
    return decode_details<T...>(details_);
  }

 protected:
  explicit FailureDetails(converter::Payloads details) : details_(std::move(details)) {}

 private:
  converter::Payloads details_;
};
}  // namespace detail

/// Why a workflow or activity stopped retrying (wire enum RetryState).
enum class RetryState {
  kUnspecified = 0,
  kInProgress = 1,
  kNonRetryableFailure = 2,
  kTimeout = 3,
  kMaximumAttemptsReached = 4,
  kRetryPolicyNotSet = 5,
  kInternalServerError = 6,
  kCancelRequested = 7,
};

/// Which timeout fired (wire enum TimeoutType).
enum class TimeoutType { kUnspecified = 0, kStartToClose = 1, kScheduleToStart = 2, kScheduleToClose = 3, kHeartbeat = 4 };

/// A failure as Temporal carries it: message, stack trace and an optional cause.
class FailureError : public TemporalError {
 public:
  FailureError(const std::string& message, std::string stack_trace = {},
               std::shared_ptr<const FailureError> cause = nullptr)
      : TemporalError(message), message_(message), stack_trace_(std::move(stack_trace)), cause_(std::move(cause)) {}
  /// The failure's own message (what() may add context).
  const std::string& message() const { return message_; }
  const std::string& stack_trace() const { return stack_trace_; }
  /// The failure that caused this one, or null.
  const FailureError* cause() const { return cause_.get(); }
  std::shared_ptr<const FailureError> shared_cause() const { return cause_; }
  /// The cause as an F (e.g. `cause_as<ApplicationFailure>()`), or null when there is no cause
  /// or it is of another type.
  template <class F>
  const F* cause_as() const {
    return dynamic_cast<const F*>(cause_.get());
  }

 private:
  std::string message_;
  std::string stack_trace_;
  std::shared_ptr<const FailureError> cause_;
};

/// Category of an application failure (wire enum ApplicationErrorCategory).
enum class ApplicationErrorCategory { kUnspecified = 0, kBenign = 1 };

/// How to build an ApplicationFailure with ApplicationFailure::create.
struct ApplicationFailureOptions {
  /// The error type that retry policies match (RetryPolicy::non_retryable_error_types).
  std::string type{};
  /// Never retry, whatever the retry policy says.
  bool non_retryable = false;
  /// Overrides the retry policy's next backoff (activities).
  std::optional<std::chrono::milliseconds> next_retry_delay{};
  ApplicationErrorCategory category = ApplicationErrorCategory::kUnspecified;
  /// The failure that caused this one (its cause() chain).
  std::shared_ptr<const FailureError> cause{};
};

/// A failure raised by user code. Throw it from workflows and activities to control retries:
///
///   throw temporal::ApplicationFailure::create("card declined", {.type = "CardDeclined", .non_retryable = true},
///                                              std::string("card 4242"), int64_t{402});
///
/// and read it where it arrives (a WorkflowFailedError's or an ActivityFailure's cause):
///
///   const auto* app = error.cause_as<temporal::ApplicationFailure>();
///   auto [card, code] = app->details<std::string, int64_t>();
class ApplicationFailure : public FailureError, public detail::FailureDetails {
 public:
  /// Everything the failure carries besides message, stack trace and cause: what arrives on the wire.
  struct Info {
    std::string type{};
    bool non_retryable = false;
    converter::Payloads details{};
    std::optional<std::chrono::milliseconds> next_retry_delay{};
    ApplicationErrorCategory category = ApplicationErrorCategory::kUnspecified;
  };
  /// The way to build one: a message, options, and details (each value encoded into its own
  /// payload by the data converter; DataConverterError naming the detail when one cannot be).
  template <class... Details>
  static ApplicationFailure create(const std::string& message, ApplicationFailureOptions options = {},
                                   const Details&... details) {
    return ApplicationFailure(message, std::move(options), converter::to_payloads(details...));
  }
  /// create() with details already encoded.
  ApplicationFailure(const std::string& message, ApplicationFailureOptions options, converter::Payloads details)
      : ApplicationFailure(message,
                           Info{.type = std::move(options.type),
                                .non_retryable = options.non_retryable,
                                .details = std::move(details),
                                .next_retry_delay = options.next_retry_delay,
                                .category = options.category},
                           {}, std::move(options.cause)) {}
  /// The wire form (what the failure converter decodes, with its stack trace).
  ApplicationFailure(const std::string& message, Info info, std::string stack_trace = {},
                     std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)),
        FailureDetails(std::move(info.details)),
        info_(std::move(info)) {}
  const std::string& type() const { return info_.type; }
  bool non_retryable() const { return info_.non_retryable; }
  const std::optional<std::chrono::milliseconds>& next_retry_delay() const { return info_.next_retry_delay; }
  ApplicationErrorCategory category() const { return info_.category; }

 private:
  Info info_;
};

/// A workflow, activity or scope was canceled.
class CanceledFailure : public FailureError, public detail::FailureDetails {
 public:
  CanceledFailure(const std::string& message, converter::Payloads details = {}, std::string stack_trace = {},
                  std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)), FailureDetails(std::move(details)) {}
};

/// A workflow or activity timed out.
class TimeoutFailure : public FailureError {
 public:
  TimeoutFailure(const std::string& message, TimeoutType type, converter::Payloads last_heartbeat_details = {},
                 std::string stack_trace = {}, std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)),
        type_(type),
        last_heartbeat_details_(std::move(last_heartbeat_details)) {}
  TimeoutType timeout_type() const { return type_; }
  const converter::Payloads& last_heartbeat_details() const { return last_heartbeat_details_; }
  /// The first sizeof...(T) heartbeat details decoded as T...; DataConverterError names a bad index.
  template <class... T>
  std::tuple<T...> last_heartbeat_details() const {
    return detail::decode_details<T...>(last_heartbeat_details_);
  }

 private:
  TimeoutType type_;
  converter::Payloads last_heartbeat_details_;
};

/// A workflow was terminated: message() is the reason and details() what
/// WorkflowHandle::terminate(reason, details...) sent.
class TerminatedFailure : public FailureError, public detail::FailureDetails {
 public:
  explicit TerminatedFailure(const std::string& message, converter::Payloads details = {},
                             std::string stack_trace = {}, std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)), FailureDetails(std::move(details)) {}
};

/// A failure produced by the server itself.
class ServerFailure : public FailureError {
 public:
  ServerFailure(const std::string& message, bool non_retryable, std::string stack_trace = {},
                std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)), non_retryable_(non_retryable) {}
  bool non_retryable() const { return non_retryable_; }

 private:
  bool non_retryable_;
};

/// The workflow was reset; carries the last heartbeat details.
class ResetWorkflowFailure : public FailureError {
 public:
  ResetWorkflowFailure(const std::string& message, converter::Payloads details, std::string stack_trace = {},
                       std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)), details_(std::move(details)) {}
  const converter::Payloads& last_heartbeat_details() const { return details_; }
  /// The first sizeof...(T) heartbeat details decoded as T...; DataConverterError names a bad index.
  template <class... T>
  std::tuple<T...> last_heartbeat_details() const {
    return detail::decode_details<T...>(details_);
  }

 private:
  converter::Payloads details_;
};

/// An activity failed; cause() says why.
class ActivityFailure : public FailureError {
 public:
  struct Info {
    std::string activity_type{};
    std::string activity_id{};
    std::string identity{};
    RetryState retry_state = RetryState::kUnspecified;
    int64_t scheduled_event_id = 0;
    int64_t started_event_id = 0;
  };
  ActivityFailure(const std::string& message, Info info, std::string stack_trace = {},
                  std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)), info_(std::move(info)) {}
  const Info& info() const { return info_; }

 private:
  Info info_;
};

/// A child workflow failed; cause() says why.
class ChildWorkflowFailure : public FailureError {
 public:
  struct Info {
    std::string namespace_{};
    std::string workflow_id{};
    std::string run_id{};
    std::string workflow_type{};
    RetryState retry_state = RetryState::kUnspecified;
    int64_t initiated_event_id = 0;
    int64_t started_event_id = 0;
  };
  ChildWorkflowFailure(const std::string& message, Info info, std::string stack_trace = {},
                       std::shared_ptr<const FailureError> cause = nullptr)
      : FailureError(message, std::move(stack_trace), std::move(cause)), info_(std::move(info)) {}
  const Info& info() const { return info_; }

 private:
  Info info_;
};

/// A gRPC call to the server failed. `code()` is the gRPC status code (0..16), `details()` the
/// serialized google.rpc.Status the server attached, if any.
class RpcError : public TemporalError {
 public:
  RpcError(int code, const std::string& what, std::string server_message = {}, std::string details = {})
      : TemporalError(what), code_(code), server_message_(std::move(server_message)), details_(std::move(details)) {}
  int code() const { return code_; }
  /// The message exactly as the server (or gRPC) gave it.
  const std::string& server_message() const { return server_message_; }
  const std::string& details() const { return details_; }

 private:
  int code_;
  std::string server_message_;
  std::string details_;
};

/// The namespace does not exist on the server.
class NamespaceNotFoundError : public RpcError {
 public:
  NamespaceNotFoundError(std::string ns, int code, const std::string& what, std::string server_message = {})
      : RpcError(code, what, std::move(server_message)), namespace_(std::move(ns)) {}
  const std::string& namespace_name() const { return namespace_; }

 private:
  std::string namespace_;
};

/// Base of errors about one workflow execution. When the error came from a failed RPC,
/// grpc_code() is its gRPC status code and server_details() the serialized google.rpc.Status
/// the server attached; otherwise 0 and empty.
class WorkflowExecutionError : public TemporalError {
 public:
  WorkflowExecutionError(const std::string& what, std::string workflow_id, std::string run_id, int grpc_code = 0,
                         std::string server_details = {})
      : TemporalError(what),
        workflow_id_(std::move(workflow_id)),
        run_id_(std::move(run_id)),
        grpc_code_(grpc_code),
        server_details_(std::move(server_details)) {}
  const std::string& workflow_id() const { return workflow_id_; }
  const std::string& run_id() const { return run_id_; }
  int grpc_code() const { return grpc_code_; }
  const std::string& server_details() const { return server_details_; }

 private:
  std::string workflow_id_;
  std::string run_id_;
  int grpc_code_;
  std::string server_details_;
};

/// No workflow execution with that id (and run id) exists.
class WorkflowNotFoundError : public WorkflowExecutionError {
 public:
  using WorkflowExecutionError::WorkflowExecutionError;
};

/// A workflow with that id is already running (or the reuse policy forbids another run).
/// run_id() is the run that exists.
class WorkflowAlreadyStartedError : public WorkflowExecutionError {
 public:
  WorkflowAlreadyStartedError(const std::string& what, std::string workflow_id, std::string run_id,
                              std::string workflow_type, int grpc_code = 0, std::string server_details = {})
      : WorkflowExecutionError(what, std::move(workflow_id), std::move(run_id), grpc_code, std::move(server_details)),
        workflow_type_(std::move(workflow_type)) {}
  const std::string& workflow_type() const { return workflow_type_; }

 private:
  std::string workflow_type_;
};

/// The workflow ended in failure, cancellation, termination or timeout; cause() says which.
class WorkflowFailedError : public WorkflowExecutionError {
 public:
  WorkflowFailedError(const std::string& what, std::string workflow_id, std::string run_id, RetryState retry_state,
                      std::shared_ptr<const FailureError> cause)
      : WorkflowExecutionError(what, std::move(workflow_id), std::move(run_id)),
        retry_state_(retry_state),
        cause_(std::move(cause)) {}
  RetryState retry_state() const { return retry_state_; }
  const FailureError* cause() const { return cause_.get(); }
  std::shared_ptr<const FailureError> shared_cause() const { return cause_; }
  /// The cause as an F (`cause_as<ApplicationFailure>()`, `cause_as<TerminatedFailure>()`...), or null.
  template <class F>
  const F* cause_as() const {
    return dynamic_cast<const F*>(cause_.get());
  }

 private:
  RetryState retry_state_;
  std::shared_ptr<const FailureError> cause_;
};

/// The run continued as new and the caller asked not to follow runs.
class WorkflowContinuedAsNewError : public WorkflowExecutionError {
 public:
  WorkflowContinuedAsNewError(const std::string& what, std::string workflow_id, std::string run_id,
                              std::string new_run_id)
      : WorkflowExecutionError(what, std::move(workflow_id), std::move(run_id)), new_run_id_(std::move(new_run_id)) {}
  const std::string& new_run_id() const { return new_run_id_; }

 private:
  std::string new_run_id_;
};

/// A query was rejected because of the reject condition; status() is the workflow's status (wire enum value).
class QueryRejectedError : public WorkflowExecutionError {
 public:
  QueryRejectedError(const std::string& what, std::string workflow_id, std::string run_id, int status)
      : WorkflowExecutionError(what, std::move(workflow_id), std::move(run_id)), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

/// A query handler failed, or the query type is unknown to the workflow. grpc_code() is the
/// status code of the failed QueryWorkflow call (e.g. 3, INVALID_ARGUMENT) and server_details()
/// its serialized google.rpc.Status.
class QueryFailedError : public WorkflowExecutionError {
 public:
  using WorkflowExecutionError::WorkflowExecutionError;
};

/// An update was rejected by its validator or its handler failed; cause() holds the failure.
class WorkflowUpdateFailedError : public WorkflowExecutionError {
 public:
  WorkflowUpdateFailedError(const std::string& what, std::string workflow_id, std::string run_id,
                            std::string update_id, std::shared_ptr<const FailureError> cause)
      : WorkflowExecutionError(what, std::move(workflow_id), std::move(run_id)),
        update_id_(std::move(update_id)),
        cause_(std::move(cause)) {}
  const std::string& update_id() const { return update_id_; }
  const FailureError* cause() const { return cause_.get(); }
  /// The cause as an F (e.g. `cause_as<ApplicationFailure>()`), or null.
  template <class F>
  const F* cause_as() const {
    return dynamic_cast<const F*>(cause_.get());
  }

 private:
  std::string update_id_;
  std::shared_ptr<const FailureError> cause_;
};

/// Workflow code did something different from what its history records (on replay): names the
/// command the code produced and the event the history holds.
class NondeterminismError : public TemporalError {
 public:
  using TemporalError::TemporalError;
};

/// A call ran past the deadline the caller gave (CallOptions::timeout, ResultOptions::timeout) or
/// its RPC's own deadline (gRPC DEADLINE_EXCEEDED, code 4). The message says whether the server
/// could be reached at all. The operation itself may still complete on the server.
class DeadlineExceededError : public RpcError {
 public:
  explicit DeadlineExceededError(const std::string& what, std::string server_message = {}, std::string details = {})
      : RpcError(4, what, std::move(server_message), std::move(details)) {}
};

/// The caller cancelled the call through its CancellationToken (gRPC CANCELLED, code 1). What
/// was already sent may still take effect on the server.
class CallCancelledError : public RpcError {
 public:
  explicit CallCancelledError(const std::string& what) : RpcError(1, what) {}
};

/// The call was made on, or was in flight when, Connection::close() was called (code 14,
/// UNAVAILABLE). Make a new Connection to talk to the server again.
class ConnectionClosedError : public RpcError {
 public:
  explicit ConnectionClosedError(const std::string& what) : RpcError(14, what) {}
};

/// No update with that id exists on the workflow execution (it is running, or was found): the
/// update id is wrong, or the update belonged to another run (gRPC NOT_FOUND).
class WorkflowUpdateNotFoundError : public WorkflowExecutionError {
 public:
  WorkflowUpdateNotFoundError(const std::string& what, std::string workflow_id, std::string run_id,
                              std::string update_id, int grpc_code = 5, std::string server_details = {})
      : WorkflowExecutionError(what, std::move(workflow_id), std::move(run_id), grpc_code, std::move(server_details)),
        update_id_(std::move(update_id)) {}
  const std::string& update_id() const { return update_id_; }

 private:
  std::string update_id_;
};

}  // namespace temporal

// The typed details<T...>() and ApplicationFailure::create above use the data converter.
#include "temporal/converter/data_converter.h"
