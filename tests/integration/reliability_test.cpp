// Issue 12 (client side) against the real dev server: every wait honours the caller's deadline and
// cancellation, close() ends calls in flight, a server that is gone is reported as unreachable,
// errors blame the right cause, and strings that gRPC would abort on are rejected with a typed
// error while the process and the client keep working.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <typeinfo>
#include <future>
#include <string>
#include <thread>

#include "support/certs.h"
#include "support/ts_worker.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string unique(const std::string& prefix) {
  return "reliability-" + prefix + "-" + std::to_string(Clock::now().time_since_epoch().count());
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

class Reliability : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }
  // A workflow on a task queue no worker polls: it stays running and never answers anything.
  static WorkflowHandle start_unpolled(const std::string& prefix) {
    WorkflowOptions o;
    o.task_queue = unique("no-worker-queue");
    o.workflow_id = unique(prefix);
    return client_->workflow().start("nobodyPolls", o).get();
  }
  static WorkflowHandle start_on_ts_worker(const std::string& prefix) {
    WorkflowOptions o;
    o.task_queue = test_support::ts_task_queue();
    o.workflow_id = unique(prefix);
    return client_->workflow().start("signalsAndQueries", o).get();
  }
  static Client* client_;
};
Client* Reliability::client_ = nullptr;

// Runs `f`, which must throw E within `bound`; returns its message.
template <class E, class F>
std::string throws_within(std::chrono::milliseconds bound, F f) {
  const auto began = Clock::now();
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const E& e) {
    EXPECT_LT(Clock::now() - began, bound) << e.what();
    std::printf("[reliability] %s: %s\n", typeid(e).name(), e.what());
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong error type " << typeid(e).name() << ": " << e.what();
  }
  return {};
}

// ---- Waits that used to ignore the call's deadline

TEST_F(Reliability, ExecuteUpdateWithNoWorkerEndsAtTheCallDeadline) {
  auto handle = start_unpolled("update-no-worker").with_call_options({.timeout = 2s});
  auto what = throws_within<DeadlineExceededError>(20s, [&] { (void)handle.execute_update<json>("anything").get(); });
  EXPECT_TRUE(contains(what, "no worker had accepted it")) << what;
  EXPECT_FALSE(contains(what, "could not be reached")) << what;
  handle.terminate().get();
}

TEST_F(Reliability, StartUpdateWithNoWorkerEndsAtTheCallDeadline) {
  auto handle = start_unpolled("start-update-no-worker").with_call_options({.timeout = 2s});
  UpdateOptions uo;
  uo.wait_for_stage = WorkflowUpdateStage::kAccepted;
  auto what = throws_within<DeadlineExceededError>(20s, [&] { (void)handle.start_update("u", uo).get(); });
  EXPECT_TRUE(contains(what, "no worker had accepted it")) << what;
  handle.terminate().get();
}

TEST_F(Reliability, AnUpdateHandlesResultEndsAtTheCallDeadline) {
  auto base = start_unpolled("update-result-no-worker");
  // Admitted but never accepted: the handle's result() would wait for ever without a deadline.
  const std::string update_id = unique("update");
  std::thread sender([&] {
    try {
      UpdateOptions uo;
      uo.update_id = update_id;
      (void)base.with_call_options({.timeout = 3s}).start_update("u", uo).get();
    } catch (const TemporalError&) {
    }
  });
  std::this_thread::sleep_for(1s);
  auto update = base.with_call_options({.timeout = 2s}).get_update_handle(update_id);
  auto what = throws_within<TemporalError>(20s, [&] { (void)update.result<json>().get(); });
  sender.join();
  EXPECT_FALSE(what.empty());
  base.terminate().get();
}

TEST_F(Reliability, ResultOnARunningWorkflowEndsAtTheCallDeadlineSayingItStillRuns) {
  auto handle = start_unpolled("result-deadline").with_call_options({.timeout = 1500ms});
  auto what = throws_within<DeadlineExceededError>(15s, [&] { (void)handle.result<json>().get(); });
  EXPECT_TRUE(contains(what, "still running")) << what;
  // ResultOptions::timeout still works, and the earlier of the two wins.
  ResultOptions ro;
  ro.timeout = 500ms;
  what = throws_within<DeadlineExceededError>(10s, [&] { (void)handle.result<json>(ro).get(); });
  EXPECT_TRUE(contains(what, "still running")) << what;
  handle.terminate().get();
}

