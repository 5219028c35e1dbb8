// WorkflowClient and WorkflowHandle: start workflows, and signal, query, update, cancel,
// terminate, describe and await them. All are cheap copyable handles and thread-safe.
//
// Every network call returns a Task: co_await it in a coroutine, or call .get() to block.
// (GCC 12: inside a coroutine, build option structs in a named variable before the co_await
// expression; GCC 12 destroys braced temporaries inside co_await expressions twice.)
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "temporal/async/task.h"
#include "temporal/client/client.h"
#include "temporal/common/errors.h"
#include "temporal/common/retry_policy.h"
#include "temporal/common/search_attributes.h"
#include "temporal/converter/data_converter.h"

namespace temporal::client {

using Memo = std::map<std::string, converter::Payload>;
using Headers = std::map<std::string, converter::Payload>;
using Time = std::chrono::system_clock::time_point;

/// What to do when a closed workflow with the same id exists (wire enum WorkflowIdReusePolicy).
enum class WorkflowIdReusePolicy {
  kUnspecified = 0,
  kAllowDuplicate = 1,
  kAllowDuplicateFailedOnly = 2,
  kRejectDuplicate = 3,
  kTerminateIfRunning = 4,  ///< deprecated by the server; prefer WorkflowIdConflictPolicy::kTerminateExisting
};

/// What to do when a running workflow with the same id exists (wire enum WorkflowIdConflictPolicy).
enum class WorkflowIdConflictPolicy { kUnspecified = 0, kFail = 1, kUseExisting = 2, kTerminateExisting = 3 };

/// Task priority (Temporal 1.27+): lower key runs first; 0 means the server default.
struct Priority {
  int priority_key = 0;
  std::string fairness_key{};
  float fairness_weight = 0;
};

/// How to start a workflow. `task_queue` is required; everything else has a default.
struct WorkflowOptions {
  std::string task_queue{};
  /// Business id; empty means a random UUID (read it from the handle).
  std::string workflow_id{};
  std::optional<std::chrono::milliseconds> workflow_execution_timeout{};
  std::optional<std::chrono::milliseconds> workflow_run_timeout{};
  std::optional<std::chrono::milliseconds> workflow_task_timeout{};
  WorkflowIdReusePolicy id_reuse_policy = WorkflowIdReusePolicy::kUnspecified;
  WorkflowIdConflictPolicy id_conflict_policy = WorkflowIdConflictPolicy::kUnspecified;
  std::optional<RetryPolicy> retry_policy{};
  /// Cron schedule ("*/5 * * * *"); schedules are the modern alternative.
  std::string cron_schedule{};
  Memo memo{};
  SearchAttributes search_attributes{};
  /// Temporal headers delivered to the workflow (interceptors may add more).
  Headers headers{};
  std::optional<std::chrono::milliseconds> start_delay{};
  /// Shown in the UI; plain text / markdown.
  std::string static_summary{};
  std::string static_details{};
  std::optional<Priority> priority{};
  /// Ask the server to hand the first workflow task to a local worker (eager start).
  bool request_eager_start = false;
};

/// Workflow execution status (wire enum WorkflowExecutionStatus).
enum class WorkflowExecutionStatus {
  kUnspecified = 0,
  kRunning = 1,
  kCompleted = 2,
  kFailed = 3,
  kCanceled = 4,
  kTerminated = 5,
  kContinuedAsNew = 6,
  kTimedOut = 7,
};
const char* to_string(WorkflowExecutionStatus status);

struct WorkflowExecution {
  std::string workflow_id{};
  std::string run_id{};
};

/// One row of list() and the core of describe().
struct WorkflowExecutionInfo {
  std::string workflow_id;
  std::string run_id;
  std::string workflow_type;
  std::string task_queue;
  WorkflowExecutionStatus status = WorkflowExecutionStatus::kUnspecified;
  Time start_time;
  std::optional<Time> close_time;
  std::optional<Time> execution_time;
  int64_t history_length = 0;
  int64_t history_size_bytes = 0;
  Memo memo;  ///< decoded by the codec chain
  SearchAttributes search_attributes;
  std::optional<WorkflowExecution> parent;
  std::optional<WorkflowExecution> root;
  std::string first_run_id;
};

/// describe(): the info plus the raw response (serialized DescribeWorkflowExecutionResponse).
struct WorkflowExecutionDescription : WorkflowExecutionInfo {
  std::string static_summary;
  std::string static_details;
  std::string raw_response;
};

/// A workflow's event history (temporal.api.history.v1.History).
struct WorkflowHistory {
  std::string workflow_id;
  /// Serialized temporal.api.history.v1.History: every event, all pages joined.
  std::string serialized;
  struct Event {
    int64_t event_id = 0;
    std::string event_type;  ///< e.g. "EVENT_TYPE_WORKFLOW_EXECUTION_STARTED"
    Time event_time;
  };
  std::vector<Event> events;
  /// The history as JSON, in the format `temporal workflow show --output json` writes.
  std::string to_json() const;
};

/// Query reject condition (wire enum QueryRejectCondition).
enum class QueryRejectCondition { kUnspecified = 0, kNone = 1, kNotOpen = 2, kNotCompletedCleanly = 3 };

struct ResultOptions {
  /// Follow continue-as-new, retry and cron runs to the final result (default), or stop at this run.
  bool follow_runs = true;
  /// Give up waiting after this long with DeadlineExceededError; the workflow keeps running. The
  /// client's CallOptions::timeout also bounds the wait; the earlier of the two wins. Without
  /// either, result() waits until the workflow closes, across server restarts and outages (end it
  /// with a CancellationToken or Connection::close()).
  std::optional<std::chrono::milliseconds> timeout{};
};

/// Update lifecycle stage to wait for before start_update returns.
enum class WorkflowUpdateStage { kAdmitted = 1, kAccepted = 2, kCompleted = 3 };

struct UpdateOptions {
  /// Idempotency key; empty means a random UUID.
  std::string update_id{};
  WorkflowUpdateStage wait_for_stage = WorkflowUpdateStage::kAccepted;
  Headers headers{};
};

class WorkflowClient;

/// An update that was sent: await its outcome with result().
class WorkflowUpdateHandle {
 public:
  WorkflowUpdateHandle(Client client, std::string workflow_id, std::string run_id, std::string update_id,
                       std::optional<converter::Payload> known_outcome = std::nullopt,
                       std::shared_ptr<const FailureError> known_failure = nullptr);
  const std::string& update_id() const { return update_id_; }
  const std::string& workflow_id() const { return workflow_id_; }
  const std::string& run_id() const { return run_id_; }

