// Whether this build runs under AddressSanitizer or ThreadSanitizer (tests that measure what the
// instrumentation changes, such as stack depth, skip there).
#pragma once

namespace temporal::test {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(TEMPORAL_TSAN)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif
}  // namespace temporal::test
