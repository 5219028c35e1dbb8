// HistoryBuilder: workflow histories for unit tests, event by event, without a server.
//
//   HistoryBuilder h("greet", {converter::to_payload(std::string("Ada"))});
//   h.add_workflow_task();                                  // scheduled, started, completed
//   auto scheduled = h.add_activity_scheduled("1", "compose");
//   h.add_activity_completed(scheduled, converter::to_payload(std::string("Hi")));
//   h.add_workflow_task_scheduled_and_started();            // the task being answered
//
// Event ids count up from 1 and every event refers to the ids it must (a fired timer to its
// started event, an activity result to its scheduled event), as the server writes them. Event
// times advance by one second per workflow task, from 2026-01-01T00:00:00Z.
#pragma once

#include <cstdint>
#include <string>

#include "temporal/api/history/v1/message.pb.h"
#include "temporal/converter/payload.h"

namespace temporal::test {

class HistoryBuilder {
 public:
  using Event = ::temporal::api::history::v1::HistoryEvent;

  explicit HistoryBuilder(std::string workflow_type, converter::Payloads input = {},
                          std::string task_queue = "unit-tests");

  /// WorkflowTaskScheduled, WorkflowTaskStarted and WorkflowTaskCompleted; returns the started id.
  int64_t add_workflow_task();
  /// WorkflowTaskScheduled and WorkflowTaskStarted (the task a worker is answering); returns the started id.
  int64_t add_workflow_task_scheduled_and_started();
  /// A started task that then failed or timed out (the code it ran is not kept).
  void add_workflow_task_failed();
  void add_workflow_task_timed_out();

  int64_t add_timer_started(const std::string& timer_id, int64_t seconds = 1);
  void add_timer_fired(int64_t started_event_id, const std::string& timer_id);
  void add_timer_canceled(int64_t started_event_id, const std::string& timer_id);

  int64_t add_activity_scheduled(const std::string& activity_id, const std::string& activity_type);
  int64_t add_activity_started(int64_t scheduled_event_id);
  void add_activity_completed(int64_t scheduled_event_id, const converter::Payload& result);
  /// An ApplicationFailure with this message and type.
  void add_activity_failed(int64_t scheduled_event_id, const std::string& message, const std::string& type);
  void add_activity_timed_out(int64_t scheduled_event_id);
  void add_activity_cancel_requested(int64_t scheduled_event_id);
  void add_activity_canceled(int64_t scheduled_event_id);

  void add_signal(const std::string& name, const converter::Payloads& args = {});
  void add_cancel_requested();

  int64_t add_signal_external_initiated(const std::string& workflow_id, const std::string& signal_name);
  void add_external_signaled(int64_t initiated_event_id, const std::string& workflow_id);
  void add_signal_external_failed(int64_t initiated_event_id, const std::string& workflow_id);
  int64_t add_cancel_external_initiated(const std::string& workflow_id);
  void add_external_cancel_requested(int64_t initiated_event_id, const std::string& workflow_id);
  void add_cancel_external_failed(int64_t initiated_event_id, const std::string& workflow_id);

  /// WorkflowExecutionUpdateAccepted (request included) and UpdateCompleted with a success value.
  int64_t add_update_accepted(const std::string& update_id, const std::string& name,
                              const converter::Payloads& args = {});
  void add_update_completed(int64_t accepted_event_id, const std::string& update_id, const converter::Payload& result);

  void add_marker(const std::string& marker_name);
  int64_t add_child_workflow_initiated(const std::string& workflow_id, const std::string& workflow_type);
  void add_upsert_search_attributes();

  void add_workflow_completed(const converter::Payload& result);
  void add_workflow_failed(const std::string& message);
  void add_workflow_canceled();
  void add_continued_as_new();
  void add_terminated();

  const ::temporal::api::history::v1::History& history() const { return history_; }
  /// The JSON `temporal workflow show --output json` writes.
  std::string to_json() const;
  int64_t last_event_id() const { return history_.events_size(); }
  const std::string& run_id() const { return run_id_; }

 private:
  Event& add(::temporal::api::enums::v1::EventType type);

  ::temporal::api::history::v1::History history_;
  std::string run_id_ = "0b3f1c9e-5d7a-4e2b-9c1d-2a6f8e4b7c3d";
  std::string task_queue_;
  int64_t last_task_scheduled_ = 0;
  int64_t last_task_started_ = 0;
  int64_t last_task_completed_ = 0;
  int64_t seconds_ = 0;
};

}  // namespace temporal::test
