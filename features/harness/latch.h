// A gate between a scenario's starter and its workflow code, for the scenarios that must make
// something happen while a workflow task is in flight (the official Python versions do the
// same with threading.Event): workflow code blocks its thread in the gate, which real workflows
// must never do. Gates are keyed (by workflow id) so scenarios can run side by side.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

namespace temporal::features {

class Gate {
 public:
  /// Called by workflow code: the first call for `key` marks it waiting and blocks until
  /// release(key) (or `limit`); later calls for `key` return at once. True if it blocked.
  bool wait_once(const std::string& key, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock lock(mu_);
    auto& s = states_[key];
    if (s.waited) return false;
    s.waited = true;
    s.waiting = true;
    cv_.notify_all();
    cv_.wait_for(lock, limit, [&] { return s.released; });
    s.waiting = false;
    return true;
  }
  /// Called by the starter: waits until workflow code is blocked in the gate for `key`.
  bool wait_until_blocked(const std::string& key, std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return states_[key].waiting; });
  }
  void release(const std::string& key) {
    std::lock_guard lock(mu_);
    states_[key].released = true;
    cv_.notify_all();
  }

 private:
  struct State {
    bool waited = false;
    bool waiting = false;
    bool released = false;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, State> states_;
};

}  // namespace temporal::features
