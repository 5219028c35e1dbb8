// NginxProxy: a gRPC proxy (nginx `grpc_pass`) on a free loopback port, optionally terminating TLS
// (and requiring client certificates), for tests that need a real TLS endpoint in front of the
// dev server.
//
//   auto proxy = NginxProxy::start({.upstream = server_address,
//                                   .cert_path = pki.server.cert_path, .key_path = pki.server.key_path});
//   Connection::connect({.address = proxy->address(), .tls = TlsOptions{.server_root_ca_cert = pki.ca.cert}});
//   proxy->wait_for_request([](const ProxyRequest& r) { return r.authorization == "Bearer k"; });
//
// nginx runs in the foreground (`daemon off; master_process off;`) as a child process with its
// config, pid file, logs and temp paths in its own temp directory; it is killed with the test
// process if that dies, and stopped by stop() or the destructor. Needs the `nginx` binary
// (Debian: nginx-light, which includes the grpc and http2 modules); $NGINX overrides the path.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace temporal::test_support {

struct NginxProxyOptions {
  /// host:port of the plaintext gRPC server to forward to.
  std::string upstream{};
  /// Server certificate and key files; both empty means plaintext HTTP/2 (h2c).
  std::string cert_path{};
  std::string key_path{};
  /// CA file for client certificates; set means `ssl_verify_client on`. nginx then completes the
  /// TLS handshake without a (trusted) client certificate and answers each request with HTTP 400.
  std::string client_ca_path{};
  /// With client_ca_path: also fail the TLS handshake when the client sends no certificate, as a
  /// Temporal server (Go's RequireAndVerifyClientCert) does (`ssl_conf_command VerifyMode Require`).
  bool require_client_cert_in_handshake = false;
  /// The nginx binary; empty: $NGINX, else /usr/sbin/nginx, else `nginx` on PATH.
  std::string executable{};
  std::chrono::milliseconds start_timeout{10000};
};

/// One request as nginx's access log recorded it (nginx writes "-" for an absent header; that is
/// turned into an empty string here).
struct ProxyRequest {
  std::string uri;            ///< e.g. /temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo
  std::string status;         ///< HTTP status nginx answered with
  std::string authorization;  ///< the `authorization` header
  std::string x_cpp_test;     ///< the `x-cpp-test` header
  std::string ssl_protocol;   ///< e.g. TLSv1.3; empty on plaintext
  std::string client_verify;  ///< $ssl_client_verify: SUCCESS, NONE, FAILED:...; empty on plaintext
};

class NginxProxy {
 public:
  /// Starts nginx and waits until its port accepts connections. Throws std::runtime_error with
  /// nginx's error log if it does not come up.
  static std::unique_ptr<NginxProxy> start(NginxProxyOptions options);
  ~NginxProxy();
  NginxProxy(const NginxProxy&) = delete;
  NginxProxy& operator=(const NginxProxy&) = delete;

  /// 127.0.0.1:<port>
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }

  /// Every request logged so far.
  std::vector<ProxyRequest> requests() const;
  /// Waits up to `timeout` for a logged request that satisfies `pred` (nginx logs a request just
  /// after answering it) and returns whether one did.
  bool wait_for_request(const std::function<bool(const ProxyRequest&)>& pred,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) const;
  std::string access_log() const;
  std::string error_log() const;

  /// SIGTERM (SIGKILL after a grace period) and wait; the port is closed afterwards. Idempotent.
  void stop();

 private:
  explicit NginxProxy(NginxProxyOptions options);
  void launch();
  void wait_ready();
  NginxProxyOptions options_;
  std::string dir_;
  std::string address_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace temporal::test_support
