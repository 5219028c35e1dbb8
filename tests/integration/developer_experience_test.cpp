// Issue 15 (developer experience), against the dev server with a C++ worker: concise application
// failures read back typed through the cause chain, terminate details, the query failure's gRPC
// code, execute() with result options, SignalWithStart::of and continue_as_new without options.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <unistd.h>

#include "temporal/client.h"
#include "temporal/testing/dev_server.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace temporal {
namespace {

using namespace std::chrono_literals;
namespace wf = temporal::workflow;
using client::WorkflowOptions;

// ---- workflows and activities ----

std::string charge(std::string card) {
  throw ApplicationFailure::create("card declined", {.type = "CardDeclined", .non_retryable = true}, card,
                                   int64_t{402});
}

wf::Workflow<std::string> checkout(std::string card) {
  wf::ActivityOptions options{.start_to_close_timeout = 10s};
  co_return co_await wf::execute_activity<std::string>("charge", options, card);
}

wf::Workflow<std::string> refuse(std::string why) {
  auto cause = std::make_shared<ApplicationFailure>(ApplicationFailure::create("inventory empty", {.type = "Stock"}, 0));
  throw ApplicationFailure::create("order refused", {.type = "Refused", .non_retryable = true, .cause = cause}, why);
  co_return "unreachable";
}

wf::Workflow<std::string> wait_forever() {
  wf::set_query_handler("explode", []() -> std::string {
    throw ApplicationFailure::create("query handler failed", {.type = "QueryBoom"});
  });
  co_await wf::sleep(1h);
  co_return "woke";
}

// Continues as new with two arguments and no options until n reaches 0.
wf::Workflow<std::string> countdown(int64_t n, std::string trail) {
  if (n > 0) wf::continue_as_new(n - 1, trail + std::to_string(n));
  co_return trail + "|" + wf::info().workflow_type;
}

// Collects the arguments of the first "order" signal.
wf::Workflow<std::string> collect() {
  std::string item;
  int64_t quantity = 0;
  bool got = false;
  wf::set_signal_handler("order", [&](std::string i, int64_t q) {
    item = i;
    quantity = q;
    got = true;
  });
  co_await wf::wait_condition([&] { return got; });
  co_return item + " x" + std::to_string(quantity);
}

// ---- fixture ----

class DeveloperExperienceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    client_ = new client::Client(client::Connection::connect({.address = testing::shared_test_server_address()}));
    queue_ = new std::string("cpp-dx-" + std::to_string(::getpid()));
    worker_ = new worker::Worker(*client_, {.task_queue = *queue_});
    worker_->register_workflow("checkout", checkout)
        .register_workflow("refuse", refuse)
        .register_workflow("waitForever", wait_forever)
        .register_workflow("countdown", countdown)
        .register_workflow("collect", collect)
        .register_activity("charge", charge);
    worker_->start();
  }
  static void TearDownTestSuite() {
    worker_->shutdown();
    delete worker_;
    worker_ = nullptr;
  }
  WorkflowOptions options(const std::string& prefix) const {
    WorkflowOptions o;
    o.task_queue = *queue_;
    o.workflow_id = prefix + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return o;
  }
  static client::Client* client_;
  static std::string* queue_;
  static worker::Worker* worker_;
};
client::Client* DeveloperExperienceTest::client_ = nullptr;
std::string* DeveloperExperienceTest::queue_ = nullptr;
worker::Worker* DeveloperExperienceTest::worker_ = nullptr;

TEST_F(DeveloperExperienceTest, AnActivitysConciseFailureReachesTheClientWithTypedDetailsThroughTheCauseChain) {
  try {
    client_->workflow().execute<std::string>("checkout", options("checkout"), std::string("4242")).get();
    FAIL() << "the workflow did not fail";
  } catch (const WorkflowFailedError& e) {
    const auto* activity = e.cause_as<ActivityFailure>();
    ASSERT_NE(activity, nullptr) << e.what();
    EXPECT_EQ(activity->info().activity_type, "charge");
    const auto* app = activity->cause_as<ApplicationFailure>();
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->message(), "card declined");
    EXPECT_EQ(app->type(), "CardDeclined");
    EXPECT_TRUE(app->non_retryable());
    auto [card, code] = app->details<std::string, int64_t>();
    EXPECT_EQ(card, "4242");
    EXPECT_EQ(code, 402);
    // The wrong type names the detail.
    try {
      (void)app->details<int64_t>();
      FAIL() << "expected DataConverterError";
    } catch (const DataConverterError& d) {
      EXPECT_NE(std::string(d.what()).find("failure detail 0"), std::string::npos) << d.what();
    }
  }
}

