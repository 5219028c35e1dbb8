// GCC before 13 destroys a temporary twice when it is a lambda or a braced struct that owns memory
// (a std::string, a shared_ptr ...) written inside a co_await expression: a double free. The
// client and workflow calls that take such values know it from these traits and reject the unsafe
// form at compile time there, with the form to write instead (temporal::CheckedTask in task.h,
// temporal::workflow::Awaitable in workflow.h). Clang and GCC 13+ are not affected; neither are
// named variables (lvalues) and class types with constructors (std::string, std::vector ...).
#pragma once

#include <functional>
#include <type_traits>

namespace temporal::async_detail {

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
inline constexpr bool kCoAwaitTemporariesDestroyedTwice = true;
#else
inline constexpr bool kCoAwaitTemporariesDestroyedTwice = false;
#endif

template <class T>
struct IsStdFunction : std::false_type {};
template <class S>
struct IsStdFunction<std::function<S>> : std::true_type {};
template <class T, class = void>
struct HasCallOperator : std::false_type {};
template <class T>
struct HasCallOperator<T, std::void_t<decltype(&T::operator())>> : std::true_type {};

/// An argument (as a forwarding reference deduced it) that GCC 12 would destroy twice if it is a
/// temporary in a co_await expression.
template <class A, class T = std::remove_cvref_t<A>>
inline constexpr bool kDoubleDestroyedOnGcc12 =
    kCoAwaitTemporariesDestroyedTwice && !std::is_lvalue_reference_v<A> && std::is_class_v<T> &&
    !std::is_trivially_destructible_v<T> && !IsStdFunction<T>::value &&
    (std::is_aggregate_v<T> || HasCallOperator<T>::value);
template <class... A>
inline constexpr bool kAnyDoubleDestroyedOnGcc12 = (kDoubleDestroyedOnGcc12<A> || ...);

template <class T>
inline constexpr bool kAlwaysFalse = false;

/// Constrains a forwarding-reference parameter that stands for one options type: `template <class
/// O = WorkflowOptions, class = Is<O, WorkflowOptions>> f(O&& options)` takes a braced list (O falls
/// back to its default), a named value or a moved one, and tells which it got.
template <class A, class T>
using Is = std::enable_if_t<std::is_same_v<std::remove_cvref_t<A>, T>>;

}  // namespace temporal::async_detail
