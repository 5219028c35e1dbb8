// expect: gcc12-rejects
#include "temporal/client.h"
temporal::Task<void> f(temporal::client::Client client) {
  co_await client.activity().heartbeat(temporal::client::ActivityId{.workflow_id = "w", .activity_id = "a"}, 1);
}