TEST_F(Reliability, DurationMaxMeansNoDeadlineNotAnInstantFailure) {
  const auto max = std::chrono::milliseconds::max();
  Client client(Connection::connect({.address = client_->connection().options().address,
                                     .rpc_timeout = max,
                                     .keepalive = {.interval = max, .timeout = max},
                                     .connect_timeout = max}));
  auto h = client.with_call_options({.timeout = max})
               .workflow()
               .start("echo", {.task_queue = test_support::ts_task_queue()}, std::string("forever"))
               .get();
  EXPECT_EQ(h.with_call_options({.timeout = max}).result<std::string>().get(), "forever");
  ResultOptions ro;
  ro.timeout = max;
  EXPECT_EQ(h.result<std::string>(ro).get(), "forever");
}

// ---- Cancellation

TEST_F(Reliability, ACancelledTokenEndsAResultWaitPromptly) {
  CancellationToken token;
  auto handle = start_unpolled("cancel-result").with_call_options({.cancellation = token});
  auto waiter = std::async(std::launch::async, [&] {
    return throws_within<CallCancelledError>(60s, [&] { (void)handle.result<json>().get(); });
  });
  std::this_thread::sleep_for(500ms);
  const auto cancelled_at = Clock::now();
  token.cancel();
  ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready) << "result() did not end after cancel()";
  EXPECT_LT(Clock::now() - cancelled_at, 5s);
  EXPECT_TRUE(contains(waiter.get(), "CancellationToken")) << waiter.get();
  client_->workflow().get_handle(handle.workflow_id()).terminate().get();
}

TEST_F(Reliability, ACancelledTokenEndsAnUpdateWait) {
  CancellationToken token;
  auto handle = start_unpolled("cancel-update").with_call_options({.cancellation = token});
  auto waiter = std::async(std::launch::async, [&] {
    return throws_within<CallCancelledError>(60s, [&] { (void)handle.execute_update<json>("u").get(); });
  });
  std::this_thread::sleep_for(500ms);
  token.cancel();
  ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(waiter.get().empty());
  client_->workflow().get_handle(handle.workflow_id()).terminate().get();
}

TEST_F(Reliability, ACallWithAnAlreadyCancelledTokenIsNotSent) {
  CancellationToken token;
  token.cancel();
  const std::string id = unique("not-sent");
  auto cancelled = client_->with_call_options({.cancellation = token});
  WorkflowOptions o;
  o.task_queue = "nowhere";
  o.workflow_id = id;
  (void)throws_within<CallCancelledError>(5s, [&] { (void)cancelled.workflow().start("nobodyPolls", o).get(); });
  EXPECT_THROW((void)client_->workflow().get_handle(id).describe().get(), WorkflowNotFoundError);
  // Other clients on the same connection are not affected.
  EXPECT_NO_THROW((void)client_->workflow().count().get());
}

// ---- Connection::close()

TEST_F(Reliability, CloseEndsAPendingResultAndFailsLaterCallsAtOnce) {
  auto conn = Connection::connect({.address = client_->connection().options().address});
  Client client(conn);
  WorkflowOptions o;
  o.task_queue = unique("close-queue");
  o.workflow_id = unique("close");
  auto handle = client.workflow().start("nobodyPolls", o).get();
  auto waiter = std::async(std::launch::async, [&] {
    return throws_within<ConnectionClosedError>(60s, [&] { (void)handle.result<json>().get(); });
  });
  std::this_thread::sleep_for(500ms);
  conn.close();
  ASSERT_EQ(waiter.wait_for(10s), std::future_status::ready) << "result() kept waiting after close()";
  EXPECT_TRUE(contains(waiter.get(), "close")) << waiter.get();
  // Later calls, waits included, fail at once with the same type.
  (void)throws_within<ConnectionClosedError>(2s, [&] { (void)handle.result<json>().get(); });
  (void)throws_within<ConnectionClosedError>(2s, [&] { (void)handle.describe().get(); });
  (void)throws_within<ConnectionClosedError>(2s, [&] { (void)handle.execute_update<json>("u").get(); });
  (void)throws_within<ConnectionClosedError>(2s, [&] { (void)client.workflow().start("x", {.task_queue = "q"}).get(); });
  client_->workflow().get_handle(o.workflow_id).terminate().get();
}

// ---- A server that is gone for good

