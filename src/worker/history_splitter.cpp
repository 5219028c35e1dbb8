#include "worker/history_splitter.h"

namespace temporal::worker::detail {

namespace apienums = ::temporal::api::enums::v1;
using ::temporal::api::history::v1::HistoryEvent;

std::vector<HistoryTask> split_history(const std::vector<const HistoryEvent*>& events) {
  std::vector<HistoryTask> tasks;
  size_t begin = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i]->event_type() != apienums::EVENT_TYPE_WORKFLOW_TASK_STARTED) continue;
    if (i + 1 < events.size()) {
      const auto next = events[i + 1]->event_type();
      if (next == apienums::EVENT_TYPE_WORKFLOW_TASK_FAILED || next == apienums::EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
        continue;
      }
    }
    HistoryTask task{begin, i + 1, events[i], {}};
    for (size_t j = i + 1; j < events.size(); ++j) {
      const auto t = events[j]->event_type();
      if (t == apienums::EVENT_TYPE_WORKFLOW_TASK_STARTED) break;
      if (t == apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) task.accepted_updates.push_back(events[j]);
    }
    tasks.push_back(std::move(task));
    begin = i + 1;
  }
  if (begin < events.size()) tasks.push_back(HistoryTask{begin, events.size(), nullptr, {}});
  return tasks;
}

}  // namespace temporal::worker::detail
