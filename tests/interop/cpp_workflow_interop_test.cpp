// Workflows written in C++ on a C++ worker, driven by the official TypeScript client
// (tests/interop/ts/src/client.ts, run as a subprocess) and by the C++ client: every row of the
// seed's Handle API table (client, query, signal, signalWithStart, workflowId, cancel, terminate,
// describe, execute, start, result), updates, and external handles to TypeScript workflows.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/ts_client.h"
#include "support/ts_worker.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test_support::ts_client;
namespace wf = temporal::workflow;
using client::WorkflowExecutionStatus;
using client::WorkflowOptions;

// ---- C++ workflows and activities ----

// Arguments of every JSON type in; the same values and values computed from them out, so that
// both directions of the conversion are checked.
wf::Workflow<json> typed(std::string text, int64_t integer, double real, bool flag, std::vector<std::string> list,
                         json object) {
  json out = {{"text", text},
              {"integer", integer},
              {"real", real},
              {"flag", flag},
              {"list", list},
              {"object", object},
              {"integerPlusOne", integer + 1},
              {"realHalved", real / 2},
              {"listSize", list.size()}};
  co_return out;
}

wf::Workflow<std::string> optional_arg(std::optional<std::string> value) {
  co_return value ? "value " + *value : std::string("no value");
}

wf::Workflow<converter::Bytes> bytes() {
  converter::Bytes b{std::byte{0}, std::byte{1}, std::byte{0xfe}};
  co_return b;
}

wf::Workflow<void> nothing() { co_return; }

wf::Workflow<std::string> greet(std::string name) {
  wf::ActivityOptions options{.start_to_close_timeout = 10s};
  auto greeting = co_await wf::execute_activity<std::string>("compose", options, name);
  co_return greeting;
}

// The seed's example, as a class workflow: a value that signals and updates change and queries
// read. The object owns the value, so queries are answered also after the run completed.
class Counter {
 public:
  wf::Workflow<int64_t> run(int64_t initial) {
    value_ += initial;  // a signal or update delivered with the start has already been applied
    auto finished = [this] { return done_; };
    co_await wf::wait_condition(finished);
    co_return value_;
  }
  void increment(int64_t by) { value_ += by; }
  void finish() { done_ = true; }
  int64_t get_value() const { return value_; }
  int64_t value_times(int64_t factor) const { return value_ * factor; }
  json info() const {
    const auto& i = wf::info();
    return json{{"workflowId", i.workflow_id}, {"runId", i.run_id}, {"workflowType", i.workflow_type},
                {"taskQueue", i.task_queue}};
  }
  int64_t fail() const { throw ApplicationFailure("query failed on purpose", {.type = "QueryError"}); }
  int64_t add(int64_t by) {
    value_ += by;
    return value_;
  }
  void validate_add(int64_t by) const {
    if (by < 0) throw ApplicationFailure("negative increments are rejected", {.type = "Rejected"});
  }
  // Completes only after an activity: its result arrives well after the update was accepted.
  wf::Workflow<int64_t> add_doubled(int64_t by) {
    wf::ActivityOptions options{.start_to_close_timeout = 10s};
    auto doubled = co_await wf::execute_activity<int64_t>("double", options, by);
    value_ += doubled;
    co_return value_;
  }
  int64_t fail_update() {
    throw ApplicationFailure("update failed on purpose",
                             {.type = "UpdateFailure", .details = converter::to_payloads(std::string("d1"))});
  }

 private:
  int64_t value_ = 0;
  bool done_ = false;
};

wf::WorkflowDefinition counter_definition() {
  return wf::WorkflowClass<Counter>("counter")
      .run(&Counter::run)
      .signal("increment", &Counter::increment)
      .signal("finish", &Counter::finish)
      .query("getValue", &Counter::get_value)
      .query("valueTimes", &Counter::value_times)
      .query("info", &Counter::info)
      .query("fail", &Counter::fail)
      .update("add", &Counter::add, &Counter::validate_add)
      .update("addDoubled", &Counter::add_doubled)
      .update("failUpdate", &Counter::fail_update);
}

wf::Workflow<std::string> failing(std::string kind) {
  if (kind == "application") {
    auto cause = std::make_shared<ApplicationFailure>("inner cause", ApplicationFailure::Info{.type = "InnerError"});
    throw ApplicationFailure("failed on purpose",
                             {.type = "MyError",
                              .non_retryable = true,
                              .details = converter::to_payloads(std::string("detail1"), int64_t{42})},
                             {}, cause);
  }
  wf::ActivityOptions options{.start_to_close_timeout = 10s, .retry_policy = RetryPolicy{.maximum_attempts = 1}};
  if (kind == "activity") {
    co_await wf::execute_activity<void>("explode", options);
  } else if (kind == "activityApplication") {
    options.retry_policy.reset();  // the failure is non-retryable: no retry despite the default policy
    co_await wf::execute_activity<void>("refuse", options);
  }
  throw ApplicationFailure("unknown kind " + kind, {.type = "UnknownKind", .non_retryable = true});
}

// Sleeps an hour; when cancelled, runs a cleanup activity out of the cancellation's reach and
// ends cancelled.
wf::Workflow<std::string> cancellable() {
  std::exception_ptr canceled;
  try {
    co_await wf::sleep(1h);
  } catch (const CanceledFailure&) {
    canceled = std::current_exception();  // (C++ forbids co_await inside a catch block)
  }
  if (canceled) {
    co_await wf::run_detached([]() -> wf::Workflow<void> {
      wf::ActivityOptions options{.start_to_close_timeout = 10s};
      co_await wf::execute_activity<std::string>("compose", options, std::string("cleanup"));
    });
    std::rethrow_exception(canceled);
  }
  co_return "not canceled";
}

