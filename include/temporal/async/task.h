// Task<T>: the lazy, move-only coroutine type every network operation of temporal-cpp returns.
//
//   Task<std::string> t = handle.result<std::string>();
//   std::string r = co_await std::move(t);      // from a coroutine
//   std::string r = handle.result<std::string>().get();   // blocking, from plain code
//
// A Task does nothing until it is awaited or get() is called. It is not thread-safe: one owner
// awaits it once. Continuations resume on the thread that completed the underlying operation
// (a gRPC callback thread for RPCs), so code after a co_await must not block; get() called on such
// a thread throws BlockingCallError instead of deadlocking.
#pragma once

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "temporal/async/co_await_temporaries.h"
#include "temporal/common/errors.h"

namespace temporal {

/// Raised when a blocking call (Task::get) is made on a thread that must never block:
/// a gRPC callback thread or workflow code.
class BlockingCallError : public TemporalError {
 public:
  using TemporalError::TemporalError;
};

namespace async_detail {
/// True while the current thread runs completion callbacks of the transport. Blocking there
/// would starve the threads that complete every other call.
inline thread_local int non_blocking_depth = 0;

struct NonBlockingScope {
  NonBlockingScope() { ++non_blocking_depth; }
  ~NonBlockingScope() { --non_blocking_depth; }
  NonBlockingScope(const NonBlockingScope&) = delete;
  NonBlockingScope& operator=(const NonBlockingScope&) = delete;
};

template <class T>
struct ResultHolder {
  std::variant<std::monostate, T, std::exception_ptr> value;
  template <class U>
  void return_value(U&& v) {
    value.template emplace<1>(std::forward<U>(v));
  }
  void unhandled_exception() { value.template emplace<2>(std::current_exception()); }
  T take() {
    if (value.index() == 2) std::rethrow_exception(std::get<2>(value));
    return std::move(std::get<1>(value));
  }
};

template <>
struct ResultHolder<void> {
  std::exception_ptr error;
  bool done = false;
  void return_void() { done = true; }
  void unhandled_exception() { error = std::current_exception(); }
  void take() {
    if (error) std::rethrow_exception(error);
  }
};
}  // namespace async_detail

template <class T = void>
class [[nodiscard]] Task {
 public:
  struct promise_type : async_detail::ResultHolder<T> {
    std::coroutine_handle<> continuation = std::noop_coroutine();

    Task get_return_object() { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct FinalAwaiter {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        return h.promise().continuation;
      }
      void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
  };

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  bool valid() const noexcept { return static_cast<bool>(handle_); }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  T await_resume() { return handle_.promise().take(); }

  /// Runs the task to completion on the calling thread's behalf and returns its result (or
  /// throws its exception). Throws BlockingCallError on a thread that must not block.
  T get() &&;

 private:
  explicit Task(std::coroutine_handle<promise_type> h) : handle_(h) {}
  void reset() {
    if (handle_) handle_.destroy();
    handle_ = {};
  }
  std::coroutine_handle<promise_type> handle_;
};

namespace async_detail {
/// A coroutine that starts eagerly, runs a callback when the awaited task ends and destroys
/// itself: the building block for get(), spawn() and when_all().
struct Detached {
  struct promise_type {
    Detached get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

template <class T, class Done>
Detached run_then(Task<T> task, Done done) {
  ResultHolder<T> holder;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      holder.return_void();
    } else {
      holder.return_value(co_await std::move(task));
    }
  } catch (...) {
    holder.unhandled_exception();
  }
  done(std::move(holder));
}
}  // namespace async_detail

template <class T>
T Task<T>::get() && {
  if (async_detail::non_blocking_depth > 0) {
    throw BlockingCallError(
        "temporal: blocking get() called on a thread that completes asynchronous calls (or in workflow "
        "code); co_await the task instead");
  }
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  async_detail::ResultHolder<T> out;
  async_detail::run_then(std::move(*this), [&](async_detail::ResultHolder<T>&& r) {
    std::lock_guard lock(mu);
    out = std::move(r);
    finished = true;
    cv.notify_one();
  });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return finished; });
  return out.take();
}

