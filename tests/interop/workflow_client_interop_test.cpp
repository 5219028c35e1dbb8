// The C++ client against workflows hosted by the official TypeScript SDK worker.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/ts_worker.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class WorkflowClientInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    queue_ = new std::string(test_support::ts_task_queue());
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }
  WorkflowOptions options(const std::string& prefix) const {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return o;
  }
  static std::string* queue_;
  static Client* client_;
};
std::string* WorkflowClientInterop::queue_ = nullptr;
Client* WorkflowClientInterop::client_ = nullptr;

TEST_F(WorkflowClientInterop, ExecuteReturnsTheTypeScriptWorkflowResult) {
  auto result = client_->workflow().execute<std::string>("echo", options("echo"), std::string("Temporal")).get();
  EXPECT_EQ(result, "Temporal");
}

TEST_F(WorkflowClientInterop, EveryPayloadKindRoundTrips) {
  auto wf = client_->workflow();
  json obj = {{"a", 1}, {"b", {true, nullptr, "x"}}, {"c", 1.5}};
  EXPECT_EQ(wf.execute<json>("echo", options("json"), obj).get(), obj);
  EXPECT_EQ(wf.execute<int64_t>("echo", options("int"), int64_t{9007199254740991}).get(), 9007199254740991);
  converter::Bytes bytes{std::byte{0}, std::byte{1}, std::byte{0xfe}};
  EXPECT_EQ(wf.execute<converter::Bytes>("echo", options("bytes"), bytes).get(), bytes);
  EXPECT_TRUE(wf.execute<json>("echo", options("null"), nullptr).get().is_null());
  EXPECT_EQ(wf.execute<std::string>("echo", options("utf8"), std::string("héllo ✓")).get(), "héllo ✓");
  auto all = wf.execute<json>("echoAll", options("all"), std::string("a"), 2, true).get();
  EXPECT_EQ(all, json::parse(R"(["a",2,true])"));
}

TEST_F(WorkflowClientInterop, StartGivesIdsAndAHandleFromAnotherClientSeesTheSameWorkflow) {
  auto o = options("handle");
  o.workflow_id.clear();  // a UUID is generated
  auto handle = client_->workflow().start("signalsAndQueries", o).get();
  EXPECT_EQ(handle.workflow_id().size(), 36u);
  EXPECT_FALSE(handle.first_execution_run_id().empty());
  EXPECT_EQ(handle.run_id(), handle.first_execution_run_id());

  // As if in another process: a new connection and a handle by workflow id only.
  Client other(Connection::connect({.address = testing::shared_test_server_address()}));
  auto again = other.workflow().get_handle(handle.workflow_id());
  again.signal("add", std::string("one")).get();
  again.signal("add", std::string("two")).get();
  EXPECT_EQ(again.query<json>("getMessages").get(), json::parse(R"(["one","two"])"));
  again.signal("finish").get();
  EXPECT_EQ(handle.result<std::vector<std::string>>().get(), (std::vector<std::string>{"one", "two"}));
}

TEST_F(WorkflowClientInterop, QueryOfUnknownNameAndFailingHandlerRaiseQueryFailed) {
  auto handle = client_->workflow().start("signalsAndQueries", options("q")).get();
  try {
    handle.query<json>("noSuchQuery").get();
    FAIL() << "unknown query succeeded";
  } catch (const QueryFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("noSuchQuery"), std::string::npos) << e.what();
  }
  try {
    handle.query<json>("fail").get();
    FAIL() << "failing query succeeded";
  } catch (const QueryFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("query failed on purpose"), std::string::npos) << e.what();
  }
  handle.terminate("done").get();
}

TEST_F(WorkflowClientInterop, QueryWithRejectConditionOnAClosedWorkflowIsRejected) {
  auto handle = client_->workflow().start("signalsAndQueries", options("rej")).get();
  handle.signal("finish").get();
  handle.result<void>().get();
  EXPECT_EQ(handle.query<json>("getMessages").get(), json::array());
  try {
    handle.query_with_reject<json>(QueryRejectCondition::kNotOpen, "getMessages").get();
    FAIL() << "query on a closed workflow was not rejected";
  } catch (const QueryRejectedError& e) {
    EXPECT_EQ(e.status(), static_cast<int>(WorkflowExecutionStatus::kCompleted));
  }
}