// Continues as new `n` times, then returns how many runs there were before this one.
wf::Workflow<int64_t> countdown(int64_t n, int64_t runs_before) {
  if (n > 0) wf::continue_as_new({}, n - 1, runs_before + 1);
  co_return runs_before;
}

json search_attribute_to_json(const SearchAttributeValue& v) {
  switch (v.type) {
    case SearchAttributeType::kInt:
      return v.as_int();
    case SearchAttributeType::kDouble:
      return v.as_double();
    case SearchAttributeType::kBool:
      return v.as_bool();
    case SearchAttributeType::kDatetime:
      return std::chrono::duration_cast<std::chrono::seconds>(v.as_time().time_since_epoch()).count();
    case SearchAttributeType::kKeywordList:
      return v.as_keyword_list();
    default:
      return v.as_string();
  }
}

// What the workflow knows about itself.
wf::Workflow<json> info_echo() {
  const auto& i = wf::info();
  json memo = json::object();
  for (const auto& [k, v] : i.memo) memo[k] = converter::from_payload<json>(v);
  json search_attributes = json::object();
  for (const auto& [k, v] : i.search_attributes) search_attributes[k] = search_attribute_to_json(v);
  json out = {{"workflowId", i.workflow_id}, {"runId", i.run_id},
              {"workflowType", i.workflow_type}, {"taskQueue", i.task_queue},
              {"attempt", i.attempt}, {"memo", memo},
              {"searchAttributes", search_attributes}};
  co_return out;
}

// The seed's "External Workflow Handles": signals one workflow and cancels another, by id only
// (here TypeScript workflows).
wf::Workflow<std::string> drive_others(std::string signal_target, std::string cancel_target) {
  auto target = wf::get_external_workflow_handle(signal_target);
  co_await target.signal("add", std::string("from a C++ workflow"));
  co_await target.signal("finish");
  co_await wf::get_external_workflow_handle(cancel_target).cancel();
  co_return "sent";
}

// ---- fixture ----

class CppWorkflowInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    client_ = new client::Client(client::Connection::connect({.address = testing::shared_test_server_address()}));
    queue_ = new std::string("cpp-wf-interop-" + std::to_string(::getpid()) + "-" +
                             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    worker_ = new worker::Worker(*client_, {.task_queue = *queue_});
    worker_->register_workflow("typed", typed)
        .register_workflow("optionalArg", optional_arg)
        .register_workflow("bytes", bytes)
        .register_workflow("nothing", nothing)
        .register_workflow("greet", greet)
        .register_workflow(counter_definition())
        .register_workflow("failing", failing)
        .register_workflow("cancellable", cancellable)
        .register_workflow("countdown", countdown)
        .register_workflow("infoEcho", info_echo)
        .register_workflow("driveOthers", drive_others)
        .register_activity("compose", [](std::string name) { return "Hello, " + name + "!"; })
        .register_activity("double", [](int64_t n) { return 2 * n; })
        .register_activity("explode", []() -> void { throw std::runtime_error("boom"); })
        .register_activity("refuse", []() -> void {
          throw ApplicationFailure("refused", {.type = "Refused",
                                               .non_retryable = true,
                                               .details = converter::to_payloads(std::string("why"))});
        });
    worker_->start();
  }
  static void TearDownTestSuite() {
    worker_->shutdown();
    delete worker_;
    worker_ = nullptr;
  }

  // A workflow id no other test (or run) uses.
  static std::string unique_id(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" + std::to_string(++n);
  }
  static WorkflowOptions options(const std::string& prefix) {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = unique_id(prefix);
    return o;
  }
  static client::WorkflowClient workflows() { return client_->workflow(); }

  // Waits (bounded) until the run's history holds an event of `event_type`.
  static void await_event(const client::WorkflowHandle& h, const std::string& event_type) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (;;) {
      for (const auto& e : h.fetch_history().get().events) {
        if (e.event_type == event_type) return;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("no " + event_type + " in the history of " + h.workflow_id() + " after 30 s");
      }
      std::this_thread::sleep_for(50ms);
    }
  }
  static bool has_event(const client::WorkflowHandle& h, const std::string& event_type) {
    for (const auto& e : h.fetch_history().get().events) {
      if (e.event_type == event_type) return true;
    }
    return false;
  }

  static client::Client* client_;
  static std::string* queue_;
  static worker::Worker* worker_;
};
client::Client* CppWorkflowInterop::client_ = nullptr;
std::string* CppWorkflowInterop::queue_ = nullptr;
worker::Worker* CppWorkflowInterop::worker_ = nullptr;

const char* const kTypedArgs = R"(["héllo ✓", 9007199254740991, 2.5, true, ["a", "b"], {"k": [1, null, {"n": false}]}])";
const char* const kTypedResult = R"({"text": "héllo ✓", "integer": 9007199254740991, "real": 2.5, "flag": true,
  "list": ["a", "b"], "object": {"k": [1, null, {"n": false}]}, "integerPlusOne": 9007199254740992,
  "realHalved": 1.25, "listSize": 2})";

// ================================================================================================
// The TypeScript client acts on C++ workflows.

