// Client calls awaited inside coroutines with values that own memory (strings, shared_ptrs, maps):
// options, arguments, lambdas that capture by value. GCC 12 destroys such values twice when they
// are temporaries inside the co_await expression, so the API rejects that form there
// (tests/compile/) and these tests name them first; on clang (and GCC 13+) the same calls are
// written inline. CI runs this file under ASan with GCC and under TSan with clang: a value
// destroyed twice would be a double free.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "temporal/client.h"
#include "temporal/testing/dev_server.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#define TEMPORAL_TEST_INLINE_TEMPORARIES 0
#else
#define TEMPORAL_TEST_INLINE_TEMPORARIES 1
#endif

namespace temporal {
namespace {

using namespace std::chrono_literals;
namespace wf = temporal::workflow;

struct Order {
  std::string item;
  int64_t count = 0;
};
void to_json(nlohmann::json& j, const Order& o) { j = {{"item", o.item}, {"count", o.count}}; }
void from_json(const nlohmann::json& j, Order& o) {
  j.at("item").get_to(o.item);
  j.at("count").get_to(o.count);
}

std::string unique(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" +
         std::to_string(++n);
}

// Waits for one "more" signal and returns the items of both orders, and the total count.
wf::Workflow<Order> collect(Order first) {
  auto received = std::make_shared<std::vector<Order>>();
  wf::set_signal_handler("more", [received](Order o) { received->push_back(std::move(o)); });
  auto arrived = [received] { return !received->empty(); };
  co_await wf::wait_condition(arrived);
  co_return Order{first.item + "+" + received->front().item, first.count + received->front().count};
}

const std::string kLong(120, 'x');  // longer than any small-string buffer: a heap allocation

Task<Order> start_signal_and_wait(client::Client client, std::string queue) {
#if TEMPORAL_TEST_INLINE_TEMPORARIES
  auto handle = co_await client.workflow().start(
      "collect", client::WorkflowOptions{.task_queue = queue, .workflow_id = unique("inline"), .static_summary = kLong},
      Order{.item = "a" + kLong, .count = 1});
  co_await handle.signal("more", Order{.item = "b" + kLong, .count = 2});
  co_return co_await handle.result<Order>(client::ResultOptions{});
#else
  client::WorkflowOptions options{.task_queue = queue, .workflow_id = unique("named"), .static_summary = kLong};
  Order first{.item = "a" + kLong, .count = 1};
  auto handle = co_await client.workflow().start("collect", options, first);
  Order second{.item = "b" + kLong, .count = 2};
  co_await handle.signal("more", second);
  co_return co_await handle.result<Order>();
#endif
}

Task<client::Connection> connect_in_a_coroutine(std::string address) {
#if TEMPORAL_TEST_INLINE_TEMPORARIES
  co_return co_await client::Connection::connect_async(
      client::ConnectionOptions{.address = address, .metadata = {{"x-note", kLong}}, .identity = "inline@" + kLong});
#else
  client::ConnectionOptions options{.address = address, .metadata = {{"x-note", kLong}}, .identity = "named@" + kLong};
  co_return co_await client::Connection::connect_async(options);
#endif
}

TEST(CoAwaitTemporaries, WorkflowOptionsArgumentsAndSignalsThatOwnMemory) {
  auto connection = connect_in_a_coroutine(testing::shared_test_server_address()).get();
  client::Client client(connection);
  const auto queue = unique("temporaries");
  worker::Worker w(client, worker::WorkerOptions{.task_queue = queue});
  w.register_workflow("collect", collect);
  w.start();
  for (int i = 0; i < 3; ++i) {
    const Order out = start_signal_and_wait(client, queue).get();
    EXPECT_EQ(out.item, "a" + kLong + "+b" + kLong);
    EXPECT_EQ(out.count, 3);
  }
  w.shutdown();
}

Task<std::string> update_schedule_note(client::ScheduleHandle handle, std::shared_ptr<std::string> note) {
#if TEMPORAL_TEST_INLINE_TEMPORARIES
  co_await handle.update([note, suffix = kLong](const client::ScheduleDescription& d) {
    std::optional<client::ScheduleUpdate> u = client::ScheduleUpdate{d.schedule};
    u->schedule.state.note = *note + suffix;
    return u;
  });
#else
  auto set_note = [note, suffix = kLong](const client::ScheduleDescription& d) {
    std::optional<client::ScheduleUpdate> u = client::ScheduleUpdate{d.schedule};
    u->schedule.state.note = *note + suffix;
    return u;
  };
  co_await handle.update(set_note);
#endif
  auto description = co_await handle.describe();
  co_return description.schedule.state.note;
}

TEST(CoAwaitTemporaries, ScheduleUpdateWithALambdaThatCapturesByValue) {
  client::Client client(client::Connection::connect({.address = testing::shared_test_server_address()}));
  client::ScheduleOptions options;
  options.spec.intervals.push_back({.every = 1h});
  client::WorkflowOptions wo{.task_queue = unique("never-polled"), .workflow_id = unique("scheduled")};
  options.action = client::ScheduleActionStartWorkflow::with_args("collect", wo, Order{.item = kLong, .count = 1});
  options.state.paused = true;
  const auto id = unique("sched");
  auto handle = client.schedule().create(id, options).get();
  auto note = std::make_shared<std::string>("note " + kLong);
  EXPECT_EQ(update_schedule_note(handle, note).get(), *note + kLong);
  EXPECT_EQ(note.use_count(), 1) << "the lambda's copy of the capture was not released";
  handle.delete_schedule().get();
}

}  // namespace
}  // namespace temporal
