#include "support/history_builder.h"

#include <google/protobuf/util/json_util.h>

#include "converter/proto.h"

namespace temporal::test {

namespace apienums = ::temporal::api::enums::v1;
namespace apihistory = ::temporal::api::history::v1;

namespace {
void set_payloads(const converter::Payloads& ps, ::temporal::api::common::v1::Payloads* out) {
  for (const auto& p : ps) *out->add_payloads() = converter::to_proto(p);
}
}  // namespace

HistoryBuilder::HistoryBuilder(std::string workflow_type, converter::Payloads input, std::string task_queue)
    : task_queue_(std::move(task_queue)) {
  auto& e = add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  auto* a = e.mutable_workflow_execution_started_event_attributes();
  a->mutable_workflow_type()->set_name(std::move(workflow_type));
  a->mutable_task_queue()->set_name(task_queue_);
  a->mutable_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_NORMAL);
  set_payloads(input, a->mutable_input());
  a->mutable_workflow_task_timeout()->set_seconds(10);
  a->set_original_execution_run_id(run_id_);
  a->set_first_execution_run_id(run_id_);
  a->set_workflow_id("unit-test-workflow");
  a->set_attempt(1);
}

HistoryBuilder::Event& HistoryBuilder::add(apienums::EventType type) {
  auto* e = history_.add_events();
  e->set_event_id(history_.events_size());
  e->set_event_type(type);
  e->mutable_event_time()->set_seconds(1767225600 + seconds_);  // 2026-01-01T00:00:00Z
  return *e;
}

