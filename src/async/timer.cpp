#include "async/timer.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <pthread.h>

#include "temporal/async/task.h"

namespace temporal::async_detail {

namespace {

// One thread ("temporal-timer") resumes every due timer. It runs only while timers are pending:
// once the queue has been empty for kIdle it ends, and the next timer starts a new one. So a
// process that is not waiting on a retry, a poll backoff or a pause has no timer thread at all.
class TimerThread {
 public:
  void add(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h) {
    std::lock_guard lock(mu_);
    timers_.emplace(when, h);
    if (!running_) {
      running_ = true;
      std::thread([this] { run(); }).detach();
    } else {
      cv_.notify_one();
    }
  }

 private:
  static constexpr std::chrono::seconds kIdle{2};

  void run() {
    pthread_setname_np(pthread_self(), "temporal-timer");
    NonBlockingScope scope;
    std::unique_lock lock(mu_);
    for (;;) {
      if (timers_.empty()) {
        if (!cv_.wait_for(lock, kIdle, [this] { return !timers_.empty(); })) {
          running_ = false;  // under mu_: the next add() starts a new thread; this one touches nothing more
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
};

TimerThread& timer_thread() {
  // Never destroyed: a thread still waiting out its idle time at exit must find its state intact.
  static TimerThread* t = new TimerThread();
  return *t;
}

}  // namespace

void resume_at(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h) { timer_thread().add(when, h); }

}  // namespace temporal::async_detail
