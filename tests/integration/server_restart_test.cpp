// The client across a server outage: calls made while the server is down succeed once it is back
// within the retry window, and result() waiters keep waiting through the restart.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;

std::string temp_db() {
  char dir[] = "/tmp/temporal-cpp-restart-XXXXXX";
  if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  return std::string(dir) + "/server.db";
}

TEST(ServerRestart, AStartMadeWhileTheServerIsDownSucceedsOnceItIsBack) {
  auto server = testing::DevServer::start({.db_filename = temp_db()});
  Client client(Connection::connect({.address = server->address()}));
  server->kill();

  auto pending = std::async(std::launch::async, [&] {
    return client.workflow().start("nobodyPolls", {.task_queue = "restart-q", .workflow_id = "started-during-outage"}).get();
  });
  std::this_thread::sleep_for(1s);
  server->restart();
  auto handle = pending.get();  // within the retry window (about 20 s by default)
  auto d = client.workflow().get_handle("started-during-outage").describe().get();
  EXPECT_EQ(d.run_id, handle.first_execution_run_id());
  EXPECT_EQ(d.status, WorkflowExecutionStatus::kRunning);
  EXPECT_EQ(client.workflow().count("WorkflowId = 'started-during-outage'").get().count, 1);
  handle.terminate().get();
}

TEST(ServerRestart, ResultKeepsWaitingAcrossARestart) {
  auto server = testing::DevServer::start({.db_filename = temp_db()});
  Client client(Connection::connect({.address = server->address()}));
  auto handle = client.workflow().start("nobodyPolls", {.task_queue = "restart-q", .workflow_id = "waits"}).get();
  auto waiter = std::async(std::launch::async, [&] { return handle.result<std::string>().get(); });
  std::this_thread::sleep_for(500ms);
  server->kill();
  std::this_thread::sleep_for(2s);
  server->restart();
  handle.terminate("ended after restart").get();
  try {
    waiter.get();
    FAIL() << "result() returned a value for a terminated workflow";
  } catch (const WorkflowFailedError& e) {
    ASSERT_NE(dynamic_cast<const TerminatedFailure*>(e.cause()), nullptr) << e.what();
    EXPECT_EQ(e.cause()->message(), "ended after restart");
  }
}

TEST(ServerRestart, CallsDuringAnOutageFailWithAClearErrorAfterTheRetryWindow) {
  auto server = testing::DevServer::start({});
  Client client(Connection::connect({.address = server->address(),
                                     .retry = {.initial_interval = 50ms, .max_interval = 200ms, .max_attempts = 5}}));
  server->kill();
  try {
    client.workflow().start("x", {.task_queue = "q"}).get();
    FAIL();
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), 14);
    EXPECT_NE(std::string(e.what()).find("cannot reach the Temporal server"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace temporal::client
