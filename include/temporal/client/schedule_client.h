// ScheduleClient and ScheduleHandle: create, describe, update, pause, trigger, backfill, delete
// and list schedules. A schedule starts a workflow at the times its spec names.
//
//   ScheduleOptions o;
//   o.spec.intervals.push_back({.every = std::chrono::hours(1)});
//   o.action = ScheduleActionStartWorkflow::with_args("report", {.task_queue = "q", .workflow_id = "report"});
//   auto handle = client.schedule().create("hourly-report", o).get();
//   handle.pause("maintenance").get();
//
// All types here are cheap copyable values or handles and thread-safe. Every network call
// returns a Task: co_await it in a coroutine or call .get() to block. (GCC 12: inside a coroutine,
// build options in a named variable before the co_await expression.)
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "temporal/async/task.h"
#include "temporal/client/client.h"
#include "temporal/client/workflow_client.h"
#include "temporal/common/errors.h"
#include "temporal/common/search_attributes.h"
#include "temporal/converter/data_converter.h"

namespace temporal::client {

/// What to do when an action is due while the previous one still runs (wire enum
/// ScheduleOverlapPolicy). kUnspecified means the server default, kSkip.
enum class ScheduleOverlapPolicy {
  kUnspecified = 0,
  kSkip = 1,
  kBufferOne = 2,
  kBufferAll = 3,
  kCancelOther = 4,
  kTerminateOther = 5,
  kAllowAll = 6,
};
const char* to_string(ScheduleOverlapPolicy policy);

/// Times matching epoch + n * every + offset. The server truncates both to whole seconds.
struct ScheduleIntervalSpec {
  std::chrono::milliseconds every{0};
  std::chrono::milliseconds offset{0};
  friend bool operator==(const ScheduleIntervalSpec&, const ScheduleIntervalSpec&) = default;
};

/// start..end inclusive, every `step` (wire message Range). end < start means just start; step 0 means 1.
struct ScheduleRange {
  int start = 0;
  int end = 0;
  int step = 0;
  friend bool operator==(const ScheduleRange&, const ScheduleRange&) = default;
};

/// Calendar times (wire message StructuredCalendarSpec): a time matches when every field matches
/// one of its ranges. The defaults mean midnight (second 0, minute 0, hour 0) of every day; an
/// empty `year` means every year. An empty list in any other field matches nothing.
struct ScheduleCalendarSpec {
  std::vector<ScheduleRange> second = {ScheduleRange{0, 0, 0}};         ///< 0-59
  std::vector<ScheduleRange> minute = {ScheduleRange{0, 0, 0}};         ///< 0-59
  std::vector<ScheduleRange> hour = {ScheduleRange{0, 0, 0}};           ///< 0-23
  std::vector<ScheduleRange> day_of_month = {ScheduleRange{1, 31, 0}};  ///< 1-31
  std::vector<ScheduleRange> month = {ScheduleRange{1, 12, 0}};         ///< 1-12
  std::vector<ScheduleRange> year{};                                    ///< empty: every year
  std::vector<ScheduleRange> day_of_week = {ScheduleRange{0, 6, 0}};    ///< 0-6, 0 is Sunday
  std::string comment{};
  friend bool operator==(const ScheduleCalendarSpec&, const ScheduleCalendarSpec&) = default;
};

/// When a schedule acts: the union of `calendars`, `intervals` and `cron_strings`, minus the
/// times matching `skip`, within [start_at, end_at].
struct ScheduleSpec {
  std::vector<ScheduleCalendarSpec> calendars{};
  std::vector<ScheduleIntervalSpec> intervals{};
  /// Cron expressions ("0 12 * * MON-FRI", "@hourly", "@every 10m"). Input only: the server
  /// compiles them into `calendars` (and `intervals`), which is what describe() returns.
  std::vector<std::string> cron_strings{};
  /// Times to leave out (wire field exclude_structured_calendar).
  std::vector<ScheduleCalendarSpec> skip{};
  std::optional<Time> start_at{};
  std::optional<Time> end_at{};
  /// Each action is delayed by a random amount up to this.
  std::optional<std::chrono::milliseconds> jitter{};
  /// IANA time zone of the calendars; empty means UTC.
  std::string time_zone_name{};
  friend bool operator==(const ScheduleSpec&, const ScheduleSpec&) = default;
};

/// The action: start a workflow. `options.workflow_id` is required; the server appends the
/// scheduled time to it ("<id>-2024-05-01T12:00:00Z") for each run. `options.task_queue` is
/// required. id_conflict_policy, cron_schedule, start_delay and request_eager_start do not apply
/// to schedules and must stay unset.
struct ScheduleActionStartWorkflow {
  std::string workflow_type{};
  /// Already-encoded arguments (describe() returns them decoded by the codec chain).
  converter::Payloads args{};
  WorkflowOptions options{};

