// The seed's "start a workflow (non-blocking)" snippet: start, signal, then in "another process"
// find the workflow by id, signal it and wait for its result. Also a coroutine version.
//
//   start_signal_result [task-queue]
#include <cstdlib>
#include <iostream>
#include <vector>

#include <temporal/client.h>

using namespace temporal::client;

// The same flow as a coroutine: nothing blocks; thousands of these can share one thread.
temporal::Task<std::vector<std::string>> drive(Client client, std::string workflow_id) {
  auto handle = client.workflow().get_handle(workflow_id);
  co_await handle.signal("add", std::string("from a coroutine"));
  co_await handle.signal("finish");
  co_return co_await handle.result<std::vector<std::string>>();
}

int main(int argc, char** argv) {
  const char* address = std::getenv("TEMPORAL_ADDRESS");
  const std::string task_queue = argc > 1 ? argv[1] : "tutorial";
  try {
    Client client(Connection::connect({.address = address ? address : "localhost:7233"}));

    // In the initial process...
    auto handle = client.workflow().start("signalsAndQueries", {.task_queue = task_queue}).get();
    handle.signal("add", std::string("paused")).get();
    const std::string workflow_id = handle.workflow_id();  // a generated UUID
    std::cout << "started " << workflow_id << " run " << handle.first_execution_run_id() << std::endl;

    // In a different process...
    Client other(Connection::connect({.address = address ? address : "localhost:7233"}));
    auto again = other.workflow().get_handle(workflow_id);
    again.signal("add", std::string("resumed")).get();
    std::cout << "messages so far: " << again.query("getMessages").get().dump() << std::endl;

    auto result = drive(other, workflow_id).get();
    for (const auto& m : result) std::cout << "- " << m << std::endl;
    return result.size() == 3 ? 0 : 1;
  } catch (const temporal::TemporalError& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}