  /// The update's result payload (long-polls until the update completes, within the client's
  /// CallOptions::timeout if set). Throws WorkflowUpdateFailedError if the validator rejected it or
  /// the handler failed, WorkflowUpdateNotFoundError for an unknown update id, DeadlineExceededError
  /// (saying whether a worker had accepted it) at the deadline.
  Task<converter::Payload> result_payload() const;
  template <class R = nlohmann::json>
  Task<R> result() const {
    return decode_after<R>(result_payload());
  }

 private:
  template <class R>
  static Task<R> decode_after(Task<converter::Payload> t) {
    converter::Payload p = co_await std::move(t);
    if constexpr (std::is_void_v<R>) {
      co_return;
    } else {
      co_return converter::from_payload<R>(p);
    }
  }
  Client client_;
  std::string workflow_id_;
  std::string run_id_;
  std::string update_id_;
  std::optional<converter::Payload> known_outcome_;
  std::shared_ptr<const FailureError> known_failure_;
};

/// One workflow execution (or chain of runs) by id. Copyable; holds no server resources.
class WorkflowHandle {
 public:
  WorkflowHandle(Client client, std::string workflow_id, std::string run_id = {}, std::string first_execution_run_id = {},
                 std::string result_run_id = {});

  const Client& client() const { return client_; }
  /// This handle with the client's call options layered with `options`: a deadline and a
  /// cancellation token for its calls, result() and update results included.
  WorkflowHandle with_call_options(CallOptions options) const {
    return WorkflowHandle(client_.with_call_options(std::move(options)), workflow_id_, run_id_, first_execution_run_id_,
                          result_run_id_);
  }
  const std::string& workflow_id() const { return workflow_id_; }
  /// The run this handle was created for, or the run start() started ("" for a handle by workflow
  /// id only). A handle from start() still signals, queries and describes the latest run.
  const std::string& run_id() const { return run_id_.empty() ? result_run_id_ : run_id_; }
  /// The first run of the chain started by start(); cancel and terminate stay within it.
  const std::string& first_execution_run_id() const { return first_execution_run_id_; }

