// Schedules against the dev server, starting workflows on the TypeScript worker.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "support/ts_worker.h"
#include "temporal/client.h"
#include "temporal/testing/dev_server.h"

namespace temporal::client {
namespace {

using namespace std::chrono_literals;

// Polls `done` until it is true or `timeout` passes; returns its last value.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(200ms);
  }
}

class ScheduleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    queue_ = new std::string(test_support::ts_task_queue());
    client_ = new Client(Connection::connect({.address = testing::shared_test_server_address()}));
  }
  void TearDown() override {
    for (const auto& id : created_) {
      try {
        client_->schedule().get_handle(id).delete_schedule().get();
      } catch (const ScheduleNotFoundError&) {
      }
    }
  }
  std::string unique(const std::string& prefix) const {
    return prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  // An 'echo' schedule on the TypeScript worker's queue; the caller sets the spec.
  ScheduleOptions echo_options(const std::string& workflow_id, const std::string& arg) const {
    ScheduleOptions o;
    WorkflowOptions wo;
    wo.task_queue = *queue_;
    wo.workflow_id = workflow_id;
    o.action = ScheduleActionStartWorkflow::with_args("echo", wo, arg);
    return o;
  }
  ScheduleHandle create(const std::string& id, const ScheduleOptions& o) {
    auto handle = client_->schedule().create(id, o).get();
    created_.push_back(id);
    return handle;
  }
  int64_t count_started(const std::string& schedule_id) const {
    return client_->workflow().count("TemporalScheduledById = '" + schedule_id + "'").get().count;
  }

  static std::string* queue_;
  static Client* client_;
  std::vector<std::string> created_;
};
std::string* ScheduleTest::queue_ = nullptr;
Client* ScheduleTest::client_ = nullptr;

TEST_F(ScheduleTest, IntervalScheduleStartsWorkflowsOnTheWorkerAndDescribeShowsThem) {
  const std::string id = unique("sched");
  const std::string wid = unique("wf");
  auto o = echo_options(wid, "from schedule");
  o.spec.intervals.push_back({.every = 1s});
  o.policies.overlap = ScheduleOverlapPolicy::kAllowAll;
  o.state.note = "created by test";
  o.memo["owner"] = converter::to_payload(std::string("cpp"));
  o.search_attributes["CppKeyword"] = SearchAttributeValue::keyword(id);
  auto handle = create(id, o);

  ScheduleDescription d;
  ASSERT_TRUE(eventually([&] {
    d = handle.describe().get();
    return d.info.recent_actions.size() >= 2;
  })) << "the schedule took " << d.info.recent_actions.size() << " actions";

  EXPECT_EQ(d.id, id);
  EXPECT_GE(d.info.num_actions, 2);
  ASSERT_EQ(d.schedule.spec.intervals.size(), 1u);
  EXPECT_EQ(d.schedule.spec.intervals[0].every, 1s);
  EXPECT_EQ(d.schedule.action.workflow_type, "echo");
  EXPECT_EQ(d.schedule.action.options.task_queue, *queue_);
  EXPECT_EQ(d.schedule.action.options.workflow_id, wid);
  ASSERT_EQ(d.schedule.action.args.size(), 1u);
  EXPECT_EQ(converter::from_payload<std::string>(d.schedule.action.args[0]), "from schedule");
  EXPECT_EQ(d.schedule.policies.overlap, ScheduleOverlapPolicy::kAllowAll);
  EXPECT_EQ(d.schedule.state.note, "created by test");
  EXPECT_FALSE(d.schedule.state.paused);
  ASSERT_EQ(d.memo.count("owner"), 1u);
  EXPECT_EQ(converter::from_payload<std::string>(d.memo.at("owner")), "cpp");
  ASSERT_EQ(d.search_attributes.count("CppKeyword"), 1u);
  EXPECT_EQ(d.search_attributes.at("CppKeyword").as_string(), id);
  EXPECT_FALSE(d.conflict_token.empty());
  EXPECT_FALSE(d.info.next_action_times.empty());
  EXPECT_LT(std::chrono::system_clock::now() - d.info.created_at, 1min);

  // Each action started a run of 'echo' whose id is the workflow id plus the scheduled time.
  const auto& action = d.info.recent_actions.front();
  EXPECT_EQ(action.workflow.workflow_id.rfind(wid + "-", 0), 0u) << action.workflow.workflow_id;
  EXPECT_FALSE(action.workflow.run_id.empty());
  EXPECT_LE(action.scheduled_at, action.started_at);
  auto run = client_->workflow().get_handle(action.workflow.workflow_id, action.workflow.run_id);
  EXPECT_EQ(run.result<std::string>().get(), "from schedule");

  // Visibility finds them by the schedule id (eventually).
  EXPECT_TRUE(eventually([&] { return count_started(id) >= 2; }));
}

