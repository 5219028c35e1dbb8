// Worker::run_until_signal in a child process (tests/support/signal_worker.cpp) against the dev
// server: SIGTERM or SIGINT while an activity runs lets it finish (its completion reaches the
// server), then the process exits 0; a second signal during the shutdown ends it at once.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The worker process, its stdout and stderr in one log file.
class WorkerProcess {
 public:
  WorkerProcess(const std::string& address, const std::string& queue, int64_t activity_ms)
      : log_("/tmp/signal-worker-" + queue + ".log") {
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + log_);
    const std::string ms = std::to_string(activity_ms);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGTERM, SIG_DFL);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);  // nothing blocked before the worker's threads exist
      ::execl(TEMPORAL_SIGNAL_WORKER, TEMPORAL_SIGNAL_WORKER, address.c_str(), queue.c_str(), ms.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fd);
  }
  ~WorkerProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  std::string log() const { return read_file(log_); }
  bool wait_for_line(const std::string& line, std::chrono::milliseconds timeout) const {
    for (auto end = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < end;) {
      if (log().find(line) != std::string::npos) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  void send(int sig) const { ::kill(pid_, sig); }
  /// The wait status, or nullopt when the process is still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    for (auto end = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < end;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return status;
      }
      std::this_thread::sleep_for(50ms);
    }
    return std::nullopt;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

class RunUntilSignalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    address_ = testing::shared_test_server_address();
    client::ConnectionOptions connection_options{.address = address_};
    client_.emplace(client::Connection::connect(connection_options));
  }
  std::string queue(const std::string& name) const {
    return "run-until-signal-" + name + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  bool history_has(const client::WorkflowHandle& h, const std::string& event_type) const {
    for (const auto& e : h.fetch_history().get().events) {
      if (e.event_type == event_type) return true;
    }
    return false;
  }
  // A signal while the activity runs: the activity finishes and is reported, the process exits 0.
  void stops_gracefully_on(int sig) {
    const auto q = queue(sig == SIGINT ? "int" : "term");
    WorkerProcess worker(address_, q, 2000);
    ASSERT_TRUE(worker.wait_for_line("worker running", 30s)) << worker.log();
    client::WorkflowOptions options{.task_queue = q, .workflow_id = q};
    auto h = client_->workflow().start("slowWork", options, std::string("x")).get();
    ASSERT_TRUE(worker.wait_for_line("activity started", 30s)) << worker.log();
    worker.send(sig);
    auto status = worker.wait(60s);
    ASSERT_TRUE(status.has_value()) << "the worker did not exit: " << worker.log();
    ASSERT_TRUE(WIFEXITED(*status)) << "status " << *status << ": " << worker.log();
    EXPECT_EQ(WEXITSTATUS(*status), 0) << worker.log();
    const auto log = worker.log();
    EXPECT_NE(log.find("activity finished"), std::string::npos) << log;
    EXPECT_NE(log.find(sig == SIGINT ? "received SIGINT" : "received SIGTERM"), std::string::npos) << log;
    EXPECT_NE(log.find("run_until_signal returned; handlers restored"), std::string::npos) << log;
    // The in-flight activity's result reached the server before the worker left.
    EXPECT_TRUE(history_has(h, "EVENT_TYPE_ACTIVITY_TASK_COMPLETED")) << log;
    h.terminate("test over").get();
  }
  std::string address_;
  std::optional<client::Client> client_;
};

TEST_F(RunUntilSignalTest, SigtermFinishesTheInFlightActivityThenExitsZero) { stops_gracefully_on(SIGTERM); }

TEST_F(RunUntilSignalTest, SigintFinishesTheInFlightActivityThenExitsZero) { stops_gracefully_on(SIGINT); }

TEST_F(RunUntilSignalTest, ASecondSignalDuringTheShutdownEndsTheProcessAtOnceAndSaysSo) {
  const auto q = queue("twice");
  WorkerProcess worker(address_, q, 60000);
  ASSERT_TRUE(worker.wait_for_line("worker running", 30s)) << worker.log();
  client::WorkflowOptions options{.task_queue = q, .workflow_id = q};
  auto h = client_->workflow().start("slowWork", options, std::string("x")).get();
  ASSERT_TRUE(worker.wait_for_line("activity started", 30s)) << worker.log();
  worker.send(SIGTERM);
  ASSERT_TRUE(worker.wait_for_line("received SIGTERM", 10s)) << worker.log();
  worker.send(SIGTERM);
  auto status = worker.wait(20s);
  ASSERT_TRUE(status.has_value()) << "the worker did not exit: " << worker.log();
  ASSERT_TRUE(WIFSIGNALED(*status)) << "status " << *status << ": " << worker.log();
  EXPECT_EQ(WTERMSIG(*status), SIGTERM);
  EXPECT_NE(worker.log().find("second SIGTERM during the worker's graceful shutdown"), std::string::npos)
      << worker.log();
  EXPECT_EQ(worker.log().find("activity finished"), std::string::npos) << worker.log();
  h.terminate("test over").get();
}

}  // namespace
}  // namespace temporal