TEST_F(CppWorkflowInterop, TypeScriptExecuteAndStartReadTypedResultsOfCppWorkflows) {
  auto out = ts_client({"execute", "typed", *queue_, unique_id("ts-typed"), kTypedArgs});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_EQ(out["result"], json::parse(kTypedResult)) << out.dump();

  // `start` starts, then awaits the result through a second handle; the workflow calls an activity.
  const auto id = unique_id("ts-greet");
  out = ts_client({"start", "greet", *queue_, id, R"(["TypeScript"])"});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_EQ(out["result"], "Hello, TypeScript!");
  EXPECT_EQ(out["workflowId"], id);
  EXPECT_EQ(workflows().get_handle(id).describe().get().run_id, out["runId"]);

  out = ts_client({"execute", "optionalArg", *queue_, unique_id("ts-opt"), R"(["x"])"});
  EXPECT_EQ(out["result"], "value x") << out.dump();
  out = ts_client({"execute", "bytes", *queue_, unique_id("ts-bytes"), "[]"});
  EXPECT_EQ(out["result"], json::parse(R"({"$bytes": "AAH+"})")) << out.dump();
  out = ts_client({"execute", "nothing", *queue_, unique_id("ts-void"), "[]"});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_TRUE(out["result"].is_null()) << out.dump();
}

TEST_F(CppWorkflowInterop, TypeScriptStartReturnsTheIdsOfTheCppRunAndResultWaitsForIt) {
  const auto id = unique_id("ts-start");
  auto started = ts_client({"start-async", "counter", *queue_, id, "[10]"});
  ASSERT_EQ(started["status"], "started") << started.dump();
  EXPECT_EQ(started["workflowId"], id);
  const std::string run_id = started["runId"];
  EXPECT_FALSE(run_id.empty());
  // The workflow itself sees the id and run the TypeScript handle names.
  auto handle = workflows().get_handle(id);
  auto info = handle.query<json>("info").get();
  EXPECT_EQ(info["workflowId"], id);
  EXPECT_EQ(info["runId"], run_id);
  EXPECT_EQ(info["workflowType"], "counter");
  EXPECT_EQ(info["taskQueue"], *queue_);
  EXPECT_EQ(ts_client({"signal", id, "finish"})["status"], "ok");
  auto out = ts_client({"result", id, run_id});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_EQ(out["result"], 10);
}

TEST_F(CppWorkflowInterop, TypeScriptResultFollowsTheRunsOfACppWorkflowThatContinuedAsNew) {
  const auto id = unique_id("ts-can");
  auto out = ts_client({"start", "countdown", *queue_, id, "[2, 0]"});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_EQ(out["result"], 2) << out.dump();
  // The first run alone ended by continuing as new.
  out = ts_client({"result", id, out["runId"], "--no-follow"});
  EXPECT_EQ(out["status"], "continued_as_new") << out.dump();
  EXPECT_TRUE(out["newExecutionRunId"].is_string()) << out.dump();
  EXPECT_EQ(ts_client({"describe", id})["status"], "COMPLETED");
}

TEST_F(CppWorkflowInterop, TypeScriptSignalsAndQueriesACppWorkflowAlsoAfterItCompleted) {
  auto handle = workflows().start("counter", options("ts-sq"), int64_t{10}).get();
  const auto& id = handle.workflow_id();
  EXPECT_EQ(ts_client({"signal", id, "increment", "[5]"})["status"], "ok");
  auto q = ts_client({"query", id, "getValue"});
  EXPECT_EQ(q["status"], "ok") << q.dump();
  EXPECT_EQ(q["result"], 15) << q.dump();
  q = ts_client({"query", id, "valueTimes", "[3]"});
  EXPECT_EQ(q["result"], 45) << q.dump();

  q = ts_client({"query", id, "noSuchQuery"});
  EXPECT_EQ(q["status"], "failed") << q.dump();
  EXPECT_NE(q["error"]["message"].get<std::string>().find("unknown query type 'noSuchQuery'"), std::string::npos)
      << q.dump();
  q = ts_client({"query", id, "fail"});
  EXPECT_EQ(q["status"], "failed") << q.dump();
  EXPECT_NE(q["error"]["message"].get<std::string>().find("query failed on purpose"), std::string::npos) << q.dump();

  EXPECT_EQ(ts_client({"signal", id, "finish"})["status"], "ok");
  EXPECT_EQ(handle.result<int64_t>().get(), 15);
  // The seed: "query a Workflow after it's been started even if it has already completed".
  q = ts_client({"query", id, "getValue"});
  EXPECT_EQ(q["status"], "ok") << q.dump();
  EXPECT_EQ(q["result"], 15) << q.dump();
  q = ts_client({"query", id, "valueTimes", "[2]"});
  EXPECT_EQ(q["result"], 30) << q.dump();
}