TEST_F(WorkflowClientInterop, ApplicationFailureKeepsTypeDetailsAndCauseChain) {
  auto wf = client_->workflow();
  try {
    wf.execute<json>("failing", options("fail"), std::string("application")).get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->type(), "MyError");
    EXPECT_EQ(app->message(), "failed on purpose");
    ASSERT_EQ(app->details().size(), 2u);
    EXPECT_EQ(converter::from_payload<std::string>(app->details()[0]), "detail1");
    EXPECT_EQ(converter::from_payload<int>(app->details()[1]), 42);
  }
  try {
    wf.execute<json>("failing", options("nested"), std::string("nested")).get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    ASSERT_NE(e.cause(), nullptr);
    ASSERT_NE(e.cause()->cause(), nullptr);
    EXPECT_EQ(e.cause()->cause()->message(), "inner cause");
    EXPECT_EQ(dynamic_cast<const ApplicationFailure*>(e.cause()->cause())->type(), "InnerError");
  }
  try {
    wf.execute<json>("failing", options("nonretry"), std::string("nonRetryable")).get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr);
    EXPECT_TRUE(app->non_retryable());
    EXPECT_EQ(app->type(), "FatalError");
  }
  try {
    wf.execute<json>("failing", options("act"), std::string("activity")).get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    const auto* act = dynamic_cast<const ActivityFailure*>(e.cause());
    ASSERT_NE(act, nullptr) << e.what();
    EXPECT_EQ(act->info().activity_type, "failingActivity");
    EXPECT_EQ(dynamic_cast<const ApplicationFailure*>(act->cause())->type(), "ActivityError");
  }
}

TEST_F(WorkflowClientInterop, CancelEndsTheWorkflowAsCanceled) {
  auto handle = client_->workflow().start("cancellable", options("cancel")).get();
  handle.cancel().get();
  try {
    handle.result<json>().get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    EXPECT_NE(dynamic_cast<const CanceledFailure*>(e.cause()), nullptr) << e.what();
  }
  EXPECT_EQ(handle.describe().get().status, WorkflowExecutionStatus::kCanceled);
}

TEST_F(WorkflowClientInterop, TerminateCarriesReasonAndDetails) {
  auto handle = client_->workflow().start("sleeper", options("term"), 3600000).get();
  handle.terminate("enough", std::string("why")).get();
  try {
    handle.result<json>().get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    const auto* t = dynamic_cast<const TerminatedFailure*>(e.cause());
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->message(), "enough");
  }
  EXPECT_EQ(handle.describe().get().status, WorkflowExecutionStatus::kTerminated);
}

TEST_F(WorkflowClientInterop, ResultFollowsContinueAsNewUnlessToldNot) {
  auto handle = client_->workflow().start("continueAsNewChain", options("can"), 3).get();
  EXPECT_EQ(handle.result<std::string>().get(), "final");
  ResultOptions no_follow;
  no_follow.follow_runs = false;
  try {
    handle.result<std::string>(no_follow).get();
    FAIL();
  } catch (const WorkflowContinuedAsNewError& e) {
    EXPECT_FALSE(e.new_run_id().empty());
    EXPECT_NE(e.new_run_id(), handle.first_execution_run_id());
  }
}

TEST_F(WorkflowClientInterop, ResultFollowsWorkflowRetries) {
  auto o = options("retry");
  o.retry_policy = RetryPolicy{.initial_interval = 100ms, .maximum_attempts = 3};
  EXPECT_EQ(client_->workflow().execute<int>("retryThenSucceed", o).get(), 2);
}

TEST_F(WorkflowClientInterop, ResultWithTimeoutGivesUpWithoutHanging) {
  auto handle = client_->workflow().start("sleeper", options("timeout"), 3600000).get();
  ResultOptions ro;
  ro.timeout = 500ms;
  auto begin = std::chrono::steady_clock::now();
  EXPECT_THROW(handle.result<json>(ro).get(), DeadlineExceededError);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_FALSE(handle.try_result<json>().get().has_value());
  handle.terminate().get();
}

TEST_F(WorkflowClientInterop, TryResultReturnsTheResultOfAClosedWorkflow) {
  auto handle = client_->workflow().start("echo", options("try"), std::string("done")).get();
  handle.result<void>().get();
  auto r = handle.try_result<std::string>().get();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, "done");
}

TEST_F(WorkflowClientInterop, WorkflowTimeoutIsATimeoutFailure) {
  auto o = options("wto");
  o.workflow_execution_timeout = 1s;
  try {
    client_->workflow().execute<json>("sleeper", o, 60000).get();
    FAIL();
  } catch (const WorkflowFailedError& e) {
    EXPECT_NE(dynamic_cast<const TimeoutFailure*>(e.cause()), nullptr) << e.what();
  }
}

