// Resumes coroutines after a delay on one background thread shared by the process, which runs
// only while some coroutine waits.
// (grpc::Alarm cannot be used: the coroutine it resumes destroys the alarm inside its own callback.)
#pragma once

#include <chrono>
#include <coroutine>

namespace temporal::async_detail {

/// Schedules `h` to be resumed at `when` on the timer thread (inside a NonBlockingScope).
void resume_at(std::chrono::steady_clock::time_point when, std::coroutine_handle<> h);

/// Durations callers pass may be as long as milliseconds::max(); clocks count nanoseconds, so
/// adding such a duration to now() overflows. Anything beyond this is "never" in practice.
inline constexpr std::chrono::milliseconds kForever = std::chrono::hours(24 * 365 * 100);

/// now + d, saturated at now + kForever (and at now for negative d).
template <class Clock>
typename Clock::time_point saturating_after(typename Clock::time_point now, std::chrono::milliseconds d) {
  if (d.count() <= 0) return now;
  return now + std::chrono::duration_cast<typename Clock::duration>(d < kForever ? d : kForever);
}

/// co_await SleepFor{delay}: suspends for `delay` without holding a thread.
struct SleepFor {
  std::chrono::milliseconds delay;
  bool await_ready() const noexcept { return delay.count() <= 0; }
  void await_suspend(std::coroutine_handle<> h) const {
    using Clock = std::chrono::steady_clock;
    resume_at(saturating_after<Clock>(Clock::now(), delay), h);
  }
  void await_resume() const noexcept {}
};

}  // namespace temporal::async_detail
