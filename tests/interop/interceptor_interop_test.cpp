// Client interceptors against the TypeScript worker: Temporal headers reach the workflow, every
// call passes the chain (outermost first), gRPC metadata reaches the server, and a throwing
// interceptor stops the call before anything is sent.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/nginx_proxy.h"
#include "support/ts_worker.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using nlohmann::json;

// Adds a Temporal header to every start.
class TraceHeaderInterceptor : public ClientInterceptor {
 public:
  Task<void> intercept(ClientCall& call, Next next) override {
    if (call.operation == "StartWorkflow") call.headers["trace-id"] = converter::to_payload(std::string("abc-123"));
    co_await next(call);
  }
};

// Records each call as "<operation> <name>"; `seen_headers` holds the call's header names as this
// interceptor passed it on, and what came back after next() returned.
class RecordingInterceptor : public ClientInterceptor {
 public:
  explicit RecordingInterceptor(std::string label = {}, std::vector<std::string>* shared_log = nullptr,
                                std::mutex* shared_mu = nullptr)
      : label_(std::move(label)), log_(shared_log ? shared_log : &own_log_), mu_(shared_mu ? shared_mu : &own_mu_) {}

  Task<void> intercept(ClientCall& call, Next next) override {
    {
      std::lock_guard lock(*mu_);
      log_->push_back(label_ + call.operation + " " + call.name);
    }
    if (!label_.empty()) {
      // Each link appends itself to the "chain" header: the workflow sees the order they ran in.
      std::string chain;
      if (auto it = call.headers.find("chain"); it != call.headers.end()) {
        chain = converter::from_payload<std::string>(it->second) + ",";
      }
      call.headers["chain"] = converter::to_payload(chain + label_);
    }
    co_await next(call);
    std::lock_guard lock(*mu_);
    log_->push_back(label_ + "done " + call.operation);
  }
  std::vector<std::string> log() const {
    std::lock_guard lock(*mu_);
    return *log_;
  }

 private:
  std::string label_;
  std::vector<std::string> own_log_;
  std::mutex own_mu_;
  std::vector<std::string>* log_;
  std::mutex* mu_;
};

// Sends a gRPC header with the calls it is told to.
class MetadataInterceptor : public ClientInterceptor {
 public:
  Task<void> intercept(ClientCall& call, Next next) override {
    if (call.operation == "StartWorkflow" || call.operation == "DescribeWorkflow") {
      call.grpc_metadata["x-cpp-test"] = "from-interceptor-" + call.operation;
    }
    co_await next(call);
  }
};

// A policy check that refuses to start workflows.
class RefusingInterceptor : public ClientInterceptor {
 public:
  Task<void> intercept(ClientCall& call, Next next) override {
    if (call.operation == "StartWorkflow") throw std::runtime_error("blocked by policy: " + call.name);
    co_await next(call);
  }
};

class InterceptorInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    queue_ = new std::string(test_support::ts_task_queue());
    connection_ = new Connection(Connection::connect({.address = testing::shared_test_server_address()}));
  }
  static Client client_with(std::vector<std::shared_ptr<ClientInterceptor>> interceptors) {
    ClientOptions o;
    o.interceptors = std::move(interceptors);
    return Client(*connection_, o);
  }
  WorkflowOptions options(const std::string& prefix) const {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return o;
  }
  static std::string* queue_;
  static Connection* connection_;
};
std::string* InterceptorInterop::queue_ = nullptr;
Connection* InterceptorInterop::connection_ = nullptr;

TEST_F(InterceptorInterop, AHeaderSetByAnInterceptorReachesTheTypeScriptWorkflow) {
  auto client = client_with({std::make_shared<TraceHeaderInterceptor>()});
  auto o = options("hdr");
  o.headers = {{"from-options", converter::to_payload(json{{"k", 1}})}};
  auto headers = client.workflow().execute<json>("headerEcho", o).get();
  EXPECT_EQ(headers["trace-id"], "abc-123") << headers.dump();
  EXPECT_EQ(headers["from-options"], (json{{"k", 1}})) << headers.dump();
}