  /// The final result's payload (long poll). Throws WorkflowFailedError (cause: ApplicationFailure,
  /// CanceledFailure, TerminatedFailure, TimeoutFailure...), WorkflowContinuedAsNewError when not
  /// following runs, WorkflowNotFoundError, DeadlineExceededError on options.timeout.
  Task<converter::Payload> result_payload(ResultOptions options = ResultOptions()) const;
  /// The result decoded as R (R = void ignores it).
  template <class R = nlohmann::json>
  Task<R> result(ResultOptions options = ResultOptions()) const {
    return decode_result<R>(result_payload(options));
  }
  /// The result if the workflow has already closed, else nullopt; never waits.
  Task<std::optional<converter::Payload>> try_result_payload() const;
  template <class R = nlohmann::json>
  Task<std::optional<R>> try_result() const {
    return decode_optional<R>(try_result_payload());
  }

  Task<void> signal_payloads(std::string signal_name, converter::Payloads args) const;
  template <class... Args>
  CheckedTask<void, Args...> signal(std::string signal_name, Args&&... args) const {
    return signal_payloads(std::move(signal_name), converter::to_payloads(args...));
  }

  Task<converter::Payload> query_payloads(std::string query_type, converter::Payloads args,
                                          QueryRejectCondition reject_condition = QueryRejectCondition::kUnspecified) const;
  /// Runs a query handler. Throws QueryFailedError (unknown query or failing handler) or
  /// QueryRejectedError (reject condition met).
  template <class R = nlohmann::json, class... Args>
  CheckedTask<R, Args...> query(std::string query_type, Args&&... args) const {
    return decode_result<R>(query_payloads(std::move(query_type), converter::to_payloads(args...)));
  }
  template <class R = nlohmann::json, class... Args>
  CheckedTask<R, Args...> query_with_reject(QueryRejectCondition condition, std::string query_type, Args&&... args) const {
    return decode_result<R>(query_payloads(std::move(query_type), converter::to_payloads(args...), condition));
  }

  Task<WorkflowUpdateHandle> start_update_payloads(std::string update_name, converter::Payloads args,
                                                   UpdateOptions options) const;
  template <class O = UpdateOptions, class... Args, class = async_detail::Is<O, UpdateOptions>>
  CheckedTask<WorkflowUpdateHandle, O, Args...> start_update(std::string update_name, O&& options, Args&&... args) const {
    return start_update_payloads(std::move(update_name), converter::to_payloads(args...), std::forward<O>(options));
  }
  /// Sends an update and waits for its result. With no worker, this waits until the client's
  /// CallOptions::timeout (DeadlineExceededError) or its cancellation; without either, until a worker
  /// handles the update.
  template <class R = nlohmann::json, class... Args>
  CheckedTask<R, Args...> execute_update(std::string update_name, Args&&... args) const {
    UpdateOptions options;
    options.wait_for_stage = WorkflowUpdateStage::kCompleted;
    return update_result<R>(start_update_payloads(std::move(update_name), converter::to_payloads(args...), options));
  }
  /// A handle to an update already sent (by id), e.g. from another process.
  WorkflowUpdateHandle get_update_handle(std::string update_id) const;

  /// Requests cancellation; the workflow decides how to react.
  Task<void> cancel(std::string reason = {}) const;
  /// Ends the workflow at once; its code gets no chance to react. Each detail is encoded into its
  /// own payload; result() then throws WorkflowFailedError whose cause is a TerminatedFailure with
  /// the reason as message() and these details (`cause_as<TerminatedFailure>()->details<T...>()`).
  template <class... Details>
  CheckedTask<void, Details...> terminate(std::string reason = {}, Details&&... details) const {
    return terminate_payloads(std::move(reason), converter::to_payloads(details...));
  }
  Task<void> terminate_payloads(std::string reason, converter::Payloads details) const;
  Task<WorkflowExecutionDescription> describe() const;
  /// Every event of the run, all pages fetched.
  Task<WorkflowHistory> fetch_history() const;

