// expect: compile
// The forms to write instead: named options and arguments, a named task, or no co_await at all.
#include "temporal/client.h"
struct Order {
  std::string item;
  int count = 0;
};
void to_json(nlohmann::json& j, const Order& o) { j = {{"item", o.item}, {"count", o.count}}; }
temporal::Task<void> f(temporal::client::Client client) {
  temporal::client::WorkflowOptions options{.task_queue = "q", .workflow_id = "id"};
  Order order{.item = "book", .count = 2};
  co_await client.workflow().start("wf", options, order);
  auto started = client.workflow().start("wf", {.task_queue = "q", .workflow_id = "id2"});
  co_await started;
  temporal::client::ConnectionOptions conn{.address = "localhost:7233"};
  co_await temporal::client::Connection::connect_async(conn);
}
void g(temporal::client::Client client) {
  client.workflow().start("wf", {.task_queue = "q", .workflow_id = "id"}).get();  // no co_await: fine
}
