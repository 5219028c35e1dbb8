// Asynchronous activity completion: the TypeScript worker's asyncActivity heartbeats once (with
// its base64 task token as the detail) and leaves completion to this client.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "support/ts_worker.h"
#include "temporal/api/workflowservice/v1/request_response.pb.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
}

std::string base64_decode(const std::string& in) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int value = 0, bits = -8;
  for (char c : in) {
    const auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) break;  // '=' padding
    value = (value << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

class AsyncActivityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    queue_ = new std::string(test_support::ts_task_queue());
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }

  struct Started {
    WorkflowHandle handle;
    ActivityId id;
    std::string task_token;
  };

  // Starts asyncCompletion and waits until its activity has started and heartbeated its token.
  Started start() {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = std::string("async-") + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const std::string activity_id = "async-activity";
    auto handle = client_->workflow().start("asyncCompletion", o, activity_id).get();
    std::optional<std::string> token;
    const bool ok = eventually([&] {
      auto details = pending_heartbeat(handle, activity_id);
      if (!details) return false;
      token = base64_decode(converter::from_payload<std::string>(details->front()));
      return true;
    });
    if (!ok) throw std::runtime_error("asyncActivity did not start and heartbeat in time");
    return Started{handle, ActivityId{handle.workflow_id(), handle.first_execution_run_id(), activity_id}, *token};
  }

  // The heartbeat details of the pending activity, once it has started and has some.
  static std::optional<converter::Payloads> pending_heartbeat(const WorkflowHandle& handle, const std::string& activity_id) {
    ::temporal::api::workflowservice::v1::DescribeWorkflowExecutionResponse resp;
    if (!resp.ParseFromString(handle.describe().get().raw_response)) return std::nullopt;
    for (const auto& a : resp.pending_activities()) {
      if (a.activity_id() != activity_id || a.heartbeat_details().payloads_size() == 0) continue;
      converter::Payloads out;
      for (const auto& p : a.heartbeat_details().payloads()) {
        converter::Payload payload;
        payload.data = p.data();
        for (const auto& [k, v] : p.metadata()) payload.metadata[k] = v;
        out.push_back(std::move(payload));
      }
      return out;
    }
    return std::nullopt;
  }

  static std::string* queue_;
  static Client* client_;
};
std::string* AsyncActivityTest::queue_ = nullptr;
Client* AsyncActivityTest::client_ = nullptr;

TEST_F(AsyncActivityTest, CompleteByIdDeliversTheResultToTheWorkflow) {
  auto s = start();
  json result = {{"done", true}, {"by", "id"}};
  client_->activity().complete(s.id, result).get();
  EXPECT_EQ(s.handle.result<json>().get(), result);
}

TEST_F(AsyncActivityTest, CompleteByTaskTokenDeliversTheResultToTheWorkflow) {
  auto s = start();
  ASSERT_FALSE(s.task_token.empty());
  client_->activity().complete(s.task_token, std::string("by token")).get();
  EXPECT_EQ(s.handle.result<std::string>().get(), "by token");
}

TEST_F(AsyncActivityTest, CompleteWithoutAResultGivesTheWorkflowNull) {
  auto s = start();
  client_->activity().complete(s.id).get();
  EXPECT_TRUE(s.handle.result<json>().get().is_null());
}

TEST_F(AsyncActivityTest, FailByIdFailsTheWorkflowWithTheApplicationFailure) {
  auto s = start();
  ApplicationFailure failure("charge declined",
                             {.type = "CardDeclined", .non_retryable = true, .details = converter::to_payloads(42)});
  client_->activity().fail(s.id, failure).get();
  try {
    s.handle.result<json>().get();
    FAIL() << "the workflow succeeded";
  } catch (const WorkflowFailedError& e) {
    const auto* act = dynamic_cast<const ActivityFailure*>(e.cause());
    ASSERT_NE(act, nullptr) << e.what();
    EXPECT_EQ(act->info().activity_id, "async-activity");
    const auto* app = dynamic_cast<const ApplicationFailure*>(act->cause());
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->type(), "CardDeclined");
    EXPECT_EQ(app->message(), "charge declined");
    ASSERT_EQ(app->details().size(), 1u);
    EXPECT_EQ(converter::from_payload<int>(app->details()[0]), 42);
  }
}

TEST_F(AsyncActivityTest, TheTypeScriptClientDecodesAFailureCppEncoded) {
  auto s = start();
  ApplicationFailure failure("encoded by C++",
                             {.type = "CppError", .non_retryable = true,
                              .details = converter::to_payloads(std::string("cpp-detail"))});
  client_->activity().fail(s.id, failure).get();
  EXPECT_THROW(s.handle.result<json>().get(), WorkflowFailedError);
  // The official TypeScript client reads the same failure from the server.
  const std::string cmd = "TEMPORAL_ADDRESS=" + testing::shared_test_server_address() + " node " +
                          TEMPORAL_CPP_SOURCE_DIR + "/tests/interop/ts/lib/client.js result " +
                          s.handle.workflow_id() + " 2>/dev/null";
  FILE* f = ::popen(cmd.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof(buf), f)) out.append(buf, n);
  ::pclose(f);
  auto j = json::parse(out);
  EXPECT_EQ(j["status"], "failed") << out;
  const std::string dump = j.dump();
  EXPECT_NE(dump.find("\"CppError\""), std::string::npos) << out;
  EXPECT_NE(dump.find("encoded by C++"), std::string::npos) << out;
  EXPECT_NE(dump.find("\"cpp-detail\""), std::string::npos) << out;
}