TEST_F(CppWorkflowInterop, TypeScriptUpdatesACppWorkflowAndSeesRejectionsAndFailures) {
  auto handle = workflows().start("counter", options("ts-upd"), int64_t{10}).get();
  const auto& id = handle.workflow_id();
  auto u = ts_client({"update", id, "add", "[1]"});
  EXPECT_EQ(u["status"], "ok") << u.dump();
  EXPECT_EQ(u["result"], 11) << u.dump();

  // Start (returns at acceptance) and the result from that handle, then from a handle by update
  // id in another process.
  auto started = ts_client({"start-update", id, "addDoubled", "[2]", "ts-update-1"});
  EXPECT_EQ(started["status"], "started") << started.dump();
  EXPECT_EQ(started["updateId"], "ts-update-1");
  EXPECT_EQ(started["workflowRunId"], handle.first_execution_run_id()) << started.dump();
  EXPECT_EQ(started["outcome"]["result"], 15) << started.dump();
  u = ts_client({"update-result", id, "ts-update-1"});
  EXPECT_EQ(u["status"], "ok") << u.dump();
  EXPECT_EQ(u["result"], 15) << u.dump();

  // The validator's rejection arrives as an error, with the failure the C++ validator threw.
  u = ts_client({"update", id, "add", "[-1]"});
  EXPECT_EQ(u["status"], "failed") << u.dump();
  EXPECT_EQ(u["error"]["failureType"], "ApplicationFailure") << u.dump();
  EXPECT_EQ(u["error"]["type"], "Rejected") << u.dump();
  EXPECT_EQ(u["error"]["message"], "negative increments are rejected") << u.dump();
  // TypeScript's startUpdate returns a handle for a rejected update too; its result is the error.
  started = ts_client({"start-update", id, "add", "[-2]"});
  EXPECT_EQ(started["status"], "started") << started.dump();
  EXPECT_EQ(started["outcome"]["status"], "failed") << started.dump();
  EXPECT_EQ(started["outcome"]["error"]["type"], "Rejected") << started.dump();

  u = ts_client({"update", id, "failUpdate"});
  EXPECT_EQ(u["status"], "failed") << u.dump();
  EXPECT_EQ(u["error"]["type"], "UpdateFailure") << u.dump();
  EXPECT_EQ(u["error"]["message"], "update failed on purpose") << u.dump();
  EXPECT_EQ(u["error"]["details"], json::parse(R"(["d1"])")) << u.dump();

  u = ts_client({"update", id, "noSuchUpdate"});
  EXPECT_EQ(u["status"], "failed") << u.dump();
  EXPECT_NE(u["error"]["message"].get<std::string>().find("noSuchUpdate"), std::string::npos) << u.dump();

  // Rejected updates changed nothing.
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 15);
  handle.signal("finish").get();
  EXPECT_EQ(handle.result<int64_t>().get(), 15);
  // A query of the closed workflow replays its history, accepted updates included.
  auto q = ts_client({"query", id, "getValue"});
  EXPECT_EQ(q["result"], 15) << q.dump();
}

// The update arrives in the first workflow task, before the workflow function registered its handler.
TEST_F(CppWorkflowInterop, TypeScriptUpdateWithStartStartsACppWorkflowThenUpdatesTheRunningOne) {
  const auto id = unique_id("ts-uws");
  auto u = ts_client({"update-with-start", "counter", *queue_, id, "add", "[1]", "[100]"});
  EXPECT_EQ(u["status"], "ok") << u.dump();
  EXPECT_EQ(u["result"], 101) << u.dump();
  const std::string run_id = u["runId"];
  u = ts_client({"update-with-start", "counter", *queue_, id, "add", "[2]", "[0]"});
  EXPECT_EQ(u["result"], 103) << u.dump();
  EXPECT_EQ(u["runId"], run_id) << u.dump();
  auto handle = workflows().get_handle(id);
  handle.signal("finish").get();
  EXPECT_EQ(handle.result<int64_t>().get(), 103);
}

TEST_F(CppWorkflowInterop, TypeScriptSignalWithStartStartsACppWorkflowThenSignalsTheRunningOne) {
  const auto id = unique_id("ts-sws");
  auto first = ts_client({"signal-with-start", "counter", *queue_, id, "increment", "[5]", "[10]"});
  ASSERT_EQ(first["status"], "ok") << first.dump();
  EXPECT_EQ(first["workflowId"], id);
  const std::string run_id = first["signaledRunId"];
  auto second = ts_client({"signal-with-start", "counter", *queue_, id, "increment", "[7]", "[10]"});
  EXPECT_EQ(second["signaledRunId"], run_id) << second.dump();
  auto handle = workflows().get_handle(id);
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 22);
  handle.signal("finish").get();
  auto out = ts_client({"result", id});
  EXPECT_EQ(out["result"], 22) << out.dump();
  // After it closed, signal-with-start starts a new run.
  auto third = ts_client({"signal-with-start", "counter", *queue_, id, "increment", "[1]", "[0]"});
  EXPECT_NE(third["signaledRunId"], run_id) << third.dump();
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 1);
  handle.terminate("test over").get();
}

