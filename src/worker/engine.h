// For bench/cpp/engine_memory.cpp: replays a history into a run that stays alive, as a cached run.
#pragma once

#include <memory>

#include "worker/workflow_run.h"

namespace temporal::worker::detail {

using EngineRun = WorkflowRun;

inline std::unique_ptr<EngineRun> replay_for_bench(const workflow::WorkflowDefinition& definition,
                                                   const ::temporal::api::history::v1::History& history) {
  static const converter::DataConverter dc;
  auto run = std::make_unique<EngineRun>(&definition, &dc, "default", "unit-tests", "wf", "run", Logger{});
  std::vector<const HistoryEvent*> events;
  for (const auto& e : history.events()) events.push_back(&e);
  (void)run->apply(events, history.events_size() + 1, {});
  return run;
}

}  // namespace temporal::worker::detail
