// temporal::activity:: functions: they reach the ActivityContext the worker installed on this
// thread (see worker/activity_worker.h).
#include "temporal/activity/activity.h"

#include <stdexcept>
#include <string>

#include "activity/context_hook.h"
#include "worker/activity_worker.h"

namespace temporal::worker::detail {

namespace {
thread_local ActivityContext* tl_current = nullptr;
}  // namespace

ActivityContext* ActivityContext::current() { return tl_current; }

ActivityScope::ActivityScope(ActivityContext* ctx) : previous_(tl_current) { tl_current = ctx; }
ActivityScope::~ActivityScope() { tl_current = previous_; }

}  // namespace temporal::worker::detail

namespace temporal::activity::detail {

namespace {
thread_local ContextHook* tl_hook = nullptr;
}  // namespace

ContextHookScope::ContextHookScope(ContextHook* hook) : previous_(tl_hook) { tl_hook = hook; }
ContextHookScope::~ContextHookScope() { tl_hook = previous_; }

}  // namespace temporal::activity::detail

namespace temporal::activity {

namespace {
worker::detail::ActivityContext& require(const char* function) {
  auto* ctx = worker::detail::ActivityContext::current();
  if (!ctx) {
    throw UsageError(std::string("temporal::activity::") + function +
                           "() called outside an activity (only the thread running an activity may call it)");
  }
  return *ctx;
}
}  // namespace

const Info& info() {
  if (auto* hook = detail::tl_hook) return hook->info();
  return require("info").info();
}

void heartbeat_payloads(converter::Payloads details) {
  if (auto* hook = detail::tl_hook) return hook->heartbeat(std::move(details));
  require("heartbeat").heartbeat(std::move(details));
}

bool cancellation_requested() {
  if (auto* hook = detail::tl_hook) return hook->cancellation_requested();
  return require("cancellation_requested").cancellation_requested();
}

}  // namespace temporal::activity