TEST_F(CppWorkflowInterop, TypeScriptReadsCppWorkflowFailuresWithTypeDetailsAndCauseChain) {
  auto out = ts_client({"execute", "failing", *queue_, unique_id("ts-fail"), R"(["application"])"});
  EXPECT_EQ(out["status"], "failed") << out.dump();
  const auto& app = out["error"];
  EXPECT_EQ(app["failureType"], "ApplicationFailure") << out.dump();
  EXPECT_EQ(app["message"], "failed on purpose");
  EXPECT_EQ(app["type"], "MyError");
  EXPECT_EQ(app["nonRetryable"], true);
  EXPECT_EQ(app["details"], json::parse(R"(["detail1", 42])"));
  EXPECT_EQ(app["cause"]["failureType"], "ApplicationFailure") << out.dump();
  EXPECT_EQ(app["cause"]["type"], "InnerError");
  EXPECT_EQ(app["cause"]["message"], "inner cause");
  EXPECT_TRUE(app["cause"]["cause"].is_null());

  // An activity's std::exception: ActivityFailure, caused by an ApplicationFailure named after
  // the C++ type.
  out = ts_client({"execute", "failing", *queue_, unique_id("ts-fail-act"), R"(["activity"])"});
  EXPECT_EQ(out["status"], "failed") << out.dump();
  const auto& act = out["error"];
  EXPECT_EQ(act["failureType"], "ActivityFailure") << out.dump();
  EXPECT_EQ(act["activityType"], "explode");
  EXPECT_EQ(act["retryState"], "MAXIMUM_ATTEMPTS_REACHED") << out.dump();
  EXPECT_EQ(act["cause"]["failureType"], "ApplicationFailure");
  EXPECT_EQ(act["cause"]["type"], "std::runtime_error");
  EXPECT_EQ(act["cause"]["message"], "boom");
  EXPECT_EQ(act["cause"]["nonRetryable"], false);

  out = ts_client({"execute", "failing", *queue_, unique_id("ts-fail-app-act"), R"(["activityApplication"])"});
  const auto& refused = out["error"];
  EXPECT_EQ(refused["failureType"], "ActivityFailure") << out.dump();
  EXPECT_EQ(refused["activityType"], "refuse");
  EXPECT_EQ(refused["retryState"], "NON_RETRYABLE_FAILURE") << out.dump();
  EXPECT_EQ(refused["cause"]["type"], "Refused");
  EXPECT_EQ(refused["cause"]["nonRetryable"], true);
  EXPECT_EQ(refused["cause"]["details"], json::parse(R"(["why"])"));
}

TEST_F(CppWorkflowInterop, TypeScriptCancelIsSeenAsCancelledAfterTheCppCleanupRan) {
  auto handle = workflows().start("cancellable", options("ts-cancel")).get();
  await_event(handle, "EVENT_TYPE_TIMER_STARTED");
  EXPECT_EQ(ts_client({"cancel", handle.workflow_id()})["status"], "ok");
  auto out = ts_client({"result", handle.workflow_id()});
  EXPECT_EQ(out["status"], "canceled") << out.dump();
  EXPECT_EQ(out["error"]["failureType"], "CancelledFailure") << out.dump();
  EXPECT_EQ(ts_client({"describe", handle.workflow_id()})["status"], "CANCELLED");
  EXPECT_TRUE(has_event(handle, "EVENT_TYPE_TIMER_CANCELED"));
  EXPECT_TRUE(has_event(handle, "EVENT_TYPE_ACTIVITY_TASK_COMPLETED"));  // the cleanup
}

TEST_F(CppWorkflowInterop, TypeScriptTerminateEndsACppWorkflowWithItsReason) {
  auto handle = workflows().start("counter", options("ts-term"), int64_t{1}).get();
  EXPECT_EQ(ts_client({"terminate", handle.workflow_id(), "stopped from TypeScript"})["status"], "ok");
  auto out = ts_client({"result", handle.workflow_id()});
  EXPECT_EQ(out["status"], "terminated") << out.dump();
  EXPECT_EQ(out["error"]["failureType"], "TerminatedFailure") << out.dump();
  EXPECT_EQ(out["reason"], "stopped from TypeScript") << out.dump();
  try {
    handle.result<int64_t>().get();
    FAIL() << "a terminated workflow returned a result";
  } catch (const WorkflowFailedError& e) {
    const auto* t = dynamic_cast<const TerminatedFailure*>(e.cause());
    ASSERT_NE(t, nullptr) << e.what();
    EXPECT_EQ(t->message(), "stopped from TypeScript");
  }
  EXPECT_EQ(ts_client({"describe", handle.workflow_id()})["status"], "TERMINATED");
}

TEST_F(CppWorkflowInterop, TypeScriptDescribesARunningAndACompletedCppWorkflow) {
  auto handle = workflows().start("counter", options("ts-desc"), int64_t{1}).get();
  auto d = ts_client({"describe", handle.workflow_id()});
  EXPECT_EQ(d["status"], "RUNNING") << d.dump();
  EXPECT_EQ(d["type"], "counter");
  EXPECT_EQ(d["taskQueue"], *queue_);
  EXPECT_EQ(d["workflowId"], handle.workflow_id());
  EXPECT_EQ(d["runId"], handle.first_execution_run_id());
  EXPECT_TRUE(d["closeTime"].is_null()) << d.dump();
  handle.signal("finish").get();
  handle.result<void>().get();
  d = ts_client({"describe", handle.workflow_id()});
  EXPECT_EQ(d["status"], "COMPLETED") << d.dump();
  EXPECT_TRUE(d["closeTime"].is_string()) << d.dump();
  EXPECT_GE(d["historyLength"].get<int>(), 5) << d.dump();
}

// TypeScript encodes `null` as json/plain "null" (only `undefined` is binary/null): it must reach
// a std::optional parameter as no value (it once failed every workflow task with DataConverterError).
TEST_F(CppWorkflowInterop, TypeScriptNullReachesAnOptionalCppParameterAsNoValue) {
  const auto id = unique_id("ts-null");
  auto started = ts_client({"start-async", "optionalArg", *queue_, id, "[null]"});
  ASSERT_EQ(started["status"], "started") << started.dump();
  auto handle = workflows().get_handle(id);
  client::ResultOptions bounded;
  bounded.timeout = 15s;
  std::optional<std::string> result;
  try {
    result = handle.result<std::string>(bounded).get();
  } catch (const DeadlineExceededError&) {
    handle.terminate("the workflow made no progress").get();
  }
  EXPECT_EQ(result, "no value");
}

