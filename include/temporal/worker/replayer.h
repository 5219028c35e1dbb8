// Replayer: runs workflow code against a recorded history, without a server, and reports whether
// the code still produces what the history records.
//
//   temporal::worker::Replayer replayer;
//   replayer.register_workflow("greet", greet);
//   replayer.replay_file("histories/greet.json");   // throws NondeterminismError if the code changed
//
// Histories are read in the JSON that `temporal workflow show --output json` writes (and that
// WorkflowHistory::to_json() produces), or taken from WorkflowHandle::fetch_history(). Use it in
// tests, before deploying a change, to check that running workflows will replay on the new code.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "temporal/client/workflow_client.h"
#include "temporal/converter/data_converter.h"
#include "temporal/worker/worker.h"

namespace temporal::worker {

struct ReplayerOptions {
  /// The converter the workflows were run with (codecs included).
  converter::DataConverter data_converter{};
  std::string namespace_name = "default";
  /// Where wf::log() lines of the replayed code go (default: nowhere; replay does not log).
  Logger logger{};
};

/// What one replay saw. Replays that fail throw instead (see Replayer::replay_json).
struct ReplayResult {
  std::string workflow_id;
  std::string run_id;
  std::string workflow_type;
  int64_t events = 0;         ///< events replayed
  int workflow_tasks = 0;     ///< workflow tasks the code ran for
  bool workflow_closed = false;  ///< the history ends with the run closed (completed, failed...)
};

class Replayer {
 public:
  explicit Replayer(ReplayerOptions options);
  Replayer();

  /// The same workflows a Worker registers: a definition, or a name and a coroutine function.
  /// Registering a name twice throws InvalidArgumentError.
  Replayer& register_workflow(workflow::WorkflowDefinition definition);
  template <class F>
  Replayer& register_workflow(std::string name, F fn) {
    return register_workflow(workflow::define_workflow(std::move(name), std::move(fn)));
  }

  /// Replays a history given as JSON. Throws NondeterminismError naming the command the code
  /// produced and the event the history holds where they differ (or the command the history lacks);
  /// InvalidArgumentError (field "history") if the JSON is not a workflow history, or
  /// (field "workflow_type") if its workflow type is not registered; and whatever the workflow code
  /// threw that would have failed a workflow task.
  ReplayResult replay_json(std::string_view json) const;
  /// replay_json() on a file's contents; InvalidArgumentError (field "path") if it cannot be read.
  ReplayResult replay_file(const std::filesystem::path& path) const;
  /// Replays a history fetched with WorkflowHandle::fetch_history().
  ReplayResult replay(const client::WorkflowHistory& history) const;

 private:
  ReplayResult replay_serialized(const std::string& serialized_history) const;

  ReplayerOptions options_;
  std::map<std::string, workflow::WorkflowDefinition> workflows_;
};

}  // namespace temporal::worker