TEST_F(ScheduleTest, PauseAndUnpauseShowTheirNotesInDescribe) {
  const std::string id = unique("pause");
  auto o = echo_options(unique("wf"), "x");
  o.spec.intervals.push_back({.every = 1h});
  auto handle = create(id, o);

  handle.pause("stopped for maintenance").get();
  auto d = handle.describe().get();
  EXPECT_TRUE(d.schedule.state.paused);
  EXPECT_EQ(d.schedule.state.note, "stopped for maintenance");

  handle.unpause("back to work").get();
  d = handle.describe().get();
  EXPECT_FALSE(d.schedule.state.paused);
  EXPECT_EQ(d.schedule.state.note, "back to work");

  handle.pause().get();
  d = handle.describe().get();
  EXPECT_TRUE(d.schedule.state.paused);
  EXPECT_EQ(d.schedule.state.note, "Paused via C++ SDK");
}

TEST_F(ScheduleTest, TriggerStartsAWorkflowNowEvenWhenPaused) {
  const std::string id = unique("trigger");
  auto o = echo_options(unique("wf"), "triggered");
  o.spec.intervals.push_back({.every = 24h});
  o.state.paused = true;
  auto handle = create(id, o);
  EXPECT_EQ(handle.describe().get().info.num_actions, 0);

  handle.trigger().get();
  ScheduleDescription d;
  ASSERT_TRUE(eventually([&] {
    d = handle.describe().get();
    return d.info.num_actions == 1 && !d.info.recent_actions.empty();
  }));
  const auto& w = d.info.recent_actions.back().workflow;
  EXPECT_EQ(client_->workflow().get_handle(w.workflow_id, w.run_id).result<std::string>().get(), "triggered");
}

TEST_F(ScheduleTest, TriggerImmediatelyOnCreateStartsOneWorkflow) {
  const std::string id = unique("trigger-create");
  auto o = echo_options(unique("wf"), "at once");
  o.spec.intervals.push_back({.every = 24h});
  o.trigger_immediately = true;
  auto handle = create(id, o);
  EXPECT_TRUE(eventually([&] { return handle.describe().get().info.num_actions == 1; }));
}

TEST_F(ScheduleTest, BackfillOfThePastTenMinutesStartsOneWorkflowPerMinute) {
  const std::string id = unique("backfill");
  auto o = echo_options(unique("wf"), "backfilled");
  o.spec.intervals.push_back({.every = 1min});
  o.state.paused = true;  // only the backfill acts
  auto handle = create(id, o);

  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  // Start just after a minute boundary so the range holds exactly ten boundaries.
  const auto end = std::chrono::floor<std::chrono::minutes>(now) - 1s;
  std::vector<ScheduleBackfill> backfills;
  backfills.push_back({.start_at = end - 10min, .end_at = end, .overlap = ScheduleOverlapPolicy::kAllowAll});
  handle.backfill(backfills).get();

  EXPECT_TRUE(eventually([&] { return handle.describe().get().info.num_actions == 10; }, 60s))
      << handle.describe().get().info.num_actions;
  int64_t started = 0;
  EXPECT_TRUE(eventually([&] { return (started = count_started(id)) == 10; }, 30s)) << started;
}

