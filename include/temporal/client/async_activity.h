// AsyncActivityClient: complete, fail, cancel and heartbeat an activity from outside the worker
// that started it (asynchronous activity completion).
//
// An activity is named either by its task token (opaque bytes the worker hands the activity) or
// by ActivityId (workflow id, run id, activity id):
//
//   client.activity().complete(ActivityId{.workflow_id = "order-1", .activity_id = "charge"},
//                              std::string("done")).get();
//
// Cheap to copy and thread-safe. Every call returns a Task: co_await it in a coroutine or call
// .get() to block. (GCC 12: inside a coroutine, build ActivityId in a named variable before the
// co_await expression.)
#pragma once

#include <exception>
#include <optional>
#include <string>

#include "temporal/async/task.h"
#include "temporal/client/client.h"
#include "temporal/common/errors.h"
#include "temporal/converter/data_converter.h"

namespace temporal::client {

/// An activity by its workflow and activity id. An empty run_id means the workflow's latest run.
struct ActivityId {
  std::string workflow_id{};
  std::string run_id{};
  std::string activity_id{};
};

/// The activity is unknown to the server: it finished, timed out, was never scheduled, or its
/// workflow closed (gRPC NOT_FOUND). The completion was not recorded.
class ActivityNotFoundError : public RpcError {
 public:
  ActivityNotFoundError(int code, const std::string& what, std::string server_message = {})
      : RpcError(code, what, std::move(server_message)) {}
};

/// heartbeat() learnt that the activity should stop. The caller should report_cancellation()
/// (for kCancelRequested) or stop working on it. The heartbeat itself was recorded.
class ActivityCancelledError : public TemporalError {
 public:
  enum class Reason {
    kCancelRequested,  ///< the workflow requested cancellation
    kPaused,           ///< an operator paused the activity
    kReset,            ///< an operator reset the activity
  };
  ActivityCancelledError(Reason reason, const std::string& what) : TemporalError(what), reason_(reason) {}
  Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

namespace detail {
// Calls that take an ActivityId are templates, so that on GCC 12 a braced ActivityId written
// inside a co_await expression is caught (see CheckedTask in temporal/async/task.h).
template <class I>
using IdArg = async_detail::Is<I, ActivityId>;
}  // namespace detail

class AsyncActivityClient {
 public:
  explicit AsyncActivityClient(Client client) : client_(std::move(client)) {}
  const Client& client() const { return client_; }

  /// Completes the activity with a result (encoded by the data converter and codecs).
  /// Throws ActivityNotFoundError.
  Task<void> complete_payload(std::string task_token, converter::Payload result) const;
  template <class I = ActivityId, class = detail::IdArg<I>>
  CheckedTask<void, I> complete_payload(I&& id, converter::Payload result) const {
    return complete_payload_by_id(std::forward<I>(id), std::move(result));
  }
  template <class T>
  CheckedTask<void, T> complete(std::string task_token, T&& result) const {
    return complete_payload(std::move(task_token), converter::to_payload(result));
  }
  template <class I = ActivityId, class T, class = detail::IdArg<I>>
  CheckedTask<void, I, T> complete(I&& id, T&& result) const {
    return complete_payload_by_id(std::forward<I>(id), converter::to_payload(result));
  }
  /// Completes the activity with no result (binary/null).
  Task<void> complete(std::string task_token) const;
  template <class I = ActivityId, class = detail::IdArg<I>>
  CheckedTask<void, I> complete(I&& id) const {
    return complete_payload_by_id(std::forward<I>(id), converter::to_payload(nullptr));
  }

  /// Fails the activity with `failure` (an ApplicationFailure controls retries: non_retryable,
  /// next_retry_delay, type). The server retries per the activity's retry policy.
  Task<void> fail(std::string task_token, const FailureError& failure) const;
  template <class I = ActivityId, class = detail::IdArg<I>>
  CheckedTask<void, I> fail(I&& id, const FailureError& failure) const {
    return fail_by_id(std::forward<I>(id), failure, {});
  }
  Task<void> fail(std::string task_token, const FailureError& failure, converter::Payloads last_heartbeat_details) const;
  template <class I = ActivityId, class = detail::IdArg<I>>
  CheckedTask<void, I> fail(I&& id, const FailureError& failure, converter::Payloads last_heartbeat_details) const {
    return fail_by_id(std::forward<I>(id), failure, std::move(last_heartbeat_details));
  }
  /// Any exception: FailureError subclasses keep their kind, others become an ApplicationFailure
  /// named after their type.
  Task<void> fail(std::string task_token, std::exception_ptr error) const;
  template <class I = ActivityId, class = detail::IdArg<I>>
  CheckedTask<void, I> fail(I&& id, std::exception_ptr error) const {
    return fail_error_by_id(std::forward<I>(id), std::move(error));
  }

  /// Confirms that the activity stopped after cancellation was requested (the workflow then sees
  /// it canceled). The server rejects this when no cancellation was requested.
  Task<void> report_cancellation_payloads(std::string task_token, converter::Payloads details) const;
  template <class I = ActivityId, class = detail::IdArg<I>>
  CheckedTask<void, I> report_cancellation_payloads(I&& id, converter::Payloads details) const {
    return report_cancellation_by_id(std::forward<I>(id), std::move(details));
  }
  template <class... Details>
  CheckedTask<void, Details...> report_cancellation(std::string task_token, Details&&... details) const {
    return report_cancellation_payloads(std::move(task_token), converter::to_payloads(details...));
  }
  template <class I = ActivityId, class... Details, class = detail::IdArg<I>>
  CheckedTask<void, I, Details...> report_cancellation(I&& id, Details&&... details) const {
    return report_cancellation_by_id(std::forward<I>(id), converter::to_payloads(details...));
  }

  /// Records a heartbeat (details are what a retry of the activity will see). Throws
  /// ActivityCancelledError when the server answers that the activity should stop (cancellation
  /// requested, paused or reset), as the TypeScript SDK does; ActivityNotFoundError when it is
  /// gone. Note the heartbeat timeout: without heartbeats the activity times out.
  Task<void> heartbeat_payloads(std::string task_token, converter::Payloads details) const;
  template <class I = ActivityId, class = detail::IdArg<I>>
  CheckedTask<void, I> heartbeat_payloads(I&& id, converter::Payloads details) const {
    return heartbeat_by_id(std::forward<I>(id), std::move(details));
  }
  template <class... Details>
  CheckedTask<void, Details...> heartbeat(std::string task_token, Details&&... details) const {
    return heartbeat_payloads(std::move(task_token), converter::to_payloads(details...));
  }
  template <class I = ActivityId, class... Details, class = detail::IdArg<I>>
  CheckedTask<void, I, Details...> heartbeat(I&& id, Details&&... details) const {
    return heartbeat_by_id(std::forward<I>(id), converter::to_payloads(details...));
  }

 private:
  Task<void> complete_payload_by_id(ActivityId id, converter::Payload result) const;
  Task<void> fail_by_id(ActivityId id, const FailureError& failure, converter::Payloads last_heartbeat_details) const;
  Task<void> fail_error_by_id(ActivityId id, std::exception_ptr error) const;
  Task<void> report_cancellation_by_id(ActivityId id, converter::Payloads details) const;
  Task<void> heartbeat_by_id(ActivityId id, converter::Payloads details) const;

  Client client_;
};

}  // namespace temporal::client
