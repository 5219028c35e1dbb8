#include "temporal/async/cancellation.h"

#include <map>
#include <mutex>
#include <utility>

namespace temporal {

// Callbacks run under `mu`, so a registration destroyed on another thread cannot free what a
// running callback uses (the callback that cancels a gRPC call touches its ClientContext). The
// mutex is recursive because a callback may complete work inline on the cancelling thread (gRPC
// can run a cancelled call's completion inside TryCancel), and that work may use the token and
// destroy registrations.
struct CancellationToken::State {
  std::recursive_mutex mu;
  bool cancelled = false;
  uint64_t next_id = 1;
  std::map<uint64_t, std::function<void()>> callbacks;
};

CancellationToken::CancellationToken() : state_(std::make_shared<State>()) {}

void CancellationToken::cancel() const {
  std::lock_guard lock(state_->mu);
  if (state_->cancelled) return;
  state_->cancelled = true;
  // One at a time, taken out first: a callback may unregister others (they are then not run).
  while (!state_->callbacks.empty()) {
    auto first = state_->callbacks.begin();
    std::function<void()> fn = std::move(first->second);
    state_->callbacks.erase(first);
    fn();
  }
}

bool CancellationToken::cancelled() const {
  std::lock_guard lock(state_->mu);
  return state_->cancelled;
}

CancellationRegistration CancellationToken::on_cancel(std::function<void()> fn) const {
  std::lock_guard lock(state_->mu);
  if (state_->cancelled) {
    fn();
    return {};
  }
  const uint64_t id = state_->next_id++;
  state_->callbacks.emplace(id, std::move(fn));
  return CancellationRegistration(state_, id);
}

CancellationRegistration::CancellationRegistration(CancellationRegistration&& other) noexcept
    : state_(std::move(other.state_)), id_(std::exchange(other.id_, 0)) {}

CancellationRegistration& CancellationRegistration::operator=(CancellationRegistration&& other) noexcept {
  if (this != &other) {
    reset();
    state_ = std::move(other.state_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

CancellationRegistration::~CancellationRegistration() { reset(); }

void CancellationRegistration::reset() {
  if (!state_) return;
  {
    std::lock_guard lock(state_->mu);
    state_->callbacks.erase(id_);
  }
  state_.reset();
  id_ = 0;
}

}  // namespace temporal
