// Deduces the argument and result types of functions, lambdas and function objects, so that
// workflows and activities can be registered without repeating their signatures.
#pragma once

#include <functional>
#include <tuple>
#include <type_traits>

namespace temporal::detail {

template <class F>
struct FunctionTraits : FunctionTraits<decltype(&std::decay_t<F>::operator())> {};

template <class R, class... Args>
struct FunctionTraits<R (*)(Args...)> {
  using Result = R;
  using ArgsTuple = std::tuple<std::decay_t<Args>...>;
  static constexpr size_t kArity = sizeof...(Args);
};
template <class R, class... Args>
struct FunctionTraits<R(Args...)> : FunctionTraits<R (*)(Args...)> {};
template <class C, class R, class... Args>
struct FunctionTraits<R (C::*)(Args...)> : FunctionTraits<R (*)(Args...)> {};
template <class C, class R, class... Args>
struct FunctionTraits<R (C::*)(Args...) const> : FunctionTraits<R (*)(Args...)> {};
template <class C, class R, class... Args>
struct FunctionTraits<R (C::*)(Args...) noexcept> : FunctionTraits<R (*)(Args...)> {};
template <class C, class R, class... Args>
struct FunctionTraits<R (C::*)(Args...) const noexcept> : FunctionTraits<R (*)(Args...)> {};

}  // namespace temporal::detail
