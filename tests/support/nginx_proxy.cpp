#include "support/nginx_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace temporal::test_support {

namespace {

using namespace std::chrono_literals;

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("NginxProxy: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    throw std::runtime_error("NginxProxy: cannot bind a loopback port");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string find_nginx(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("NGINX"); env && *env) return env;
  if (::access("/usr/sbin/nginx", X_OK) == 0) return "/usr/sbin/nginx";
  return "nginx";
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return out;
}

}  // namespace

NginxProxy::NginxProxy(NginxProxyOptions options) : options_(std::move(options)) {
  if (options_.upstream.empty()) throw std::invalid_argument("NginxProxy: upstream is empty");
  if (options_.cert_path.empty() != options_.key_path.empty()) {
    throw std::invalid_argument("NginxProxy: cert_path and key_path go together");
  }
  if (!options_.client_ca_path.empty() && options_.cert_path.empty()) {
    throw std::invalid_argument("NginxProxy: client_ca_path needs TLS (cert_path and key_path)");
  }
  options_.executable = find_nginx(options_.executable);
  char tmpl[] = "/tmp/temporal-cpp-nginx-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("NginxProxy: mkdtemp failed");
  dir_ = tmpl;
}

std::unique_ptr<NginxProxy> NginxProxy::start(NginxProxyOptions options) {
  std::unique_ptr<NginxProxy> proxy(new NginxProxy(std::move(options)));
  // The free port can be taken between our probe and nginx's bind; try a few.
  for (int attempt = 1;; ++attempt) {
    proxy->launch();
    try {
      proxy->wait_ready();
      return proxy;
    } catch (const std::runtime_error&) {
      if (attempt >= 3 || proxy->error_log().find("Address already in use") == std::string::npos) throw;
    }
  }
}

void NginxProxy::launch() {
  port_ = free_port();
  address_ = "127.0.0.1:" + std::to_string(port_);
  const bool tls = !options_.cert_path.empty();
  std::ostringstream conf;
  conf << "daemon off;\n"
       << "master_process off;\n"
       << "pid " << dir_ << "/nginx.pid;\n"
       << "error_log " << dir_ << "/error.log info;\n"
       << "events { worker_connections 256; }\n"
       << "http {\n"
       << "  client_body_temp_path " << dir_ << "/client_body;\n"
       << "  proxy_temp_path " << dir_ << "/proxy;\n"
       << "  fastcgi_temp_path " << dir_ << "/fastcgi;\n"
       << "  uwsgi_temp_path " << dir_ << "/uwsgi;\n"
       << "  scgi_temp_path " << dir_ << "/scgi;\n"
       << "  log_format cpptest "
          "\"$request_uri\\t$status\\t$http_authorization\\t$http_x_cpp_test\\t$ssl_protocol\\t$ssl_client_verify\";\n"
       << "  access_log " << dir_ << "/access.log cpptest;\n"
       << "  server {\n"
       << "    listen 127.0.0.1:" << port_ << (tls ? " ssl" : "") << " http2;\n";
  if (tls) {
    conf << "    ssl_certificate " << options_.cert_path << ";\n"
         << "    ssl_certificate_key " << options_.key_path << ";\n";
    if (!options_.client_ca_path.empty()) {
      conf << "    ssl_client_certificate " << options_.client_ca_path << ";\n"
           << "    ssl_verify_client on;\n";
      if (options_.require_client_cert_in_handshake) conf << "    ssl_conf_command VerifyMode Require;\n";
    }
  }
  conf << "    location / { grpc_pass grpc://" << options_.upstream << "; }\n"
       << "  }\n"
       << "}\n";
  const std::string conf_path = dir_ + "/nginx.conf";
  {
    std::ofstream out(conf_path, std::ios::trunc);
    out << conf.str();
    if (!out) throw std::runtime_error("NginxProxy: cannot write " + conf_path);
  }
  std::filesystem::remove(dir_ + "/error.log");

  // Everything the child needs is built before fork: only async-signal-safe calls after it.
  std::vector<std::string> args = {options_.executable, "-p", dir_ + "/", "-c", conf_path, "-e", dir_ + "/error.log"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string out_path = dir_ + "/stdout.log";
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("NginxProxy: fork failed");
  if (pid == 0) {
    // Die with the test process (strictly: with the thread that forked, the test's main thread).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::setpgid(0, 0);
    int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
}

void NginxProxy::wait_ready() {
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::string why = WIFEXITED(status) && WEXITSTATUS(status) == 127
                            ? "could not run `" + options_.executable + "` (install nginx-light, or set $NGINX)"
                            : "exited during start (status " + std::to_string(status) + ")";
      throw std::runtime_error("NginxProxy: nginx " + why + "; error log:\n" + error_log() + "\n" +
                               read_file(dir_ + "/stdout.log"));
    }
    if (accepts(port_)) return;
    if (std::chrono::steady_clock::now() > deadline) {
      std::string log = error_log();
      stop();
      throw std::runtime_error("NginxProxy: nginx did not listen on " + address_ + "; error log:\n" + log);
    }
    std::this_thread::sleep_for(20ms);
  }
}

NginxProxy::~NginxProxy() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void NginxProxy::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(20ms);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string NginxProxy::access_log() const { return read_file(dir_ + "/access.log"); }

std::string NginxProxy::error_log() const { return read_file(dir_ + "/error.log"); }

std::vector<ProxyRequest> NginxProxy::requests() const {
  std::vector<ProxyRequest> out;
  std::istringstream in(access_log());
  std::string line;
  while (std::getline(in, line)) {
    auto f = split_tabs(line);
    if (f.size() < 6) continue;
    for (auto& s : f) {
      if (s == "-") s.clear();
    }
    out.push_back(ProxyRequest{f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return out;
}

bool NginxProxy::wait_for_request(const std::function<bool(const ProxyRequest&)>& pred,
                                  std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    for (const auto& r : requests()) {
      if (pred(r)) return true;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
}

}  // namespace temporal::test_support
