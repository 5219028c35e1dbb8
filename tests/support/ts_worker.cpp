#include "support/ts_worker.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "temporal/testing/dev_server.h"

#ifndef TEMPORAL_CPP_SOURCE_DIR
#error "TEMPORAL_CPP_SOURCE_DIR must be defined"
#endif

namespace temporal::test_support {

namespace {
pid_t g_worker_pid = -1;

std::string start_worker() {
  const std::string address = testing::shared_test_server_address();
  const std::string queue = "ts-interop-" + std::to_string(::getpid());
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::setenv("TEMPORAL_ADDRESS", address.c_str(), 1);
    ::setenv("TASK_QUEUE", queue.c_str(), 1);
    std::string script = std::string(TEMPORAL_CPP_SOURCE_DIR) + "/tests/interop/ts/run.sh";
    ::execl(script.c_str(), script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  g_worker_pid = pid;
  std::atexit([] {
    if (g_worker_pid > 0) {
      ::kill(g_worker_pid, SIGTERM);
      ::waitpid(g_worker_pid, nullptr, 0);
    }
  });
  FILE* f = ::fdopen(out[0], "r");
  char line[256];
  while (std::fgets(line, sizeof(line), f)) {
    if (std::string(line).find("worker ready") != std::string::npos) return queue;
  }
  throw std::runtime_error("the TypeScript interop worker exited before it was ready (run scripts/setup.sh)");
}
}  // namespace

std::string ts_task_queue() {
  if (const char* env = std::getenv("TEMPORAL_TS_TASK_QUEUE"); env && *env) return env;
  static std::once_flag once;
  static std::string queue;
  std::call_once(once, [] { queue = start_worker(); });
  return queue;
}

}  // namespace temporal::test_support