/// Starts a task without waiting for it. Its result is dropped; an exception it throws is
/// passed to on_error (which must not throw).
template <class T, class OnError>
void spawn(Task<T> task, OnError on_error) {
  async_detail::run_then(std::move(task), [on_error = std::move(on_error)](async_detail::ResultHolder<T>&& r) mutable {
    try {
      r.take();
    } catch (...) {
      on_error(std::current_exception());
    }
  });
}

/// Awaits every task concurrently; returns their results in order (nothing for Task<void>), or
/// rethrows the first exception (in task order) once all have finished.
template <class T>
Task<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> when_all(std::vector<Task<T>> tasks) {
  struct State {
    std::vector<async_detail::ResultHolder<T>> results;
    std::atomic<size_t> remaining;
    std::coroutine_handle<> waiter;
  };
  struct Awaiter {
    State* state;
    std::vector<Task<T>>* tasks;
    bool await_ready() const noexcept { return tasks->empty(); }
    // `remaining` starts at size + 1: the extra count is this function's, so a task that finishes
    // while others are still being started cannot resume the waiter early.
    bool await_suspend(std::coroutine_handle<> h) {
      state->waiter = h;
      const size_t n = tasks->size();
      for (size_t i = 0; i < n; ++i) {
        async_detail::run_then(std::move((*tasks)[i]), [s = state, i](async_detail::ResultHolder<T>&& r) {
          s->results[i] = std::move(r);
          if (s->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) s->waiter.resume();
        });
      }
      return state->remaining.fetch_sub(1, std::memory_order_acq_rel) != 1;
    }
    void await_resume() const noexcept {}
  };
  State state{std::vector<async_detail::ResultHolder<T>>(tasks.size()), tasks.size() + 1, {}};
  co_await Awaiter{&state, &tasks};
  if constexpr (std::is_void_v<T>) {
    for (auto& r : state.results) r.take();
  } else {
    std::vector<T> out;
    out.reserve(state.results.size());
    for (auto& r : state.results) out.push_back(r.take());
    co_return out;
  }
}


/// What a call returns on GCC 12 when it received a braced struct or a lambda that owns memory as
/// a temporary: the same Task, except that awaiting the call's result inside the same expression
/// (`co_await client.start("wf", {.task_queue = "q"})`) does not compile, because GCC 12 would
/// destroy that temporary twice. Name the argument first (`WorkflowOptions options{...};
/// co_await client.start("wf", options);`), or name the task (`auto task = ...; co_await task;`).
/// get() and conversion to Task<T> work as usual.
template <class T>
class [[nodiscard]] Gcc12GuardedTask : public Task<T> {
  // Forwards to the task; a pointer, because GCC 12 also copies an awaiter returned by reference.
  struct Ref {
    Task<T>* t;
    bool await_ready() { return t->await_ready(); }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) { return t->await_suspend(h); }
    T await_resume() { return t->await_resume(); }
  };

 public:
  Gcc12GuardedTask(Task<T> t) : Task<T>(std::move(t)) {}  // NOLINT: wraps the call's task
  Ref operator co_await() & { return Ref{this}; }
  Ref operator co_await() && {
    static_assert(async_detail::kAlwaysFalse<T>,
                  "GCC 12 destroys a braced struct or lambda that owns memory (a std::string, a shared_ptr ...) "
                  "twice when it is written inside the co_await expression (a double free). Declare the options "
                  "or argument as a variable first: `WorkflowOptions options{...}; co_await client.start(\"wf\", "
                  "options);`. Clang and GCC 13+ are not affected.");
    return Ref{this};
  }
};

/// The return type of a client call given arguments `A...` (as its forwarding references deduced
/// them): Task<T>, or on GCC 12 a Gcc12GuardedTask<T> when one of them is a temporary it mishandles.
template <class T, class... A>
using CheckedTask = std::conditional_t<async_detail::kAnyDoubleDestroyedOnGcc12<A...>, Gcc12GuardedTask<T>, Task<T>>;

}  // namespace temporal
