// The main example: connect, execute a workflow, print its result.
//
//   hello_client [task-queue]      (TEMPORAL_ADDRESS, default localhost:7233)
//
// scripts/run-example.sh starts a dev server and a worker hosting the `echo` workflow.
#include <cstdlib>
#include <iostream>

#include <temporal/client.h>

int main(int argc, char** argv) {
  using namespace temporal::client;
  const char* address = std::getenv("TEMPORAL_ADDRESS");
  const std::string task_queue = argc > 1 ? argv[1] : "tutorial";
  try {
    auto connection = Connection::connect({.address = address ? address : "localhost:7233"});
    Client client(connection);

    // Start the workflow and wait for the result of the run it started.
    auto result = client.workflow()
                      .execute<std::string>("echo", {.task_queue = task_queue, .workflow_id = "hello-cpp"},
                                            std::string("Hello, Temporal!"))
                      .get();
    std::cout << result << std::endl;
  } catch (const temporal::TemporalError& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