TEST_F(CppWorkflowInterop, ACppWorkflowReadsTheMemoTheTypeScriptClientSet) {
  const auto id = unique_id("ts-memo");
  const char* const memo = R"({"memo": {"team": "ts", "n": 5, "obj": {"a": [true]}}})";
  auto out = ts_client({"execute", "infoEcho", *queue_, id, "[]", memo});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_EQ(out["result"]["memo"], json::parse(R"({"team": "ts", "n": 5, "obj": {"a": [true]}})")) << out.dump();
  EXPECT_EQ(out["result"]["workflowId"], id);
  EXPECT_EQ(out["result"]["workflowType"], "infoEcho");
  EXPECT_EQ(out["result"]["attempt"], 1);
}

// workflow::info().search_attributes holds what the starter set, typed.
TEST_F(CppWorkflowInterop, ACppWorkflowReadsTheSearchAttributesTheTypeScriptClientSet) {
  auto out = ts_client({"execute", "infoEcho", *queue_, unique_id("ts-sa"), "[]", R"({"typedSearchAttributes": {
                          "CppKeyword": {"type": "KEYWORD", "value": "from-ts"},
                          "CppInt": {"type": "INT", "value": 5},
                          "CppKeywordList": {"type": "KEYWORD_LIST", "value": ["x", "y"]}}})"});
  EXPECT_EQ(out["status"], "completed") << out.dump();
  EXPECT_EQ(out["result"]["searchAttributes"], json::parse(R"({"CppKeyword": "from-ts", "CppInt": 5,
                                                               "CppKeywordList": ["x", "y"]})"))
      << out.dump();
}

TEST_F(CppWorkflowInterop, ACppWorkflowSignalsAndCancelsTypeScriptWorkflowsThroughExternalHandles) {
  WorkflowOptions ts;
  ts.task_queue = test_support::ts_task_queue();
  ts.workflow_id = unique_id("ts-chat");
  auto chat = workflows().start("signalsAndQueries", ts).get();
  ts.workflow_id = unique_id("ts-sleep");
  auto sleeper = workflows().start("cancellable", ts).get();
  EXPECT_EQ(workflows()
                .execute<std::string>("driveOthers", options("drive"), chat.workflow_id(), sleeper.workflow_id())
                .get(),
            "sent");
  auto out = ts_client({"result", chat.workflow_id()});
  EXPECT_EQ(out["result"], json::parse(R"(["from a C++ workflow"])")) << out.dump();
  out = ts_client({"result", sleeper.workflow_id()});
  EXPECT_EQ(out["status"], "canceled") << out.dump();
}

// ================================================================================================
// The C++ client does every row of the seed's Handle API table against C++ workflows.

TEST_F(CppWorkflowInterop, CppExecuteReturnsTypedResults) {
  auto r = workflows()
               .execute<json>("typed", options("typed"), std::string("héllo ✓"), int64_t{9007199254740991}, 2.5, true,
                              std::vector<std::string>{"a", "b"}, json::parse(R"({"k": [1, null, {"n": false}]})"))
               .get();
  EXPECT_EQ(r, json::parse(kTypedResult));
  EXPECT_EQ(workflows().execute<std::string>("greet", options("greet"), std::string("C++")).get(), "Hello, C++!");
  EXPECT_EQ(workflows().execute<converter::Bytes>("bytes", options("bytes")).get(),
            (converter::Bytes{std::byte{0}, std::byte{1}, std::byte{0xfe}}));
  EXPECT_TRUE(workflows().execute<json>("nothing", options("void")).get().is_null());
  EXPECT_EQ(workflows().execute<std::string>("optionalArg", options("opt"), std::optional<std::string>("x")).get(),
            "value x");
  EXPECT_EQ(workflows().execute<std::string>("optionalArg", options("opt-none"), std::optional<std::string>()).get(),
            "no value");
}

TEST_F(CppWorkflowInterop, CppStartGivesTheWorkflowIdAndRunAndResultWaitsFromAnyHandle) {
  auto o = options("start");
  auto handle = workflows().start("counter", o, int64_t{3}).get();
  EXPECT_EQ(handle.workflow_id(), o.workflow_id);
  EXPECT_FALSE(handle.first_execution_run_id().empty());
  EXPECT_EQ(handle.run_id(), handle.first_execution_run_id());
  EXPECT_EQ(handle.query<json>("info").get()["runId"], handle.run_id());
  try {
    workflows().start("counter", o, int64_t{4}).get();
    FAIL() << "a second start with a running workflow's id succeeded";
  } catch (const WorkflowAlreadyStartedError& e) {
    EXPECT_EQ(e.run_id(), handle.first_execution_run_id());
  }

  // Without a workflow id the client makes one; the workflow sees the same.
  auto unnamed = options("unnamed");
  unnamed.workflow_id.clear();
  auto generated = workflows().start("counter", unnamed, int64_t{0}).get();
  EXPECT_EQ(generated.workflow_id().size(), 36u) << generated.workflow_id();
  EXPECT_EQ(generated.query<json>("info").get()["workflowId"], generated.workflow_id());
  generated.terminate().get();

  // As if in another process: a handle by workflow id only.
  auto again = workflows().get_handle(o.workflow_id);
  again.signal("finish").get();
  EXPECT_EQ(again.result<int64_t>().get(), 3);
  EXPECT_EQ(handle.result<int64_t>().get(), 3);
}

