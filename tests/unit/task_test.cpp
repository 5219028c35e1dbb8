#include "temporal/async/task.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>

#include "support/sanitized.h"

namespace temporal {
namespace {

using test::kSanitized;

Task<int> answer() { co_return 42; }
Task<int> add_one(Task<int> t) { co_return co_await std::move(t) + 1; }
Task<void> fails() {
  throw std::runtime_error("boom");
  co_return;
}

TEST(Task, GetReturnsTheCoroutineResult) { EXPECT_EQ(add_one(answer()).get(), 43); }

TEST(Task, GetRethrowsTheCoroutineException) { EXPECT_THROW(fails().get(), std::runtime_error); }

TEST(Task, IsLazyUntilAwaited) {
  bool ran = false;
  auto body = [&]() -> Task<void> {
    ran = true;
    co_return;
  };
  Task<void> t = body();
  EXPECT_FALSE(ran);
  std::move(t).get();
  EXPECT_TRUE(ran);
}

TEST(Task, WhenAllKeepsOrderAndWaitsForEveryTask) {
  std::vector<Task<int>> tasks;
  for (int i = 0; i < 100; ++i) {
    tasks.push_back([](int v) -> Task<int> { co_return v * 2; }(i));
  }
  auto out = when_all(std::move(tasks)).get();
  ASSERT_EQ(out.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(out[i], i * 2);
}

TEST(Task, WhenAllRethrowsAFailure) {
  std::vector<Task<int>> tasks;
  tasks.push_back(answer());
  tasks.push_back([]() -> Task<int> {
    throw std::invalid_argument("bad");
    co_return 0;
  }());
  EXPECT_THROW(when_all(std::move(tasks)).get(), std::invalid_argument);
}

TEST(Task, GetOnANonBlockingThreadThrowsInsteadOfDeadlocking) {
  async_detail::NonBlockingScope scope;
  EXPECT_THROW(answer().get(), BlockingCallError);
}

TEST(Task, ResultsCrossThreads) {
  // A task resumed from another thread (as gRPC callbacks do) completes get() on this one.
  struct OtherThread {
    bool await_ready() { return false; }
    void await_suspend(std::coroutine_handle<> h) { std::thread([h] { h.resume(); }).detach(); }
    void await_resume() {}
  };
  auto t = []() -> Task<std::string> {
    co_await OtherThread{};
    co_return "resumed elsewhere";
  }();
  EXPECT_EQ(std::move(t).get(), "resumed elsewhere");
}

}  // namespace
}  // namespace temporal

namespace temporal {
namespace {
Task<int> one() { co_return 1; }
Task<int> chain(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await chain(depth - 1);
}

// Awaiting a task that completes at once resumes through symmetric transfer: a million awaits in a
// loop and a deep recursion run in constant stack (without it, this overflows the 8 MiB stack).
TEST(Task, ALongChainOfTasksThatCompleteAtOnceDoesNotGrowTheStack) {
  if (kSanitized) GTEST_SKIP() << "sanitizer instrumentation keeps symmetric transfer from being a tail call";
  auto body = []() -> Task<int64_t> {
    int64_t sum = 0;
    for (int i = 0; i < 1'000'000; ++i) sum += co_await one();
    sum += co_await chain(100'000);
    co_return sum;
  };
  EXPECT_EQ(body().get(), 1'100'000);
}
}  // namespace
}  // namespace temporal