  template <class... Args>
  static ScheduleActionStartWorkflow with_args(std::string workflow_type, WorkflowOptions options, const Args&... args) {
    return ScheduleActionStartWorkflow{std::move(workflow_type), converter::to_payloads(args...), std::move(options)};
  }
};

struct SchedulePolicies {
  ScheduleOverlapPolicy overlap = ScheduleOverlapPolicy::kUnspecified;
  /// How late an action may still start after the server was unavailable; default one year
  /// (minimum ten seconds).
  std::optional<std::chrono::milliseconds> catchup_window{};
  /// Pause the schedule when a workflow it started fails or times out.
  bool pause_on_failure = false;
};

struct ScheduleState {
  /// Free text shown in the UI and by describe(); pause() and unpause() set it too.
  std::string note{};
  bool paused = false;
  /// When true, only `remaining_actions` more scheduled actions run (manual triggers and
  /// backfills do not count).
  bool limited_actions = false;
  int64_t remaining_actions = 0;
};

/// The four parts of a schedule that update() replaces.
struct Schedule {
  ScheduleSpec spec{};
  ScheduleActionStartWorkflow action{};
  SchedulePolicies policies{};
  ScheduleState state{};
};

/// A past time range to run the actions of as if the schedule had been there (start and end inclusive).
struct ScheduleBackfill {
  Time start_at{};
  Time end_at{};
  ScheduleOverlapPolicy overlap = ScheduleOverlapPolicy::kUnspecified;
};

/// How to create a schedule. `action.workflow_type`, `action.options.task_queue` and
/// `action.options.workflow_id` are required, and the spec must name some time unless the
/// schedule is triggered or backfilled at creation.
struct ScheduleOptions {
  ScheduleSpec spec{};
  ScheduleActionStartWorkflow action{};
  SchedulePolicies policies{};
  ScheduleState state{};
  /// Memo and search attributes of the schedule itself (not of the workflows it starts).
  Memo memo{};
  SearchAttributes search_attributes{};
  /// Run the action once right away.
  bool trigger_immediately = false;
  /// Past ranges to run at creation.
  std::vector<ScheduleBackfill> backfills{};
};

/// One action the schedule took.
struct ScheduleActionResult {
  /// When the spec said to act, and when the action really started.
  Time scheduled_at;
  Time started_at;
  /// The workflow it started (the id carries the appended timestamp).
  WorkflowExecution workflow;
  /// Status of that workflow as the schedule last saw it.
  WorkflowExecutionStatus status = WorkflowExecutionStatus::kUnspecified;
};

/// What the server reports about a schedule's past and future.
struct ScheduleInfo {
  int64_t num_actions = 0;
  int64_t num_actions_missed_catchup_window = 0;
  int64_t num_actions_skipped_overlap = 0;
  int64_t buffer_dropped = 0;
  int64_t buffer_size = 0;
  std::vector<WorkflowExecution> running_workflows;
  /// Most recent last.
  std::vector<ScheduleActionResult> recent_actions;
  std::vector<Time> next_action_times;
  Time created_at;
  std::optional<Time> last_updated_at;
};

/// describe(): the schedule as the server holds it (specs compiled, defaults filled in).
struct ScheduleDescription {
  std::string id;
  Schedule schedule;
  ScheduleInfo info;
  Memo memo;
  SearchAttributes search_attributes;
  /// Opaque version; update() sends it so a concurrent change is detected.
  std::string conflict_token;
  /// Serialized DescribeScheduleResponse.
  std::string raw_response;
};

/// What an update function returns: the new schedule, and optionally new search attributes and
/// memo for the schedule itself (nullopt leaves them as they are).
struct ScheduleUpdate {
  Schedule schedule{};
  std::optional<SearchAttributes> search_attributes{};
  std::optional<Memo> memo{};
};

/// One row of list(): what the visibility store keeps about a schedule.
struct ScheduleListEntry {
  std::string id;
  ScheduleSpec spec;
  std::string workflow_type;
  std::string note;
  bool paused = false;
  std::vector<ScheduleActionResult> recent_actions;
  std::vector<Time> next_action_times;
  Memo memo;
  SearchAttributes search_attributes;
};

struct ScheduleListPage {
  std::vector<ScheduleListEntry> schedules;
  std::string next_page_token;  ///< empty on the last page
};

// --------------------------------------------------------------------------------------------
// Errors

/// Base of the errors about one schedule.
class ScheduleError : public RpcError {
 public:
  ScheduleError(std::string schedule_id, int code, const std::string& what, std::string server_message = {})
      : RpcError(code, what, std::move(server_message)), schedule_id_(std::move(schedule_id)) {}
  const std::string& schedule_id() const { return schedule_id_; }

