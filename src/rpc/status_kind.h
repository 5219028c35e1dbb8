// What a call's status means to the worker, in the words it acts on (so that worker code needs no
// gRPC status codes).
#pragma once

#include "rpc/channel.h"

namespace temporal::rpc {

enum class PollOutcome {
  kAnswered,   ///< a task, or the long poll expired without one (an empty answer)
  kStopped,    ///< cancelled (shutdown)
  kTransient,  ///< unavailable, overloaded ...: back off and poll again
  kFatal,      ///< the task queue cannot be polled (namespace missing, permission ...): stop
};

inline PollOutcome classify_poll(const Status& status) {
  switch (status.code) {
    case grpc::StatusCode::OK:
    case grpc::StatusCode::DEADLINE_EXCEEDED:  // the long poll expired
      return PollOutcome::kAnswered;
    case grpc::StatusCode::CANCELLED:
      return PollOutcome::kStopped;
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::UNIMPLEMENTED:
      return PollOutcome::kFatal;
    default:
      return PollOutcome::kTransient;
  }
}

/// Overloaded: poll again after a longer pause.
inline bool is_resource_exhausted(const Status& status) { return status.code == grpc::StatusCode::RESOURCE_EXHAUSTED; }

/// The task or activity is gone (timed out, cancelled, its workflow closed).
inline bool is_not_found(const Status& status) { return status.code == grpc::StatusCode::NOT_FOUND; }

/// A status for a call that threw before it reached the server.
inline Status local_failure(std::string message) { return Status{grpc::StatusCode::UNKNOWN, std::move(message), {}}; }

}  // namespace temporal::rpc