int64_t HistoryBuilder::add_workflow_task_scheduled_and_started() {
  ++seconds_;
  auto& s = add(apienums::EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
  s.mutable_workflow_task_scheduled_event_attributes()->mutable_task_queue()->set_name(task_queue_);
  s.mutable_workflow_task_scheduled_event_attributes()->set_attempt(1);
  last_task_scheduled_ = s.event_id();
  auto& st = add(apienums::EVENT_TYPE_WORKFLOW_TASK_STARTED);
  st.mutable_workflow_task_started_event_attributes()->set_scheduled_event_id(last_task_scheduled_);
  last_task_started_ = st.event_id();
  return last_task_started_;
}

int64_t HistoryBuilder::add_workflow_task() {
  const int64_t started = add_workflow_task_scheduled_and_started();
  auto& c = add(apienums::EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  c.mutable_workflow_task_completed_event_attributes()->set_scheduled_event_id(last_task_scheduled_);
  c.mutable_workflow_task_completed_event_attributes()->set_started_event_id(started);
  last_task_completed_ = c.event_id();
  return started;
}

void HistoryBuilder::add_workflow_task_failed() {
  add_workflow_task_scheduled_and_started();
  auto& f = add(apienums::EVENT_TYPE_WORKFLOW_TASK_FAILED);
  f.mutable_workflow_task_failed_event_attributes()->set_scheduled_event_id(last_task_scheduled_);
  f.mutable_workflow_task_failed_event_attributes()->set_started_event_id(last_task_started_);
  f.mutable_workflow_task_failed_event_attributes()->set_cause(
      apienums::WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE);
}

void HistoryBuilder::add_workflow_task_timed_out() {
  add_workflow_task_scheduled_and_started();
  auto& t = add(apienums::EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
  t.mutable_workflow_task_timed_out_event_attributes()->set_scheduled_event_id(last_task_scheduled_);
  t.mutable_workflow_task_timed_out_event_attributes()->set_started_event_id(last_task_started_);
  t.mutable_workflow_task_timed_out_event_attributes()->set_timeout_type(apienums::TIMEOUT_TYPE_START_TO_CLOSE);
}

int64_t HistoryBuilder::add_timer_started(const std::string& timer_id, int64_t seconds) {
  auto& e = add(apienums::EVENT_TYPE_TIMER_STARTED);
  auto* a = e.mutable_timer_started_event_attributes();
  a->set_timer_id(timer_id);
  a->mutable_start_to_fire_timeout()->set_seconds(seconds);
  a->set_workflow_task_completed_event_id(last_task_completed_);
  return e.event_id();
}

void HistoryBuilder::add_timer_fired(int64_t started_event_id, const std::string& timer_id) {
  auto* a = add(apienums::EVENT_TYPE_TIMER_FIRED).mutable_timer_fired_event_attributes();
  a->set_timer_id(timer_id);
  a->set_started_event_id(started_event_id);
}

void HistoryBuilder::add_timer_canceled(int64_t started_event_id, const std::string& timer_id) {
  auto* a = add(apienums::EVENT_TYPE_TIMER_CANCELED).mutable_timer_canceled_event_attributes();
  a->set_timer_id(timer_id);
  a->set_started_event_id(started_event_id);
  a->set_workflow_task_completed_event_id(last_task_completed_);
}

int64_t HistoryBuilder::add_activity_scheduled(const std::string& activity_id, const std::string& activity_type) {
  auto& e = add(apienums::EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  auto* a = e.mutable_activity_task_scheduled_event_attributes();
  a->set_activity_id(activity_id);
  a->mutable_activity_type()->set_name(activity_type);
  a->mutable_task_queue()->set_name(task_queue_);
  a->mutable_start_to_close_timeout()->set_seconds(10);
  a->set_workflow_task_completed_event_id(last_task_completed_);
  return e.event_id();
}

int64_t HistoryBuilder::add_activity_started(int64_t scheduled_event_id) {
  auto& e = add(apienums::EVENT_TYPE_ACTIVITY_TASK_STARTED);
  e.mutable_activity_task_started_event_attributes()->set_scheduled_event_id(scheduled_event_id);
  e.mutable_activity_task_started_event_attributes()->set_attempt(1);
  return e.event_id();
}

void HistoryBuilder::add_activity_completed(int64_t scheduled_event_id, const converter::Payload& result) {
  auto* a = add(apienums::EVENT_TYPE_ACTIVITY_TASK_COMPLETED).mutable_activity_task_completed_event_attributes();
  a->set_scheduled_event_id(scheduled_event_id);
  *a->mutable_result()->add_payloads() = converter::to_proto(result);
}

void HistoryBuilder::add_activity_failed(int64_t scheduled_event_id, const std::string& message,
                                         const std::string& type) {
  auto* a = add(apienums::EVENT_TYPE_ACTIVITY_TASK_FAILED).mutable_activity_task_failed_event_attributes();
  a->set_scheduled_event_id(scheduled_event_id);
  a->mutable_failure()->set_message(message);
  a->mutable_failure()->mutable_application_failure_info()->set_type(type);
  a->set_retry_state(apienums::RETRY_STATE_NON_RETRYABLE_FAILURE);
}

void HistoryBuilder::add_activity_timed_out(int64_t scheduled_event_id) {
  auto* a = add(apienums::EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT).mutable_activity_task_timed_out_event_attributes();
  a->set_scheduled_event_id(scheduled_event_id);
  a->mutable_failure()->set_message("activity StartToClose timeout");
  a->mutable_failure()->mutable_timeout_failure_info()->set_timeout_type(apienums::TIMEOUT_TYPE_START_TO_CLOSE);
  a->set_retry_state(apienums::RETRY_STATE_TIMEOUT);
}

void HistoryBuilder::add_activity_cancel_requested(int64_t scheduled_event_id) {
  auto* a = add(apienums::EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED)
                .mutable_activity_task_cancel_requested_event_attributes();
  a->set_scheduled_event_id(scheduled_event_id);
  a->set_workflow_task_completed_event_id(last_task_completed_);
}

void HistoryBuilder::add_activity_canceled(int64_t scheduled_event_id) {
  auto* a = add(apienums::EVENT_TYPE_ACTIVITY_TASK_CANCELED).mutable_activity_task_canceled_event_attributes();
  a->set_scheduled_event_id(scheduled_event_id);
}

void HistoryBuilder::add_signal(const std::string& name, const converter::Payloads& args) {
  auto* a = add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).mutable_workflow_execution_signaled_event_attributes();
  a->set_signal_name(name);
  set_payloads(args, a->mutable_input());
}

void HistoryBuilder::add_cancel_requested() {
  add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
      .mutable_workflow_execution_cancel_requested_event_attributes()
      ->set_cause("unit test");
}

int64_t HistoryBuilder::add_signal_external_initiated(const std::string& workflow_id, const std::string& signal_name) {
  auto& e = add(apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED);
  auto* a = e.mutable_signal_external_workflow_execution_initiated_event_attributes();
  a->mutable_workflow_execution()->set_workflow_id(workflow_id);
  a->set_signal_name(signal_name);
  a->set_workflow_task_completed_event_id(last_task_completed_);
  return e.event_id();
}

void HistoryBuilder::add_external_signaled(int64_t initiated_event_id, const std::string& workflow_id) {
  auto* a = add(apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED)
                .mutable_external_workflow_execution_signaled_event_attributes();
  a->set_initiated_event_id(initiated_event_id);
  a->mutable_workflow_execution()->set_workflow_id(workflow_id);
}

void HistoryBuilder::add_signal_external_failed(int64_t initiated_event_id, const std::string& workflow_id) {
  auto* a = add(apienums::EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED)
                .mutable_signal_external_workflow_execution_failed_event_attributes();
  a->set_initiated_event_id(initiated_event_id);
  a->mutable_workflow_execution()->set_workflow_id(workflow_id);
  a->set_cause(apienums::SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND);
}

int64_t HistoryBuilder::add_cancel_external_initiated(const std::string& workflow_id) {
  auto& e = add(apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED);
  auto* a = e.mutable_request_cancel_external_workflow_execution_initiated_event_attributes();
  a->mutable_workflow_execution()->set_workflow_id(workflow_id);
  a->set_workflow_task_completed_event_id(last_task_completed_);
  return e.event_id();
}

void HistoryBuilder::add_external_cancel_requested(int64_t initiated_event_id, const std::string& workflow_id) {
  auto* a = add(apienums::EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
                .mutable_external_workflow_execution_cancel_requested_event_attributes();
  a->set_initiated_event_id(initiated_event_id);
  a->mutable_workflow_execution()->set_workflow_id(workflow_id);
}

void HistoryBuilder::add_cancel_external_failed(int64_t initiated_event_id, const std::string& workflow_id) {
  auto* a = add(apienums::EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED)
                .mutable_request_cancel_external_workflow_execution_failed_event_attributes();
  a->set_initiated_event_id(initiated_event_id);
  a->mutable_workflow_execution()->set_workflow_id(workflow_id);
  a->set_cause(apienums::CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND);
}

int64_t HistoryBuilder::add_update_accepted(const std::string& update_id, const std::string& name,
                                            const converter::Payloads& args) {
  auto& e = add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  auto* a = e.mutable_workflow_execution_update_accepted_event_attributes();
  a->set_protocol_instance_id(update_id);
  a->set_accepted_request_message_id(update_id + "/request");
  a->set_accepted_request_sequencing_event_id(last_task_started_);
  a->mutable_accepted_request()->mutable_meta()->set_update_id(update_id);
  a->mutable_accepted_request()->mutable_input()->set_name(name);
  set_payloads(args, a->mutable_accepted_request()->mutable_input()->mutable_args());
  return e.event_id();
}

void HistoryBuilder::add_update_completed(int64_t accepted_event_id, const std::string& update_id,
                                          const converter::Payload& result) {
  auto* a = add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)
                .mutable_workflow_execution_update_completed_event_attributes();
  a->set_accepted_event_id(accepted_event_id);
  a->mutable_meta()->set_update_id(update_id);
  *a->mutable_outcome()->mutable_success()->add_payloads() = converter::to_proto(result);
}

void HistoryBuilder::add_marker(const std::string& marker_name) {
  auto* a = add(apienums::EVENT_TYPE_MARKER_RECORDED).mutable_marker_recorded_event_attributes();
  a->set_marker_name(marker_name);
  a->set_workflow_task_completed_event_id(last_task_completed_);
}

int64_t HistoryBuilder::add_child_workflow_initiated(const std::string& workflow_id, const std::string& workflow_type) {
  auto& e = add(apienums::EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
  auto* a = e.mutable_start_child_workflow_execution_initiated_event_attributes();
  a->set_workflow_id(workflow_id);
  a->mutable_workflow_type()->set_name(workflow_type);
  a->set_workflow_task_completed_event_id(last_task_completed_);
  return e.event_id();
}

void HistoryBuilder::add_upsert_search_attributes() {
  add(apienums::EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
      .mutable_upsert_workflow_search_attributes_event_attributes()
      ->set_workflow_task_completed_event_id(last_task_completed_);
}

void HistoryBuilder::add_workflow_completed(const converter::Payload& result) {
  auto* a = add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED).mutable_workflow_execution_completed_event_attributes();
  *a->mutable_result()->add_payloads() = converter::to_proto(result);
  a->set_workflow_task_completed_event_id(last_task_completed_);
}

void HistoryBuilder::add_workflow_failed(const std::string& message) {
  auto* a = add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_FAILED).mutable_workflow_execution_failed_event_attributes();
  a->mutable_failure()->set_message(message);
  a->set_workflow_task_completed_event_id(last_task_completed_);
}

void HistoryBuilder::add_workflow_canceled() {
  add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED)
      .mutable_workflow_execution_canceled_event_attributes()
      ->set_workflow_task_completed_event_id(last_task_completed_);
}

void HistoryBuilder::add_continued_as_new() {
  auto* a = add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW)
                .mutable_workflow_execution_continued_as_new_event_attributes();
  a->set_new_execution_run_id("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
  a->set_workflow_task_completed_event_id(last_task_completed_);
}

void HistoryBuilder::add_terminated() {
  add(apienums::EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED)
      .mutable_workflow_execution_terminated_event_attributes()
      ->set_reason("unit test");
}

std::string HistoryBuilder::to_json() const {
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(history_, &out, google::protobuf::util::JsonPrintOptions{});
  return out;
}

}  // namespace temporal::test
