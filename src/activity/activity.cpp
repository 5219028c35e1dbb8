// temporal::activity:: functions: they reach the context installed on this thread, by the worker
// (worker/activity_worker.h) or by the test environment (temporal::testing::ActivityEnvironment).
#include "temporal/activity/activity.h"

#include <stdexcept>
#include <string>

#include "activity/context_hook.h"

namespace temporal::activity::detail {

namespace {
thread_local ContextHook* tl_hook = nullptr;
}  // namespace

ContextHookScope::ContextHookScope(ContextHook* hook) : previous_(tl_hook) { tl_hook = hook; }
ContextHookScope::~ContextHookScope() { tl_hook = previous_; }

}  // namespace temporal::activity::detail

namespace temporal::activity {

namespace {
detail::ContextHook& require(const char* function) {
  if (auto* hook = detail::tl_hook) return *hook;
  throw UsageError(std::string("temporal::activity::") + function +
                   "() called outside an activity (only the thread running an activity may call it)");
}
}  // namespace

const Info& info() { return require("info").info(); }

void heartbeat_payloads(converter::Payloads details) { require("heartbeat").heartbeat(std::move(details)); }

bool cancellation_requested() { return require("cancellation_requested").cancellation_requested(); }

}  // namespace temporal::activity
