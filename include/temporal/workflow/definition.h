// Workflow definitions: what a Worker or a Replayer runs for a workflow type.
//
// A workflow is a coroutine function, or a class whose object owns the run's state:
//
//   wf::Workflow<std::string> greet(std::string name);          // a function workflow
//   worker.register_workflow("greet", greet);
//
//   class Counter {                                              // a class workflow
//    public:
//     wf::Workflow<int> run(int limit);                          // the main coroutine
//     void increment(int by) { value_ += by; }                   // a signal handler
//     int value() const { return value_; }                       // a query handler
//     wf::Workflow<int> reset(int to);                           // an update handler
//     void validate_reset(int to) const;                         // its validator (throw to reject)
//    private:
//     int value_ = 0;
//   };
//   worker.register_workflow(wf::WorkflowClass<Counter>("Counter")
//                                .run(&Counter::run)
//                                .signal("increment", &Counter::increment)
//                                .query("value", &Counter::value)
//                                .update("reset", &Counter::reset, &Counter::validate_reset));
//
// With a class, one object is default-constructed per run, before any of its code runs; its
// handlers exist before `run` starts (a signal or update that arrives with the start is handled)
// and live as long as the run is held in memory, so a query after the run completed reads the
// object safely. Handlers that code registers itself while it runs (wf::set_query_handler and the
// like) belong to the code that registered them: they end when the main coroutine returns.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "temporal/common/function_traits.h"
#include "temporal/converter/data_converter.h"
#include "temporal/workflow/workflow.h"

namespace temporal::workflow {

/// A workflow type as the engine sees it: its name, and how to start a run. `start` is called
/// once per run, inside workflow code, with the run's input; it creates what the run owns,
/// registers the definition's handlers, and returns the main coroutine (not yet started).
struct WorkflowDefinition {
  using Start = std::function<Workflow<converter::Payload>(converter::Payloads)>;
  std::string name;
  Start start;
};

namespace detail {

/// Decodes the input, runs `call(args...)` (a Workflow<T> coroutine) and encodes its result.
template <class F, class Call>
Workflow<converter::Payload> run_main(Call call, converter::Payloads input) {
  auto args = decode_for<F>(input);
  using R = typename temporal::detail::FunctionTraits<F>::Result;
  static_assert(IsWorkflow<R>::value, "a workflow's main function must return workflow::Workflow<T>");
  using V = typename IsWorkflow<R>::Value;
  Workflow<V> body = std::apply(call, std::move(args));
  if constexpr (std::is_void_v<V>) {
    co_await body;
    co_return converter::to_payload(nullptr);
  } else {
    V v = co_await body;
    co_return converter::to_payload(v);
  }
}

/// Keeps `object` alive as long as the run (destroyed after the run's coroutines).
void keep_with_run(std::shared_ptr<void> object);

template <class M>
struct MemberTraits;
template <class C, class R, class... A>
struct MemberTraits<R (C::*)(A...)> {
  using Class = C;
};
template <class C, class R, class... A>
struct MemberTraits<R (C::*)(A...) const> {
  using Class = C;
};
template <class C, class R, class... A>
struct MemberTraits<R (C::*)(A...) noexcept> {
  using Class = C;
};
template <class C, class R, class... A>
struct MemberTraits<R (C::*)(A...) const noexcept> {
  using Class = C;
};

/// `(object->*m)(args...)` as a callable whose arguments FunctionTraits can read.
template <class T, class M>
auto bind_member(T* object, M m) {
  return [object, m](auto&&... args) { return (object->*m)(std::forward<decltype(args)>(args)...); };
}

}  // namespace detail

/// A function workflow: `fn` is a coroutine function returning Workflow<T>, whose parameters are
/// decoded from the run's input.
template <class F>
WorkflowDefinition define_workflow(std::string name, F fn) {
  WorkflowDefinition d;
  d.name = std::move(name);
  d.start = [fn](converter::Payloads input) { return detail::run_main<F>(fn, std::move(input)); };
  return d;
}

/// A class workflow (see the top of this header). T must be default-constructible.
template <class T>
class WorkflowClass {
 public:
  explicit WorkflowClass(std::string name) : name_(std::move(name)) {}

  /// The main coroutine: `Workflow<R> T::run(Args...)`.
  template <class M>
  WorkflowClass& run(M method) {
    static_assert(std::is_same_v<typename detail::MemberTraits<M>::Class, T>, "run must be a member of the workflow class");
    run_ = [method](T* self, converter::Payloads input) {
      return detail::run_main<M>(detail::bind_member(self, method), std::move(input));
    };
    return *this;
  }
  /// A signal handler: `void T::m(Args...)`.
  template <class M>
  WorkflowClass& signal(std::string signal_name, M method) {
    handlers_.push_back([signal_name = std::move(signal_name), method](T* self) {
      detail::set_signal_handler_for<M>(signal_name, detail::bind_member(self, method));
    });
    return *this;
  }
  /// A query handler: `R T::m(Args...) const` (must not change state).
  template <class M>
  WorkflowClass& query(std::string query_name, M method) {
    handlers_.push_back([query_name = std::move(query_name), method](T* self) {
      detail::set_query_handler_for<M>(query_name, detail::bind_member(self, method));
    });
    return *this;
  }
  /// An update handler: `R T::m(Args...)` or `Workflow<R> T::m(Args...)`.
  template <class M>
  WorkflowClass& update(std::string update_name, M method) {
    handlers_.push_back([update_name = std::move(update_name), method](T* self) {
      detail::set_update_handler_for<M>(update_name, detail::bind_member(self, method));
    });
    return *this;
  }
  /// An update handler and its validator: `void T::v(Args...)` (const or not), throws to reject.
  template <class M, class V>
  WorkflowClass& update(std::string update_name, M method, V validator) {
    handlers_.push_back([update_name = std::move(update_name), method, validator](T* self) {
      detail::set_update_handler_for<M, V>(update_name, detail::bind_member(self, method),
                                           detail::bind_member(self, validator));
    });
    return *this;
  }

  operator WorkflowDefinition() const {  // NOLINT: a WorkflowClass is used where a definition is expected
    if (!run_) throw UsageError("WorkflowClass '" + name_ + "' has no run method: call .run(&T::run)");
    WorkflowDefinition d;
    d.name = name_;
    d.start = [run = run_, handlers = handlers_](converter::Payloads input) {
      auto object = std::make_shared<T>();
      detail::keep_with_run(object);
      for (const auto& h : handlers) h(object.get());
      return run(object.get(), std::move(input));
    };
    return d;
  }

 private:
  std::string name_;
  std::function<Workflow<converter::Payload>(T*, converter::Payloads)> run_;
  std::vector<std::function<void(T*)>> handlers_;
};

}  // namespace temporal::workflow
