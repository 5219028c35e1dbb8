// Replays the histories recorded under tests/replay/histories/ (see
// tests/integration/replay_record_test.cpp) against the workflow code of tests/replay/workflows.h,
// without a server: the original code replays cleanly, changed code is reported as
// non-deterministic, and malformed histories are rejected with a typed error.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "replay/workflows.h"
#include "temporal/worker/replayer.h"
#include "worker/workflow_run.h"

namespace temporal {
namespace {

namespace rw = temporal::replay_workflows;
using worker::Replayer;

std::filesystem::path history_path(const std::string& scenario) {
  return std::filesystem::path(TEMPORAL_REPLAY_HISTORIES) / (scenario + ".json");
}

std::string read_history(const std::string& scenario) {
  std::ifstream in(history_path(scenario));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

template <class F>
Replayer replayer_with(const std::string& name, F fn) {
  Replayer r;
  r.register_workflow(name, fn);
  return r;
}

template <class F>
void expect_nondeterministic(const std::string& scenario, const std::string& name, F changed,
                             const std::string& expected_text) {
  try {
    replayer_with(name, changed).replay_file(history_path(scenario));
    ADD_FAILURE() << "changed code replayed '" << scenario << "' without error; expected: " << expected_text;
  } catch (const NondeterminismError& e) {
    EXPECT_NE(std::string(e.what()).find(expected_text), std::string::npos) << e.what();
  }
}

TEST(Replay, EveryRecordedHistoryReplaysOnTheCodeThatWroteIt) {
  Replayer replayer;
  rw::register_originals(replayer);
  struct Case {
    std::string scenario;
    int min_tasks;
  };
  const std::vector<Case> cases = {{"greet", 4},   {"chat", 4},     {"cancellable", 3}, {"deterministic", 4},
                                   {"counter", 2}, {"longSleep", 1}, {"fanOut", 3}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.scenario);
    auto result = replayer.replay_file(history_path(c.scenario));
    EXPECT_EQ(result.workflow_type, c.scenario);
    EXPECT_TRUE(result.workflow_closed);
    EXPECT_GE(result.workflow_tasks, c.min_tasks);
    EXPECT_FALSE(result.workflow_id.empty());
    EXPECT_FALSE(result.run_id.empty());
  }
}

TEST(Replay, ChangedCodeIsReportedAsNonDeterministicNamingCommandAndEvent) {
  expect_nondeterministic("greet", "greet", rw::greet_renamed_activity, "'composeV2'");
  expect_nondeterministic("greet", "greet", rw::greet_extra_timer, "COMMAND_TYPE_START_TIMER");
  expect_nondeterministic("greet", "greet", rw::greet_without_timer, "EVENT_TYPE_TIMER_STARTED");
  expect_nondeterministic("greet", "greet", rw::greet_returns_early, "COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION");
  expect_nondeterministic("chat", "chat", rw::chat_with_activity, "COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK");
  expect_nondeterministic("cancellable", "cancellable", rw::cancellable_without_cleanup,
                          "COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION");
  expect_nondeterministic("counter", "counter", rw::counter_completes_instead,
                          "COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION");
  expect_nondeterministic("longSleep", "longSleep", rw::long_sleep_with_activity, "ends without a matching event");
  expect_nondeterministic("fanOut", "fanOut", rw::fan_out_sequential, "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED");
}

TEST(Replay, ChangedInputsAndResultsAreNotNonDeterminism) {
  // Commands are matched by kind, type and id; arguments and results may differ between versions.
  auto result = replayer_with("greet", rw::greet_other_input).replay_file(history_path("greet"));
  EXPECT_TRUE(result.workflow_closed);
}

TEST(Replay, ShorthandEventTypesAndABareEventArrayAreAccepted) {
  auto j = nlohmann::json::parse(read_history("greet"));
  for (auto& e : j["events"]) {
    // "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED" -> "WorkflowExecutionStarted", as older tools wrote it.
    std::string name = e["eventType"].get<std::string>().substr(std::string("EVENT_TYPE_").size());
    std::string camel;
    bool upper = true;
    for (char c : name) {
      if (c == '_') {
        upper = true;
        continue;
      }
      camel += upper ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      upper = false;
    }
    e["eventType"] = camel;
  }
  auto r = replayer_with("greet", rw::greet);
  EXPECT_TRUE(r.replay_json(j.dump()).workflow_closed);
  EXPECT_TRUE(r.replay_json(j["events"].dump()).workflow_closed);
  EXPECT_THROW(replayer_with("greet", rw::greet_renamed_activity).replay_json(j.dump()), NondeterminismError);
}

void expect_invalid(const std::function<void()>& f, const std::string& field, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "no error; expected one naming " << text;
  } catch (const InvalidArgumentError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(Replay, MalformedHistoriesAreRejectedWithATypedError) {
  auto r = replayer_with("greet", rw::greet);
  expect_invalid([&] { r.replay_json("{not json"); }, "history", "not valid JSON");
  expect_invalid([&] { r.replay_json("{\"workflowId\": \"x\"}"); }, "history", "\"events\" array");
  expect_invalid([&] { r.replay_json("{\"events\": []}"); }, "history", "no events");
  expect_invalid([&] { r.replay_json("{\"events\": [{\"eventId\": \"1\", \"eventTime\": 7}]}"); }, "history",
                 "not a temporal.api.history.v1.History");
  expect_invalid([&] { r.replay_file("/nonexistent/history.json"); }, "path", "/nonexistent/history.json");

  auto j = nlohmann::json::parse(read_history("greet"));
  auto gap = j;
  gap["events"].erase(gap["events"].begin() + 3);  // a missing page or event
  expect_invalid([&] { r.replay_json(gap.dump()); }, "history", "without gaps");
  auto headless = j;
  headless["events"].erase(headless["events"].begin());
  expect_invalid([&] { r.replay_json(headless.dump()); }, "history", "is this a full history?");
  expect_invalid([&] { replayer_with("other", rw::greet).replay_json(j.dump()); }, "workflow_type",
                 "'greet' is not registered");
}

// The engine, fed history pages by the worker: a page that repeats events already applied (a stale
// page) is skipped; a page that skips events is an error, never silently applied.
TEST(Replay, TheEngineSkipsRepeatedEventsAndRejectsAGap) {
  api::history::v1::History parsed;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(read_history("greet"), &parsed, opts).ok());
  ASSERT_GT(parsed.events_size(), 9);
  const auto definition = workflow::define_workflow("greet", rw::greet);
  converter::DataConverter dc;
  std::vector<const api::history::v1::HistoryEvent*> first, stale_then_new, gap;
  for (int i = 0; i < 5; ++i) first.push_back(&parsed.events(i));
  for (int i = 2; i < 8; ++i) stale_then_new.push_back(&parsed.events(i));
  gap.push_back(&parsed.events(9));

  worker::detail::WorkflowRun run(&definition, &dc, "default", "q", "wf", "run", {});
  const int64_t beyond = parsed.events_size() + 1;
  (void)run.apply(first, beyond, {});
  EXPECT_EQ(run.last_event_id(), 5);
  (void)run.apply(stale_then_new, beyond, {});
  EXPECT_EQ(run.last_event_id(), 8);
  try {
    (void)run.apply(gap, beyond, {});
    ADD_FAILURE() << "a gap in the history was applied";
  } catch (const NondeterminismError& e) {
    EXPECT_NE(std::string(e.what()).find("not contiguous"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace temporal