 private:
  std::string schedule_id_;
};

/// create(): a schedule with that id exists already (gRPC ALREADY_EXISTS).
class ScheduleAlreadyRunningError : public ScheduleError {
 public:
  using ScheduleError::ScheduleError;
};

/// No schedule with that id (gRPC NOT_FOUND); also after delete_schedule().
class ScheduleNotFoundError : public ScheduleError {
 public:
  using ScheduleError::ScheduleError;
};

/// The server rejected the schedule (gRPC INVALID_ARGUMENT), for example a cron string it cannot
/// parse. field() names the part: "spec.cron_strings", "spec.calendars", "spec.intervals",
/// "spec", "action", "policies", or "schedule" when the server's message does not say.
class InvalidScheduleError : public ScheduleError {
 public:
  InvalidScheduleError(std::string schedule_id, std::string field, int code, const std::string& what,
                       std::string server_message = {})
      : ScheduleError(std::move(schedule_id), code, what, std::move(server_message)), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

/// update(): the schedule changed between the describe the update was based on and the update
/// itself, so the update was not applied (the server drops it). Describe again and retry.
class ScheduleConflictError : public ScheduleError {
 public:
  using ScheduleError::ScheduleError;
};

// --------------------------------------------------------------------------------------------

/// One schedule by id. Copyable; holds no server resources.
class ScheduleHandle {
 public:
  ScheduleHandle(Client client, std::string id) : client_(std::move(client)), id_(std::move(id)) {}
  const std::string& id() const { return id_; }

  /// Throws ScheduleNotFoundError.
  Task<ScheduleDescription> describe() const;

  /// Describes the schedule, calls `fn` with the description (on a transport thread: it must not
  /// block), and sends what it returns together with the description's conflict token; nullopt
  /// sends nothing. The server silently drops an update whose token is stale, so update() reads the
  /// schedule back and throws ScheduleConflictError if the changes it sent are not there (a
  /// concurrent change won). Exceptions thrown by `fn` propagate and nothing is sent.
  template <class F, class = std::enable_if_t<std::is_invocable_r_v<std::optional<ScheduleUpdate>, F&, const ScheduleDescription&>>>
  CheckedTask<void, F> update(F&& fn) const {
    return update_with(std::function<std::optional<ScheduleUpdate>(const ScheduleDescription&)>(std::forward<F>(fn)));
  }
  /// Sends `update` only if the schedule's conflict token still equals `conflict_token` (from an
  /// earlier describe()): throws ScheduleConflictError, sending nothing, when it has changed, and
  /// after sending verifies as update(fn) does.
  template <class U = ScheduleUpdate, class = async_detail::Is<U, ScheduleUpdate>>
  CheckedTask<void, U> update(U&& update, std::string conflict_token) const {
    return update_if(std::forward<U>(update), std::move(conflict_token));
  }

