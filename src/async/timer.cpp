#include "async/timer.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "temporal/async/task.h"

namespace temporal::async_detail {

namespace {

// One thread resumes every due timer. It runs only while timers are pending: once the queue has
// been empty for kIdle it ends, and the next timer starts a new one (joining the old). So a process
// that is not waiting on a retry, a poll backoff or a pause has no timer thread at all.
class TimerThread {
 public:
  void add(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h) {
    std::lock_guard lock(mu_);
    timers_.emplace(when, h);
    if (!running_) {
      // The previous thread (if any) set running_ = false under mu_ and touches nothing after
      // releasing it, so joining here cannot wait on us.
      if (thread_.joinable()) thread_.join();
      running_ = true;
      thread_ = std::thread([this] { run(); });
    } else {
      cv_.notify_one();
    }
  }

 private:
  static constexpr std::chrono::seconds kIdle{2};

  void run() {
    NonBlockingScope scope;
    std::unique_lock lock(mu_);
    for (;;) {
      if (timers_.empty()) {
        if (!cv_.wait_for(lock, kIdle, [this] { return !timers_.empty(); })) {
          running_ = false;
          return;
        }
        continue;
      }
      auto first = timers_.begin();
      if (first->first > std::chrono::steady_clock::now()) {
        cv_.wait_until(lock, first->first);
        continue;
      }
      auto h = first->second;
      timers_.erase(first);
      lock.unlock();
      h.resume();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<std::chrono::steady_clock::time_point, std::coroutine_handle<>> timers_;
  bool running_ = false;
  std::thread thread_;
};

TimerThread& timer_thread() {
  // Never destroyed: a thread still waiting out its idle time at exit must find its state intact.
  static TimerThread* t = new TimerThread();
  return *t;
}

}  // namespace

void resume_at(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h) { timer_thread().add(when, h); }

}  // namespace temporal::async_detail
