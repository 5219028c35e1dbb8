// temporal::activity:: functions: they reach the ActivityContext the worker installed on this
// thread (see worker/activity_worker.h).
#include "temporal/activity/activity.h"

#include <stdexcept>
#include <string>

#include "worker/activity_worker.h"

namespace temporal::worker::detail {

namespace {
thread_local ActivityContext* tl_current = nullptr;
}  // namespace

ActivityContext* ActivityContext::current() { return tl_current; }

ActivityScope::ActivityScope(ActivityContext* ctx) : previous_(tl_current) { tl_current = ctx; }
ActivityScope::~ActivityScope() { tl_current = previous_; }

}  // namespace temporal::worker::detail

namespace temporal::activity {

namespace {
worker::detail::ActivityContext& require(const char* function) {
  auto* ctx = worker::detail::ActivityContext::current();
  if (!ctx) {
    throw std::logic_error(std::string("temporal::activity::") + function +
                           "() called outside an activity (only the thread running an activity may call it)");
  }
  return *ctx;
}
}  // namespace

const Info& info() { return require("info").info(); }

void heartbeat_payloads(converter::Payloads details) { require("heartbeat").heartbeat(std::move(details)); }

bool cancellation_requested() { return require("cancellation_requested").cancellation_requested(); }

}  // namespace temporal::activity