TEST_F(WorkflowClientInterop, StartingTheSameIdTwiceRaisesAlreadyStarted) {
  auto o = options("dup");
  auto handle = client_->workflow().start("sleeper", o, 3600000).get();
  try {
    client_->workflow().start("sleeper", o, 1).get();
    FAIL();
  } catch (const WorkflowAlreadyStartedError& e) {
    EXPECT_EQ(e.grpc_code(), 6);  // ALREADY_EXISTS
    EXPECT_FALSE(e.server_details().empty());
    EXPECT_EQ(e.workflow_id(), o.workflow_id);
    EXPECT_EQ(e.run_id(), handle.first_execution_run_id());
  }
  auto use_existing = o;
  use_existing.id_conflict_policy = WorkflowIdConflictPolicy::kUseExisting;
  auto same = client_->workflow().start("sleeper", use_existing, 1).get();
  EXPECT_EQ(same.first_execution_run_id(), handle.first_execution_run_id());
  handle.terminate().get();
}

TEST_F(WorkflowClientInterop, SignalWithStartStartsThenSignalsTheRunningWorkflow) {
  auto o = options("sws");
  auto h1 = client_->workflow().signal_with_start("signalsAndQueries", o,
                                                   SignalWithStart::of("add", std::string("first")))
                .get();
  auto h2 = client_->workflow().signal_with_start("signalsAndQueries", o,
                                                   SignalWithStart::of("add", std::string("second")))
                .get();
  EXPECT_EQ(h1.first_execution_run_id(), h2.first_execution_run_id());
  EXPECT_EQ(h1.query<json>("getMessages").get(), json::parse(R"(["first","second"])"));
  h1.signal("finish").get();
  h1.result<void>().get();
}

TEST_F(WorkflowClientInterop, UpdatesCompleteAreRejectedByValidatorsAndFail) {
  auto handle = client_->workflow().start("signalsAndQueries", options("upd")).get();
  EXPECT_EQ(handle.execute_update<int>("addAndGet", std::string("x")).get(), 1);
  try {
    handle.execute_update<int>("addAndGet", std::string("")).get();
    FAIL();
  } catch (const WorkflowUpdateFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("empty message rejected"), std::string::npos) << e.what();
  }
  try {
    handle.execute_update<json>("failUpdate").get();
    FAIL();
  } catch (const WorkflowUpdateFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->type(), "UpdateFailure");
  }
  UpdateOptions uo;
  uo.update_id = "my-update-id";
  auto started = handle.start_update("addAndGet", uo, std::string("y")).get();
  EXPECT_EQ(started.update_id(), "my-update-id");
  EXPECT_EQ(handle.get_update_handle("my-update-id").result<int>().get(), 2);
  handle.terminate().get();
}

TEST_F(WorkflowClientInterop, UpdateWithStartStartsTheWorkflowAndUpdatesIt) {
  auto o = options("uws");
  o.id_conflict_policy = WorkflowIdConflictPolicy::kUseExisting;
  UpdateOptions uo;
  uo.wait_for_stage = WorkflowUpdateStage::kCompleted;
  auto u = client_->workflow()
               .start_update_with_start_payloads("signalsAndQueries", o, {}, "addAndGet",
                                                 converter::to_payloads(std::string("hello")), uo)
               .get();
  EXPECT_EQ(u.result<int>().get(), 1);
  auto handle = client_->workflow().get_handle(o.workflow_id);
  EXPECT_EQ(handle.query<json>("getMessages").get(), json::parse(R"(["hello"])"));
  handle.terminate().get();
}