TEST_F(CppWorkflowInterop, CppHandleClientIsTheClientThatMadeTheHandle) {
  auto handle = workflows().start("counter", options("client"), int64_t{2}).get();
  EXPECT_EQ(handle.client().namespace_name(), client_->namespace_name());
  EXPECT_EQ(handle.client().core(), client_->core());
  EXPECT_EQ(handle.client().workflow().get_handle(handle.workflow_id()).query<int64_t>("getValue").get(), 2);
  handle.terminate().get();
}

TEST_F(CppWorkflowInterop, CppSignalsAndQueriesACppWorkflowAlsoAfterItCompleted) {
  auto handle = workflows().start("counter", options("sq"), int64_t{10}).get();
  handle.signal("increment", int64_t{5}).get();
  handle.signal("increment", int64_t{-2}).get();
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 13);
  EXPECT_EQ(handle.query<int64_t>("valueTimes", int64_t{2}).get(), 26);
  try {
    handle.query<json>("noSuchQuery").get();
    FAIL() << "an unknown query succeeded";
  } catch (const QueryFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown query type 'noSuchQuery'"), std::string::npos) << e.what();
  }
  try {
    handle.query<json>("fail").get();
    FAIL() << "a failing query succeeded";
  } catch (const QueryFailedError& e) {
    EXPECT_NE(std::string(e.what()).find("query failed on purpose"), std::string::npos) << e.what();
  }
  handle.signal("finish").get();
  EXPECT_EQ(handle.result<int64_t>().get(), 13);
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 13);
  EXPECT_EQ(handle.query<int64_t>("valueTimes", int64_t{3}).get(), 39);
  try {
    handle.query_with_reject<int64_t>(client::QueryRejectCondition::kNotOpen, "getValue").get();
    FAIL() << "a query of a closed workflow was not rejected";
  } catch (const QueryRejectedError& e) {
    EXPECT_EQ(e.status(), static_cast<int>(WorkflowExecutionStatus::kCompleted));
  }
  try {
    workflows().get_handle(handle.workflow_id()).signal("increment", int64_t{1}).get();
    FAIL() << "a signal to a completed workflow succeeded";
  } catch (const WorkflowNotFoundError&) {
  }
}

TEST_F(CppWorkflowInterop, CppSignalWithStartStartsWhenNotRunningAndSignalsWhenRunning) {
  auto o = options("sws");
  auto increment = [](int64_t by) { return client::SignalWithStart::of("increment", by); };
  auto first = workflows().signal_with_start("counter", o, increment(5), int64_t{10}).get();
  EXPECT_EQ(first.workflow_id(), o.workflow_id);
  EXPECT_FALSE(first.run_id().empty());
  EXPECT_EQ(first.query<int64_t>("getValue").get(), 15);
  auto second = workflows().signal_with_start("counter", o, increment(7), int64_t{10}).get();
  EXPECT_EQ(second.run_id(), first.run_id());
  EXPECT_EQ(first.query<int64_t>("getValue").get(), 22);
  first.signal("finish").get();
  EXPECT_EQ(first.result<int64_t>().get(), 22);
  // Closed: signal-with-start starts a new run with the new input.
  auto third = workflows().signal_with_start("counter", o, increment(1), int64_t{0}).get();
  EXPECT_NE(third.run_id(), first.run_id());
  EXPECT_EQ(third.query<int64_t>("getValue").get(), 1);
  EXPECT_EQ(third.describe().get().run_id, third.run_id());
  third.terminate().get();
}

TEST_F(CppWorkflowInterop, CppUpdatesACppWorkflowAndSeesRejectionsAndFailures) {
  auto handle = workflows().start("counter", options("upd"), int64_t{10}).get();
  EXPECT_EQ(handle.execute_update<int64_t>("add", int64_t{1}).get(), 11);

  client::UpdateOptions accepted;
  accepted.update_id = unique_id("upd");
  auto update = handle.start_update("addDoubled", accepted, int64_t{2}).get();
  EXPECT_EQ(update.update_id(), accepted.update_id);
  EXPECT_EQ(update.result<int64_t>().get(), 15);
  EXPECT_EQ(handle.get_update_handle(accepted.update_id).result<int64_t>().get(), 15);

  try {
    handle.execute_update<int64_t>("add", int64_t{-1}).get();
    FAIL() << "the validator did not reject";
  } catch (const WorkflowUpdateFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->type(), "Rejected");
    EXPECT_EQ(app->message(), "negative increments are rejected");
  }
  try {
    handle.execute_update<json>("failUpdate").get();
    FAIL() << "a failing update succeeded";
  } catch (const WorkflowUpdateFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->type(), "UpdateFailure");
    ASSERT_EQ(app->details().size(), 1u);
    EXPECT_EQ(converter::from_payload<std::string>(app->details()[0]), "d1");
  }
  EXPECT_THROW(handle.execute_update<json>("noSuchUpdate").get(), WorkflowUpdateFailedError);
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 15);
  handle.signal("finish").get();
  EXPECT_EQ(handle.result<int64_t>().get(), 15);
  // A query of the closed workflow replays its history, accepted updates included.
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 15);
}

