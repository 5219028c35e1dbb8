#include "support/drop_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <limits>
#include <list>
#include <stdexcept>
#include <vector>

namespace temporal::test_support {

namespace {

constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

// Close so that the peer sees a TCP RST instead of an orderly FIN.
void close_with_rst(int fd) {
  if (fd < 0) return;
  struct linger lg {};
  lg.l_onoff = 1;
  lg.l_linger = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  ::close(fd);
}

sockaddr_in parse_ipv4(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("DropProxy: upstream must be host:port: " + host_port);
  std::string host = host_port.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::stoi(host_port.substr(colon + 1))));
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) {
    throw std::invalid_argument("DropProxy: upstream must be an IPv4 address: " + host_port);
  }
  return a;
}

using Clock = std::chrono::steady_clock;

struct Delayed {
  Clock::time_point due;
  std::string bytes;
};

struct Conn {
  int client = -1;
  int upstream = -1;  // -1 while held by a blackhole
  std::string to_upstream;
  std::string to_client;
  std::deque<Delayed> later_upstream;  // delay mode: read, not yet due
  std::deque<Delayed> later_client;
  uint64_t forwarded = 0;
  uint64_t budget = kNoLimit;  // cut once `forwarded` would pass this
  bool dead = false;
};

// Writes what the socket takes now; false on a hard error.
bool flush(int fd, std::string& buf) {
  while (!buf.empty()) {
    ssize_t n = ::send(fd, buf.data(), buf.size(), MSG_NOSIGNAL);
    if (n > 0) {
      buf.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<DropProxy> DropProxy::start(DropProxyOptions options) {
  std::unique_ptr<DropProxy> p(new DropProxy(std::move(options)));
  p->thread_ = std::thread([raw = p.get()] { raw->run(); });
  return p;
}

DropProxy::DropProxy(DropProxyOptions options) : options_(std::move(options)) {
  (void)parse_ipv4(options_.upstream);  // validate early
  rng_.seed(options_.seed ? options_.seed : std::random_device{}());
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("DropProxy: socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || ::listen(listen_fd_, 128) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error(std::string("DropProxy: bind/listen failed: ") + std::strerror(errno));
  }
  socklen_t len = sizeof(a);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  address_ = "127.0.0.1:" + std::to_string(port_);
  set_nonblocking(listen_fd_);
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("DropProxy: pipe failed");
}

DropProxy::~DropProxy() { stop(); }

void DropProxy::stop() {
  if (stopping_.exchange(true)) return;
  if (wake_[1] >= 0) (void)!::write(wake_[1], "x", 1);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

namespace {
void poke(int fd) { (void)!::write(fd, "x", 1); }
}  // namespace

void DropProxy::forward() {
  {
    std::lock_guard lock(mu_);
    drop_min_ = drop_max_ = 0;
    blackhole_ = false;
    hold_responses_ = false;
    delay_ = std::chrono::milliseconds(0);
    ++generation_;
  }
  poke(wake_[1]);
}

void DropProxy::delay(std::chrono::milliseconds one_way) {
  {
    std::lock_guard lock(mu_);
    delay_ = one_way;
    ++generation_;
  }
  poke(wake_[1]);
}

void DropProxy::drop_after_bytes(uint64_t n) { drop_randomly(n, n); }

void DropProxy::drop_randomly(uint64_t min_bytes, uint64_t max_bytes) {
  if (min_bytes == 0 || max_bytes < min_bytes) throw std::invalid_argument("DropProxy: need 0 < min_bytes <= max_bytes");
  {
    std::lock_guard lock(mu_);
    drop_min_ = min_bytes;
    drop_max_ = max_bytes;
    ++generation_;
  }
  poke(wake_[1]);
}

void DropProxy::blackhole(bool on) {
  {
    std::lock_guard lock(mu_);
    blackhole_ = on;
    ++generation_;
  }
  poke(wake_[1]);
}

void DropProxy::hold_responses(bool on) {
  {
    std::lock_guard lock(mu_);
    hold_responses_ = on;
    ++generation_;
  }
  poke(wake_[1]);
}

void DropProxy::reset_all() {
  {
    std::lock_guard lock(mu_);
    reset_requested_ = true;
    ++generation_;
  }
  poke(wake_[1]);
}

DropProxyStats DropProxy::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void DropProxy::run() {
  const sockaddr_in upstream_addr = parse_ipv4(options_.upstream);
  std::list<Conn> conns;
  uint64_t seen_generation = kNoLimit;
  bool blackhole = false;
  bool hold = false;
  std::chrono::milliseconds delay{0};
  std::vector<char> chunk(64 * 1024);

  auto draw_budget = [this](uint64_t forwarded) -> uint64_t {  // with mu_ held
    if (drop_max_ == 0) return kNoLimit;
    std::uniform_int_distribution<uint64_t> d(drop_min_, drop_max_);
    return forwarded + d(rng_);
  };
  auto cut = [this](Conn& c) {
    if (c.dead) return;
    close_with_rst(c.client);
    close_with_rst(c.upstream);
    c.client = c.upstream = -1;
    c.dead = true;
    std::lock_guard lock(mu_);
    ++stats_.cut;
  };
  auto close_quietly = [](Conn& c) {
    if (c.dead) return;
    if (c.client >= 0) ::close(c.client);
    if (c.upstream >= 0) ::close(c.upstream);
    c.client = c.upstream = -1;
    c.dead = true;
  };
  auto connect_upstream = [&](Conn& c) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&upstream_addr), sizeof(upstream_addr)) != 0) {
      if (fd >= 0) ::close(fd);
      cut(c);  // upstream down: the client sees its connection reset
      return;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    set_nonblocking(fd);
    c.upstream = fd;
  };
  // Moves `n` bytes read from one side towards the other, cutting the connection at its budget.
  auto carry = [&](Conn& c, std::string& out, std::deque<Delayed>& later, int out_fd, const char* data, uint64_t n) {
    const bool over = c.budget != kNoLimit && c.forwarded + n > c.budget;
    const uint64_t take = over ? c.budget - c.forwarded : n;
    if ((delay.count() > 0 || !later.empty()) && !over) {  // keep the order behind bytes still delayed
      later.push_back(Delayed{Clock::now() + delay, std::string(data, static_cast<size_t>(take))});
      c.forwarded += take;
      std::lock_guard lock(mu_);
      stats_.bytes += take;
      return;
    }
    out.append(data, static_cast<size_t>(take));
    c.forwarded += take;
    {
      std::lock_guard lock(mu_);
      stats_.bytes += take;
    }
    const bool ok = flush(out_fd, out);
    if (over || !ok) cut(c);
  };

  while (!stopping_.load()) {
    bool reset = false;
    {
      std::lock_guard lock(mu_);
      if (generation_ != seen_generation) {
        seen_generation = generation_;
        blackhole = blackhole_;
        hold = hold_responses_;
        delay = delay_;
        for (auto& c : conns) c.budget = draw_budget(c.forwarded);
        reset = reset_requested_;
        reset_requested_ = false;
      }
    }
    if (reset) {
      for (auto& c : conns) cut(c);
    }
    if (!blackhole) {
      for (auto& c : conns) {
        if (!c.dead && c.upstream < 0) connect_upstream(c);
      }
    }
    // Delay mode: pass on what is due; wake up in time for the next chunk.
    int poll_ms = 100;
    const auto now = Clock::now();
    for (auto& c : conns) {
      if (c.dead || blackhole || c.upstream < 0) continue;
      for (auto* q : {&c.later_upstream, &c.later_client}) {
        std::string& out = q == &c.later_upstream ? c.to_upstream : c.to_client;
        const int fd = q == &c.later_upstream ? c.upstream : c.client;
        bool moved = false;
        while (!q->empty() && q->front().due <= now) {
          out += q->front().bytes;
          q->pop_front();
          moved = true;
        }
        if (moved && !flush(fd, out)) cut(c);
        if (!q->empty()) {
          auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(q->front().due - now).count() + 1;
          poll_ms = std::min<int>(poll_ms, static_cast<int>(wait));
        }
      }
    }
    conns.remove_if([](const Conn& c) { return c.dead; });

    std::vector<pollfd> fds;
    fds.push_back({wake_[0], POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    std::vector<Conn*> owners;
    for (auto& c : conns) {
      short ce = 0, ue = 0;
      if (!blackhole && c.upstream >= 0) {
        if (c.to_upstream.empty()) ce |= POLLIN;
        if (c.to_client.empty() && !hold) ue |= POLLIN;
        if (!c.to_client.empty()) ce |= POLLOUT;
        if (!c.to_upstream.empty()) ue |= POLLOUT;
      }
      fds.push_back({c.client, ce, 0});
      owners.push_back(&c);
      if (c.upstream >= 0) {
        fds.push_back({c.upstream, ue, 0});
        owners.push_back(&c);
      }
    }
    int rc = ::poll(fds.data(), fds.size(), poll_ms);
    if (rc < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents & POLLIN) {
      char drain[64];
      while (::read(wake_[0], drain, sizeof(drain)) > 0) {
      }
    }
    if (fds[1].revents & POLLIN) {
      for (;;) {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        Conn c;
        c.client = fd;
        {
          std::lock_guard lock(mu_);
          ++stats_.accepted;
          c.budget = draw_budget(0);
        }
        conns.push_back(std::move(c));
        if (!blackhole) connect_upstream(conns.back());
      }
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      Conn& c = *owners[i - 2];
      const short re = fds[i].revents;
      if (c.dead || re == 0) continue;
      const bool is_client = fds[i].fd == c.client;
      if (re & (POLLERR | POLLNVAL)) {
        cut(c);  // one side reset: pass the reset on
        continue;
      }
      if (blackhole) {
        if (re & POLLHUP) close_quietly(c);  // nothing is forwarded while blackholed
        continue;
      }
      if (hold && !is_client && (re & POLLHUP)) {
        cut(c);  // the upstream went away: what it said is lost, as a held answer should be
        continue;
      }
      if (re & POLLOUT) {
        std::string& out = is_client ? c.to_client : c.to_upstream;
        if (!flush(fds[i].fd, out)) {
          cut(c);
          continue;
        }
      }
      if (re & (POLLIN | POLLHUP)) {
        ssize_t n = ::recv(fds[i].fd, chunk.data(), chunk.size(), 0);
        if (n > 0) {
          if (is_client) {
            carry(c, c.to_upstream, c.later_upstream, c.upstream, chunk.data(), static_cast<uint64_t>(n));
          } else {
            carry(c, c.to_client, c.later_client, c.client, chunk.data(), static_cast<uint64_t>(n));
          }
        } else if (n == 0) {
          // Orderly close by one peer: pass on what is pending, then close both.
          if (c.upstream >= 0) flush(c.upstream, c.to_upstream);
          flush(c.client, c.to_client);
          close_quietly(c);
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          cut(c);
        }
      }
    }
  }
  for (auto& c : conns) close_quietly(c);
}

}  // namespace temporal::test_support
