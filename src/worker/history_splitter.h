// Cuts history events into workflow tasks: the code runs once at each WorkflowTaskStarted whose task
// completed (or that is the task being answered); a started task that then failed or timed out ran
// no code the server kept, so it is not a run point.
#pragma once

#include <cstddef>
#include <vector>

#include "temporal/api/history/v1/message.pb.h"

namespace temporal::worker::detail {

struct HistoryTask {
  /// The task's events, [begin, end) of the input: everything after the previous run point up to
  /// and including this one.
  size_t begin = 0;
  size_t end = 0;
  /// The WorkflowTaskStarted at which the code runs; null for the events after the last run point
  /// (a replayed history's final commands).
  const ::temporal::api::history::v1::HistoryEvent* started = nullptr;
  /// WorkflowExecutionUpdateAccepted events recorded after this run point, before the next one: on
  /// replay, updates the code must receive in this task (they were accepted in its answer).
  std::vector<const ::temporal::api::history::v1::HistoryEvent*> accepted_updates;
};

std::vector<HistoryTask> split_history(const std::vector<const ::temporal::api::history::v1::HistoryEvent*>& events);

}  // namespace temporal::worker::detail