TEST_F(ScheduleTest, UpdateByFunctionChangesIntervalAndNote) {
  const std::string id = unique("update");
  auto o = echo_options(unique("wf"), "x");
  o.spec.intervals.push_back({.every = 1h});
  auto handle = create(id, o);

  std::string seen_token;
  handle
      .update([&](const ScheduleDescription& d) -> std::optional<ScheduleUpdate> {
        seen_token = d.conflict_token;
        ScheduleUpdate u{.schedule = d.schedule};
        u.schedule.spec.intervals = {ScheduleIntervalSpec{.every = 2h, .offset = 5min}};
        u.schedule.state.note = "every two hours";
        return u;
      })
      .get();
  auto d = handle.describe().get();
  ASSERT_EQ(d.schedule.spec.intervals.size(), 1u);
  EXPECT_EQ(d.schedule.spec.intervals[0].every, 2h);
  EXPECT_EQ(d.schedule.spec.intervals[0].offset, 5min);
  EXPECT_EQ(d.schedule.state.note, "every two hours");
  EXPECT_EQ(d.schedule.action.workflow_type, "echo");
  EXPECT_NE(d.conflict_token, seen_token);
  EXPECT_TRUE(d.info.last_updated_at.has_value());

  // Returning nullopt sends nothing.
  handle.update([](const ScheduleDescription&) -> std::optional<ScheduleUpdate> { return std::nullopt; }).get();
  EXPECT_EQ(handle.describe().get().conflict_token, d.conflict_token);
}

// The server fills in defaults (timeouts, overlap, catchup window...): reading an update back
// must not mistake them for a concurrent change.
TEST_F(ScheduleTest, UpdateOfAFullyOptionedActionIsVerifiedWithoutFalseConflicts) {
  const std::string id = unique("rich");
  auto o = echo_options(unique("wf"), "v1");
  o.spec.intervals.push_back({.every = 1h});
  auto& wo = o.action.options;
  wo.workflow_execution_timeout = 1h;
  wo.workflow_task_timeout = 20s;
  wo.retry_policy = RetryPolicy{.initial_interval = 2s, .maximum_attempts = 3};
  wo.memo["m"] = converter::to_payload(std::string("memo"));
  wo.search_attributes["CppKeyword"] = SearchAttributeValue::keyword("kw");
  wo.search_attributes["CppInt"] = SearchAttributeValue::integer(7);
  wo.headers["h"] = converter::to_payload(std::string("header"));
  wo.static_summary = "summary";
  o.policies.catchup_window = 1min;
  auto handle = create(id, o);

  auto d = handle.describe().get();
  const auto& got = d.schedule.action.options;
  EXPECT_EQ(got.workflow_execution_timeout, 1h);
  EXPECT_EQ(got.workflow_task_timeout, 20s);
  ASSERT_TRUE(got.retry_policy.has_value());
  EXPECT_EQ(got.retry_policy->initial_interval, 2s);
  EXPECT_EQ(got.retry_policy->maximum_attempts, 3);
  EXPECT_EQ(converter::from_payload<std::string>(got.memo.at("m")), "memo");
  EXPECT_EQ(got.search_attributes.at("CppInt").as_int(), 7);
  EXPECT_EQ(converter::from_payload<std::string>(got.headers.at("h")), "header");
  EXPECT_EQ(got.static_summary, "summary");
  EXPECT_EQ(d.memo.size(), 0u);  // the scheduler's own bookkeeping memo is not the user's

  handle
      .update([](const ScheduleDescription& desc) -> std::optional<ScheduleUpdate> {
        ScheduleUpdate u{.schedule = desc.schedule};
        u.schedule.action.args = converter::to_payloads(std::string("v2"));
        u.schedule.action.options.search_attributes["CppKeyword"] = SearchAttributeValue::keyword("kw2");
        u.schedule.action.options.memo["m2"] = converter::to_payload(2);
        u.schedule.policies.overlap = ScheduleOverlapPolicy::kBufferAll;
        u.schedule.policies.catchup_window = 2min;
        return u;
      })
      .get();
  d = handle.describe().get();
  EXPECT_EQ(converter::from_payload<std::string>(d.schedule.action.args.at(0)), "v2");
  EXPECT_EQ(d.schedule.action.options.search_attributes.at("CppKeyword").as_string(), "kw2");
  EXPECT_EQ(converter::from_payload<int>(d.schedule.action.options.memo.at("m2")), 2);
  EXPECT_EQ(d.schedule.policies.overlap, ScheduleOverlapPolicy::kBufferAll);
  EXPECT_EQ(d.schedule.policies.catchup_window, 2min);

  // A schedule-level search attribute update rides along.
  handle
      .update([&](const ScheduleDescription& desc) -> std::optional<ScheduleUpdate> {
        ScheduleUpdate u{.schedule = desc.schedule};
        u.search_attributes = SearchAttributes{{"CppKeyword", SearchAttributeValue::keyword(id)}};
        u.schedule.state.note = "with attributes";
        return u;
      })
      .get();
  d = handle.describe().get();
  EXPECT_EQ(d.schedule.state.note, "with attributes");
  EXPECT_TRUE(eventually([&] {
    auto sa = handle.describe().get().search_attributes;
    return sa.count("CppKeyword") && sa.at("CppKeyword").as_string() == id;
  }));
}

