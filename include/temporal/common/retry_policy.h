// RetryPolicy: how the server retries a workflow or an activity.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace temporal {

/// Server-side retry policy of a workflow or activity. A plain value type.
struct RetryPolicy {
  /// Delay before the first retry; must be > 0.
  std::chrono::milliseconds initial_interval{1000};
  /// Growth of the delay per retry; must be >= 1.
  double backoff_coefficient = 2.0;
  /// Cap on the delay; default 100 x initial_interval. Must be >= initial_interval.
  std::optional<std::chrono::milliseconds> maximum_interval{};
  /// 0 means unlimited; must be >= 0.
  int maximum_attempts = 0;
  /// Application failure types that are never retried.
  std::vector<std::string> non_retryable_error_types{};
};

}  // namespace temporal
