#include "temporal/testing/activity_environment.h"

#include <chrono>

#include "activity/context_hook.h"

namespace temporal::testing {

class ActivityEnvironment::Hook : public activity::detail::ContextHook {
 public:
  explicit Hook(ActivityEnvironment& env) : env_(env) {}
  const activity::Info& info() const override { return env_.info_; }
  void heartbeat(converter::Payloads details) override { env_.record_heartbeat(std::move(details)); }
  bool cancellation_requested() const override { return env_.cancelled_.load(); }

 private:
  ActivityEnvironment& env_;
};

struct ActivityEnvironment::ScopeState {
  explicit ScopeState(activity::detail::ContextHook* hook) : scope(hook) {}
  activity::detail::ContextHookScope scope;
};

ActivityEnvironment::Scope::Scope(ActivityEnvironment& env) : state_(std::make_unique<ScopeState>(env.hook_.get())) {}
ActivityEnvironment::Scope::~Scope() = default;

ActivityEnvironment::ActivityEnvironment(ActivityEnvironmentOptions options)
    : info_(options.info ? std::move(*options.info) : default_info()), hook_(std::make_unique<Hook>(*this)) {}

ActivityEnvironment::~ActivityEnvironment() = default;

activity::Info ActivityEnvironment::default_info() {
  activity::Info info;
  info.task_token = "test-task-token";
  info.workflow_namespace = "default";
  info.workflow_id = "test";
  info.workflow_run_id = "test-run";
  info.workflow_type = "test";
  info.activity_id = "test";
  info.activity_type = "unknown";
  info.task_queue = "test";
  info.attempt = 1;
  info.scheduled_time = std::chrono::system_clock::now();
  info.started_time = info.scheduled_time;
  return info;
}

void ActivityEnvironment::cancel() { cancelled_.store(true); }

void ActivityEnvironment::record_heartbeat(converter::Payloads details) {
  {
    std::lock_guard lock(mu_);
    heartbeats_.push_back(details);
  }
  if (on_heartbeat) on_heartbeat(details);
}

std::vector<converter::Payloads> ActivityEnvironment::heartbeats() const {
  std::lock_guard lock(mu_);
  return heartbeats_;
}

size_t ActivityEnvironment::heartbeat_count() const {
  std::lock_guard lock(mu_);
  return heartbeats_.size();
}

}  // namespace temporal::testing
