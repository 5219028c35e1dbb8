// Resumes coroutines after a delay on one background thread shared by the process.
// (grpc::Alarm cannot be used: the coroutine it resumes destroys the alarm inside its own callback.)
#pragma once

#include <chrono>
#include <coroutine>

namespace temporal::async_detail {

/// Schedules `h` to be resumed at `when` on the timer thread (inside a NonBlockingScope).
void resume_at(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h);

/// co_await SleepFor{delay}: suspends for `delay` without holding a thread.
struct SleepFor {
  std::chrono::milliseconds delay;
  bool await_ready() const noexcept { return delay.count() <= 0; }
  void await_suspend(std::coroutine_handle<> h) const { resume_at(std::chrono::steady_clock::now() + delay, h); }
  void await_resume() const noexcept {}
};

}  // namespace temporal::async_detail
