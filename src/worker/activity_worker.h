// The activity half of a Worker: polls a task queue for activity tasks and runs them on a pool of
// threads, one activity a thread, with a thread-local ActivityContext behind temporal::activity::.
//
// Worker::Impl owns one; it is internal (src/ only) so that the public headers stay free of the
// generated protobuf types.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "activity/context_hook.h"
#include "client/client_core.h"
#include "temporal/activity/activity.h"
#include "temporal/async/task.h"
#include "temporal/api/workflowservice/v1/request_response.pb.h"
#include "temporal/worker/worker.h"
#include "worker/poller.h"

namespace temporal::worker::detail {

/// One running activity attempt: its info, its heartbeat state and its cancellation flags.
/// Created by the ActivityWorker for each task, shared with the heartbeat RPCs in flight (which
/// may outlive the attempt). Thread-safe: the activity's thread, gRPC callback threads and the
/// worker's shutdown touch it concurrently.
class ActivityContext : public activity::detail::ContextHook, public std::enable_shared_from_this<ActivityContext> {
 public:
  /// Why the activity is asked to stop. Only kServer makes a thrown CanceledFailure a
  /// RespondActivityTaskCanceled; the others turn it into a retryable failure.
  enum class CancelReason { kNone, kServer, kPaused, kReset, kNotFound, kWorkerShutdown };

  ActivityContext(std::shared_ptr<const client::detail::ClientCore> core, std::string identity, activity::Info info);

  const activity::Info& info() const override { return info_; }
  /// Encodes `details` now (a codec error throws here) and sends it: at once if the throttle
  /// interval has passed, else when it does (the latest details win).
  void heartbeat(converter::Payloads details) override;
  bool cancellation_requested() const override { return reason_.load() != CancelReason::kNone; }
  CancelReason cancel_reason() const { return reason_.load(); }
  /// Sets the cancellation flag (the first reason wins, except that kServer overrides the others:
  /// a server request is the one the activity must acknowledge with RespondActivityTaskCanceled).
  void request_cancel(CancelReason reason);

  /// Details of the latest heartbeat of this attempt (encoded), sent or not; empty if none.
  std::optional<::temporal::api::common::v1::Payloads> last_heartbeat_details() const;
  /// The attempt is over: pending heartbeats are dropped.
  void finish();

  /// Minimum time between two heartbeat RPCs for a heartbeat timeout (0.8 x timeout, 30 s
  /// without one, at most 60 s).
  static std::chrono::milliseconds throttle_interval(std::optional<std::chrono::milliseconds> heartbeat_timeout);

 private:
  struct Action {
    enum Kind { kNone, kSend, kArmTimer } kind = kNone;
    ::temporal::api::common::v1::Payloads details;  // kSend
    std::chrono::steady_clock::time_point when;     // kArmTimer
  };
  Action next_action_locked(std::chrono::steady_clock::time_point now);
  // Starts what next_action_locked decided, outside the lock (an RPC may complete inline).
  void perform(Action action);
  static Task<void> send_heartbeat(std::shared_ptr<ActivityContext> self,
                                   ::temporal::api::workflowservice::v1::RecordActivityTaskHeartbeatRequest req);
  static Task<void> wake_at(std::shared_ptr<ActivityContext> self, std::chrono::steady_clock::time_point when);
  void on_heartbeat_done(const rpc::Result<::temporal::api::workflowservice::v1::RecordActivityTaskHeartbeatResponse>& r);
  void on_timer();

  const std::shared_ptr<const client::detail::ClientCore> core_;
  const std::string identity_;
  const activity::Info info_;
  const std::chrono::milliseconds interval_;
  std::atomic<CancelReason> reason_{CancelReason::kNone};

  mutable std::mutex mu_;
  std::optional<::temporal::api::common::v1::Payloads> latest_;   // latest details given
  std::optional<::temporal::api::common::v1::Payloads> pending_;  // not yet sent
  bool in_flight_ = false;
  bool timer_armed_ = false;
  bool finished_ = false;
  std::chrono::steady_clock::time_point next_allowed_{};  // epoch: the first heartbeat goes at once
};

/// Polls `options.task_queue` for activity tasks and runs `activities` on them.
///
/// options.activity_task_pollers threads poll; each takes one of max_concurrent_activities slots
/// before polling, so a task is never polled that cannot run at once. Tasks run on pool threads
/// (grown on demand up to max_concurrent_activities). start() and shutdown() may be called from any
/// thread except an activity's own; the destructor shuts down.
class ActivityWorker {
 public:
  /// `on_fatal` (optional) is called once, from a poller thread, when polling stops for good
  /// (fatal_error() is then set); it must not call shutdown() itself.
  ActivityWorker(std::shared_ptr<const client::detail::ClientCore> core, WorkerOptions options,
                 std::map<std::string, ActivityFunction> activities,
                 std::function<void(std::exception_ptr)> on_fatal = {});
  ~ActivityWorker();
  ActivityWorker(const ActivityWorker&) = delete;
  ActivityWorker& operator=(const ActivityWorker&) = delete;

  /// Starts the poller threads. Throws temporal::UsageError if called twice or after shutdown().
  void start();
  /// Stops polling (cancelling polls in flight), waits up to options.graceful_shutdown_timeout for
  /// running activities, then requests their cancellation (activity::cancellation_requested()) and
  /// waits for them to return and be reported. Joins every thread. Idempotent.
  void shutdown();
  /// The error that stopped polling (e.g. NamespaceNotFoundError), or null.
  std::exception_ptr fatal_error() const;

 private:
  using PollResponse = ::temporal::api::workflowservice::v1::PollActivityTaskQueueResponse;
  void set_fatal(std::exception_ptr e);
  void warn(const std::string& message) const;

  void dispatch(std::shared_ptr<PollResponse> task);
  void pool_loop();
  void execute(const PollResponse& task);
  activity::Info make_info(const PollResponse& task) const;
  void respond(const PollResponse& task, const ActivityContext& ctx, converter::Payload result, std::exception_ptr error);

  const std::shared_ptr<const client::detail::ClientCore> core_;
  const WorkerOptions options_;
  const std::map<std::string, ActivityFunction> activities_;
  const std::function<void(std::exception_ptr)> on_fatal_;
  const std::string identity_;
  const std::string instance_key_;

  std::mutex lifecycle_mu_;  // start/shutdown
  bool started_ = false;
  bool shut_down_ = false;

  mutable std::mutex mu_;  // fatal error
  std::exception_ptr fatal_;
  const std::shared_ptr<Slots> slots_;  // max_concurrent_activities
  std::unique_ptr<Poller<PollResponse>> poller_;

  std::mutex pool_mu_;  // queue, pool threads, running activities
  std::condition_variable pool_cv_;
  std::condition_variable idle_cv_;  // running_ or queue_ shrank
  std::deque<std::shared_ptr<PollResponse>> queue_;
  std::set<std::shared_ptr<ActivityContext>> running_;
  size_t outstanding_ = 0;  // queued + running, until responded
  int idle_threads_ = 0;
  bool stop_pool_ = false;
  bool cancel_all_ = false;  // shutdown's grace period is over: activities that start are cancelled
  std::vector<std::thread> pool_;
};

}  // namespace temporal::worker::detail
