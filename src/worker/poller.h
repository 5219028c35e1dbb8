// The one poll loop of the worker: threads that long-poll a task queue and hand each task over,
// shared by the workflow and the activity halves.
//
// A task holds a slot of the worker's concurrency limit (Slots) until the worker releases it. The
// slot is taken before the poll (activities: a task is never polled that cannot start at once) or,
// where several pollers share the slots, after it (workflow tasks: an idle long poll on the sticky
// queue holding the last slot would starve the normal queue, and the reverse). Transient failures back off
// (200 ms doubling to 10 s; 1 s first when the server is overloaded); a fatal one stops polling and
// is reported once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/backoff.h"
#include "rpc/status_kind.h"

namespace temporal::worker::detail {

/// A counting limit on tasks in progress, shared by the pollers that fill it. Thread-safe.
class Slots {
 public:
  explicit Slots(int limit) : free_(limit) {}
  /// Waits for a free slot; false once stopped, unless `even_if_stopped` (a task already polled
  /// while stopping, which is still answered).
  bool acquire(bool even_if_stopped = false) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || free_ > 0; });
    if (stopped_ && !even_if_stopped) return false;
    --free_;
    ++in_use_;
    return true;
  }
  void release(int n = 1) {
    std::lock_guard lock(mu_);
    free_ += n;
    in_use_ -= n;
    cv_.notify_all();
  }
  /// Wakes and fails every acquire(), now and later.
  void stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  bool stopped() const {
    std::lock_guard lock(mu_);
    return stopped_;
  }
  /// Waits until no slot is in use, at most `timeout`; true if none is.
  bool wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return in_use_ == 0; });
  }
  /// Sleeps `d` unless stopped first; false if stopped.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [&] { return stopped_; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int free_;
  int in_use_ = 0;
  bool stopped_ = false;
};

template <class Response>
class Poller {
 public:
  /// One long poll, cancelled through `cancel` at shutdown.
  using Poll = std::function<rpc::Result<Response>(const std::shared_ptr<rpc::CallCancellation>& cancel)>;
  /// A task, holding one slot until the worker releases it.
  using Dispatch = std::function<void(Response task)>;
  using HasTask = std::function<bool(const Response&)>;
  using OnFatal = std::function<void(const rpc::Status&)>;

  enum class SlotTaken { kBeforePoll, kAfterPoll };

  Poller(std::shared_ptr<Slots> slots, SlotTaken when, Poll poll, HasTask has_task, Dispatch dispatch, OnFatal on_fatal)
      : slots_(std::move(slots)),
        before_poll_(when == SlotTaken::kBeforePoll),
        poll_(std::move(poll)),
        has_task_(std::move(has_task)),
        dispatch_(std::move(dispatch)),
        on_fatal_(std::move(on_fatal)),
        cancel_(std::make_shared<rpc::CallCancellation>()) {}
  ~Poller() { stop(); }

  void start(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
  }
  /// Cancels the polls in flight; the threads end soon after. Callable from any thread, including
  /// a dispatch or fatal-error callback. A task that arrives while stopping is still dispatched.
  void request_stop() {
    stopping_ = true;
    cancel_->cancel();
  }
  /// request_stop(), then joins the polling threads. Idempotent.
  void stop() {
    request_stop();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }

 private:
  void loop() {
    int failures = 0;
    while (!stopping_) {
      if (before_poll_) {
        if (!slots_->acquire()) return;
        if (stopping_) {
          slots_->release();
          return;
        }
      }
      auto r = poll_(cancel_);
      const auto outcome = rpc::classify_poll(r.status);
      if (outcome == rpc::PollOutcome::kAnswered && r.ok() && has_task_(r.value)) {
        failures = 0;
        // A task that arrives while stopping is still answered.
        if (!before_poll_) slots_->acquire(/*even_if_stopped=*/true);
        dispatch_(std::move(r.value));
        continue;
      }
      if (before_poll_) slots_->release();
      if (stopping_ || outcome == rpc::PollOutcome::kStopped) return;
      if (outcome == rpc::PollOutcome::kAnswered) {
        failures = 0;
        continue;
      }
      if (outcome == rpc::PollOutcome::kFatal) {
        request_stop();
        on_fatal_(r.status);
        return;
      }
      temporal::detail::Backoff backoff;
      backoff.initial = std::chrono::milliseconds(rpc::is_resource_exhausted(r.status) ? 1000 : 200);
      if (!slots_->pause(backoff.delay(++failures))) return;
    }
  }

  std::shared_ptr<Slots> slots_;
  const bool before_poll_;
  Poll poll_;
  HasTask has_task_;
  Dispatch dispatch_;
  OnFatal on_fatal_;
  std::shared_ptr<rpc::CallCancellation> cancel_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace temporal::worker::detail
