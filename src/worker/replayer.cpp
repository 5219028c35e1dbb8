#include "temporal/worker/replayer.h"

#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "converter/proto.h"
#include "temporal/api/history/v1/message.pb.h"
#include "worker/workflow_run.h"

namespace temporal::worker {

namespace apienums = ::temporal::api::enums::v1;
namespace apihistory = ::temporal::api::history::v1;

namespace {

[[noreturn]] void bad_history(const std::string& why) {
  throw InvalidArgumentError("history", "cannot replay: " + why);
}

// "WorkflowExecutionStarted" (the shorthand older tools write) -> "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED".
std::string event_type_enum_name(const std::string& s) {
  if (s.rfind("EVENT_TYPE_", 0) == 0) return s;
  std::string out = "EVENT_TYPE";
  for (char c : s) {
    if (std::isupper(static_cast<unsigned char>(c))) out += '_';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Accepts {"events": [...]} or a bare array of events; normalizes shorthand event types.
std::string history_json_to_serialized(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) bad_history("the text is not valid JSON");
  if (j.is_array()) j = nlohmann::json{{"events", std::move(j)}};
  if (!j.is_object() || !j.contains("events") || !j["events"].is_array()) {
    bad_history("expected a JSON object with an \"events\" array (temporal workflow show --output json)");
  }
  for (auto& e : j["events"]) {
    if (e.is_object() && e.contains("eventType") && e["eventType"].is_string()) {
      e["eventType"] = event_type_enum_name(e["eventType"].get<std::string>());
    }
  }
  apihistory::History history;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;  // histories written by newer servers carry fields we do not know
  auto st = google::protobuf::util::JsonStringToMessage(j.dump(), &history, opts);
  if (!st.ok()) bad_history("the JSON is not a temporal.api.history.v1.History: " + std::string(st.message()));
  return history.SerializeAsString();
}

}  // namespace

Replayer::Replayer(ReplayerOptions options) : options_(std::move(options)) {}
Replayer::Replayer() : Replayer(ReplayerOptions{}) {}

Replayer& Replayer::register_workflow(workflow::WorkflowDefinition definition) {
  if (workflows_.count(definition.name)) {
    throw InvalidArgumentError("workflow_type", "workflow type '" + definition.name +
                                                    "' is already registered with this replayer; register each once");
  }
  auto name = definition.name;
  workflows_.emplace(std::move(name), std::move(definition));
  return *this;
}

ReplayResult Replayer::replay_json(std::string_view json) const {
  return replay_serialized(history_json_to_serialized(json));
}

ReplayResult Replayer::replay_file(const std::filesystem::path& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidArgumentError("path", "cannot replay: cannot open history file '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return replay_json(text.str());
}

ReplayResult Replayer::replay(const client::WorkflowHistory& history) const {
  return replay_serialized(history.serialized);
}

ReplayResult Replayer::replay_serialized(const std::string& serialized_history) const {
  apihistory::History history;
  if (!history.ParseFromString(serialized_history)) bad_history("the bytes are not a temporal.api.history.v1.History");
  const auto& events = history.events();
  if (events.empty()) bad_history("the history has no events");
  if (events[0].event_type() != apienums::EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
    bad_history("the first event is " + apienums::EventType_Name(events[0].event_type()) +
                ", not EVENT_TYPE_WORKFLOW_EXECUTION_STARTED (is this a full history?)");
  }
  for (int i = 0; i < events.size(); ++i) {
    if (events[i].event_id() != i + 1) {
      bad_history("event ids must count up from 1 without gaps; position " + std::to_string(i) + " holds event " +
                  std::to_string(events[i].event_id()));
    }
  }
  const auto& started = events[0].workflow_execution_started_event_attributes();
  ReplayResult result;
  result.workflow_type = started.workflow_type().name();
  result.workflow_id = started.workflow_id();
  result.run_id = started.original_execution_run_id();
  result.events = events.size();

  auto it = workflows_.find(result.workflow_type);
  if (it == workflows_.end()) {
    std::string known;
    for (const auto& [k, _] : workflows_) known += (known.empty() ? "" : ", ") + k;
    throw InvalidArgumentError("workflow_type", "cannot replay: workflow type '" + result.workflow_type +
                                                    "' is not registered with the replayer; registered: [" + known + "]");
  }

  worker::detail::WorkflowRun run(&it->second, &options_.data_converter, options_.namespace_name,
                                  started.task_queue().name(), result.workflow_id, result.run_id, options_.logger);
  std::vector<const apihistory::HistoryEvent*> ptrs;
  ptrs.reserve(events.size());
  for (const auto& e : events) ptrs.push_back(&e);
  // Everything is replay: the "current" task lies beyond the last event.
  (void)run.apply(ptrs, events.size() + 1, {});

  // If the last workflow task was completed, the history holds every command it produced, and
  // anything left unmatched is a change in the code.
  result.workflow_tasks = run.tasks_run();
  bool last_task_completed = false;
  for (const auto& e : events) {
    if (e.event_type() == apienums::EVENT_TYPE_WORKFLOW_TASK_STARTED) last_task_completed = false;
    if (e.event_type() == apienums::EVENT_TYPE_WORKFLOW_TASK_COMPLETED) last_task_completed = true;
  }
  if (last_task_completed) run.require_all_commands_recorded();

  const auto last = events[events.size() - 1].event_type();
  result.workflow_closed = last == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ||
                           last == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ||
                           last == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED ||
                           last == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED ||
                           last == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ||
                           last == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT;
  return result;
}

}  // namespace temporal::worker