TEST_F(AsyncActivityTest, FailByTaskTokenWithAnyExceptionFailsTheWorkflow) {
  auto s = start();
  client_->activity().fail(s.task_token, std::make_exception_ptr(std::runtime_error("plain exception"))).get();
  try {
    s.handle.result<json>().get();
    FAIL() << "the workflow succeeded";
  } catch (const WorkflowFailedError& e) {
    ASSERT_NE(e.cause(), nullptr);
    ASSERT_NE(e.cause()->cause(), nullptr) << e.what();
    EXPECT_EQ(e.cause()->cause()->message(), "plain exception");
  }
}

TEST_F(AsyncActivityTest, HeartbeatRecordsDetailsByIdAndByTaskToken) {
  auto s = start();
  client_->activity().heartbeat(s.id, std::string("half way"), 50).get();
  auto details = pending_heartbeat(s.handle, s.id.activity_id);
  ASSERT_TRUE(details.has_value());
  ASSERT_EQ(details->size(), 2u);
  EXPECT_EQ(converter::from_payload<std::string>((*details)[0]), "half way");
  EXPECT_EQ(converter::from_payload<int>((*details)[1]), 50);

  client_->activity().heartbeat(s.task_token, std::string("almost")).get();
  details = pending_heartbeat(s.handle, s.id.activity_id);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(converter::from_payload<std::string>(details->front()), "almost");

  client_->activity().complete(s.task_token, 1).get();
  EXPECT_EQ(s.handle.result<int>().get(), 1);
}

TEST_F(AsyncActivityTest, HeartbeatAfterCancellationThrowsActivityCancelledAndReportCancellationCancelsTheWorkflow) {
  auto s = start();
  s.handle.cancel().get();
  // The workflow turns the cancel request into a cancel of its activity; the next heartbeat says so.
  std::optional<ActivityCancelledError> cancelled;
  ASSERT_TRUE(eventually([&] {
    try {
      client_->activity().heartbeat(s.task_token).get();
      return false;
    } catch (const ActivityCancelledError& e) {
      cancelled = e;
      return true;
    }
  }));
  EXPECT_EQ(cancelled->reason(), ActivityCancelledError::Reason::kCancelRequested);
  // By id the heartbeat reports the same.
  EXPECT_THROW(client_->activity().heartbeat(s.id).get(), ActivityCancelledError);

  client_->activity().report_cancellation(s.id, std::string("stopped")).get();
  try {
    s.handle.result<json>().get();
    FAIL() << "the workflow succeeded";
  } catch (const WorkflowFailedError& e) {
    EXPECT_NE(dynamic_cast<const CanceledFailure*>(e.cause()), nullptr) << e.what();
  }
}

TEST_F(AsyncActivityTest, ReportCancellationByTaskTokenCancelsTheWorkflow) {
  auto s = start();
  s.handle.cancel().get();
  ASSERT_TRUE(eventually([&] {
    try {
      client_->activity().heartbeat(s.id).get();
      return false;
    } catch (const ActivityCancelledError&) {
      return true;
    }
  }));
  client_->activity().report_cancellation(s.task_token).get();
  try {
    s.handle.result<json>().get();
    FAIL() << "the workflow succeeded";
  } catch (const WorkflowFailedError& e) {
    EXPECT_NE(dynamic_cast<const CanceledFailure*>(e.cause()), nullptr) << e.what();
  }
}

TEST_F(AsyncActivityTest, CompletingTwiceOrAnUnknownActivityRaisesActivityNotFound) {
  auto s = start();
  client_->activity().complete(s.id, 1).get();
  EXPECT_EQ(s.handle.result<int>().get(), 1);
  try {
    client_->activity().complete(s.id, 2).get();
    FAIL() << "a second completion succeeded";
  } catch (const ActivityNotFoundError& e) {
    EXPECT_EQ(e.code(), 5);
    EXPECT_NE(std::string(e.what()).find("async-activity"), std::string::npos) << e.what();
  }
  EXPECT_THROW(client_->activity().complete(s.task_token, 2).get(), ActivityNotFoundError);
  EXPECT_THROW(client_->activity().heartbeat(s.id).get(), ActivityNotFoundError);
  ActivityId unknown{"no-such-workflow", "", "no-such-activity"};
  EXPECT_THROW(client_->activity().complete(unknown, 1).get(), ActivityNotFoundError);
}

TEST_F(AsyncActivityTest, MissingIdsAreRejectedBeforeAnyRpc) {
  Client offline(Connection::lazy({.address = "127.0.0.1:1", .retry = {.max_attempts = 1}}));
  try {
    offline.activity().complete(std::string(), 1).get();
    FAIL();
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), "task_token");
  }
  try {
    offline.activity().heartbeat(ActivityId{"wf", "", ""}).get();
    FAIL();
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), "activity_id.activity_id");
  }
}

}  // namespace
}  // namespace temporal::client
