// Retries resend the same request id; a new user call gets a new one. A local gRPC server that
// fails the first attempts stands in for a flaky network (it isolates the retry loop; it is not
// a Temporal server).
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <mutex>
#include <vector>

#include "temporal/api/workflowservice/v1/service.grpc.pb.h"
#include "temporal/client.h"

namespace temporal::client {
namespace {

namespace ws = ::temporal::api::workflowservice::v1;

class FlakyFrontend final : public ws::WorkflowService::Service {
 public:
  explicit FlakyFrontend(int failures) : failures_(failures) {}
  grpc::Status StartWorkflowExecution(grpc::ServerContext* ctx, const ws::StartWorkflowExecutionRequest* req,
                                      ws::StartWorkflowExecutionResponse* resp) override {
    std::lock_guard lock(mu_);
    request_ids_.push_back(req->request_id());
    auto ns = ctx->client_metadata().find("temporal-namespace");
    namespace_header_ = ns == ctx->client_metadata().end() ? "" : std::string(ns->second.data(), ns->second.size());
    if (failures_ > 0) {
      --failures_;
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try again");
    }
    resp->set_run_id("run-" + std::to_string(request_ids_.size()));
    return grpc::Status::OK;
  }
  grpc::Status SignalWorkflowExecution(grpc::ServerContext*, const ws::SignalWorkflowExecutionRequest* req,
                                       ws::SignalWorkflowExecutionResponse*) override {
    std::lock_guard lock(mu_);
    request_ids_.push_back(req->request_id());
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "not retried");
  }
  std::vector<std::string> request_ids() {
    std::lock_guard lock(mu_);
    return request_ids_;
  }
  std::string namespace_header() {
    std::lock_guard lock(mu_);
    return namespace_header_;
  }

 private:
  std::mutex mu_;
  int failures_;
  std::vector<std::string> request_ids_;
  std::string namespace_header_;
};

struct LocalServer {
  explicit LocalServer(int failures) : service(failures) {
    grpc::ServerBuilder b;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(&service);
    server = b.BuildAndStart();
  }
  ~LocalServer() { server->Shutdown(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }
  FlakyFrontend service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

TEST(RequestIdRetry, RetriesOfOneStartResendTheSameRequestId) {
  LocalServer server(2);
  Client client(Connection::lazy({.address = server.address(), .namespace_name = "retry-ns"}));
  auto handle = client.workflow().start("wf", {.task_queue = "q", .workflow_id = "id-1"}).get();
  EXPECT_EQ(handle.first_execution_run_id(), "run-3");
  auto ids = server.service.request_ids();
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0].size(), 36u);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[1], ids[2]);
  EXPECT_EQ(server.service.namespace_header(), "retry-ns");

  client.workflow().start("wf", {.task_queue = "q", .workflow_id = "id-2"}).get();
  ids = server.service.request_ids();
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_NE(ids[3], ids[0]) << "a new user call must get a new request id";
}

TEST(RequestIdRetry, PermanentErrorsAreNotRetried) {
  LocalServer server(0);
  Client client(Connection::lazy({.address = server.address()}));
  EXPECT_THROW(client.workflow().get_handle("id").signal("s").get(), RpcError);
  EXPECT_EQ(server.service.request_ids().size(), 1u);
}

TEST(RequestIdRetry, GivesUpAfterMaxAttemptsWithTheLastError) {
  LocalServer server(100);
  Client client(Connection::lazy({.address = server.address(),
                                  .retry = {.initial_interval = std::chrono::milliseconds(1), .max_attempts = 4}}));
  try {
    client.workflow().start("wf", {.task_queue = "q"}).get();
    FAIL();
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), static_cast<int>(grpc::StatusCode::UNAVAILABLE));
  }
  EXPECT_EQ(server.service.request_ids().size(), 4u);
}

}  // namespace
}  // namespace temporal::client
