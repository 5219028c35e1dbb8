// Turns a failed call's status into the typed error a user sees.
#pragma once

#include <string>

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
