// expect: gcc12-rejects
#include "temporal/client.h"
struct Order {
  std::string item;
  int count = 0;
};
void to_json(nlohmann::json& j, const Order& o) { j = {{"item", o.item}, {"count", o.count}}; }
temporal::Task<void> f(temporal::client::Client client, temporal::client::WorkflowOptions options) {
  co_await client.workflow().start("wf", options, Order{.item = "book", .count = 2});
}
