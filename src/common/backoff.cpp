#include "common/backoff.h"

#include <algorithm>
#include <random>

namespace temporal::detail {

std::chrono::milliseconds Backoff::delay(int attempt) const {
  const double cap = static_cast<double>(max.count());
  double ms = static_cast<double>(initial.count());
  for (int i = 1; i < attempt && ms < cap; ++i) ms *= coefficient;
  ms = std::min(ms, cap);
  if (jitter > 0) {
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> factor(1.0 - jitter, 1.0 + jitter);
    ms *= factor(rng);
  }
  // A huge max (milliseconds::max()) must not overflow the conversion back: a day is "never" enough.
  constexpr double kDay = 24.0 * 3600 * 1000;
  return std::chrono::milliseconds(static_cast<int64_t>(std::clamp(ms, 0.0, kDay)));
}

}  // namespace temporal::detail
