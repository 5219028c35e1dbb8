// The seed's cancel and cron snippets: cancel a running workflow and see it end canceled;
// start a cron workflow that runs every minute, then terminate it.
//
//   cancel_and_cron [task-queue]
#include <cstdlib>
#include <iostream>

#include <temporal/client.h>

using namespace temporal::client;

int main(int argc, char** argv) {
  const char* address = std::getenv("TEMPORAL_ADDRESS");
  const std::string task_queue = argc > 1 ? argv[1] : "tutorial";
  try {
    Client client(Connection::connect({.address = address ? address : "localhost:7233"}));

    // Start the workflow without waiting for completion; later, cancel it.
    auto handle = client.workflow().start("cancellable", {.task_queue = task_queue}).get();
    handle.cancel().get();
    try {
      handle.result().get();
    } catch (const temporal::WorkflowFailedError& e) {
      if (dynamic_cast<const temporal::CanceledFailure*>(e.cause())) std::cout << "canceled: " << e.what() << std::endl;
    }

    // A cron workflow: the server starts a run every minute until it is terminated.
    auto cron = client.workflow()
                    .start("cronWorkflow", {.task_queue = task_queue, .cron_schedule = "* * * * *"})
                    .get();
    auto desc = cron.describe().get();
    std::cout << "cron workflow " << cron.workflow_id() << " is " << to_string(desc.status) << std::endl;
    cron.terminate("example done").get();
    return desc.status == WorkflowExecutionStatus::kRunning ? 0 : 1;
  } catch (const temporal::TemporalError& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 1;
  }
}
