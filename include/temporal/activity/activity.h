// The API activity code calls while it runs on a Worker: its info, heartbeats, cancellation and
// asynchronous completion.
//
//   std::string charge(std::string order) {
//     for (int step = 0; step < 10; ++step) {
//       temporal::activity::heartbeat(step);           // throttled; learns of cancellation
//       if (temporal::activity::cancellation_requested()) throw temporal::CanceledFailure("stopped");
//       do_work(step);
//     }
//     return "done";
//   }
//
// These functions work only on the thread running an activity (they throw temporal::UsageError
// elsewhere).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "temporal/common/errors.h"
#include "temporal/converter/data_converter.h"

namespace temporal::activity {

/// What the server told the worker about this activity attempt. Immutable during the attempt.
struct Info {
  std::string task_token{};  ///< opaque bytes; give them to AsyncActivityClient to complete later
  std::string workflow_namespace{};
  std::string workflow_id{};
  std::string workflow_run_id{};
  std::string workflow_type{};
  std::string activity_id{};
  std::string activity_type{};
  std::string task_queue{};
  int attempt = 1;
  std::chrono::system_clock::time_point scheduled_time{};
  std::chrono::system_clock::time_point started_time{};
  std::optional<std::chrono::milliseconds> schedule_to_close_timeout{};
  std::optional<std::chrono::milliseconds> start_to_close_timeout{};
  std::optional<std::chrono::milliseconds> heartbeat_timeout{};
  /// Details of the last heartbeat of a previous attempt (to resume from).
  converter::Payloads heartbeat_details{};
};

/// The running activity's info.
const Info& info();

/// Records progress. Calls are throttled (at most one RPC per 0.8 x heartbeat timeout, 30 s
/// without one); the latest details win. A cancellation in the response sets
/// cancellation_requested().
void heartbeat_payloads(converter::Payloads details);
template <class... Args>
void heartbeat(const Args&... details) {
  heartbeat_payloads(converter::to_payloads(details...));
}

/// True once the server asked for this activity to be cancelled (seen on a heartbeat) or the
/// worker is shutting down. Throw CanceledFailure to acknowledge.
bool cancellation_requested();

/// Thrown by complete_async(); the worker then sends no result.
struct CompleteAsyncSignal {};

/// Ends this function without completing the activity: complete it later through
/// AsyncActivityClient with info().task_token (or its ids).
[[noreturn]] inline void complete_async() { throw CompleteAsyncSignal{}; }

}  // namespace temporal::activity
