// The main example: a C++ worker hosts a workflow and an activity; a C++ client executes the
// workflow and prints its result.
//
//   hello_worker            (TEMPORAL_ADDRESS, default localhost:7233)
#include <chrono>
#include <cstdlib>
#include <iostream>

#include <temporal/client.h>
#include <temporal/worker/worker.h>
#include <temporal/workflow/workflow.h>

namespace wf = temporal::workflow;
using namespace std::chrono_literals;

// An activity: ordinary code; it may do I/O.
std::string compose_greeting(std::string name) { return "Hello, " + name + "!"; }

// A workflow: a coroutine, replayed deterministically from history.
wf::Workflow<std::string> greet(std::string name) {
  wf::ActivityOptions options{.start_to_close_timeout = 10s};
  auto greeting = co_await wf::execute_activity<std::string>("compose_greeting", options, name);
  co_await wf::sleep(100ms);
  co_return greeting;
}

int main() {
  using namespace temporal::client;
  const char* address = std::getenv("TEMPORAL_ADDRESS");
  try {
    Client client(Connection::connect({.address = address ? address : "localhost:7233"}));

    temporal::worker::Worker worker(client, {.task_queue = "hello-cpp"});
    worker.register_workflow("greet", greet).register_activity("compose_greeting", compose_greeting);
    worker.start();

    auto result = client.workflow()
                      .execute<std::string>("greet", {.task_queue = "hello-cpp", .workflow_id = "hello-cpp-worker"},
                                            std::string("Temporal"))
                      .get();
    std::cout << result << std::endl;
    worker.shutdown();
  } catch (const temporal::TemporalError& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
