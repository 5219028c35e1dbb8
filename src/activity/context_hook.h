// The activity context as the temporal::activity:: functions see it: the worker installs one for
// each running attempt (worker/activity_worker.h), the activity test environment its own
// (temporal::testing::ActivityEnvironment).
#pragma once

#include "temporal/activity/activity.h"

namespace temporal::activity::detail {

/// What temporal::activity:: needs from whoever runs the activity. Implementations are called from
/// the activity's thread (heartbeat, info) and must make cancellation_requested() thread-safe.
class ContextHook {
 public:
  virtual ~ContextHook() = default;
  virtual const Info& info() const = 0;
  virtual void heartbeat(converter::Payloads details) = 0;
  virtual bool cancellation_requested() const = 0;
};

/// Makes `hook` the calling thread's activity context for its lifetime (scopes nest).
class ContextHookScope {
 public:
  explicit ContextHookScope(ContextHook* hook);
  ~ContextHookScope();
  ContextHookScope(const ContextHookScope&) = delete;
  ContextHookScope& operator=(const ContextHookScope&) = delete;

 private:
  ContextHook* previous_;
};

}  // namespace temporal::activity::detail
