#include "temporal/testing/dev_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "temporal/client/connection.h"

#ifndef TEMPORAL_CPP_SOURCE_DIR
#define TEMPORAL_CPP_SOURCE_DIR ""
#endif

namespace temporal::testing {

namespace {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("DevServer: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    throw std::runtime_error("DevServer: cannot bind a loopback port");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool file_exists(const std::string& p) { return !p.empty() && ::access(p.c_str(), X_OK) == 0; }

std::string find_cli(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("TEMPORAL_CLI"); env && *env) return env;
  std::string venv = std::string(TEMPORAL_CPP_SOURCE_DIR) + "/.venv/bin/temporal";
  if (file_exists(venv)) return venv;
  return "temporal";
}

std::string tail(const std::string& path, size_t max_bytes = 4000) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > max_bytes ? s.substr(s.size() - max_bytes) : s;
}

const std::map<std::string, std::string>& default_dynamic_config() {
  static const std::map<std::string, std::string> kConfig = {
      {"frontend.enableUpdateWorkflowExecution", "true"},
      {"frontend.enableUpdateWorkflowExecutionAsyncAccepted", "true"},
      {"frontend.enableExecuteMultiOperation", "true"},
      {"system.enableEagerWorkflowStart", "true"},
      {"system.forceSearchAttributesCacheRefreshOnRead", "true"},
      {"frontend.enableServerVersionCheck", "false"},
      {"frontend.workerVersioningDataAPIs", "true"},
      {"frontend.workerVersioningWorkflowAPIs", "true"},
  };
  return kConfig;
}

}  // namespace

const std::map<std::string, std::string>& test_search_attributes() {
  static const std::map<std::string, std::string> kAttrs = {
      {"CppText", "Text"},       {"CppKeyword", "Keyword"},   {"CppInt", "Int"},
      {"CppDouble", "Double"},   {"CppBool", "Bool"},         {"CppDatetime", "Datetime"},
      {"CppKeywordList", "KeywordList"},
  };
  return kAttrs;
}

DevServer::DevServer(DevServerOptions options) : options_(std::move(options)) {
  options_.executable = find_cli(options_.executable);
  if (options_.port == 0) options_.port = free_port();
  if (options_.log_file.empty()) {
    char tmpl[] = "/tmp/temporal-dev-server-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd >= 0) ::close(fd);
    options_.log_file = tmpl;
  }
  if (options_.register_test_search_attributes) {
    for (const auto& [k, v] : test_search_attributes()) options_.search_attributes.emplace(k, v);
  }
  address_ = "127.0.0.1:" + std::to_string(options_.port);
}

std::unique_ptr<DevServer> DevServer::start(DevServerOptions options) {
  std::unique_ptr<DevServer> server(new DevServer(std::move(options)));
  server->launch();
  server->wait_ready();
  return server;
}

void DevServer::launch() {
  std::vector<std::string> args = {options_.executable, "server",  "start-dev", "--headless",
                                   "--ip",              "127.0.0.1", "--port",  std::to_string(options_.port),
                                   "--log-level",       "warn"};
  if (!options_.db_filename.empty()) {
    args.insert(args.end(), {"--db-filename", options_.db_filename, "--sqlite-pragma", "journal_mode=wal"});
  }
  for (const auto& ns : options_.namespaces) args.insert(args.end(), {"--namespace", ns});
  // Registering attributes that a database file already holds would fail the start.
  const bool fresh_db = options_.db_filename.empty() || ::access(options_.db_filename.c_str(), F_OK) != 0;
  if (fresh_db) {
    for (const auto& [k, v] : options_.search_attributes) args.insert(args.end(), {"--search-attribute", k + "=" + v});
  }
  auto config = default_dynamic_config();
  for (const auto& [k, v] : options_.dynamic_config) config[k] = v;
  for (const auto& [k, v] : config) args.insert(args.end(), {"--dynamic-config-value", k + "=" + v});
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());

  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("DevServer: fork failed");
  if (pid == 0) {
    // Die with the test process, even if it aborts.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::setpgid(0, 0);
    int fd = ::open(options_.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
}

void DevServer::wait_ready() {
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  auto conn = client::Connection::lazy({.address = address_,
                                        .rpc_timeout = std::chrono::milliseconds(2000),
                                        .retry = {.max_attempts = 1}});
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("DevServer: `" + options_.executable + " server start-dev` exited during start (status " +
                               std::to_string(status) + "); log " + options_.log_file + ":\n" + tail(options_.log_file));
    }
    try {
      if (conn.check_health().get()) {
        // Health can answer before the default namespace exists; a namespaced call proves it.
        conn.system_info().get();
        return;
      }
    } catch (const std::exception&) {
    }
    if (std::chrono::steady_clock::now() > deadline) {
      std::string log = tail(options_.log_file);
      stop();
      throw std::runtime_error("DevServer: no answer on " + address_ + " within " +
                               std::to_string(options_.start_timeout.count()) + " ms; log:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void DevServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill();
}

void DevServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void DevServer::restart() {
  stop();
  launch();
  wait_ready();
}

DevServer::~DevServer() { stop(); }

std::string shared_test_server_address() {
  if (const char* env = std::getenv("TEMPORAL_ADDRESS"); env && *env) return env;
  static std::once_flag once;
  static DevServer* server = nullptr;
  std::call_once(once, [] {
    server = DevServer::start({}).release();
    std::atexit([] {
      if (server) server->stop();
    });
  });
  return server->address();
}

}  // namespace temporal::testing
