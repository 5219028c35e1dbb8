// DevServer: a real Temporal server (`temporal server start-dev`) for tests and examples.
//
//   auto server = temporal::testing::DevServer::start({});
//   auto conn = temporal::client::Connection::connect({.address = server->address()});
//
// The server runs headless on free loopback ports, in memory or on a SQLite file, with the dynamic
// config the official SDK test suites use and this project's test search attributes. It is
// stopped by stop() or the destructor, and killed with its parent process if that dies. Not
// thread-safe: one owner. Part of the temporal::testing library (not of temporal::temporal).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace temporal::testing {

struct DevServerOptions {
  /// The `temporal` CLI. Empty: $TEMPORAL_CLI, else `temporal` on PATH.
  std::string executable{};
  /// SQLite file to keep data across restarts; empty means in memory.
  std::string db_filename{};
  /// Frontend gRPC port; 0 picks a free one.
  int port = 0;
  /// Namespaces to create besides "default".
  std::vector<std::string> namespaces{};
  /// Search attributes to register (name -> Text, Keyword, Int, Double, Bool, Datetime, KeywordList).
  /// Defaults to kTestSearchAttributes.
  std::map<std::string, std::string> search_attributes{};
  bool register_test_search_attributes = true;
  /// Extra `--dynamic-config-value KEY=JSON` entries (added to the defaults).
  std::map<std::string, std::string> dynamic_config{};
  /// More raw CLI arguments.
  std::vector<std::string> extra_args{};
  /// How long to wait for the server to answer.
  std::chrono::milliseconds start_timeout{90000};
  /// Server log; empty means a temp file (its tail is shown when start fails).
  std::string log_file{};
};

/// The custom search attributes the project's tests and examples use.
const std::map<std::string, std::string>& test_search_attributes();

class DevServer {
 public:
  /// Starts the server and waits until it answers. Throws TemporalError with the log tail if it
  /// does not come up (and says how to point it at the CLI if that was not found).
  static std::unique_ptr<DevServer> start(DevServerOptions options);
  ~DevServer();
  DevServer(const DevServer&) = delete;
  DevServer& operator=(const DevServer&) = delete;

  /// host:port of the frontend.
  const std::string& address() const { return address_; }
  int port() const { return options_.port; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::string& log_file() const { return options_.log_file; }

  /// SIGTERM, then SIGKILL after a grace period; waits for the process. Idempotent.
  void stop();
  /// SIGKILL at once (for fault tests); the data survives if db_filename is set.
  void kill();
  /// Starts the process again with the same port and database, and waits until it answers.
  void restart();

 private:
  explicit DevServer(DevServerOptions options);
  void launch();
  void wait_ready();
  DevServerOptions options_;
  std::string address_;
  pid_t pid_ = -1;
};

/// The server tests should use: TEMPORAL_ADDRESS if set, else one DevServer started on first use
/// and kept in a function-local static (so it stops when statics are destroyed at exit).
std::string shared_test_server_address();

}  // namespace temporal::testing
