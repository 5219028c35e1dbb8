// A worker process for the run_until_signal tests (tests/integration/run_until_signal_test.cpp):
//   signal_worker <address> <task queue> <activity ms>
// Hosts the workflow "slowWork", whose activity "slow" prints "activity started", sleeps, and
// prints "activity finished". Runs Worker::run_until_signal() with no signal blocked beforehand,
// then checks that the SIGINT/SIGTERM dispositions from before are back, and exits 0.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "temporal/client.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace wf = temporal::workflow;

namespace {

int64_t g_activity_ms = 0;

std::string slow(std::string name) {
  std::printf("activity started\n");
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::milliseconds(g_activity_ms));
  std::printf("activity finished\n");
  std::fflush(stdout);
  return "done " + name;
}

wf::Workflow<std::string> slow_work(std::string name) {
  wf::ActivityOptions options{.start_to_close_timeout = std::chrono::seconds(60)};
  co_return co_await wf::execute_activity<std::string>("slow", options, name);
}

using Handler = void (*)(int);
Handler disposition(int sig) {
  struct sigaction now {};
  ::sigaction(sig, nullptr, &now);
  return now.sa_handler;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: signal_worker <address> <task queue> <activity ms>\n");
    return 2;
  }
  g_activity_ms = std::atoll(argv[3]);
  temporal::client::ConnectionOptions connection_options{.address = argv[1]};
  temporal::client::Client client(temporal::client::Connection::connect(connection_options));
  temporal::worker::WorkerOptions options{.task_queue = argv[2]};
  options.graceful_shutdown_timeout = std::chrono::seconds(30);
  temporal::worker::Worker worker(client, options);
  worker.register_workflow("slowWork", slow_work).register_activity("slow", slow);
  const Handler before_int = disposition(SIGINT);
  const Handler before_term = disposition(SIGTERM);
  std::printf("worker running\n");
  std::fflush(stdout);
  worker.run_until_signal();
  if (disposition(SIGINT) != before_int || disposition(SIGTERM) != before_term) {
    std::printf("previous signal handlers were not restored\n");
    return 3;
  }
  std::printf("run_until_signal returned; handlers restored\n");
  return 0;
}