TEST_F(InterceptorInterop, EveryClientCallPassesTheInterceptorWithItsOperationAndName) {
  auto recorder = std::make_shared<RecordingInterceptor>();
  auto client = client_with({recorder});
  auto o = options("ops");
  auto handle = client.workflow().start("signalsAndQueries", o).get();
  handle.signal("add", std::string("one")).get();
  EXPECT_EQ(handle.query<json>("getMessages").get(), json::parse(R"(["one"])"));
  EXPECT_EQ(handle.describe().get().status, WorkflowExecutionStatus::kRunning);
  handle.terminate("done").get();
  auto other = client.workflow().start("cancellable", options("ops-cancel")).get();
  other.cancel().get();
  EXPECT_THROW(handle.result<json>().get(), WorkflowFailedError);
  EXPECT_GE(handle.fetch_history().get().events.size(), 3u);
  client.workflow().list_page("WorkflowId = '" + o.workflow_id + "'").get();
  client.workflow().count("WorkflowId = '" + o.workflow_id + "'").get();
  EXPECT_EQ(recorder->log(), (std::vector<std::string>{
                                 "StartWorkflow signalsAndQueries", "done StartWorkflow",
                                 "SignalWorkflow add", "done SignalWorkflow",
                                 "QueryWorkflow getMessages", "done QueryWorkflow",
                                 "DescribeWorkflow ", "done DescribeWorkflow",
                                 "TerminateWorkflow ", "done TerminateWorkflow",
                                 "StartWorkflow cancellable", "done StartWorkflow",
                                 "CancelWorkflow ", "done CancelWorkflow",
                                 "GetWorkflowResult ",  // it throws: the workflow was terminated
                                 "FetchWorkflowHistory ", "done FetchWorkflowHistory",
                                 "ListWorkflows ", "done ListWorkflows",
                                 "CountWorkflows ", "done CountWorkflows",
                             }));
}

TEST_F(InterceptorInterop, AChainRunsOutermostFirstAndUnwindsInReverse) {
  std::vector<std::string> log;
  std::mutex mu;
  auto outer = std::make_shared<RecordingInterceptor>("outer:", &log, &mu);
  auto inner = std::make_shared<RecordingInterceptor>("inner:", &log, &mu);
  auto client = client_with({outer, inner});
  auto headers = client.workflow().execute<json>("headerEcho", options("chain")).get();
  EXPECT_EQ(headers["chain"], "outer:,inner:") << headers.dump();
  std::lock_guard lock(mu);
  EXPECT_EQ(log, (std::vector<std::string>{"outer:StartWorkflow headerEcho", "inner:StartWorkflow headerEcho",
                                           "inner:done StartWorkflow", "outer:done StartWorkflow",
                                           "outer:GetWorkflowResult ", "inner:GetWorkflowResult ",
                                           "inner:done GetWorkflowResult", "outer:done GetWorkflowResult"}));
}

TEST_F(InterceptorInterop, GrpcMetadataSetByAnInterceptorReachesTheServer) {
  // nginx in front of the server logs the x-cpp-test header of every request.
  auto proxy = test_support::NginxProxy::start({.upstream = testing::shared_test_server_address()});
  ClientOptions o;
  o.interceptors = {std::make_shared<MetadataInterceptor>()};
  Client client(Connection::connect({.address = proxy->address()}), o);
  auto handle = client.workflow().start("signalsAndQueries", options("meta")).get();
  handle.describe().get();
  handle.signal("add", std::string("x")).get();
  handle.terminate().get();
  auto has = [&](const std::string& rpc, const std::string& value) {
    return proxy->wait_for_request([&](const test_support::ProxyRequest& r) {
      return r.uri.ends_with("/" + rpc) && r.x_cpp_test == value;
    });
  };
  EXPECT_TRUE(has("StartWorkflowExecution", "from-interceptor-StartWorkflow")) << proxy->access_log();
  EXPECT_TRUE(has("DescribeWorkflowExecution", "from-interceptor-DescribeWorkflow")) << proxy->access_log();
  // Calls the interceptor left alone carry no such header.
  EXPECT_TRUE(has("SignalWorkflowExecution", "")) << proxy->access_log();
  EXPECT_TRUE(has("GetSystemInfo", "")) << proxy->access_log();
}

TEST_F(InterceptorInterop, AThrowingInterceptorStopsTheCallBeforeItIsSent) {
  auto recorder = std::make_shared<RecordingInterceptor>();
  auto client = client_with({std::make_shared<RefusingInterceptor>(), recorder});
  auto o = options("refused");
  try {
    client.workflow().start("echo", o, std::string("x")).get();
    FAIL() << "the start went through";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "blocked by policy: echo");
  }
  EXPECT_TRUE(recorder->log().empty()) << "the inner interceptor ran";
  // Nothing was started: a client without interceptors does not find it.
  Client plain(*connection_);
  EXPECT_THROW(plain.workflow().get_handle(o.workflow_id).describe().get(), WorkflowNotFoundError);
  // Other calls still pass.
  EXPECT_THROW(client.workflow().get_handle(o.workflow_id).describe().get(), WorkflowNotFoundError);
  EXPECT_EQ(recorder->log().front(), "DescribeWorkflow ");
}

}  // namespace
}  // namespace temporal::client
