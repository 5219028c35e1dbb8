// Turns a failed call's status into the typed error a user sees.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/any.pb.h>

#include "rpc/channel.h"

namespace temporal::rpc {

/// What the failed call was about, so the error can name it.
struct ErrorContext {
  std::string operation{};  ///< e.g. "start workflow"
  std::string address{};
  std::string namespace_name{};
  std::string workflow_id{};
  std::string run_id{};
  std::string update_id{};  ///< for update calls: NOT_FOUND about the update is not about the workflow
};

/// The details of a failed call's google.rpc.Status (empty when it has none or they do not parse).
/// The one place that parses them; status_detail<T> picks one kind.
std::vector<google::protobuf::Any> status_details(const Status& status);

/// The first detail of type T (a temporal.api.errordetails message), if the status has one.
template <class T>
std::optional<T> status_detail(const Status& status) {
  for (const auto& any : status_details(status)) {
    T out;
    if (any.Is<T>() && any.UnpackTo(&out)) return out;
  }
  return std::nullopt;
}

/// The namespace does not exist (a NamespaceNotFoundFailure detail, or the server's words for it).
bool is_namespace_not_found(const Status& status);

/// For a MultiOperationExecutionFailure (update-with-start): the status of each operation that
/// failed on its own (an ABORTED operation without details only failed because another did).
std::vector<Status> failed_operations(const Status& status);

/// Throws the error that fits `status`: the local error (ConnectionClosedError, CallCancelledError,
/// or the InvalidArgumentError that kept the call from being sent), DeadlineExceededError,
/// NamespaceNotFoundError, WorkflowAlreadyStartedError, WorkflowUpdateNotFoundError,
/// WorkflowNotFoundError (NOT_FOUND with a workflow id), or RpcError with the cause in words.
[[noreturn]] void throw_status(const Status& status, const ErrorContext& ctx);

/// A sentence explaining a transport failure (unreachable, TLS, auth), or the server's message.
std::string describe_status(const Status& status, const std::string& address);

/// Unwraps `co_await call` results: returns the value or throws via throw_status.
template <class T>
T value_or_throw(Result<T>&& r, const ErrorContext& ctx) {
  if (!r.ok()) throw_status(r.status, ctx);
  return std::move(r.value);
}

}  // namespace temporal::rpc
