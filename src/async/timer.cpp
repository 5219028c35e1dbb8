#include "async/timer.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "temporal/async/task.h"

namespace temporal::async_detail {

namespace {

class TimerThread {
 public:
  TimerThread() : thread_([this] { run(); }) { thread_.detach(); }

  void add(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h) {
    {
      std::lock_guard lock(mu_);
      timers_.emplace(when, h);
    }
    cv_.notify_one();
  }

 private:
  void run() {
    NonBlockingScope scope;
    std::unique_lock lock(mu_);
    for (;;) {
      if (timers_.empty()) {
        cv_.wait(lock);
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
  std::thread thread_;
};

TimerThread& timer_thread() {
  // Leaked on purpose: the thread is detached and must outlive static destruction.
  static TimerThread* t = new TimerThread();
  return *t;
}

}  // namespace

void resume_at(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h) { timer_thread().add(when, h); }

}  // namespace temporal::async_detail
