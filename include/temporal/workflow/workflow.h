// The API workflow code calls. A workflow is a coroutine returning Workflow<T>:
//
//   namespace wf = temporal::workflow;
//   wf::Workflow<std::string> greet(std::string name) {
//     wf::ActivityOptions options{.start_to_close_timeout = std::chrono::seconds(10)};
//     auto greeting = co_await wf::execute_activity<std::string>("compose", options, name);
//     co_await wf::sleep(std::chrono::seconds(1));
//     co_return greeting;
//   }
//
// Workflow code runs on a deterministic, single-threaded scheduler owned by the worker and is
// replayed from history: it must only await the awaitables of this header (or other Workflow<T>
// coroutines), read time and randomness from now()/random()/uuid4(), and never block, sleep on
// the OS clock or do I/O. Every function here must be called from workflow code; elsewhere it
// throws temporal::UsageError.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "temporal/async/co_await_temporaries.h"
#include "temporal/common/errors.h"
#include "temporal/common/function_traits.h"
#include "temporal/common/retry_policy.h"
#include "temporal/common/search_attributes.h"
#include "temporal/converter/data_converter.h"

namespace temporal::workflow {

namespace detail {
class Instance;
struct PendingOp;
/// The workflow instance whose code runs on this thread (null outside workflow code).
Instance* current();
Instance& require_current(const char* what);
void run_later(std::coroutine_handle<> h);

// GCC 12's double destruction of co_await temporaries: temporal/async/co_await_temporaries.h.
using ::temporal::async_detail::kAnyDoubleDestroyedOnGcc12;
using ::temporal::async_detail::kCoAwaitTemporariesDestroyedTwice;
using ::temporal::async_detail::kDoubleDestroyedOnGcc12;
}  // namespace detail

/// What the functions below return: the awaitable, which co_await takes as it is. When a call
/// received a lambda or braced struct that GCC 12 would destroy twice if the call sits inside the
/// co_await expression itself, awaiting the call's result directly does not compile there; naming
/// it first does (`auto ready = wf::wait_condition([s] { ... }); co_await ready;`). Converts to the
/// awaitable it holds (e.g. a Workflow<T> for when_all).
template <class A, bool kDoubleDestroyed>
class [[nodiscard]] Awaitable {
  // Forwards to the awaitable held; a pointer, so that copying or destroying it costs nothing.
  struct Ref {
    A* a;
    bool await_ready() { return a->await_ready(); }
    template <class H>
    decltype(auto) await_suspend(H h) {
      return a->await_suspend(h);
    }
    decltype(auto) await_resume() { return a->await_resume(); }
  };

 public:
  explicit Awaitable(A a) : a_(std::move(a)) {}
  Ref operator co_await() & { return Ref{&a_}; }
  Ref operator co_await() && {
    static_assert(!kDoubleDestroyed,
                  "GCC 12 destroys a lambda or braced struct that owns memory (a std::string, a shared_ptr ...) "
                  "twice when it is written inside the co_await expression (a double free). Keep it out of "
                  "the co_await expression: `auto ready = wf::wait_condition([captures] { ... }); co_await ready;`, "
                  "or declare the lambda, options or argument as a variable first. Clang and GCC 13+ are not "
                  "affected.");
    return Ref{&a_};
  }
  operator A() && { return std::move(a_); }  // NOLINT: hands the awaitable over (when_all, containers)

 private:
  A a_;
};

/// The coroutine type of workflows and of helper coroutines inside them. Lazy; awaiting it runs
/// it on the workflow's scheduler. Move-only.
template <class T = void>
class [[nodiscard]] Workflow {
 public:
  struct promise_type {
    std::variant<std::monostate, std::conditional_t<std::is_void_v<T>, std::monostate, T>, std::exception_ptr> result;
    std::coroutine_handle<> continuation = std::noop_coroutine();
    Workflow get_return_object() { return Workflow(std::coroutine_handle<promise_type>::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        return h.promise().continuation;
      }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void unhandled_exception() { result.template emplace<2>(std::current_exception()); }
    template <class U = T>
      requires(!std::is_void_v<U>)
    void return_value(U&& v) {
      result.template emplace<1>(std::forward<U>(v));
    }
  };

