// expect: gcc12-rejects
#include "temporal/client.h"
temporal::Task<void> f(temporal::client::Client client) {
  co_await client.workflow().start("wf", {.task_queue = "q", .workflow_id = "id"});
}