// The update arrives in the first workflow task, before the workflow function registered its handler.
TEST_F(CppWorkflowInterop, CppUpdateWithStartStartsACppWorkflowThenUpdatesTheRunningOne) {
  auto o = options("uws");
  o.id_conflict_policy = client::WorkflowIdConflictPolicy::kUseExisting;
  client::UpdateOptions completed;
  completed.wait_for_stage = client::WorkflowUpdateStage::kCompleted;
  auto u = workflows()
               .start_update_with_start_payloads("counter", o, converter::to_payloads(int64_t{100}), "add",
                                                 converter::to_payloads(int64_t{1}), completed)
               .get();
  EXPECT_EQ(u.result<int64_t>().get(), 101);
  u = workflows()
          .start_update_with_start_payloads("counter", o, converter::to_payloads(int64_t{0}), "add",
                                            converter::to_payloads(int64_t{2}), completed)
          .get();
  EXPECT_EQ(u.result<int64_t>().get(), 103);
  auto handle = workflows().get_handle(o.workflow_id);
  handle.signal("finish").get();
  EXPECT_EQ(handle.result<int64_t>().get(), 103);
  EXPECT_EQ(handle.query<int64_t>("getValue").get(), 103);
}

TEST_F(CppWorkflowInterop, CppCancelEndsTheCppWorkflowCanceledAfterItsCleanup) {
  auto handle = workflows().start("cancellable", options("cancel")).get();
  await_event(handle, "EVENT_TYPE_TIMER_STARTED");
  handle.cancel("no longer needed").get();
  try {
    handle.result<json>().get();
    FAIL() << "a canceled workflow returned a result";
  } catch (const WorkflowFailedError& e) {
    EXPECT_NE(dynamic_cast<const CanceledFailure*>(e.cause()), nullptr) << e.what();
  }
  EXPECT_EQ(handle.describe().get().status, WorkflowExecutionStatus::kCanceled);
  EXPECT_TRUE(has_event(handle, "EVENT_TYPE_ACTIVITY_TASK_COMPLETED"));  // the cleanup
}

TEST_F(CppWorkflowInterop, CppTerminateEndsTheCppWorkflowWithReasonAndDetails) {
  auto handle = workflows().start("counter", options("term"), int64_t{1}).get();
  handle.terminate("enough", std::string("why"), int64_t{7}).get();
  try {
    handle.result<int64_t>().get();
    FAIL() << "a terminated workflow returned a result";
  } catch (const WorkflowFailedError& e) {
    const auto* t = dynamic_cast<const TerminatedFailure*>(e.cause());
    ASSERT_NE(t, nullptr) << e.what();
    EXPECT_EQ(t->message(), "enough");
  }
  EXPECT_EQ(handle.describe().get().status, WorkflowExecutionStatus::kTerminated);
  auto out = ts_client({"result", handle.workflow_id()});
  EXPECT_EQ(out["reason"], "enough") << out.dump();
  EXPECT_EQ(out["details"], json::parse(R"(["why", 7])")) << out.dump();
}

TEST_F(CppWorkflowInterop, CppDescribeReportsStatusTypeAndTaskQueueOfACppWorkflow) {
  auto handle = workflows().start("counter", options("desc"), int64_t{1}).get();
  auto d = handle.describe().get();
  EXPECT_EQ(d.status, WorkflowExecutionStatus::kRunning);
  EXPECT_EQ(d.workflow_id, handle.workflow_id());
  EXPECT_EQ(d.run_id, handle.first_execution_run_id());
  EXPECT_EQ(d.workflow_type, "counter");
  EXPECT_EQ(d.task_queue, *queue_);
  EXPECT_FALSE(d.close_time.has_value());
  handle.signal("finish").get();
  handle.result<void>().get();
  d = handle.describe().get();
  EXPECT_EQ(d.status, WorkflowExecutionStatus::kCompleted);
  ASSERT_TRUE(d.close_time.has_value());
  EXPECT_GE(*d.close_time, d.start_time);
  EXPECT_GE(d.history_length, 5);
}

TEST_F(CppWorkflowInterop, CppResultCarriesTheCppWorkflowFailureChain) {
  try {
    workflows().execute<std::string>("failing", options("fail"), std::string("application")).get();
    FAIL() << "a failing workflow returned a result";
  } catch (const WorkflowFailedError& e) {
    const auto* app = dynamic_cast<const ApplicationFailure*>(e.cause());
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->message(), "failed on purpose");
    EXPECT_EQ(app->type(), "MyError");
    EXPECT_TRUE(app->non_retryable());
    ASSERT_EQ(app->details().size(), 2u);
    EXPECT_EQ(converter::from_payload<std::string>(app->details()[0]), "detail1");
    EXPECT_EQ(converter::from_payload<int64_t>(app->details()[1]), 42);
    const auto* inner = dynamic_cast<const ApplicationFailure*>(app->cause());
    ASSERT_NE(inner, nullptr);
    EXPECT_EQ(inner->type(), "InnerError");
    EXPECT_EQ(inner->message(), "inner cause");
  }
  try {
    workflows().execute<std::string>("failing", options("fail-act"), std::string("activityApplication")).get();
    FAIL() << "a failing workflow returned a result";
  } catch (const WorkflowFailedError& e) {
    const auto* act = dynamic_cast<const ActivityFailure*>(e.cause());
    ASSERT_NE(act, nullptr) << e.what();
    EXPECT_EQ(act->info().activity_type, "refuse");
    EXPECT_EQ(act->info().retry_state, RetryState::kNonRetryableFailure);
    const auto* app = dynamic_cast<const ApplicationFailure*>(act->cause());
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->type(), "Refused");
    EXPECT_TRUE(app->non_retryable());
    ASSERT_EQ(app->details().size(), 1u);
    EXPECT_EQ(converter::from_payload<std::string>(app->details()[0]), "why");
  }
}

}  // namespace
}  // namespace temporal
