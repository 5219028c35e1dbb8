// DropProxy: a loopback TCP proxy for fault tests. It forwards bytes both ways between clients and
// one upstream (e.g. the dev server) and can misbehave on demand:
//
//   auto proxy = DropProxy::start({.upstream = server->address()});
//   Connection::connect({.address = proxy->address()});
//   proxy->drop_randomly(2000, 30000);   // cut every connection after a random number of bytes
//   proxy->reset_all();                  // cut every open connection now
//   proxy->blackhole(true);              // stop forwarding: open connections stall, new ones are
//                                        // accepted but never connected upstream
//   proxy->blackhole(false);             // resume forwarding (stalled bytes flow again)
//   proxy->delay(300ms);                 // a slow link: every byte arrives 300 ms later
//   proxy->forward();                    // back to a well-behaved proxy (no drops, no delay)
//
// A cut closes both sockets with SO_LINGER 0, so both peers see a TCP RST, possibly in the middle
// of a message. One thread runs the proxy (poll loop); all methods are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace temporal::test_support {

struct DropProxyOptions {
  /// 127.0.0.1:port (IPv4 loopback) to forward to.
  std::string upstream{};
  /// Seed for drop_randomly's byte budgets (0: from std::random_device).
  uint64_t seed = 0;
};

struct DropProxyStats {
  uint64_t accepted = 0;  ///< client connections accepted
  uint64_t cut = 0;       ///< connections closed with RST by the proxy (drops and reset_all)
  uint64_t bytes = 0;     ///< bytes forwarded, both directions
};

class DropProxy {
 public:
  /// Listens on a free 127.0.0.1 port and starts forwarding.
  static std::unique_ptr<DropProxy> start(DropProxyOptions options);
  ~DropProxy();
  DropProxy(const DropProxy&) = delete;
  DropProxy& operator=(const DropProxy&) = delete;

  /// 127.0.0.1:<port>
  const std::string& address() const { return address_; }
  int port() const { return port_; }

  /// Forward everything at once; no more drops, delay or blackhole.
  void forward();
  /// Hold every chunk of bytes this long before passing it on, in both directions (0: none).
  void delay(std::chrono::milliseconds one_way);
  /// Cut each connection (open or new) once it has forwarded `n` more bytes, both directions counted.
  void drop_after_bytes(uint64_t n);
  /// Like drop_after_bytes with a budget drawn uniformly from [min_bytes, max_bytes] per connection.
  void drop_randomly(uint64_t min_bytes, uint64_t max_bytes);
  /// On: nothing is forwarded (open connections stall, new connections are accepted and held).
  /// Off: forwarding resumes, held connections are connected upstream.
  void blackhole(bool on);
  /// On: bytes from upstream are held (not read), so requests reach the server but its answers do
  /// not come back; with reset_all() afterwards, a response is lost after the server acted on it.
  /// Off: answers flow again.
  void hold_responses(bool on);
  /// Cut every open connection now (RST to both peers).
  void reset_all();

  DropProxyStats stats() const;
  /// Stops the loop and closes every socket. Idempotent.
  void stop();

 private:
  explicit DropProxy(DropProxyOptions options);
  void run();

  DropProxyOptions options_;
  std::string address_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  // Guarded by mu_: the requested behaviour, bumped on every change so the loop re-applies it.
  uint64_t generation_ = 0;
  bool blackhole_ = false;
  bool hold_responses_ = false;
  bool reset_requested_ = false;
  uint64_t drop_min_ = 0, drop_max_ = 0;  // 0/0: no drops
  std::chrono::milliseconds delay_{0};
  std::mt19937_64 rng_;
  DropProxyStats stats_;
};

}  // namespace temporal::test_support
