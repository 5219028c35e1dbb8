// ScheduleClient and ScheduleHandle. Member functions hand copies of their state to free
// coroutines, so a Task stays valid after the handle that made it is gone. (GCC 12: no braced
// temporaries inside co_await expressions; build requests and options in named variables.)
//
// Conflicts: the server implements a schedule as a workflow and UpdateSchedule as a signal to it.
// An update whose conflict token is stale is dropped by that workflow while the RPC still
// succeeds, so update() reads the schedule back and compares the parts it meant to change.
#include "temporal/client/schedule_client.h"

#include <algorithm>

#include "client/client_core.h"
#include "common/uuid.h"
#include "converter/proto.h"
#include "temporal/api/errordetails/v1/message.pb.h"
#include "temporal/api/schedule/v1/message.pb.h"

namespace temporal::client {

namespace apicommon = ::temporal::api::common::v1;
namespace apienums = ::temporal::api::enums::v1;
namespace apisched = ::temporal::api::schedule::v1;
namespace apiwf = ::temporal::api::workflow::v1;
namespace ws = ::temporal::api::workflowservice::v1;
using detail::ClientCore;
using CorePtr = std::shared_ptr<const ClientCore>;
using std::chrono::milliseconds;

const char* to_string(ScheduleOverlapPolicy p) {
  switch (p) {
    case ScheduleOverlapPolicy::kSkip: return "SKIP";
    case ScheduleOverlapPolicy::kBufferOne: return "BUFFER_ONE";
    case ScheduleOverlapPolicy::kBufferAll: return "BUFFER_ALL";
    case ScheduleOverlapPolicy::kCancelOther: return "CANCEL_OTHER";
    case ScheduleOverlapPolicy::kTerminateOther: return "TERMINATE_OTHER";
    case ScheduleOverlapPolicy::kAllowAll: return "ALLOW_ALL";
    default: return "UNSPECIFIED";
  }
}

namespace {

bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

// ---------------------------------------------------------------------------------------------
// Errors

// Which part of a schedule an INVALID_ARGUMENT message is about.
std::string field_of(const std::string& m) {
  std::string l = m;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (contains(l, "cron")) return "spec.cron_strings";
  if (contains(l, "calendar")) return "spec.calendars";
  if (contains(l, "interval")) return "spec.intervals";
  if (contains(l, "spec")) return "spec";
  if (contains(l, "polic") || contains(l, "catchup")) return "policies";
  if (contains(l, "action") || contains(l, "task queue") || contains(l, "workflow")) return "action";
  return "schedule";
}

// `sent`, when given, is the spec of the rejected request: the server compiles cron strings into
// calendars and reports their errors as calendar errors ("Minute is not in range [0-59]"), so a
// spec made only of cron strings puts the blame on them and the message quotes them.
[[noreturn]] void throw_schedule_status(const ClientCore& core, const rpc::Status& s, const std::string& operation,
                                        const std::string& id, const ScheduleSpec* sent = nullptr) {
  const int code = static_cast<int>(s.code);
  const std::string op = operation + " '" + id + "' failed: ";
  if (s.local == rpc::Status::Local::kNone && !rpc::is_namespace_not_found(s)) {
    switch (s.code) {
      case grpc::StatusCode::NOT_FOUND:
        throw ScheduleNotFoundError(id, code,
                                    op + "no schedule '" + id + "' in namespace '" + core.namespace_name + "' (" +
                                        s.message + ")",
                                    s.message);
      case grpc::StatusCode::ALREADY_EXISTS:
        throw ScheduleAlreadyRunningError(
            id, code, op + "a schedule with this id already exists; delete it or use another id (" + s.message + ")",
            s.message);
      case grpc::StatusCode::INVALID_ARGUMENT: {
        std::string field = field_of(s.message);
        std::string quoted;
        if (sent && !sent->cron_strings.empty() &&
            (field == "spec.cron_strings" ||
             (sent->calendars.empty() && (field == "spec" || field == "spec.calendars")))) {
          field = "spec.cron_strings";
          for (const auto& c : sent->cron_strings) quoted += (quoted.empty() ? "'" : ", '") + c + "'";
          quoted = " [" + quoted + "]";
        }
        throw InvalidScheduleError(id, field, code, op + "the server rejected " + field + quoted + ": " + s.message,
                                   s.message);
      }
      default: break;
    }
  }
  rpc::throw_status(s, core.error_context(operation + " '" + id + "'"));
}

// ---------------------------------------------------------------------------------------------
// Wire conversions

apienums::ScheduleOverlapPolicy to_proto(ScheduleOverlapPolicy p) { return static_cast<apienums::ScheduleOverlapPolicy>(p); }
ScheduleOverlapPolicy from_proto(apienums::ScheduleOverlapPolicy p) {
  return p >= 0 && p <= 6 ? static_cast<ScheduleOverlapPolicy>(p) : ScheduleOverlapPolicy::kUnspecified;
}

void encode_ranges(const std::vector<ScheduleRange>& in, google::protobuf::RepeatedPtrField<apisched::Range>* out) {
  for (const auto& r : in) {
    auto* p = out->Add();
    p->set_start(r.start);
    p->set_end(r.end);
    p->set_step(r.step);
  }
}

std::vector<ScheduleRange> decode_ranges(const google::protobuf::RepeatedPtrField<apisched::Range>& in) {
  std::vector<ScheduleRange> out;
  for (const auto& r : in) out.push_back({r.start(), r.end(), r.step()});
  return out;
}

void encode_calendar(const ScheduleCalendarSpec& c, apisched::StructuredCalendarSpec* out) {
  encode_ranges(c.second, out->mutable_second());
  encode_ranges(c.minute, out->mutable_minute());
  encode_ranges(c.hour, out->mutable_hour());
  encode_ranges(c.day_of_month, out->mutable_day_of_month());
  encode_ranges(c.month, out->mutable_month());
  encode_ranges(c.year, out->mutable_year());
  encode_ranges(c.day_of_week, out->mutable_day_of_week());
  out->set_comment(c.comment);
}

ScheduleCalendarSpec decode_calendar(const apisched::StructuredCalendarSpec& c) {
  ScheduleCalendarSpec out;
  out.second = decode_ranges(c.second());
  out.minute = decode_ranges(c.minute());
  out.hour = decode_ranges(c.hour());
  out.day_of_month = decode_ranges(c.day_of_month());
  out.month = decode_ranges(c.month());
  out.year = decode_ranges(c.year());
  out.day_of_week = decode_ranges(c.day_of_week());
  out.comment = c.comment();
  return out;
}

void encode_spec(const ScheduleSpec& s, apisched::ScheduleSpec* out) {
  for (const auto& c : s.calendars) encode_calendar(c, out->add_structured_calendar());
  for (const auto& i : s.intervals) {
    auto* p = out->add_interval();
    converter::to_proto_duration(i.every, p->mutable_interval());
    converter::to_proto_duration(i.offset, p->mutable_phase());
  }
  for (const auto& c : s.cron_strings) out->add_cron_string(c);
  for (const auto& c : s.skip) encode_calendar(c, out->add_exclude_structured_calendar());
  if (s.start_at) converter::to_proto_time(*s.start_at, out->mutable_start_time());
  if (s.end_at) converter::to_proto_time(*s.end_at, out->mutable_end_time());
  if (s.jitter) converter::to_proto_duration(*s.jitter, out->mutable_jitter());
  out->set_timezone_name(s.time_zone_name);
}

ScheduleSpec decode_spec(const apisched::ScheduleSpec& s) {
  ScheduleSpec out;
  for (const auto& c : s.structured_calendar()) out.calendars.push_back(decode_calendar(c));
  for (const auto& i : s.interval()) {
    out.intervals.push_back({converter::from_proto_duration(i.interval()), converter::from_proto_duration(i.phase())});
  }
  for (const auto& c : s.cron_string()) out.cron_strings.push_back(c);
  for (const auto& c : s.exclude_structured_calendar()) out.skip.push_back(decode_calendar(c));
  if (s.has_start_time()) out.start_at = converter::from_proto_time(s.start_time());
  if (s.has_end_time()) out.end_at = converter::from_proto_time(s.end_time());
  if (s.has_jitter()) out.jitter = converter::from_proto_duration(s.jitter());
  out.time_zone_name = s.timezone_name();
  return out;
}

std::optional<milliseconds> nonzero(const google::protobuf::Duration& d) {
  if (d.seconds() == 0 && d.nanos() == 0) return std::nullopt;
  return converter::from_proto_duration(d);
}

void encode_action(const ClientCore& core, const ScheduleActionStartWorkflow& a, apiwf::NewWorkflowExecutionInfo* out) {
  const WorkflowOptions& o = a.options;
  out->set_workflow_id(o.workflow_id);
  out->mutable_workflow_type()->set_name(a.workflow_type);
  out->mutable_task_queue()->set_name(o.task_queue);
  out->mutable_task_queue()->set_kind(apienums::TASK_QUEUE_KIND_NORMAL);
  if (!a.args.empty()) converter::encode_to(core.data_converter, a.args, out->mutable_input());
  if (o.workflow_execution_timeout) {
    converter::to_proto_duration(*o.workflow_execution_timeout, out->mutable_workflow_execution_timeout());
  }
  if (o.workflow_run_timeout) converter::to_proto_duration(*o.workflow_run_timeout, out->mutable_workflow_run_timeout());
  if (o.workflow_task_timeout) converter::to_proto_duration(*o.workflow_task_timeout, out->mutable_workflow_task_timeout());
  out->set_workflow_id_reuse_policy(static_cast<apienums::WorkflowIdReusePolicy>(o.id_reuse_policy));
  if (o.retry_policy) converter::to_proto_retry_policy(*o.retry_policy, out->mutable_retry_policy());
  if (!o.memo.empty()) converter::encode_memo(core.data_converter, o.memo, out->mutable_memo());
  if (!o.search_attributes.empty()) converter::encode_search_attributes(o.search_attributes, out->mutable_search_attributes());
  if (!o.headers.empty()) converter::encode_headers(o.headers, out->mutable_header());
  if (!o.static_summary.empty()) {
    *out->mutable_user_metadata()->mutable_summary() =
        converter::encode_one(core.data_converter, converter::to_payload(o.static_summary));
  }
  if (!o.static_details.empty()) {
    *out->mutable_user_metadata()->mutable_details() =
        converter::encode_one(core.data_converter, converter::to_payload(o.static_details));
  }
  if (o.priority) {
    out->mutable_priority()->set_priority_key(o.priority->priority_key);
    out->mutable_priority()->set_fairness_key(o.priority->fairness_key);
    out->mutable_priority()->set_fairness_weight(o.priority->fairness_weight);
  }
}

ScheduleActionStartWorkflow decode_action(const ClientCore& core, const apiwf::NewWorkflowExecutionInfo& in) {
  ScheduleActionStartWorkflow a;
  a.workflow_type = in.workflow_type().name();
  a.args = converter::decode_from(core.data_converter, in.input());
  WorkflowOptions& o = a.options;
  o.workflow_id = in.workflow_id();
  o.task_queue = in.task_queue().name();
  // A zero timeout means none.
  o.workflow_execution_timeout = nonzero(in.workflow_execution_timeout());
  o.workflow_run_timeout = nonzero(in.workflow_run_timeout());
  o.workflow_task_timeout = nonzero(in.workflow_task_timeout());
  o.id_reuse_policy = static_cast<WorkflowIdReusePolicy>(in.workflow_id_reuse_policy());
  if (in.has_retry_policy()) o.retry_policy = converter::from_proto_retry_policy(in.retry_policy());
  o.memo = converter::decode_memo(core.data_converter, in.memo());
  o.search_attributes = converter::decode_search_attributes(in.search_attributes());
  for (const auto& [k, v] : in.header().fields()) o.headers.emplace(k, converter::from_proto(v));
  if (in.has_user_metadata()) {
    const auto& um = in.user_metadata();
    if (um.has_summary()) {
      o.static_summary = converter::from_payload<std::string>(converter::decode_one(core.data_converter, um.summary()));
    }
    if (um.has_details()) {
      o.static_details = converter::from_payload<std::string>(converter::decode_one(core.data_converter, um.details()));
    }
  }
  if (in.has_priority()) {
    o.priority = Priority{in.priority().priority_key(), in.priority().fairness_key(), in.priority().fairness_weight()};
  }
  return a;
}

void encode_schedule(const ClientCore& core, const Schedule& s, apisched::Schedule* out) {
  encode_spec(s.spec, out->mutable_spec());
  encode_action(core, s.action, out->mutable_action()->mutable_start_workflow());
  auto* p = out->mutable_policies();
  p->set_overlap_policy(to_proto(s.policies.overlap));
  if (s.policies.catchup_window) converter::to_proto_duration(*s.policies.catchup_window, p->mutable_catchup_window());
  p->set_pause_on_failure(s.policies.pause_on_failure);
  auto* st = out->mutable_state();
  st->set_notes(s.state.note);
  st->set_paused(s.state.paused);
  st->set_limited_actions(s.state.limited_actions);
  st->set_remaining_actions(s.state.remaining_actions);
}

Schedule decode_schedule(const ClientCore& core, const apisched::Schedule& in) {
  Schedule s;
  s.spec = decode_spec(in.spec());
  if (in.action().has_start_workflow()) s.action = decode_action(core, in.action().start_workflow());
  s.policies.overlap = from_proto(in.policies().overlap_policy());
  s.policies.catchup_window = nonzero(in.policies().catchup_window());
  s.policies.pause_on_failure = in.policies().pause_on_failure();
  s.state.note = in.state().notes();
  s.state.paused = in.state().paused();
  s.state.limited_actions = in.state().limited_actions();
  s.state.remaining_actions = in.state().remaining_actions();
  return s;
}

ScheduleActionResult decode_action_result(const apisched::ScheduleActionResult& r) {
  ScheduleActionResult out;
  out.scheduled_at = converter::from_proto_time(r.schedule_time());
  out.started_at = converter::from_proto_time(r.actual_time());
  out.workflow = WorkflowExecution{r.start_workflow_result().workflow_id(), r.start_workflow_result().run_id()};
  out.status = static_cast<WorkflowExecutionStatus>(r.start_workflow_status());
  return out;
}

// The scheduler keeps its own bookkeeping in this memo field; it is not the user's.
constexpr const char* kInternalMemoField = "ScheduleInfo";

Memo decode_schedule_memo(const ClientCore& core, const apicommon::Memo& in) {
  apicommon::Memo copy = in;
  copy.mutable_fields()->erase(kInternalMemoField);
  return converter::decode_memo(core.data_converter, copy);
}

ScheduleDescription decode_description(const ClientCore& core, const std::string& id, const ws::DescribeScheduleResponse& r) {
  ScheduleDescription d;
  d.id = id;
  d.schedule = decode_schedule(core, r.schedule());
  const auto& i = r.info();
  d.info.num_actions = i.action_count();
  d.info.num_actions_missed_catchup_window = i.missed_catchup_window();
  d.info.num_actions_skipped_overlap = i.overlap_skipped();
  d.info.buffer_dropped = i.buffer_dropped();
  d.info.buffer_size = i.buffer_size();
  for (const auto& w : i.running_workflows()) d.info.running_workflows.push_back({w.workflow_id(), w.run_id()});
  for (const auto& a : i.recent_actions()) d.info.recent_actions.push_back(decode_action_result(a));
  for (const auto& t : i.future_action_times()) d.info.next_action_times.push_back(converter::from_proto_time(t));
  d.info.created_at = converter::from_proto_time(i.create_time());
  if (i.has_update_time()) d.info.last_updated_at = converter::from_proto_time(i.update_time());
  d.memo = decode_schedule_memo(core, r.memo());
  d.search_attributes = converter::decode_search_attributes(r.search_attributes());
  d.conflict_token = r.conflict_token();
  d.raw_response = r.SerializeAsString();
  return d;
}

// ---------------------------------------------------------------------------------------------
// Validation (before any RPC)

void validate_ranges(const std::vector<ScheduleRange>& ranges, const std::string& field, int lo, int hi, bool may_be_empty) {
  if (ranges.empty() && !may_be_empty) {
    throw InvalidArgumentError(field, field + " is empty, so the calendar matches no time; list at least one range (" +
                                          std::to_string(lo) + "-" + std::to_string(hi) + ")");
  }
  for (size_t i = 0; i < ranges.size(); ++i) {
    const auto& r = ranges[i];
    const std::string f = field + "[" + std::to_string(i) + "]";
    const int end = r.end < r.start ? r.start : r.end;
    if (r.start < lo || end > hi) {
      throw InvalidArgumentError(f, f + " is " + std::to_string(r.start) + "-" + std::to_string(end) +
                                        "; values must be within " + std::to_string(lo) + "-" + std::to_string(hi));
    }
    if (r.step < 0) throw InvalidArgumentError(f + ".step", f + ".step must not be negative");
  }
}

void validate_calendar(const ScheduleCalendarSpec& c, const std::string& field) {
  validate_ranges(c.second, field + ".second", 0, 59, false);
  validate_ranges(c.minute, field + ".minute", 0, 59, false);
  validate_ranges(c.hour, field + ".hour", 0, 23, false);
  validate_ranges(c.day_of_month, field + ".day_of_month", 1, 31, false);
  validate_ranges(c.month, field + ".month", 1, 12, false);
  validate_ranges(c.year, field + ".year", 0, 1000000, true);
  validate_ranges(c.day_of_week, field + ".day_of_week", 0, 6, false);
}

bool spec_is_empty(const ScheduleSpec& s) { return s.calendars.empty() && s.intervals.empty() && s.cron_strings.empty(); }

void validate_spec(const ScheduleSpec& s) {
  for (size_t i = 0; i < s.intervals.size(); ++i) {
    const std::string f = "spec.intervals[" + std::to_string(i) + "]";
    if (s.intervals[i].every < std::chrono::seconds(1)) {
      throw InvalidArgumentError(f + ".every", f + ".every must be at least one second (the server counts whole seconds); got " +
                                                   std::to_string(s.intervals[i].every.count()) + " ms");
    }
    if (s.intervals[i].offset.count() < 0) throw InvalidArgumentError(f + ".offset", f + ".offset must not be negative");
    detail::validate_duration(s.intervals[i].every, f + ".every", false);
    detail::validate_duration(s.intervals[i].offset, f + ".offset", true);
  }
  for (size_t i = 0; i < s.calendars.size(); ++i) validate_calendar(s.calendars[i], "spec.calendars[" + std::to_string(i) + "]");
  for (size_t i = 0; i < s.skip.size(); ++i) validate_calendar(s.skip[i], "spec.skip[" + std::to_string(i) + "]");
  for (size_t i = 0; i < s.cron_strings.size(); ++i) {
    const std::string f = "spec.cron_strings[" + std::to_string(i) + "]";
    detail::validate_identifier(s.cron_strings[i], f, true);
  }
  detail::validate_duration(s.jitter, "spec.jitter", true);
  if (s.start_at && s.end_at && *s.end_at < *s.start_at) {
    throw InvalidArgumentError("spec.end_at", "spec.end_at is before spec.start_at, so the schedule would never act");
  }
  detail::validate_identifier(s.time_zone_name, "spec.time_zone_name", false, 200);
}

void validate_action(const ScheduleActionStartWorkflow& a) {
  detail::validate_identifier(a.workflow_type, "action.workflow_type", true);
  const WorkflowOptions& o = a.options;
  if (o.task_queue.empty()) {
    throw InvalidArgumentError("action.options.task_queue",
                               "action.options.task_queue is required: name the task queue your worker polls");
  }
  detail::validate_identifier(o.task_queue, "action.options.task_queue", true);
  if (o.workflow_id.empty()) {
    throw InvalidArgumentError("action.options.workflow_id",
                               "action.options.workflow_id is required for a schedule; the server appends the scheduled "
                               "time to it for each run");
  }
  detail::validate_identifier(o.workflow_id, "action.options.workflow_id", true);
  detail::validate_duration(o.workflow_execution_timeout, "action.options.workflow_execution_timeout", false);
  detail::validate_duration(o.workflow_run_timeout, "action.options.workflow_run_timeout", false);
  detail::validate_duration(o.workflow_task_timeout, "action.options.workflow_task_timeout", false);
  if (o.retry_policy) detail::validate_retry_policy(*o.retry_policy, "action.options.retry_policy");
  if (!o.cron_schedule.empty()) {
    throw InvalidArgumentError("action.options.cron_schedule",
                               "action.options.cron_schedule does not apply to a schedule's workflow; put the cron "
                               "expression in spec.cron_strings");
  }
  if (o.start_delay) {
    throw InvalidArgumentError("action.options.start_delay", "action.options.start_delay does not apply to schedules; "
                                                             "use spec.jitter or an interval offset");
  }
  if (o.id_conflict_policy != WorkflowIdConflictPolicy::kUnspecified) {
    throw InvalidArgumentError("action.options.id_conflict_policy",
                               "action.options.id_conflict_policy does not apply to schedules; use policies.overlap");
  }
  if (o.request_eager_start) {
    throw InvalidArgumentError("action.options.request_eager_start", "eager start does not apply to schedules");
  }
  detail::validate_workflow_options_common(o, "action.options.");
}

void validate_schedule(const Schedule& s) {
  validate_spec(s.spec);
  validate_action(s.action);
  detail::validate_enum(s.policies.overlap, 0, 6, "policies.overlap", "ScheduleOverlapPolicy");
  detail::validate_duration(s.policies.catchup_window, "policies.catchup_window", false);
  detail::validate_identifier(s.state.note, "state.note", false);
  if (s.state.remaining_actions < 0) {
    throw InvalidArgumentError("state.remaining_actions", "state.remaining_actions must not be negative");
  }
  if (s.state.remaining_actions > 0 && !s.state.limited_actions) {
    throw InvalidArgumentError("state.remaining_actions",
                               "state.remaining_actions is only honoured with state.limited_actions = true; set it too");
  }
}

void validate_backfills(const std::vector<ScheduleBackfill>& backfills, const std::string& field) {
  for (size_t i = 0; i < backfills.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    if (backfills[i].end_at < backfills[i].start_at) {
      throw InvalidArgumentError(f + ".end_at", f + ".end_at is before " + f + ".start_at");
    }
    detail::validate_enum(backfills[i].overlap, 0, 6, f + ".overlap", "ScheduleOverlapPolicy");
  }
}

// ---------------------------------------------------------------------------------------------
// Verifying an update. Parts the caller left unset may come back with server defaults, so an
// unset value in what was sent matches anything.

template <class T>
bool lenient_eq(const std::optional<T>& sent, const std::optional<T>& other) {
  return !sent || sent == other;
}

std::chrono::seconds whole_seconds(milliseconds d) { return std::chrono::duration_cast<std::chrono::seconds>(d); }

ScheduleSpec normalized(ScheduleSpec s) {
  for (auto& i : s.intervals) {
    i.every = whole_seconds(i.every);
    i.offset = whole_seconds(i.offset);
  }
  auto fix = [](std::vector<ScheduleCalendarSpec>& cals) {
    for (auto& c : cals) {
      for (auto* rs : {&c.second, &c.minute, &c.hour, &c.day_of_month, &c.month, &c.year, &c.day_of_week}) {
        for (auto& r : *rs) {
          if (r.end < r.start) r.end = r.start;
          if (r.step == 0) r.step = 1;
        }
      }
    }
  };
  fix(s.calendars);
  fix(s.skip);
  if (!s.jitter) s.jitter = milliseconds(0);
  return s;
}

bool same_spec(const ScheduleSpec& sent, const ScheduleSpec& other) { return normalized(sent) == normalized(other); }

bool same_retry_policy(const std::optional<RetryPolicy>& sent, const std::optional<RetryPolicy>& other) {
  if (!sent) return true;
  if (!other) return false;
  return sent->initial_interval == other->initial_interval && sent->backoff_coefficient == other->backoff_coefficient &&
         lenient_eq(sent->maximum_interval, other->maximum_interval) &&
         sent->maximum_attempts == other->maximum_attempts &&
         sent->non_retryable_error_types == other->non_retryable_error_types;
}

bool same_action(const ScheduleActionStartWorkflow& sent, const ScheduleActionStartWorkflow& other) {
  const WorkflowOptions& a = sent.options;
  const WorkflowOptions& b = other.options;
  return sent.workflow_type == other.workflow_type && sent.args == other.args && a.task_queue == b.task_queue &&
         a.workflow_id == b.workflow_id && lenient_eq(a.workflow_execution_timeout, b.workflow_execution_timeout) &&
         lenient_eq(a.workflow_run_timeout, b.workflow_run_timeout) &&
         lenient_eq(a.workflow_task_timeout, b.workflow_task_timeout) && same_retry_policy(a.retry_policy, b.retry_policy) &&
         a.memo == b.memo && a.search_attributes == b.search_attributes && a.headers == b.headers &&
         a.static_summary == b.static_summary && a.static_details == b.static_details;
}

bool same_policies(const SchedulePolicies& sent, const SchedulePolicies& other) {
  return (sent.overlap == ScheduleOverlapPolicy::kUnspecified || sent.overlap == other.overlap) &&
         lenient_eq(sent.catchup_window, other.catchup_window) && sent.pause_on_failure == other.pause_on_failure;
}

// remaining_actions is left out: the schedule counts it down by itself.
bool same_state(const ScheduleState& sent, const ScheduleState& other) {
  return sent.note == other.note && sent.paused == other.paused && sent.limited_actions == other.limited_actions;
}

// The parts of `sent` that differ from `base` but not (yet) from `after`: empty means applied.
std::vector<std::string> missing_changes(const Schedule& sent, const Schedule& base, const Schedule& after) {
  std::vector<std::string> missing;
  if (sent.spec.cron_strings.empty() && !same_spec(sent.spec, base.spec) && !same_spec(sent.spec, after.spec)) {
    missing.push_back("spec");
  }
  if (!same_action(sent.action, base.action) && !same_action(sent.action, after.action)) missing.push_back("action");
  if (!same_policies(sent.policies, base.policies) && !same_policies(sent.policies, after.policies)) {
    missing.push_back("policies");
  }
  if (!same_state(sent.state, base.state) && !same_state(sent.state, after.state)) missing.push_back("state");
  return missing;
}

bool changes_anything(const Schedule& sent, const Schedule& base) {
  return (sent.spec.cron_strings.empty() && !same_spec(sent.spec, base.spec)) || !same_action(sent.action, base.action) ||
         !same_policies(sent.policies, base.policies) || !same_state(sent.state, base.state);
}

// ---------------------------------------------------------------------------------------------
// Calls

Task<ScheduleHandle> create_impl(Client client, std::string id, ScheduleOptions o) {
  detail::validate_identifier(id, "schedule_id", true);
  Schedule s{o.spec, o.action, o.policies, o.state};
  validate_schedule(s);
  validate_backfills(o.backfills, "backfills");
  detail::validate_search_attributes(o.search_attributes, "search_attributes");
  if (spec_is_empty(o.spec) && !o.trigger_immediately && o.backfills.empty()) {
    throw InvalidArgumentError("spec",
                               "spec names no time: add spec.intervals, spec.calendars or spec.cron_strings (or set "
                               "trigger_immediately / backfills for a schedule that is only triggered by hand)");
  }
  CorePtr core = client.core();
  ws::CreateScheduleRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_schedule_id(id);
  encode_schedule(*core, s, req.mutable_schedule());
  if (o.trigger_immediately) req.mutable_initial_patch()->mutable_trigger_immediately()->set_overlap_policy(to_proto(o.policies.overlap));
  for (const auto& b : o.backfills) {
    auto* p = req.mutable_initial_patch()->add_backfill_request();
    converter::to_proto_time(b.start_at, p->mutable_start_time());
    converter::to_proto_time(b.end_at, p->mutable_end_time());
    p->set_overlap_policy(to_proto(b.overlap));
  }
  req.set_identity(core->identity);
  // One id for this call: the rpc layer resends the same request on retries.
  req.set_request_id(temporal::detail::uuid4());
  if (!o.memo.empty()) converter::encode_memo(core->data_converter, o.memo, req.mutable_memo());
  if (!o.search_attributes.empty()) converter::encode_search_attributes(o.search_attributes, req.mutable_search_attributes());
  auto opts = core->rpc_options();
  auto r = co_await rpc::CreateSchedule(core->channel(), std::move(req), std::move(opts));
  if (!r.ok()) throw_schedule_status(*core, r.status, "create schedule", id, &o.spec);
  co_return ScheduleHandle(client, id);
}

Task<ScheduleDescription> describe_impl(CorePtr core, std::string id, ClientCore::Deadline deadline) {
  ws::DescribeScheduleRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_schedule_id(id);
  auto opts = core->rpc_options({}, deadline);
  auto r = co_await rpc::DescribeSchedule(core->channel(), std::move(req), std::move(opts));
  if (!r.ok()) throw_schedule_status(*core, r.status, "describe schedule", id);
  co_return decode_description(*core, id, r.value);
}

Task<void> send_update(CorePtr core, std::string id, ScheduleUpdate u, ScheduleDescription base,
                       ClientCore::Deadline call_deadline) {
  validate_schedule(u.schedule);
  if (u.search_attributes) detail::validate_search_attributes(*u.search_attributes, "search_attributes");
  ws::UpdateScheduleRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_schedule_id(id);
  encode_schedule(*core, u.schedule, req.mutable_schedule());
  req.set_conflict_token(base.conflict_token);
  req.set_identity(core->identity);
  req.set_request_id(temporal::detail::uuid4());
  // An engaged but empty optional clears them, as the API defines.
  if (u.search_attributes) converter::encode_search_attributes(*u.search_attributes, req.mutable_search_attributes());
  if (u.memo) converter::encode_memo(core->data_converter, *u.memo, req.mutable_memo());
  // Compare what the server will hold with what was sent, decoded the same way.
  const Schedule sent = decode_schedule(*core, req.schedule());
  auto opts = core->rpc_options({}, call_deadline);
  auto r = co_await rpc::UpdateSchedule(core->channel(), std::move(req), std::move(opts));
  if (!r.ok()) {
    const auto& s = r.status;
    if ((s.code == grpc::StatusCode::FAILED_PRECONDITION || s.code == grpc::StatusCode::ABORTED) &&
        contains(s.message, "onflict")) {
      throw ScheduleConflictError(id, static_cast<int>(s.code),
                                  "update schedule '" + id + "' failed: it changed since it was described (" +
                                      s.message + "); describe it again and retry",
                                  s.message);
    }
    throw_schedule_status(*core, s, "update schedule", id, &u.schedule.spec);
  }
  if (!changes_anything(sent, base.schedule)) co_return;

  // The server applies the update asynchronously; wait until the conflict token moves on (10 s at
  // most, less if the call's deadline is nearer).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  if (call_deadline && *call_deadline < deadline) deadline = *call_deadline;
  for (;;) {
    ScheduleDescription after = co_await describe_impl(core, id, call_deadline);
    if (after.conflict_token != base.conflict_token) {
      auto missing = missing_changes(sent, base.schedule, after.schedule);
      if (missing.empty()) co_return;
      std::string parts;
      for (const auto& m : missing) parts += (parts.empty() ? "" : ", ") + m;
      throw ScheduleConflictError(id, static_cast<int>(grpc::StatusCode::ABORTED),
                                  "update schedule '" + id +
                                      "' was not applied: the schedule changed after it was described, so the "
                                      "server dropped the update (" + parts +
                                      " not as sent); describe it again and retry");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw DeadlineExceededError("update schedule '" + id +
                                  "' was sent but the schedule did not apply it within 10 s; describe it to check");
    }
    auto cancellation = core->call_options.cancellation;
    if (cancellation && cancellation->cancelled()) {
      throw CallCancelledError("update schedule '" + id + "' was cancelled while it waited for the server to apply it");
    }
    async_detail::SleepFor pause{milliseconds(100)};
    co_await pause;
  }
}

Task<void> update_fn_impl(CorePtr core, std::string id,
                          std::function<std::optional<ScheduleUpdate>(const ScheduleDescription&)> fn) {
  if (!fn) throw InvalidArgumentError("fn", "update() needs a function");
  const ClientCore::Deadline deadline = core->call_deadline();
  ScheduleDescription base = co_await describe_impl(core, id, deadline);
  std::optional<ScheduleUpdate> u = fn(base);
  if (!u) co_return;
  co_await send_update(core, id, std::move(*u), std::move(base), deadline);
}

Task<void> update_token_impl(CorePtr core, std::string id, ScheduleUpdate u, std::string token) {
  validate_schedule(u.schedule);
  const ClientCore::Deadline deadline = core->call_deadline();
  ScheduleDescription base = co_await describe_impl(core, id, deadline);
  if (base.conflict_token != token) {
    throw ScheduleConflictError(id, static_cast<int>(grpc::StatusCode::ABORTED),
                                "update schedule '" + id +
                                    "' not sent: the schedule changed since the describe its conflict token came "
                                    "from; describe it again and retry");
  }
  co_await send_update(core, id, std::move(u), std::move(base), deadline);
}

Task<void> patch_impl(CorePtr core, std::string id, apisched::SchedulePatch patch, std::string operation) {
  ws::PatchScheduleRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_schedule_id(id);
  *req.mutable_patch() = std::move(patch);
  req.set_identity(core->identity);
  req.set_request_id(temporal::detail::uuid4());
  auto opts = core->rpc_options();
  auto r = co_await rpc::PatchSchedule(core->channel(), std::move(req), std::move(opts));
  if (!r.ok()) throw_schedule_status(*core, r.status, operation, id);
}

Task<void> delete_impl(CorePtr core, std::string id) {
  ws::DeleteScheduleRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_schedule_id(id);
  req.set_identity(core->identity);
  auto opts = core->rpc_options();
  auto r = co_await rpc::DeleteSchedule(core->channel(), std::move(req), std::move(opts));
  if (!r.ok()) throw_schedule_status(*core, r.status, "delete schedule", id);
}

Task<ScheduleListPage> list_impl(CorePtr core, std::string query, std::string token, int page_size) {
  ws::ListSchedulesRequest req;
  req.set_namespace_(core->namespace_name);
  req.set_query(query);
  req.set_next_page_token(token);
  req.set_maximum_page_size(page_size);
  auto opts = core->rpc_options();
  auto r = co_await rpc::ListSchedules(core->channel(), std::move(req), std::move(opts));
  auto resp = rpc::value_or_throw(std::move(r), core->error_context("list schedules"));
  ScheduleListPage page;
  for (const auto& e : resp.schedules()) {
    ScheduleListEntry entry;
    entry.id = e.schedule_id();
    entry.spec = decode_spec(e.info().spec());
    entry.workflow_type = e.info().workflow_type().name();
    entry.note = e.info().notes();
    entry.paused = e.info().paused();
    for (const auto& a : e.info().recent_actions()) entry.recent_actions.push_back(decode_action_result(a));
    for (const auto& t : e.info().future_action_times()) entry.next_action_times.push_back(converter::from_proto_time(t));
    entry.memo = decode_schedule_memo(*core, e.memo());
    entry.search_attributes = converter::decode_search_attributes(e.search_attributes());
    page.schedules.push_back(std::move(entry));
  }
  page.next_page_token = resp.next_page_token();
  co_return page;
}

Task<void> backfill_impl(CorePtr core, std::string id, std::vector<ScheduleBackfill> backfills) {
  if (backfills.empty()) throw InvalidArgumentError("backfills", "backfill() needs at least one time range");
  validate_backfills(backfills, "backfills");
  apisched::SchedulePatch p;
  for (const auto& b : backfills) {
    auto* r = p.add_backfill_request();
    converter::to_proto_time(b.start_at, r->mutable_start_time());
    converter::to_proto_time(b.end_at, r->mutable_end_time());
    r->set_overlap_policy(to_proto(b.overlap));
  }
  co_await patch_impl(core, id, std::move(p), "backfill schedule");
}

apisched::SchedulePatch pause_patch(bool pause, std::string note) {
  apisched::SchedulePatch p;
  // The server reads a non-empty string as the request.
  if (note.empty()) note = pause ? "Paused via C++ SDK" : "Unpaused via C++ SDK";
  if (pause) {
    p.set_pause(std::move(note));
  } else {
    p.set_unpause(std::move(note));
  }
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public members

ScheduleClient Client::schedule() const { return ScheduleClient(*this); }

Task<ScheduleHandle> ScheduleClient::create_schedule(std::string schedule_id, ScheduleOptions options) const {
  return create_impl(client_, std::move(schedule_id), std::move(options));
}

Task<ScheduleListPage> ScheduleClient::list_page(std::string query, std::string page_token, int page_size) const {
  return list_impl(client_.core(), std::move(query), std::move(page_token), page_size);
}

Task<ScheduleListPage> ScheduleClient::list_page() const { return list_impl(client_.core(), {}, {}, 0); }

ScheduleListRange ScheduleClient::list() const { return ScheduleListRange(*this, {}, 0); }

ScheduleListRange ScheduleClient::list(std::string query, int page_size) const {
  return ScheduleListRange(*this, std::move(query), page_size);
}

Task<ScheduleDescription> ScheduleHandle::describe() const {
  return describe_impl(client_.core(), id_, client_.core()->call_deadline());
}

Task<void> ScheduleHandle::update_with(std::function<std::optional<ScheduleUpdate>(const ScheduleDescription&)> fn) const {
  return update_fn_impl(client_.core(), id_, std::move(fn));
}

Task<void> ScheduleHandle::update_if(ScheduleUpdate update, std::string conflict_token) const {
  return update_token_impl(client_.core(), id_, std::move(update), std::move(conflict_token));
}

Task<void> ScheduleHandle::pause() const { return pause(std::string()); }

Task<void> ScheduleHandle::pause(std::string note) const {
  return patch_impl(client_.core(), id_, pause_patch(true, std::move(note)), "pause schedule");
}

Task<void> ScheduleHandle::unpause() const { return unpause(std::string()); }

Task<void> ScheduleHandle::unpause(std::string note) const {
  return patch_impl(client_.core(), id_, pause_patch(false, std::move(note)), "unpause schedule");
}

Task<void> ScheduleHandle::trigger() const { return trigger(ScheduleOverlapPolicy::kUnspecified); }

Task<void> ScheduleHandle::trigger(ScheduleOverlapPolicy overlap) const {
  detail::validate_enum(overlap, 0, 6, "overlap", "ScheduleOverlapPolicy");
  apisched::SchedulePatch p;
  p.mutable_trigger_immediately()->set_overlap_policy(to_proto(overlap));
  return patch_impl(client_.core(), id_, std::move(p), "trigger schedule");
}

Task<void> ScheduleHandle::backfill(std::vector<ScheduleBackfill> backfills) const {
  return backfill_impl(client_.core(), id_, std::move(backfills));
}

Task<void> ScheduleHandle::delete_schedule() const { return delete_impl(client_.core(), id_); }

ScheduleListRange::ScheduleListRange(ScheduleClient client, std::string query, int page_size)
    : client_(std::make_shared<ScheduleClient>(std::move(client))), query_(std::move(query)), page_size_(page_size) {}

ScheduleListRange::iterator ScheduleListRange::begin() {
  if (!started_) {
    started_ = true;
    fetch();
  }
  return iterator(this);
}

void ScheduleListRange::fetch() {
  // Skip empty pages that still carry a token (the server may return those).
  std::string token = page_.next_page_token;
  do {
    page_ = client_->list_page(query_, token, page_size_).get();
    index_ = 0;
    token = page_.next_page_token;
    done_ = token.empty();
  } while (page_.schedules.empty() && !done_);
}

void ScheduleListRange::advance() {
  ++index_;
  if (index_ >= page_.schedules.size() && !done_) fetch();
}

}  // namespace temporal::client