TEST_F(ScheduleTest, UpdateWithAStaleConflictTokenRaisesScheduleConflict) {
  const std::string id = unique("conflict");
  auto o = echo_options(unique("wf"), "x");
  o.spec.intervals.push_back({.every = 1h});
  auto handle = create(id, o);

  const auto before = handle.describe().get();
  ScheduleUpdate first{.schedule = before.schedule};
  first.schedule.state.note = "first";
  handle.update(first, before.conflict_token).get();

  ScheduleUpdate second{.schedule = before.schedule};
  second.schedule.state.note = "second";
  try {
    handle.update(second, before.conflict_token).get();
    FAIL() << "an update with a stale conflict token succeeded";
  } catch (const ScheduleConflictError& e) {
    EXPECT_EQ(e.schedule_id(), id);
    EXPECT_NE(std::string(e.what()).find("changed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(handle.describe().get().schedule.state.note, "first");
}

// Two update(fn) calls that both describe before either sends: the server drops the loser's
// update without an error, and update() must notice.
TEST_F(ScheduleTest, RacingUpdatesReportTheLoserAsAConflictInsteadOfLosingItSilently) {
  const std::string id = unique("race");
  auto o = echo_options(unique("wf"), "x");
  o.spec.intervals.push_back({.every = 1h});
  auto handle = create(id, o);

  std::atomic<int> described{0};
  auto updater = [&](const std::string& note) {
    return [&, note](const ScheduleDescription& d) -> std::optional<ScheduleUpdate> {
      ++described;
      // Let both describe before either sends (bounded, so a slow peer cannot hang the test).
      const auto give_up = std::chrono::steady_clock::now() + 10s;
      while (described.load() < 2 && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(5ms);
      ScheduleUpdate u{.schedule = d.schedule};
      u.schedule.state.note = note;
      return u;
    };
  };
  std::atomic<int> conflicts{0}, successes{0};
  std::string winner, loser_message;
  std::mutex mu;
  auto run = [&](const std::string& note) {
    try {
      handle.update(updater(note)).get();
      ++successes;
      std::lock_guard<std::mutex> lock(mu);
      winner = note;
    } catch (const ScheduleConflictError& e) {
      ++conflicts;
      std::lock_guard<std::mutex> lock(mu);
      loser_message = e.what();
    }
  };
  std::thread a(run, std::string("from a"));
  std::thread b(run, std::string("from b"));
  a.join();
  b.join();
  ASSERT_EQ(described.load(), 2);
  EXPECT_EQ(successes.load(), 1);
  EXPECT_EQ(conflicts.load(), 1);
  // The RPC succeeded; reading the schedule back showed the update was dropped.
  EXPECT_NE(loser_message.find("was not applied"), std::string::npos) << loser_message;
  EXPECT_EQ(handle.describe().get().schedule.state.note, winner);
}

TEST_F(ScheduleTest, DeleteThenDescribeRaisesScheduleNotFound) {
  const std::string id = unique("delete");
  auto o = echo_options(unique("wf"), "x");
  o.spec.intervals.push_back({.every = 1h});
  auto handle = client_->schedule().create(id, o).get();
  handle.delete_schedule().get();
  try {
    handle.describe().get();
    FAIL() << "describe of a deleted schedule succeeded";
  } catch (const ScheduleNotFoundError& e) {
    EXPECT_EQ(e.schedule_id(), id);
    EXPECT_EQ(e.code(), 5);
  }
  EXPECT_THROW(client_->schedule().get_handle(unique("never-created")).describe().get(), ScheduleNotFoundError);
  EXPECT_THROW(handle.pause().get(), ScheduleNotFoundError);
}

TEST_F(ScheduleTest, CreateTwiceRaisesScheduleAlreadyRunning) {
  const std::string id = unique("twice");
  auto o = echo_options(unique("wf"), "x");
  o.spec.intervals.push_back({.every = 1h});
  create(id, o);
  try {
    client_->schedule().create(id, o).get();
    FAIL() << "second create succeeded";
  } catch (const ScheduleAlreadyRunningError& e) {
    EXPECT_EQ(e.schedule_id(), id);
    EXPECT_EQ(e.code(), 6);
  }
}

TEST_F(ScheduleTest, InvalidCronStringRaisesInvalidScheduleErrorNamingTheSpec) {
  const std::string id = unique("cron");
  auto o = echo_options(unique("wf"), "x");
  o.spec.cron_strings.push_back("not a cron string");
  try {
    create(id, o);
    FAIL() << "an invalid cron string was accepted";
  } catch (const InvalidScheduleError& e) {
    EXPECT_EQ(e.field(), "spec.cron_strings");
    EXPECT_EQ(e.code(), 3);
    EXPECT_NE(std::string(e.what()).find("spec.cron_strings"), std::string::npos) << e.what();
  }
}

TEST_F(ScheduleTest, InvalidOptionsAreRejectedBeforeAnyRpc) {
  // Nothing listens on port 1: a call that reached the network would fail with RpcError.
  Client offline(Connection::lazy({.address = "127.0.0.1:1", .retry = {.max_attempts = 1}}));
  auto expect_field = [&](const ScheduleOptions& o, const std::string& field) {
    try {
      offline.schedule().create("s", o).get();
      ADD_FAILURE() << "no error for " << field;
    } catch (const InvalidArgumentError& e) {
      EXPECT_EQ(e.field(), field) << e.what();
    }
  };
  auto good = echo_options("wf", "x");
  good.spec.intervals.push_back({.every = 1h});

  expect_field(echo_options("wf", "x"), "spec");  // names no time and is never triggered
  auto o = good;
  o.action.options.task_queue.clear();
  expect_field(o, "action.options.task_queue");
  o = good;
  o.action.options.workflow_id.clear();
  expect_field(o, "action.options.workflow_id");
  o = good;
  o.action.workflow_type.clear();
  expect_field(o, "action.workflow_type");
  o = good;
  o.spec.intervals[0].every = 500ms;
  expect_field(o, "spec.intervals[0].every");
  o = good;
  o.spec.calendars.push_back({.hour = {{24}}});
  expect_field(o, "spec.calendars[0].hour[0]");
  o = good;
  o.spec.calendars.push_back({.minute = {}});
  expect_field(o, "spec.calendars[0].minute");
  o = good;
  o.action.options.cron_schedule = "* * * * *";
  expect_field(o, "action.options.cron_schedule");
  o = good;
  o.state.remaining_actions = 3;
  expect_field(o, "state.remaining_actions");
  o = good;
  o.spec.start_at = std::chrono::system_clock::now();
  o.spec.end_at = *o.spec.start_at - 1h;
  expect_field(o, "spec.end_at");

  // A spec with no times is fine when the schedule is only triggered.
  auto triggered = echo_options("wf", "x");
  triggered.trigger_immediately = true;
  EXPECT_THROW(offline.schedule().create("s", triggered).get(), RpcError);
}

TEST_F(ScheduleTest, CalendarCronAndSkipSpecsRoundTripThroughDescribe) {
  const std::string id = unique("calendar");
  auto o = echo_options(unique("wf"), "x");
  ScheduleCalendarSpec weekdays_noon;
  weekdays_noon.hour = {{12}};
  weekdays_noon.minute = {{30}};
  weekdays_noon.day_of_week = {{1, 5}};
  weekdays_noon.comment = "weekdays at 12:30";
  o.spec.calendars.push_back(weekdays_noon);
  o.spec.cron_strings.push_back("0 6 * * SAT");
  ScheduleCalendarSpec christmas;
  christmas.month = {{12}};
  christmas.day_of_month = {{25}};
  christmas.hour = {{0, 23}};
  christmas.minute = {{0, 59}};
  o.spec.skip.push_back(christmas);
  o.spec.jitter = 30s;
  o.spec.time_zone_name = "Europe/Paris";
  o.spec.start_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  o.spec.end_at = *o.spec.start_at + 24h * 365;
  o.policies.catchup_window = 5min;
  o.policies.pause_on_failure = true;
  auto handle = create(id, o);

  auto d = handle.describe().get();
  const auto& spec = d.schedule.spec;
  ASSERT_EQ(spec.calendars.size(), 2u);
  EXPECT_EQ(spec.calendars[0].comment, "weekdays at 12:30");
  EXPECT_EQ(spec.calendars[0].hour, (std::vector<ScheduleRange>{{12, 12, 1}}));
  EXPECT_EQ(spec.calendars[0].day_of_week, (std::vector<ScheduleRange>{{1, 5, 1}}));
  // The cron string came back compiled into a calendar: Saturdays at 06:00.
  EXPECT_TRUE(spec.cron_strings.empty());
  EXPECT_EQ(spec.calendars[1].hour, (std::vector<ScheduleRange>{{6, 6, 1}}));
  EXPECT_EQ(spec.calendars[1].day_of_week, (std::vector<ScheduleRange>{{6, 6, 1}}));
  ASSERT_EQ(spec.skip.size(), 1u);
  EXPECT_EQ(spec.skip[0].day_of_month, (std::vector<ScheduleRange>{{25, 25, 1}}));
  EXPECT_EQ(spec.jitter, 30s);
  EXPECT_EQ(spec.time_zone_name, "Europe/Paris");
  EXPECT_EQ(spec.start_at, o.spec.start_at);
  EXPECT_EQ(spec.end_at, o.spec.end_at);
  EXPECT_EQ(d.schedule.policies.catchup_window, 5min);
  EXPECT_TRUE(d.schedule.policies.pause_on_failure);
  EXPECT_FALSE(d.info.next_action_times.empty());

  // An update built from this description (calendars, not cron strings) verifies cleanly.
  handle
      .update([](const ScheduleDescription& desc) -> std::optional<ScheduleUpdate> {
        ScheduleUpdate u{.schedule = desc.schedule};
        u.schedule.spec.calendars.pop_back();
        u.schedule.policies.overlap = ScheduleOverlapPolicy::kBufferOne;
        return u;
      })
      .get();
  d = handle.describe().get();
  EXPECT_EQ(d.schedule.spec.calendars.size(), 1u);
  EXPECT_EQ(d.schedule.policies.overlap, ScheduleOverlapPolicy::kBufferOne);
}

TEST_F(ScheduleTest, ListFindsTheScheduleByIterationAndByQuery) {
  const std::string id = unique("list");
  auto o = echo_options(unique("wf"), "x");
  o.spec.intervals.push_back({.every = 1h});
  o.state.note = "listed";
  o.search_attributes["CppKeyword"] = SearchAttributeValue::keyword(id);
  create(id, o);

  ASSERT_TRUE(eventually([&] {
    for (const auto& entry : client_->schedule().list()) {
      if (entry.id == id) return true;
    }
    return false;
  }));

  ScheduleListPage page;
  ASSERT_TRUE(eventually([&] {
    page = client_->schedule().list_page("CppKeyword = '" + id + "'", {}, 10).get();
    return page.schedules.size() == 1;
  }));
  const auto& entry = page.schedules[0];
  EXPECT_EQ(entry.id, id);
  EXPECT_EQ(entry.workflow_type, "echo");
  EXPECT_EQ(entry.note, "listed");
  EXPECT_FALSE(entry.paused);
  ASSERT_EQ(entry.spec.intervals.size(), 1u);
  EXPECT_EQ(entry.spec.intervals[0].every, 1h);
  EXPECT_EQ(entry.search_attributes.at("CppKeyword").as_string(), id);

  // Small pages are followed lazily.
  int seen = 0;
  for (const auto& e : client_->schedule().list({}, 1)) {
    (void)e;
    ++seen;
  }
  EXPECT_GE(seen, 1);
}

}  // namespace
}  // namespace temporal::client