TEST(ReliabilityServerGone, ResultSaysTheServerCouldNotBeReachedNotThatTheWorkflowRuns) {
  auto server = testing::DevServer::start({});
  Client client(Connection::connect({.address = server->address()}));
  WorkflowOptions o;
  o.task_queue = "gone-queue";
  o.workflow_id = "gone";
  auto handle = client.workflow().start("nobodyPolls", o).get();
  server->kill();
  ResultOptions ro;
  ro.timeout = 3s;
  auto what = throws_within<DeadlineExceededError>(20s, [&] { (void)handle.result<json>(ro).get(); });
  EXPECT_TRUE(contains(what, "could not be reached for the whole wait")) << what;
  EXPECT_FALSE(contains(what, "still running")) << what;
  // The client's deadline bounds ordinary calls too, whatever the retry policy would allow.
  auto bounded = client.with_call_options({.timeout = 2s});
  const auto began = Clock::now();
  EXPECT_THROW((void)bounded.workflow().get_handle("gone").describe().get(), RpcError);
  EXPECT_LT(Clock::now() - began, 10s);
}

// ---- Errors that blamed the wrong cause

TEST_F(Reliability, QueryWithNoWorkerSaysNoWorkerAnswered) {
  auto handle = start_unpolled("query-no-worker").with_call_options({.timeout = 3s});
  try {
    (void)handle.query<json>("state").get();
    ADD_FAILURE() << "query answered without a worker";
  } catch (const RpcError& e) {
    const std::string what = e.what();
    std::printf("[reliability] query with no worker: code %d: %s\n", e.code(), what.c_str());
    EXPECT_TRUE(contains(what, "worker")) << what;
    EXPECT_FALSE(contains(what, "unreachable")) << what;
    EXPECT_FALSE(contains(what, "overloaded")) << what;
  }
  handle.terminate().get();
}

TEST_F(Reliability, AnUnknownUpdateIdIsNotReportedAsWorkflowNotFound) {
  auto handle = start_on_ts_worker("unknown-update");
  try {
    (void)handle.get_update_handle("no-such-update-id").result<json>().get();
    ADD_FAILURE() << "an unknown update id gave a result";
  } catch (const WorkflowUpdateNotFoundError& e) {
    EXPECT_EQ(e.update_id(), "no-such-update-id");
    EXPECT_EQ(e.workflow_id(), handle.workflow_id());
    EXPECT_EQ(e.grpc_code(), 5);
    EXPECT_TRUE(contains(e.what(), "no update with id 'no-such-update-id'")) << e.what();
  }
  // The workflow exists and works.
  EXPECT_EQ(handle.execute_update<int>("addAndGet", std::string("m")).get(), 1);
  handle.signal("finish").get();
  EXPECT_EQ(handle.result<json>().get(), json::parse(R"(["m"])"));
}

TEST_F(Reliability, GarbageCertificatesAreNamedAtOnce) {
  const auto& pki = test_support::test_certs();
  const std::string address = client_->connection().options().address;
  auto what = throws_within<InvalidArgumentError>(1s, [&] {
    (void)Connection::connect({.address = address, .tls = TlsOptions{.server_root_ca_cert = "not a certificate"}});
  });
  EXPECT_TRUE(contains(what, "tls.server_root_ca_cert is not a valid PEM")) << what;
  what = throws_within<InvalidArgumentError>(1s, [&] {
    (void)Connection::connect({.address = address, .tls = TlsOptions{.server_root_ca_cert = pki.ca.cert_path}});
  });
  EXPECT_TRUE(contains(what, "not a file name")) << what;
  std::string corrupt = pki.ca.cert;
  corrupt[corrupt.size() / 2] = corrupt[corrupt.size() / 2] == 'A' ? 'B' : 'A';
  corrupt.insert(corrupt.size() / 2, "!!");
  (void)throws_within<InvalidArgumentError>(1s, [&] {
    (void)Connection::connect({.address = address, .tls = TlsOptions{.server_root_ca_cert = corrupt}});
  });
  what = throws_within<InvalidArgumentError>(1s, [&] {
    (void)Connection::connect(
        {.address = address, .tls = TlsOptions{.client_cert = "garbage", .client_private_key = pki.client.key}});
  });
  EXPECT_TRUE(contains(what, "tls.client_cert")) << what;
  what = throws_within<InvalidArgumentError>(1s, [&] {
    (void)Connection::connect(
        {.address = address, .tls = TlsOptions{.client_cert = pki.client.cert, .client_private_key = "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n"}});
  });
  EXPECT_TRUE(contains(what, "tls.client_private_key is not a valid")) << what;
  what = throws_within<InvalidArgumentError>(1s, [&] {
    (void)Connection::connect(
        {.address = address, .tls = TlsOptions{.client_cert = pki.client.cert, .client_private_key = pki.server.key}});
  });
  EXPECT_TRUE(contains(what, "does not belong to tls.client_cert")) << what;
  // A good bundle still passes the check (and then fails the TLS handshake with a plaintext server).
  EXPECT_THROW((void)Connection::connect({.address = address,
                                          .tls = TlsOptions{.server_root_ca_cert = pki.ca.cert + pki.other_ca.cert},
                                          .connect_timeout = 2s}),
               RpcError);
}

