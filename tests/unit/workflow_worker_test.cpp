// The workflow worker's own logic against an in-memory fake of the server (FakeWorkflowService):
// the sticky cache, eviction and full replay, the LRU bound, queries, shutdown, fatal poll errors
// and the deadlock detector.
#include "worker/workflow_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "converter/proto.h"
#include "support/fake_workflow_service.h"

namespace temporal {
namespace {

namespace wf = temporal::workflow;
namespace apienums = ::temporal::api::enums::v1;
using namespace std::chrono_literals;
using test::FakeWorkflowService;
using test::HistoryBuilder;
using worker::detail::WorkflowWorker;
using worker::detail::WorkflowWorkerConfig;
using worker::WorkerOptions;

wf::Workflow<std::string> sleeper() {
  co_await wf::sleep(5s);
  co_return std::string("woke");
}

std::atomic<bool> g_release{false};
std::atomic<int> g_stuck_returned{0};

// Never yields until the test releases it: the deadlock detector's case.
wf::Workflow<std::string> spinner() {
  while (!g_release.load()) std::this_thread::sleep_for(1ms);
  ++g_stuck_returned;
  co_return std::string("spun");
}

struct Fixture {
  explicit Fixture(WorkerOptions options = {}, std::vector<std::string>* log = nullptr) {
    service = std::make_shared<FakeWorkflowService>();
    WorkflowWorkerConfig config;
    config.namespace_name = "default";
    config.identity = "unit-test";
    if (options.task_queue.empty()) options.task_queue = "unit-tests";
    config.options = options;
    config.workflows.emplace("sleeper", wf::define_workflow("sleeper", sleeper));
    config.workflows.emplace("spinner", wf::define_workflow("spinner", spinner));
    config.logger = [log](LogLevel, const std::string& line) {
      if (log) log->push_back(line);
    };
    config.shutdown_wait = 2s;
    worker = std::make_unique<WorkflowWorker>(service, std::move(config),
                                              [this](std::exception_ptr e) { fatal_seen = e != nullptr; });
    worker->start();
  }
  std::shared_ptr<FakeWorkflowService> service;
  std::unique_ptr<WorkflowWorker> worker;
  std::atomic<bool> fatal_seen{false};
};

std::vector<apienums::CommandType> command_types(const FakeWorkflowService::Answer& a) {
  std::vector<apienums::CommandType> t;
  for (const auto& c : a.completed->commands()) t.push_back(c.command_type());
  return t;
}

// History of `sleeper` up to the task that sees its timer fire.
HistoryBuilder sleeper_fired() {
  HistoryBuilder h("sleeper");
  h.add_workflow_task();
  auto t = h.add_timer_started("1", 5);
  h.add_timer_fired(t, "1");
  h.add_workflow_task_scheduled_and_started();
  return h;
}

TEST(WorkflowWorker, CachesTheRunAndAppliesOnlyTheNewEventsOfItsNextTask) {
  Fixture f;
  HistoryBuilder first("sleeper");
  first.add_workflow_task_scheduled_and_started();
  f.service->push(FakeWorkflowService::task(first, "sleeper", "run-1", 0, "t1"));
  auto a = f.service->answer("t1");
  ASSERT_TRUE(a && a->completed);
  EXPECT_EQ(command_types(*a), std::vector{apienums::COMMAND_TYPE_START_TIMER});
  EXPECT_EQ(a->completed->sticky_attributes().worker_task_queue().name(), f.worker->sticky_queue());
  EXPECT_EQ(f.worker->cached_runs(), 1u);

  // The next task carries only what happened since (WorkflowTaskCompleted onwards).
  auto next = sleeper_fired();
  f.service->push(FakeWorkflowService::task(next, "sleeper", "run-1", 3, "t2"));
  a = f.service->answer("t2");
  ASSERT_TRUE(a && a->completed);
  EXPECT_EQ(command_types(*a), std::vector{apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION});
  EXPECT_EQ(f.service->history_fetches(), 0);
  EXPECT_EQ(f.worker->cached_runs(), 0u) << "a completed run is not kept";
}

TEST(WorkflowWorker, ATaskThatDoesNotFollowTheCachedRunEvictsItAndReplaysTheFullHistory) {
  Fixture f;
  HistoryBuilder first("sleeper");
  first.add_workflow_task_scheduled_and_started();
  f.service->push(FakeWorkflowService::task(first, "sleeper", "run-1", 0, "t1"));
  ASSERT_TRUE(f.service->answer("t1"));
  auto full = sleeper_fired();
  f.service->set_history("run-1", full);
  // Starts at event 6 (the timer fired): events 4 and 5 never reached this worker.
  f.service->push(FakeWorkflowService::task(full, "sleeper", "run-1", 5, "t2"));
  auto a = f.service->answer("t2");
  ASSERT_TRUE(a && a->completed);
  EXPECT_EQ(command_types(*a), std::vector{apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION});
  EXPECT_EQ(f.service->history_fetches(), 1);
}

TEST(WorkflowWorker, KeepsAtMostMaxCachedWorkflowsRuns) {
  WorkerOptions options;
  options.max_cached_workflows = 2;
  Fixture f(options);
  HistoryBuilder first("sleeper");
  first.add_workflow_task_scheduled_and_started();
  for (const std::string run : {"a", "b", "c"}) {
    f.service->push(FakeWorkflowService::task(first, "sleeper", run, 0, "t-" + run));
    ASSERT_TRUE(f.service->answer("t-" + run));
  }
  EXPECT_EQ(f.worker->cached_runs(), 2u);
}

TEST(WorkflowWorker, AnswersAQueryTaskFromTheCachedRun) {
  Fixture f;
  HistoryBuilder first("sleeper");
  first.add_workflow_task_scheduled_and_started();
  f.service->push(FakeWorkflowService::task(first, "sleeper", "run-1", 0, "t1"));
  ASSERT_TRUE(f.service->answer("t1"));
  auto q = FakeWorkflowService::task(first, "sleeper", "run-1", first.last_event_id(), "q1");
  q.mutable_query()->set_query_type("nope");
  f.service->push(q);
  auto a = f.service->answer("q1");
  ASSERT_TRUE(a && a->query);
  EXPECT_EQ(a->query->completed_type(), apienums::QUERY_RESULT_TYPE_FAILED);
  EXPECT_NE(a->query->error_message().find("unknown query type 'nope'"), std::string::npos) << a->query->error_message();
  EXPECT_EQ(f.service->history_fetches(), 0) << "answered from the cache";
}

TEST(WorkflowWorker, AFatalPollErrorStopsPollingAndIsReported) {
  Fixture f;
  f.service->fail_polls(grpc::StatusCode::NOT_FOUND);
  for (int i = 0; i < 200 && !f.fatal_seen; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(f.fatal_seen);
  ASSERT_TRUE(f.worker->fatal_error());
  try {
    std::rethrow_exception(f.worker->fatal_error());
  } catch (const RpcError& e) {
    EXPECT_NE(std::string(e.what()).find("poll workflow tasks on 'unit-tests'"), std::string::npos) << e.what();
  }
}

TEST(WorkflowWorker, ShutdownTellsTheServerTheStickyQueueIsGone) {
  Fixture f;
  f.worker->shutdown();
  EXPECT_EQ(f.service->shutdown_sticky_queues(), std::vector{f.worker->sticky_queue()});
}

TEST(WorkflowWorker, CodeThatNeverYieldsIsFailedRememberedAndReportedWhileTheWorkerGoesOn) {
  g_release = false;
  g_stuck_returned = 0;
  std::vector<std::string> log;
  WorkerOptions options;
  options.deadlock_timeout = 200ms;
  options.max_concurrent_workflow_tasks = 1;  // the stuck thread must not starve the pool
  {
    Fixture f(options, &log);
    HistoryBuilder spin("spinner");
    spin.add_workflow_task_scheduled_and_started();
    f.service->push(FakeWorkflowService::task(spin, "spinner", "stuck", 0, "t1"));
    auto a = f.service->answer("t1");
    ASSERT_TRUE(a && a->failed);
    EXPECT_EQ(a->failed->failure().application_failure_info().type(), "PotentialDeadlock");
    ASSERT_EQ(f.worker->stuck_runs().size(), 1u);
    EXPECT_EQ(f.worker->stuck_runs()[0].run_id, "stuck");

    // Another run is served by the thread that replaced the stuck one.
    HistoryBuilder ok("sleeper");
    ok.add_workflow_task_scheduled_and_started();
    f.service->push(FakeWorkflowService::task(ok, "sleeper", "fine", 0, "t2"));
    a = f.service->answer("t2");
    ASSERT_TRUE(a && a->completed);

    // The stuck run's next attempt fails at once instead of leaving a second thread stuck.
    f.service->push(FakeWorkflowService::task(spin, "spinner", "stuck", 0, "t3"));
    a = f.service->answer("t3");
    ASSERT_TRUE(a && a->failed);
    EXPECT_EQ(f.worker->stuck_runs().size(), 1u);

    // Shutdown is bounded and reports the stuck run; the worker is destroyed while it still spins.
    const auto before = std::chrono::steady_clock::now();
    f.worker->shutdown();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 10s) << "shutdown waited for code that never yields";
    bool reported = false;
    for (const auto& line : log) reported |= line.find("shutdown: workflow wf-stuck (run stuck") != std::string::npos;
    EXPECT_TRUE(reported);
  }
  // The stuck code wakes after the worker and the fake service are gone: nothing it touches was
  // freed under it (ASan checks this in CI).
  g_release = true;
  for (int i = 0; i < 500 && g_stuck_returned == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(g_stuck_returned, 1);
  std::this_thread::sleep_for(100ms);  // let that thread finish unwinding
}

TEST(WorkflowWorker, ALongReplayIsNotADeadlockOnlyCodeIsTimed) {
  WorkerOptions options;
  options.deadlock_timeout = 25ms;
  // 40,000 workflow tasks to replay: far more than 25 ms in all, each activation a few microseconds.
  HistoryBuilder h("loop");
  h.add_workflow_task();
  for (int i = 1; i <= 40000; ++i) {
    auto t = h.add_timer_started(std::to_string(i));
    h.add_timer_fired(t, std::to_string(i));
    if (i < 40000) h.add_workflow_task();
  }
  h.add_workflow_task_scheduled_and_started();
  auto service = std::make_shared<FakeWorkflowService>();
  WorkflowWorkerConfig c;
  c.namespace_name = "default";
  c.identity = "unit-test";
  c.options = options;
  c.options.task_queue = "unit-tests";
  c.workflows.emplace("loop", wf::define_workflow("loop", []() -> wf::Workflow<int> {
                        for (int i = 0; i < 40000; ++i) co_await wf::sleep(1s);
                        co_return 40000;
                      }));
  c.logger = [](LogLevel, const std::string&) {};
  WorkflowWorker worker(service, std::move(c));
  worker.start();
  service->push(FakeWorkflowService::task(h, "loop", "long", 0, "t1"));
  const auto before = std::chrono::steady_clock::now();
  auto a = service->answer("t1", 60s);
  const auto took = std::chrono::steady_clock::now() - before;
  ASSERT_TRUE(a);
  ASSERT_GT(took, options.deadlock_timeout) << "the replay must outlast the timeout to show anything";
  ASSERT_TRUE(a->completed) << a->failed->failure().message();
  EXPECT_EQ(command_types(*a), std::vector{apienums::COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION});
}

}  // namespace
}  // namespace temporal