 private:
  template <class R>
  static Task<R> decode_result(Task<converter::Payload> t) {
    converter::Payload p = co_await std::move(t);
    if constexpr (std::is_void_v<R>) {
      co_return;
    } else {
      co_return converter::from_payload<R>(p);
    }
  }
  template <class R>
  static Task<std::optional<R>> decode_optional(Task<std::optional<converter::Payload>> t) {
    auto p = co_await std::move(t);
    if (!p) co_return std::nullopt;
    co_return converter::from_payload<R>(*p);
  }
  template <class R>
  static Task<R> update_result(Task<WorkflowUpdateHandle> t) {
    WorkflowUpdateHandle h = co_await std::move(t);
    co_return co_await h.result<R>();
  }

  Client client_;
  std::string workflow_id_;
  std::string run_id_;
  std::string first_execution_run_id_;
  std::string result_run_id_;
};

/// signal_with_start: the signal sent with the start, built like signal()'s arguments:
/// `SignalWithStart::of("add", std::string("item"), 3)`. A plain value.
class SignalWithStart {
 public:
  /// The signal `name` with each argument encoded into its own payload.
  template <class... Args>
  static SignalWithStart of(std::string name, const Args&... args) {
    return of_payloads(std::move(name), converter::to_payloads(args...));
  }
  /// The signal with arguments already encoded.
  static SignalWithStart of_payloads(std::string name, converter::Payloads args) {
    SignalWithStart s;
    s.name_ = std::move(name);
    s.args_ = std::move(args);
    return s;
  }
  const std::string& signal_name() const { return name_; }
  const converter::Payloads& signal_args() const { return args_; }

 private:
  SignalWithStart() = default;
  std::string name_;
  converter::Payloads args_;
};

/// One page of list().
struct WorkflowExecutionPage {
  std::vector<WorkflowExecutionInfo> executions;
  std::string next_page_token;  ///< empty on the last page
};

/// count(): the total, and per-group counts for GROUP BY queries.
struct WorkflowExecutionCount {
  int64_t count = 0;
  struct Group {
    std::vector<nlohmann::json> values;
    int64_t count = 0;
  };
  std::vector<Group> groups;
};

/// A lazily paginated input range over list() results: pages are fetched while iterating
/// (blocking). In coroutines, use list_page().
class WorkflowExecutionRange {
 public:
  class iterator {
   public:
    using value_type = WorkflowExecutionInfo;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(WorkflowExecutionRange* r) : range_(r) {}
    const WorkflowExecutionInfo& operator*() const { return range_->page_.executions[range_->index_]; }
    const WorkflowExecutionInfo* operator->() const { return &**this; }
    iterator& operator++() {
      range_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return range_ == nullptr || range_->at_end(); }

   private:
    WorkflowExecutionRange* range_ = nullptr;
  };
  WorkflowExecutionRange(WorkflowClient client, std::string query, int page_size);
  iterator begin();
  std::default_sentinel_t end() { return {}; }

 private:
  friend class iterator;
  void fetch();
  void advance();
  bool at_end() const { return index_ >= page_.executions.size() && done_; }
  std::shared_ptr<WorkflowClient> client_;
  std::string query_;
  int page_size_;
  WorkflowExecutionPage page_;
  size_t index_ = 0;
  bool started_ = false;
  bool done_ = false;
};

class WorkflowClient {
 public:
  explicit WorkflowClient(Client client) : client_(std::move(client)) {}
  const Client& client() const { return client_; }

