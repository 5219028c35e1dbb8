// CancellationToken: stops calls that are waiting, from any thread.
//
//   temporal::CancellationToken token;
//   auto client = base.with_call_options({.cancellation = token});
//   auto result = client.workflow().get_handle("order-1").result<std::string>();  // long wait
//   ...
//   token.cancel();   // from another thread: the wait ends with CallCancelledError
//
// A token is a cheap, copyable handle to shared state: copies cancel together. It is thread-safe.
// Once cancelled it stays cancelled; use a new token for new calls.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace temporal {

class CancellationRegistration;

class CancellationToken {
 public:
  /// A new token that is not cancelled.
  CancellationToken();

  /// Cancels every call that uses this token (or a copy): calls in flight end promptly, later
  /// ones fail at once. Idempotent.
  void cancel() const;
  bool cancelled() const;

  /// Runs `fn` once when the token is cancelled (at once, on this thread, if it already is), until
  /// the returned registration is destroyed. `fn` runs on the thread that calls cancel(), under the
  /// token's lock: it must be short and must neither block nor touch this token.
  [[nodiscard]] CancellationRegistration on_cancel(std::function<void()> fn) const;

 private:
  friend class CancellationRegistration;
  struct State;
  std::shared_ptr<State> state_;
};

/// Keeps a callback registered with a CancellationToken; destroying it unregisters the callback
/// (waiting for it if cancel() is running it on another thread). Move-only.
class CancellationRegistration {
 public:
  CancellationRegistration() = default;
  CancellationRegistration(CancellationRegistration&& other) noexcept;
  CancellationRegistration& operator=(CancellationRegistration&& other) noexcept;
  CancellationRegistration(const CancellationRegistration&) = delete;
  CancellationRegistration& operator=(const CancellationRegistration&) = delete;
  ~CancellationRegistration();

 private:
  friend class CancellationToken;
  CancellationRegistration(std::shared_ptr<CancellationToken::State> state, uint64_t id)
      : state_(std::move(state)), id_(id) {}
  void reset();
  std::shared_ptr<CancellationToken::State> state_;
  uint64_t id_ = 0;
};

}  // namespace temporal