  /// Pauses the schedule; the note is shown in describe() (default "Paused via C++ SDK").
  Task<void> pause() const;
  Task<void> pause(std::string note) const;
  Task<void> unpause() const;
  Task<void> unpause(std::string note) const;
  /// Runs the action now. kUnspecified means the schedule's overlap policy.
  Task<void> trigger() const;
  Task<void> trigger(ScheduleOverlapPolicy overlap) const;
  /// Runs the actions the spec names in each past range.
  Task<void> backfill(std::vector<ScheduleBackfill> backfills) const;
  /// Deletes the schedule; workflows it started keep running.
  Task<void> delete_schedule() const;

 private:
  Task<void> update_with(std::function<std::optional<ScheduleUpdate>(const ScheduleDescription&)> fn) const;
  Task<void> update_if(ScheduleUpdate update, std::string conflict_token) const;

  Client client_;
  std::string id_;
};

class ScheduleClient;

/// A lazily paginated input range over list() results: pages are fetched while iterating
/// (blocking). In coroutines, use list_page().
class ScheduleListRange {
 public:
  class iterator {
   public:
    using value_type = ScheduleListEntry;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(ScheduleListRange* r) : range_(r) {}
    const ScheduleListEntry& operator*() const { return range_->page_.schedules[range_->index_]; }
    const ScheduleListEntry* operator->() const { return &**this; }
    iterator& operator++() {
      range_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return range_ == nullptr || range_->at_end(); }

   private:
    ScheduleListRange* range_ = nullptr;
  };
  ScheduleListRange(ScheduleClient client, std::string query, int page_size);
  iterator begin();
  std::default_sentinel_t end() { return {}; }

 private:
  friend class iterator;
  void fetch();
  void advance();
  bool at_end() const { return index_ >= page_.schedules.size() && done_; }
  std::shared_ptr<ScheduleClient> client_;
  std::string query_;
  int page_size_;
  ScheduleListPage page_;
  size_t index_ = 0;
  bool started_ = false;
  bool done_ = false;
};

/// Creates and finds schedules. Cheap to copy; thread-safe.
class ScheduleClient {
 public:
  explicit ScheduleClient(Client client) : client_(std::move(client)) {}
  const Client& client() const { return client_; }

  /// Creates a schedule. Throws InvalidArgumentError (before any RPC) for invalid options,
  /// ScheduleAlreadyRunningError when the id is taken, InvalidScheduleError when the server
  /// rejects the spec (a cron string it cannot parse, say).
  template <class O = ScheduleOptions, class = async_detail::Is<O, ScheduleOptions>>
  CheckedTask<ScheduleHandle, O> create(std::string schedule_id, O&& options) const {
    return create_schedule(std::move(schedule_id), std::forward<O>(options));
  }
  /// A handle for an existing schedule (no RPC).
  ScheduleHandle get_handle(std::string schedule_id) const { return ScheduleHandle(client_, std::move(schedule_id)); }

  /// One page of schedules; `query` filters by search attributes (visibility is eventually consistent).
  Task<ScheduleListPage> list_page(std::string query, std::string page_token, int page_size) const;
  Task<ScheduleListPage> list_page() const;
  /// Every schedule (matching `query`), fetched page by page while iterating.
  ScheduleListRange list() const;
  ScheduleListRange list(std::string query, int page_size = 0) const;

 private:
  Task<ScheduleHandle> create_schedule(std::string schedule_id, ScheduleOptions options) const;

  Client client_;
};

}  // namespace temporal::client