  /// Starts a workflow by type name. Throws InvalidArgumentError (before any RPC) for invalid
  /// options, WorkflowAlreadyStartedError when the id is taken.
  ///
  /// The options and arguments of this and the calls below are forwarding references only so that
  /// GCC 12 users are stopped at compile time from awaiting a call given a braced struct or a
  /// capturing lambda as a temporary (see CheckedTask); they are taken as values.
  template <class O = WorkflowOptions, class = async_detail::Is<O, WorkflowOptions>>
  CheckedTask<WorkflowHandle, O> start_payloads(std::string workflow_type, O&& options, converter::Payloads args) const {
    return start_task(std::move(workflow_type), std::forward<O>(options), std::move(args));
  }
  template <class O = WorkflowOptions, class... Args, class = async_detail::Is<O, WorkflowOptions>>
  CheckedTask<WorkflowHandle, O, Args...> start(std::string workflow_type, O&& options, Args&&... args) const {
    return start_task(std::move(workflow_type), std::forward<O>(options), converter::to_payloads(args...));
  }
  /// Starts a workflow and waits for the result of the run it started (following its
  /// continue-as-new/retry/cron successors), as start() then WorkflowHandle::result().
  template <class R = nlohmann::json, class O = WorkflowOptions, class... Args,
            class = async_detail::Is<O, WorkflowOptions>>
  CheckedTask<R, O, Args...> execute(std::string workflow_type, O&& options, Args&&... args) const {
    return execute_impl<R>(start_task(std::move(workflow_type), std::forward<O>(options), converter::to_payloads(args...)),
                           ResultOptions());
  }
  /// execute() waiting as result(result_options) does: `{.timeout = 30s}` gives up with
  /// DeadlineExceededError (the workflow keeps running), `{.follow_runs = false}` stops at the run
  /// it started (WorkflowContinuedAsNewError). The workflow's arguments follow the options.
  template <class R = nlohmann::json, class O = WorkflowOptions, class... Args,
            class = async_detail::Is<O, WorkflowOptions>>
  CheckedTask<R, O, Args...> execute(std::string workflow_type, O&& options, ResultOptions result_options,
                                     Args&&... args) const {
    return execute_impl<R>(start_task(std::move(workflow_type), std::forward<O>(options), converter::to_payloads(args...)),
                           std::move(result_options));
  }

  /// Signals a workflow, starting it first if it is not running.
  template <class O = WorkflowOptions, class = async_detail::Is<O, WorkflowOptions>>
  CheckedTask<WorkflowHandle, O> signal_with_start_payloads(std::string workflow_type, O&& options,
                                                            SignalWithStart signal, converter::Payloads args) const {
    return signal_with_start_task(std::move(workflow_type), std::forward<O>(options), std::move(signal), std::move(args));
  }
  template <class O = WorkflowOptions, class... Args, class = async_detail::Is<O, WorkflowOptions>>
  CheckedTask<WorkflowHandle, O, Args...> signal_with_start(std::string workflow_type, O&& options,
                                                            SignalWithStart signal, Args&&... args) const {
    return signal_with_start_task(std::move(workflow_type), std::forward<O>(options), std::move(signal),
                                  converter::to_payloads(args...));
  }

  /// Starts a workflow (or uses the running one, per id_conflict_policy, which must be set) and
  /// sends it an update in one request.
  template <class O = WorkflowOptions, class U = UpdateOptions, class = async_detail::Is<O, WorkflowOptions>,
            class = async_detail::Is<U, UpdateOptions>>
  CheckedTask<WorkflowUpdateHandle, O, U> start_update_with_start_payloads(std::string workflow_type, O&& options,
                                                                           converter::Payloads workflow_args,
                                                                           std::string update_name,
                                                                           converter::Payloads update_args,
                                                                           U&& update_options) const {
    return update_with_start_task(std::move(workflow_type), std::forward<O>(options), std::move(workflow_args),
                                  std::move(update_name), std::move(update_args), std::forward<U>(update_options));
  }

  /// A handle for an existing workflow (no RPC). Empty run_id means the latest run.
  WorkflowHandle get_handle(std::string workflow_id, std::string run_id = {},
                            std::string first_execution_run_id = {}) const;

  /// One page of a visibility query.
  Task<WorkflowExecutionPage> list_page(std::string query, std::string page_token = {}, int page_size = 0) const;
  /// All matches of a visibility query, fetched page by page while iterating.
  WorkflowExecutionRange list(std::string query = {}, int page_size = 0) const;
  Task<WorkflowExecutionCount> count(std::string query = {}) const;

 private:
  Task<WorkflowHandle> start_task(std::string workflow_type, WorkflowOptions options, converter::Payloads args) const;
  Task<WorkflowHandle> signal_with_start_task(std::string workflow_type, WorkflowOptions options, SignalWithStart signal,
                                              converter::Payloads args) const;
  Task<WorkflowUpdateHandle> update_with_start_task(std::string workflow_type, WorkflowOptions options,
                                                    converter::Payloads workflow_args, std::string update_name,
                                                    converter::Payloads update_args, UpdateOptions update_options) const;
  template <class R>
  static Task<R> execute_impl(Task<WorkflowHandle> t, ResultOptions result_options) {
    WorkflowHandle h = co_await std::move(t);
    co_return co_await h.result<R>(std::move(result_options));
  }
  Client client_;
};

}  // namespace temporal::client
