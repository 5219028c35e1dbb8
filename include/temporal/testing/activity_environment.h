// ActivityEnvironment: runs an activity function without a server or worker, for unit tests.
//
//   temporal::testing::ActivityEnvironment env;               // or env({.info = my_info})
//   env.on_heartbeat = [&](const temporal::converter::Payloads&) { if (env.heartbeat_count() == 3) env.cancel(); };
//   EXPECT_THROW(env.run(charge, std::string("order-1")), temporal::CanceledFailure);
//   EXPECT_EQ(env.heartbeat_details<int>(), (std::vector<int>{0, 1, 2}));
//
// Inside run(), temporal::activity::info() returns the environment's info, heartbeat() records its
// details (immediately, without throttling) and cancellation_requested() turns true once cancel()
// was called. The function runs on the calling thread. cancel() and the accessors are thread-safe;
// run() may be called again (each run sees the same info and the cancellation state so far).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "temporal/activity/activity.h"
#include "temporal/converter/data_converter.h"

namespace temporal::testing {

struct ActivityEnvironmentOptions {
  /// What temporal::activity::info() returns; default_info() when not set.
  std::optional<activity::Info> info{};
};

class ActivityEnvironment {
 public:
  explicit ActivityEnvironment(ActivityEnvironmentOptions options = {});
  ~ActivityEnvironment();
  ActivityEnvironment(const ActivityEnvironment&) = delete;
  ActivityEnvironment& operator=(const ActivityEnvironment&) = delete;

  /// Info of a first attempt of activity "test" (type "unknown") in workflow "test" on task queue
  /// "test", namespace "default", scheduled and started now, with no timeouts.
  static activity::Info default_info();

  /// Calls fn(args...) as an activity and returns (or throws) what it does.
  template <class F, class... Args>
  decltype(auto) run(F&& fn, Args&&... args) {
    Scope scope(*this);
    return std::invoke(std::forward<F>(fn), std::forward<Args>(args)...);
  }

  /// Asks the activity to stop: cancellation_requested() is true from now on (from any thread, also
  /// from on_heartbeat).
  void cancel();
  bool cancellation_requested() const { return cancelled_.load(); }

  const activity::Info& info() const { return info_; }

  /// Every heartbeat's details, in order.
  std::vector<converter::Payloads> heartbeats() const;
  size_t heartbeat_count() const;
  /// The first detail of every heartbeat, decoded as T (a heartbeat without details throws).
  template <class T>
  std::vector<T> heartbeat_details() const {
    std::vector<T> out;
    for (const auto& h : heartbeats()) {
      if (h.empty()) throw DataConverterError("ActivityEnvironment: a heartbeat had no details to decode");
      out.push_back(converter::from_payload<T>(h.front()));
    }
    return out;
  }

  /// Called on the activity's thread after each heartbeat is recorded.
  std::function<void(const converter::Payloads&)> on_heartbeat;

 private:
  class Hook;
  struct ScopeState;
  // Installs the hook on the calling thread for one run().
  class Scope {
   public:
    explicit Scope(ActivityEnvironment& env);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::unique_ptr<ScopeState> state_;
  };
  void record_heartbeat(converter::Payloads details);

  activity::Info info_;
  std::unique_ptr<Hook> hook_;
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mu_;
  std::vector<converter::Payloads> heartbeats_;
};

}  // namespace temporal::testing