TEST_F(WorkflowClientInterop, DescribeReportsMemoSearchAttributesAndTimes) {
  auto o = options("desc");
  o.memo = {{"owner", converter::to_payload(std::string("team-a"))}, {"n", converter::to_payload(7)}};
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  o.search_attributes = {{"CppKeyword", SearchAttributeValue::keyword("gold")},
                         {"CppInt", SearchAttributeValue::integer(42)},
                         {"CppBool", SearchAttributeValue::boolean(true)},
                         {"CppDouble", SearchAttributeValue::floating(2.5)},
                         {"CppText", SearchAttributeValue::text("some words")},
                         {"CppDatetime", SearchAttributeValue::datetime(when)},
                         {"CppKeywordList", SearchAttributeValue::keyword_list({"a", "b"})}};
  o.static_summary = "summary text";
  auto handle = client_->workflow().start("memoAndSearchAttributes", o).get();
  auto result = handle.result<json>().get();
  EXPECT_EQ(result["memo"]["owner"], "team-a");
  EXPECT_EQ(result["searchAttributes"]["CppKeyword"], "gold");
  auto d = handle.describe().get();
  EXPECT_EQ(d.workflow_type, "memoAndSearchAttributes");
  EXPECT_EQ(d.task_queue, *queue_);
  EXPECT_EQ(d.status, WorkflowExecutionStatus::kCompleted);
  EXPECT_TRUE(d.close_time.has_value());
  EXPECT_GT(d.history_length, 0);
  EXPECT_GT(d.history_size_bytes, 0);
  EXPECT_EQ(converter::from_payload<std::string>(d.memo.at("owner")), "team-a");
  EXPECT_EQ(converter::from_payload<int>(d.memo.at("n")), 7);
  EXPECT_EQ(d.search_attributes.at("CppKeyword").as_string(), "gold");
  EXPECT_EQ(d.search_attributes.at("CppInt").as_int(), 42);
  EXPECT_TRUE(d.search_attributes.at("CppBool").as_bool());
  EXPECT_DOUBLE_EQ(d.search_attributes.at("CppDouble").as_double(), 2.5);
  EXPECT_EQ(d.search_attributes.at("CppDatetime").as_time(), when);
  EXPECT_EQ(d.search_attributes.at("CppKeywordList").as_keyword_list(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d.static_summary, "summary text");
}

TEST_F(WorkflowClientInterop, FetchHistoryReturnsEveryEvent) {
  auto handle = client_->workflow().start("echo", options("hist"), std::string("h")).get();
  handle.result<void>().get();
  auto h = handle.fetch_history().get();
  ASSERT_GE(h.events.size(), 5u);
  EXPECT_EQ(h.events.front().event_type, "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED");
  EXPECT_EQ(h.events.back().event_type, "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED");
  for (size_t i = 0; i < h.events.size(); ++i) EXPECT_EQ(h.events[i].event_id, static_cast<int64_t>(i + 1));
  EXPECT_NE(h.to_json().find("workflowExecutionStartedEventAttributes"), std::string::npos);
}

TEST_F(WorkflowClientInterop, ListAndCountSeeStartedWorkflows) {
  const std::string tag = "list-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  for (int i = 0; i < 5; ++i) {
    auto o = options("list" + std::to_string(i));
    o.search_attributes = {{"CppKeyword", SearchAttributeValue::keyword(tag)}};
    client_->workflow().start("echo", o, i).get().result<void>().get();
  }
  const std::string query = "CppKeyword = '" + tag + "'";
  // Visibility is eventually consistent: poll briefly.
  int64_t count = 0;
  for (int i = 0; i < 50 && count < 5; ++i) {
    count = client_->workflow().count(query).get().count;
    if (count < 5) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(count, 5);
  int seen = 0;
  for (const auto& info : client_->workflow().list(query, 2)) {
    EXPECT_EQ(info.workflow_type, "echo");
    ++seen;
  }
  EXPECT_EQ(seen, 5);
}

TEST_F(WorkflowClientInterop, CronWorkflowRunsOnSchedule) {
  auto o = options("cron");
  o.cron_schedule = "* * * * *";
  auto handle = client_->workflow().start("cronWorkflow", o).get();
  auto d = handle.describe().get();
  EXPECT_EQ(d.status, WorkflowExecutionStatus::kRunning);
  EXPECT_TRUE(d.execution_time.has_value());
  EXPECT_GT(*d.execution_time, d.start_time);  // first run waits for the next minute
  handle.terminate().get();
}

TEST_F(WorkflowClientInterop, UnknownWorkflowIdRaisesNotFound) {
  auto handle = client_->workflow().get_handle("no-such-workflow-id");
  try {
    handle.describe().get();
    FAIL();
  } catch (const WorkflowNotFoundError& e) {
    EXPECT_EQ(e.grpc_code(), 5);  // NOT_FOUND
    EXPECT_EQ(e.workflow_id(), "no-such-workflow-id");
    EXPECT_NE(std::string(e.what()).find("no-such-workflow-id"), std::string::npos);
  }
  EXPECT_THROW(handle.signal("x").get(), WorkflowNotFoundError);
  EXPECT_THROW(handle.result<json>().get(), WorkflowNotFoundError);
}

}  // namespace
}  // namespace temporal::client
