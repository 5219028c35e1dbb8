// The library changes no process-wide state unless asked: abseil's deadlock detector stays as the
// program had it, no thread outlives its work, and the only process-wide setting is the explicit
// temporal::disable_abseil_deadlock_detection().
#include <absl/synchronization/mutex.h>
#include <dirent.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "async/timer.h"
#include "temporal/async/task.h"
#include "temporal/client/connection.h"
#include "temporal/common/process.h"

namespace temporal {
namespace {

// Takes two mutexes in both orders: abseil's detector (on in Debian's build) aborts the process.
void lock_order_inversion() {
  absl::Mutex a, b;
  a.Lock();
  b.Lock();
  b.Unlock();
  a.Unlock();
  b.Lock();
  a.Lock();
  a.Unlock();
  b.Unlock();
}

TEST(ProcessState, ConnectionsLeaveAbseilsDeadlockDetectorAsItWas) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto conn = client::Connection::lazy({.address = "127.0.0.1:1"});
        (void)conn;
        lock_order_inversion();
      },
      "deadlock");
}

TEST(ProcessState, DisablingTheDeadlockDetectorIsExplicit) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        disable_abseil_deadlock_detection();
        lock_order_inversion();
        std::exit(0);
      },
      testing::ExitedWithCode(0), "");
}

size_t thread_count() {
  size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}

Task<void> nap(std::chrono::milliseconds d) {
  async_detail::SleepFor sleep{d};
  co_await sleep;
}

TEST(ProcessState, TheTimerThreadEndsWhenNothingWaits) {
  const size_t before = thread_count();
  nap(std::chrono::milliseconds(20)).get();
  nap(std::chrono::milliseconds(5)).get();  // reuses the running thread
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (thread_count() > before && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(thread_count(), before) << "a timer thread outlived the last wait";
  nap(std::chrono::milliseconds(5)).get();  // and a later wait starts one again
}

}  // namespace
}  // namespace temporal