TEST_F(DeveloperExperienceTest, AWorkflowsConciseFailureCarriesItsCauseAndDetails) {
  try {
    client_->workflow().execute<std::string>("refuse", options("refuse"), std::string("closed on sundays")).get();
    FAIL() << "the workflow did not fail";
  } catch (const WorkflowFailedError& e) {
    const auto* app = e.cause_as<ApplicationFailure>();
    ASSERT_NE(app, nullptr) << e.what();
    EXPECT_EQ(app->type(), "Refused");
    EXPECT_TRUE(app->non_retryable());
    EXPECT_EQ(std::get<0>(app->details<std::string>()), "closed on sundays");
    const auto* cause = app->cause_as<ApplicationFailure>();
    ASSERT_NE(cause, nullptr);
    EXPECT_EQ(cause->message(), "inventory empty");
    EXPECT_EQ(cause->type(), "Stock");
    EXPECT_EQ(std::get<0>(cause->details<int>()), 0);
  }
}

TEST_F(DeveloperExperienceTest, TerminateDetailsComeBackTypedOnTheTerminatedFailure) {
  auto h = client_->workflow().start("waitForever", options("terminate")).get();
  h.terminate("enough", std::string("why"), int64_t{7}).get();
  try {
    h.result<std::string>().get();
    FAIL() << "the workflow was not terminated";
  } catch (const WorkflowFailedError& e) {
    const auto* terminated = e.cause_as<TerminatedFailure>();
    ASSERT_NE(terminated, nullptr) << e.what();
    EXPECT_EQ(terminated->message(), "enough");
    ASSERT_EQ(terminated->details().size(), 2u);
    auto [why, n] = terminated->details<std::string, int64_t>();
    EXPECT_EQ(why, "why");
    EXPECT_EQ(n, 7);
  }
}

TEST_F(DeveloperExperienceTest, AFailedQueryGivesTheRpcsGrpcCodeAndServerDetails) {
  auto h = client_->workflow().start("waitForever", options("query")).get();
  for (const char* query : {"explode", "noSuchQuery"}) {
    try {
      h.query<std::string>(query).get();
      FAIL() << "query " << query << " did not fail";
    } catch (const QueryFailedError& e) {
      EXPECT_EQ(e.grpc_code(), 3) << query << ": " << e.what();  // INVALID_ARGUMENT
      EXPECT_FALSE(e.server_details().empty()) << query;
      EXPECT_EQ(e.workflow_id(), h.workflow_id());
    }
  }
  h.terminate().get();
}

TEST_F(DeveloperExperienceTest, ExecuteTakesResultOptions) {
  // A timeout: DeadlineExceededError, and the workflow keeps running.
  auto o = options("execute-timeout");
  client::ResultOptions soon{.timeout = 500ms};
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(client_->workflow().execute<std::string>("waitForever", o, soon).get(), DeadlineExceededError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  auto h = client_->workflow().get_handle(o.workflow_id);
  EXPECT_EQ(h.describe().get().status, client::WorkflowExecutionStatus::kRunning);
  h.terminate().get();

  // Not following runs: the first run's continue-as-new, with the workflow's arguments after the options.
  client::ResultOptions this_run{.follow_runs = false};
  EXPECT_THROW(client_->workflow().execute<std::string>("countdown", options("execute-norun"), this_run, int64_t{2},
                                                        std::string("")).get(),
               WorkflowContinuedAsNewError);

  // Following runs with explicit options, as the default does.
  client::ResultOptions follow{.follow_runs = true, .timeout = 60s};
  EXPECT_EQ(client_->workflow().execute<std::string>("countdown", options("execute-follow"), follow, int64_t{1},
                                                     std::string("")).get(),
            "1|countdown");
}

TEST_F(DeveloperExperienceTest, ContinueAsNewWithoutOptionsPassesEveryArgumentToTheNextRun) {
  auto o = options("countdown");
  auto result = client_->workflow().execute<std::string>("countdown", o, int64_t{3}, std::string(">")).get();
  EXPECT_EQ(result, ">321|countdown");  // three runs continued, each with both arguments; same type
}

TEST_F(DeveloperExperienceTest, SignalWithStartTakesTheSignalsArgumentsLikeSignal) {
  auto o = options("sws");
  auto order = client::SignalWithStart::of("order", std::string("apples"), int64_t{3});
  EXPECT_EQ(order.signal_name(), "order");
  EXPECT_EQ(order.signal_args().size(), 2u);
  auto h = client_->workflow().signal_with_start("collect", o, order).get();
  EXPECT_EQ(h.result<std::string>().get(), "apples x3");
}

}  // namespace
}  // namespace temporal
