// The library changes no process-wide state unless asked: abseil's deadlock detector stays as the
// program had it, no thread outlives its work, and the only process-wide setting is the explicit
// temporal::disable_abseil_deadlock_detection().
#include <absl/synchronization/mutex.h>
#include <dirent.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
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

// Threads of this process named `name` (/proc/self/task/*/comm).
size_t threads_named(const std::string& name) {
  size_t n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
      std::string line;
      n += std::getline(comm, line) && line == name;
    }
    closedir(d);
  }
  return n;
}

Task<void> nap(std::chrono::milliseconds d) {
  async_detail::SleepFor sleep{d};
  co_await sleep;
}

// Waits up to 10 s for the timer thread to be gone; how many are left.
size_t timer_threads_after_idle() {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (threads_named("temporal-timer") > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return threads_named("temporal-timer");
}

TEST(ProcessState, TheTimerThreadEndsWhenNothingWaits) {
  // In its own process (ctest) there is none yet; after earlier tests in the same process, the one
  // they started must end by itself.
  ASSERT_EQ(timer_threads_after_idle(), 0u) << "a timer thread outlived the earlier waits";
  nap(std::chrono::milliseconds(20)).get();
  nap(std::chrono::milliseconds(5)).get();
  EXPECT_EQ(threads_named("temporal-timer"), 1u) << "one thread serves every wait";
  EXPECT_EQ(timer_threads_after_idle(), 0u) << "the timer thread outlived the last wait";
  nap(std::chrono::milliseconds(5)).get();  // and a later wait starts one again
  EXPECT_EQ(threads_named("temporal-timer"), 1u) << "a later wait found no timer thread";
}

}  // namespace
}  // namespace temporal