  Workflow() = default;
  Workflow(Workflow&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Workflow& operator=(Workflow&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~Workflow() {
    if (h_) h_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    h_.promise().continuation = awaiting;
    return h_;
  }
  T await_resume() {
    auto& r = h_.promise().result;
    if (r.index() == 2) std::rethrow_exception(std::get<2>(r));
    if constexpr (!std::is_void_v<T>) return std::move(std::get<1>(r));
  }

  /// For the engine: the raw handle (ownership stays here).
  std::coroutine_handle<promise_type> handle() const { return h_; }
  bool done() const { return h_ && h_.done(); }

 private:
  explicit Workflow(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

template <>
struct Workflow<void>::promise_type {
  std::variant<std::monostate, std::monostate, std::exception_ptr> result;
  std::coroutine_handle<> continuation = std::noop_coroutine();
  Workflow get_return_object() { return Workflow(std::coroutine_handle<promise_type>::from_promise(*this)); }
  std::suspend_always initial_suspend() noexcept { return {}; }
  struct Final {
    bool await_ready() noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
      return h.promise().continuation;
    }
    void await_resume() noexcept {}
  };
  Final final_suspend() noexcept { return {}; }
  void unhandled_exception() { result.emplace<2>(std::current_exception()); }
  void return_void() { result.emplace<1>(); }
};

/// Facts about the running workflow. Stable for the whole run.
struct Info {
  std::string namespace_name{};
  std::string workflow_id{};
  std::string run_id{};
  std::string first_execution_run_id{};
  std::string continued_from_run_id{};
  std::string workflow_type{};
  std::string task_queue{};
  int attempt = 1;
  std::string cron_schedule{};
  std::optional<std::chrono::milliseconds> workflow_execution_timeout{};
  std::optional<std::chrono::milliseconds> workflow_run_timeout{};
  std::chrono::system_clock::time_point start_time{};
  std::map<std::string, converter::Payload> memo{};
  SearchAttributes search_attributes{};
  std::map<std::string, converter::Payload> headers{};
  std::optional<std::string> parent_workflow_id{};
};

const Info& info();

/// Deterministic time: the start time of the current workflow task. Advances only between tasks.
std::chrono::system_clock::time_point now();
/// Deterministic random numbers, seeded from the run; the same on every replay.
uint64_t random();
/// A deterministic random UUID.
std::string uuid4();
/// True while the worker replays history (for side effects such as logging).
bool is_replaying();

/// Log lines that are printed only when not replaying.
void log(const std::string& message);

// ------------------------------------------------------------------------------------------------
// Timers

/// Awaitable timer. Throws CanceledFailure if its scope is cancelled first.
struct SleepAwaitable {
  std::chrono::milliseconds duration;
  std::shared_ptr<detail::PendingOp> op;
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  void await_resume();
};
/// Waits `d` of workflow time (a durable server timer).
inline SleepAwaitable sleep(std::chrono::milliseconds d) { return SleepAwaitable{d, nullptr}; }

// ------------------------------------------------------------------------------------------------
// Activities

/// What the workflow does with an activity when its scope is cancelled.
enum class ActivityCancellationType {
  kTryCancel = 0,                ///< request cancellation and fail at once with CanceledFailure
  kWaitCancellationCompleted = 1,///< request cancellation and wait for the activity to acknowledge
  kAbandon = 2,                  ///< fail at once; do not tell the server
};

struct ActivityOptions {
  std::optional<std::chrono::milliseconds> start_to_close_timeout{};
  std::optional<std::chrono::milliseconds> schedule_to_close_timeout{};
  std::optional<std::chrono::milliseconds> schedule_to_start_timeout{};
  std::optional<std::chrono::milliseconds> heartbeat_timeout{};
  std::optional<RetryPolicy> retry_policy{};
  /// Defaults to the workflow's task queue.
  std::string task_queue{};
  /// Defaults to a sequence number unique within the run.
  std::string activity_id{};
  ActivityCancellationType cancellation_type = ActivityCancellationType::kTryCancel;
  std::map<std::string, converter::Payload> headers{};
  std::string summary{};
};

/// Awaitable activity result (a payload); throws ActivityFailure with the cause.
struct ActivityAwaitable {
  std::string activity_type;
  ActivityOptions options;
  converter::Payloads args;
  std::shared_ptr<detail::PendingOp> op;
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  converter::Payload await_resume();
};

ActivityAwaitable execute_activity_payloads(std::string activity_type, ActivityOptions options,
                                            converter::Payloads args);

namespace detail {
template <class R>
Workflow<R> activity_result(ActivityAwaitable activity) {
  converter::Payload p = co_await activity;
  if constexpr (!std::is_void_v<R>) {
    co_return converter::from_payload<R>(p);
  }
}
}  // namespace detail

/// Runs an activity and returns its result as R (R = void ignores it). The arguments are encoded
/// when it is called.
template <class R = void, class... Args>
Awaitable<Workflow<R>, detail::kAnyDoubleDestroyedOnGcc12<Args&&...>> execute_activity(std::string activity_type,
                                                                                      const ActivityOptions& options,
                                                                                      Args&&... args) {
  return Awaitable<Workflow<R>, detail::kAnyDoubleDestroyedOnGcc12<Args&&...>>(detail::activity_result<R>(
      execute_activity_payloads(std::move(activity_type), options, converter::to_payloads(args...))));
}
/// Options written in place (a braced temporary, or moved).
template <class R = void, class... Args>
Awaitable<Workflow<R>, detail::kCoAwaitTemporariesDestroyedTwice> execute_activity(std::string activity_type,
                                                                                 ActivityOptions&& options,
                                                                                 Args&&... args) {
  return Awaitable<Workflow<R>, detail::kCoAwaitTemporariesDestroyedTwice>(detail::activity_result<R>(
      execute_activity_payloads(std::move(activity_type), std::move(options), converter::to_payloads(args...))));
}

// ------------------------------------------------------------------------------------------------
// Conditions

struct ConditionAwaitable {
  std::function<bool()> predicate;
  std::optional<std::chrono::milliseconds> timeout;
  std::shared_ptr<detail::PendingOp> op;
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  /// True if the predicate became true; false if the timeout fired first.
  bool await_resume();
};

/// Waits until `predicate` is true (re-checked after every event the workflow handles).
/// With a timeout, returns false if it fired first. The predicate must not change state.
/// Throws CanceledFailure if the workflow is cancelled while waiting (outside run_detached).
template <class P>
Awaitable<ConditionAwaitable, detail::kDoubleDestroyedOnGcc12<P&&>> wait_condition(
    P&& predicate, std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
  return Awaitable<ConditionAwaitable, detail::kDoubleDestroyedOnGcc12<P&&>>(
      ConditionAwaitable{std::function<bool()>(std::forward<P>(predicate)), timeout, nullptr});
}

// ------------------------------------------------------------------------------------------------
// Signals, queries, updates
//
// Handlers registered by workflow code as it runs belong to that code: they end when the main
// coroutine returns (a query after completion is answered only by handlers of a class workflow's
// definition, see definition.h, which live as long as the run). So a handler may capture the
// workflow function's locals by reference.

/// Registers a signal handler. Signals that arrived before the handler existed are delivered to
/// it at once, in order; none is ever dropped. A signal whose arguments cannot be decoded is
/// logged and dropped (it cannot be handled; the workflow goes on).
void set_signal_handler_payloads(std::string name, std::function<void(const converter::Payloads&)> handler);
template <class F>
void set_signal_handler(std::string name, F handler);

/// Registers a query handler. It must not change workflow state; it cannot start timers or
/// activities, or register handlers (those throw).
void set_query_handler_payloads(std::string name, std::function<converter::Payload(const converter::Payloads&)> handler);
template <class F>
void set_query_handler(std::string name, F handler);

/// Registers an update handler (may await workflow awaitables) and an optional validator (runs
/// before acceptance; throw to reject; must not change state). An update whose arguments cannot be
/// decoded is rejected.
using UpdateHandler = std::function<Workflow<converter::Payload>(converter::Payloads)>;
using UpdateValidator = std::function<void(const converter::Payloads&)>;
void set_update_handler_payloads(std::string name, UpdateHandler handler, UpdateValidator validator = nullptr);
template <class F>
void set_update_handler(std::string name, F handler);
template <class F, class V>
void set_update_handler(std::string name, F handler, V validator);

// ------------------------------------------------------------------------------------------------
// Concurrency: several activities, timers or child coroutines at once
//
//   auto a = wf::execute_activity<std::string>("one", options);
//   auto b = wf::execute_activity<std::string>("two", options);
//   std::vector<wf::Workflow<std::string>> both;
//   both.push_back(std::move(a));
//   both.push_back(std::move(b));
//   std::vector<std::string> results = co_await wf::when_all(std::move(both));
//
// The branches start in order (so their commands are produced in order) and run interleaved on
// the workflow's scheduler; when_all resumes when every branch has finished and rethrows the
// first failure by position.

namespace detail {
struct JoinState {
  size_t remaining = 0;
  std::coroutine_handle<> parent;
};
struct JoinAwaitable {
  JoinState* state;
  bool await_ready() const noexcept { return state->remaining == 0; }
  void await_suspend(std::coroutine_handle<> h) const noexcept { state->parent = h; }
  void await_resume() const noexcept {}
};
template <class T>
using BranchSlot = std::optional<std::conditional_t<std::is_void_v<T>, std::monostate, T>>;
template <class T>
Workflow<void> join_branch(Workflow<T>* branch, BranchSlot<T>* out, std::exception_ptr* error,
                           std::shared_ptr<JoinState> state) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await *branch;
      out->emplace();
    } else {
      out->emplace(co_await *branch);
    }
  } catch (...) {
    *error = std::current_exception();
  }
  if (--state->remaining == 0 && state->parent) run_later(state->parent);
}
}  // namespace detail

/// Runs the branches concurrently and returns their results in order (Workflow<void> when T is void).
template <class T>
Workflow<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> when_all(std::vector<Workflow<T>> branches) {
  auto state = std::make_shared<detail::JoinState>();
  state->remaining = branches.size();
  std::vector<detail::BranchSlot<T>> results(branches.size());
  std::vector<std::exception_ptr> errors(branches.size());
  std::vector<Workflow<void>> runners;
  runners.reserve(branches.size());
  for (size_t i = 0; i < branches.size(); ++i) {
    runners.push_back(detail::join_branch(&branches[i], &results[i], &errors[i], state));
  }
  for (auto& r : runners) detail::run_later(r.handle());
  detail::JoinAwaitable join{state.get()};
  co_await join;
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  if constexpr (!std::is_void_v<T>) {
    std::vector<T> out;
    out.reserve(results.size());
    for (auto& r : results) out.push_back(std::move(*r));
    co_return out;
  }
}

// ------------------------------------------------------------------------------------------------
// Cancellation

/// True once cancellation of the workflow was requested.
bool cancel_requested();

/// Runs `body` in a scope that the workflow's cancellation does not reach (for cleanup), and
/// waits for it.
Workflow<void> run_detached_function(std::function<Workflow<void>()> body);
template <class B>
Awaitable<Workflow<void>, detail::kDoubleDestroyedOnGcc12<B&&>> run_detached(B&& body) {
  return Awaitable<Workflow<void>, detail::kDoubleDestroyedOnGcc12<B&&>>(
      run_detached_function(std::function<Workflow<void>()>(std::forward<B>(body))));
}

// ------------------------------------------------------------------------------------------------
// Continue-as-new

struct ContinueAsNewOptions {
  std::string workflow_type{};  ///< default: this workflow's type
  std::string task_queue{};     ///< default: this workflow's task queue
  std::optional<std::chrono::milliseconds> workflow_run_timeout{};
  std::optional<std::chrono::milliseconds> workflow_task_timeout{};
  /// Empty: the new run gets this run's memo.
  std::map<std::string, converter::Payload> memo{};
  /// Empty: the new run gets this run's search attributes.
  SearchAttributes search_attributes{};
};

/// Thrown by continue_as_new(); let it propagate out of the workflow function.
struct ContinueAsNewRequest {
  ContinueAsNewOptions options;
  converter::Payloads args;
};

/// Ends this run and starts a new one of the same workflow with `args` (its type, task queue,
/// timeouts, memo and search attributes carry over): `wf::continue_as_new(next_page, total)`.
template <class... Args>
[[noreturn]] void continue_as_new(const Args&... args) {
  throw ContinueAsNewRequest{ContinueAsNewOptions{}, converter::to_payloads(args...)};
}
/// The same with options for the new run: `wf::continue_as_new({.task_queue = "v2"}, args...)`.
template <class... Args>
[[noreturn]] void continue_as_new(ContinueAsNewOptions options, const Args&... args) {
  throw ContinueAsNewRequest{std::move(options), converter::to_payloads(args...)};
}

// ------------------------------------------------------------------------------------------------
// External workflows

/// Another workflow, by id and optional run id: signal it or request its cancellation
/// (the seed's createExternalWorkflowHandle).
class ExternalWorkflowHandle {
 public:
  ExternalWorkflowHandle(std::string workflow_id, std::string run_id = {})
      : workflow_id_(std::move(workflow_id)), run_id_(std::move(run_id)) {}
  const std::string& workflow_id() const { return workflow_id_; }
  const std::string& run_id() const { return run_id_; }