// ---- Strings gRPC would abort on, through every path into metadata

class HeaderInterceptor : public ClientInterceptor {
 public:
  HeaderInterceptor(std::string key, std::string value) : key_(std::move(key)), value_(std::move(value)) {}
  Task<void> intercept(ClientCall& call, Next next) override {
    call.grpc_metadata[key_] = value_;
    co_await next(call);
  }

 private:
  std::string key_, value_;
};

TEST_F(Reliability, BadHeadersFromEveryPathAreTypedErrorsAndTheProcessKeepsWorking) {
  const std::string address = client_->connection().options().address;
  // Interceptor-added headers, checked per call.
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"x-trace", "id\n"}, {"x trace", "id"}, {"x-trace", std::string("a\0b", 3)}, {"grpc-status", "0"}}) {
    Client intercepted(client_->connection(), {.interceptors = {std::make_shared<HeaderInterceptor>(key, value)}});
    try {
      (void)intercepted.workflow().count().get();
      ADD_FAILURE() << "header '" << key << "' was accepted";
    } catch (const InvalidArgumentError& e) {
      EXPECT_EQ(e.field(), "ClientCall.grpc_metadata") << e.what();
    }
  }
  // The API key a provider returns, checked per call; a provider that throws.
  Client bad_key(Connection::lazy({.address = address, .tls_disabled = true, .api_key_provider = [] {
                                     return std::string("key-from-file\n");
                                   }}));
  try {
    (void)bad_key.workflow().count().get();
    ADD_FAILURE();
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), "api_key_provider");
    EXPECT_TRUE(contains(e.what(), "0x0A (line feed)")) << e.what();
  }
  Client throwing(Connection::lazy({.address = address, .tls_disabled = true, .api_key_provider = []() -> std::string {
                                      throw std::runtime_error("vault unavailable");
                                    }}));
  try {
    (void)throwing.workflow().count().get();
    ADD_FAILURE();
  } catch (const InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.what(), "vault unavailable")) << e.what();
  }
  // Upper-case names and binary values reach the server.
  auto fine = client_->with_call_options({.metadata = {{"X-Caller", "reliability test"}, {"trace-bin", std::string("\0\n\xff", 3)}}});
  EXPECT_NO_THROW((void)fine.workflow().count().get());
  Client interceptor_bin(client_->connection(),
                         {.interceptors = {std::make_shared<HeaderInterceptor>("Trace-Bin", std::string("\x01\x02\n", 3))}});
  EXPECT_NO_THROW((void)interceptor_bin.workflow().count().get());
  // And the client used before still works.
  EXPECT_EQ(client_->workflow().execute<std::string>("echo", {.task_queue = test_support::ts_task_queue(),
                                                              .workflow_id = unique("after-bad-headers")},
                                                     std::string("still here"))
                .get(),
            "still here");
}

TEST_F(Reliability, InvalidUtf8AndNanArgumentsAreDataConverterErrorsAndNothingStarts) {
  const std::string id = unique("bad-arg");
  WorkflowOptions o;
  o.task_queue = test_support::ts_task_queue();
  o.workflow_id = id;
  EXPECT_THROW((void)client_->workflow().start("echo", o, std::string("\xff\xfe", 2)).get(), DataConverterError);
  EXPECT_THROW((void)client_->workflow().start("echo", o, std::nan("")).get(), DataConverterError);
  o.static_summary = std::string("sum\xc0", 4);
  EXPECT_THROW((void)client_->workflow().start("echo", o, std::string("x")).get(), InvalidArgumentError);
  EXPECT_THROW((void)client_->workflow().get_handle(id).describe().get(), WorkflowNotFoundError);
  auto running = start_on_ts_worker("bad-signal-arg");
  EXPECT_THROW(running.signal("add", std::string("\xc3\x28", 2)).get(), DataConverterError);
  EXPECT_THROW((void)running.query<json>("getMessages", std::numeric_limits<double>::infinity()).get(), DataConverterError);
  running.signal("finish").get();
  EXPECT_EQ(running.result<json>().get(), json::array());
}

}  // namespace
}  // namespace temporal::client
