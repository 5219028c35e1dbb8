// Exponential backoff with jitter: the one delay schedule for RPC retries and task polls.
#pragma once

#include <chrono>

namespace temporal::detail {

struct Backoff {
  std::chrono::milliseconds initial{200};
  double coefficient = 2.0;
  std::chrono::milliseconds max{10'000};
  double jitter = 0.2;  ///< +- fraction of each delay

  /// The delay before retry number `attempt` (1 = the first retry): initial x coefficient^(attempt-1),
  /// capped at max, then jittered. Saturates instead of overflowing.
  std::chrono::milliseconds delay(int attempt) const;
};

}  // namespace temporal::detail