  Workflow<void> signal_payloads(std::string signal_name, converter::Payloads args) const;
  template <class... Args>
  Awaitable<Workflow<void>, detail::kAnyDoubleDestroyedOnGcc12<Args&&...>> signal(std::string signal_name,
                                                                                 Args&&... args) const {
    return Awaitable<Workflow<void>, detail::kAnyDoubleDestroyedOnGcc12<Args&&...>>(
        signal_payloads(std::move(signal_name), converter::to_payloads(args...)));
  }
  Workflow<void> cancel() const;

 private:
  std::string workflow_id_;
  std::string run_id_;
};

inline ExternalWorkflowHandle get_external_workflow_handle(std::string workflow_id, std::string run_id = {}) {
  return ExternalWorkflowHandle(std::move(workflow_id), std::move(run_id));
}

// ------------------------------------------------------------------------------------------------
// Typed handler adapters

namespace detail {
template <class Tuple, size_t... I>
Tuple decode_args(const converter::Payloads& ps, std::index_sequence<I...>) {
  if (ps.size() < sizeof...(I)) {
    throw DataConverterError("expected " + std::to_string(sizeof...(I)) + " arguments, got " +
                             std::to_string(ps.size()));
  }
  return Tuple(converter::from_payload<std::tuple_element_t<I, Tuple>>(ps[I])...);
}
template <class F>
auto decode_for(const converter::Payloads& ps) {
  using Args = typename temporal::detail::FunctionTraits<F>::ArgsTuple;
  return decode_args<Args>(ps, std::make_index_sequence<std::tuple_size_v<Args>>{});
}
template <class T>
struct IsWorkflow : std::false_type {};
template <class T>
struct IsWorkflow<Workflow<T>> : std::true_type {
  using Value = T;
};

/// Thrown by the typed handler adapters when a signal's, update's or query's arguments cannot be
/// decoded into the handler's parameters: the engine drops the signal (logged), rejects the update
/// or fails the query, instead of failing the workflow task.
class UndecodableArguments : public DataConverterError {
 public:
  using DataConverterError::DataConverterError;
};
template <class F>
auto decode_handler_args(const converter::Payloads& ps) {
  try {
    return decode_for<F>(ps);
  } catch (const DataConverterError& e) {
    throw UndecodableArguments(e.what());
  }
}

template <class F, class H, class Args>
Workflow<converter::Payload> run_update_body(H handler, Args args) {
  using R = typename temporal::detail::FunctionTraits<F>::Result;
  if constexpr (IsWorkflow<R>::value) {
    using V = typename IsWorkflow<R>::Value;
    Workflow<V> body = std::apply(handler, std::move(args));
    if constexpr (std::is_void_v<V>) {
      co_await body;
      co_return converter::to_payload(nullptr);
    } else {
      V v = co_await body;
      co_return converter::to_payload(v);
    }
  } else if constexpr (std::is_void_v<R>) {
    std::apply(handler, std::move(args));
    co_return converter::to_payload(nullptr);
  } else {
    co_return converter::to_payload(std::apply(handler, std::move(args)));
  }
}

// Handlers whose parameter types are those of F (a function, a lambda or a member function
// pointer), called through `handler` (which may bind an object). Decoding happens when the engine
// calls the returned function, before any handler code runs.
template <class F, class H>
void set_signal_handler_for(std::string name, H handler) {
  set_signal_handler_payloads(std::move(name), [handler](const converter::Payloads& ps) mutable {
    std::apply(handler, decode_handler_args<F>(ps));
  });
}
template <class F, class H>
void set_query_handler_for(std::string name, H handler) {
  set_query_handler_payloads(std::move(name), [handler](const converter::Payloads& ps) mutable {
    return converter::to_payload(std::apply(handler, decode_handler_args<F>(ps)));
  });
}
template <class F, class H>
UpdateHandler update_handler_for(H handler) {
  return [handler](converter::Payloads ps) { return run_update_body<F>(handler, decode_handler_args<F>(ps)); };
}
template <class F, class H>
void set_update_handler_for(std::string name, H handler) {
  set_update_handler_payloads(std::move(name), update_handler_for<F>(handler));
}
template <class F, class V, class H, class HV>
void set_update_handler_for(std::string name, H handler, HV validator) {
  set_update_handler_payloads(std::move(name), update_handler_for<F>(handler),
                              [validator](const converter::Payloads& ps) mutable {
                                std::apply(validator, decode_handler_args<V>(ps));
                              });
}
}  // namespace detail

template <class F>
void set_signal_handler(std::string name, F handler) {
  detail::set_signal_handler_for<F>(std::move(name), std::move(handler));
}

template <class F>
void set_query_handler(std::string name, F handler) {
  detail::set_query_handler_for<F>(std::move(name), std::move(handler));
}

template <class F>
void set_update_handler(std::string name, F handler) {
  detail::set_update_handler_for<F>(std::move(name), std::move(handler));
}

template <class F, class V>
void set_update_handler(std::string name, F handler, V validator) {
  detail::set_update_handler_for<F, V>(std::move(name), std::move(handler), std::move(validator));
}

}  // namespace temporal::workflow
