// The language side of one workflow run: the deterministic single-threaded scheduler, the run's
// coroutines, its handler registries and the operations it waits for, keyed by sequence number.
//
// It knows nothing of history, protobuf or gRPC: the engine (src/worker/) hands it one Activation
// per workflow task and gets plain commands back (activation.h). Not thread-safe: the engine holds
// the run's lock while it calls in.
#pragma once

#include <coroutine>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "temporal/common/logger.h"
#include "temporal/workflow/definition.h"
#include "temporal/workflow/workflow.h"
#include "workflow/activation.h"

namespace temporal::workflow::detail {

/// An operation the code started and may wait for: a timer, an activity, a signal or cancel request
/// to another workflow, or a condition. Owned by the run until it resolves, then only by the
/// awaitable that reads its outcome.
struct PendingOp {
  enum class Kind { kTimer, kActivity, kExternal, kCondition };
  Kind kind = Kind::kTimer;
  Seq seq = 0;
  std::coroutine_handle<> waiter;
  bool detached = false;  ///< in a scope the workflow's cancellation does not reach
  bool done = false;
  std::optional<converter::Payload> result;
  std::exception_ptr error;
  int activation = 0;  ///< the activation that issued its command (commands go out at its end)
  // activities
  std::string activity_id;
  std::string activity_type;
  ActivityCancellationType cancellation_type = ActivityCancellationType::kTryCancel;
  // conditions
  std::function<bool()> predicate;
  std::shared_ptr<PendingOp> timeout_timer;
};

class Instance {
 public:
  /// `definition` must outlive the instance. `logger` receives wf::log() lines and dropped signals.
  Instance(const WorkflowDefinition* definition, Logger logger);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  /// Applies the jobs in order, runs the code until every coroutine waits, and returns the
  /// commands it produced (a closing command last). Throws what must fail the workflow task: a
  /// NondeterminismError, or an exception of the code that is not a Temporal failure (a bug the
  /// next attempt may not have).
  std::vector<Command> activate(Activation activation);

  /// Runs a query handler against the current state, read-only. Throws if it has no handler.
  converter::Payload query(const std::string& name, const converter::Payloads& args);

  bool completed() const { return completed_; }
  const Info& info() const { return info_; }
  /// Operations started and not yet resolved (timers, activities, external calls, conditions).
  size_t pending_operations() const { return ops_.size() + conditions_.size(); }

  // ---- for the workflow API (workflow.h) while code runs ----
  void schedule(std::coroutine_handle<> h, bool detached = false) { ready_.emplace_back(h, detached); }
  std::shared_ptr<PendingOp> start_timer(std::chrono::milliseconds d);
  std::shared_ptr<PendingOp> start_activity(const std::string& type, const ActivityOptions& o, converter::Payloads args);
  std::shared_ptr<PendingOp> add_condition(std::function<bool()> predicate,
                                           std::optional<std::chrono::milliseconds> timeout);
  std::shared_ptr<PendingOp> signal_external(const std::string& workflow_id, const std::string& run_id,
                                             const std::string& signal, converter::Payloads args);
  std::shared_ptr<PendingOp> cancel_external(const std::string& workflow_id, const std::string& run_id);
  void set_signal_handler(std::string name, std::function<void(const converter::Payloads&)> h);
  void set_query_handler(std::string name, std::function<converter::Payload(const converter::Payloads&)> h);
  void set_update_handler(std::string name, UpdateHandler h, UpdateValidator v);
  void keep_with_run(std::shared_ptr<void> object) { kept_.push_back(std::move(object)); }
  void require_writable(const char* what) const;
  bool cancel_requested() const { return cancel_requested_; }
  bool replaying() const { return replaying_; }
  std::chrono::system_clock::time_point now() const { return now_; }
  uint64_t next_random() { return rng_(); }
  void log(LogLevel level, const std::string& message) const;
  /// Depth of run_detached scopes around the code now running.
  int detached_depth = 0;

 private:
  template <class Handler>
  struct Registered {
    Handler handler;
    bool dynamic = false;  ///< registered by the code as it ran: ends when the main coroutine returns
  };
  struct UpdateEntry {
    UpdateHandler handler;
    UpdateValidator validator;
  };

  void apply(job::Initialize& j);
  void apply(job::FireTimer& j);
  void apply(job::ResolveActivity& j);
  void apply(job::ResolveExternal& j);
  void apply(job::Signal& j);
  void apply(job::Update& j);
  void apply(job::CancelWorkflow& j);
  void run_until_blocked();
  void finish_main();
  void retire_dynamic_handlers();
  void resolve(PendingOp& op);
  /// Resolves the op with `error`; the op leaves the run.
  void fail_op(const std::shared_ptr<PendingOp>& op, std::exception_ptr error);
  std::shared_ptr<PendingOp> take_op(Seq seq);
  void cancel_op(const std::shared_ptr<PendingOp>& op);
  void cancel_all();
  void deliver_signal(const std::string& name, const converter::Payloads& args,
                      const std::function<void(const converter::Payloads&)>& handler);
  void start_update(job::Update& u, const UpdateEntry& entry);
  void reject_unhandled_updates();
  void emit(Command c) { commands_.push_back(std::move(c)); }
  Seq next_seq() { return ++seq_; }
  bool in_cancelled_scope() const { return cancel_requested_ && detached_depth == 0; }

  const WorkflowDefinition* definition_;
  Logger logger_;
  Info info_;
  std::optional<Workflow<converter::Payload>> main_;
  bool completed_ = false;
  std::deque<std::pair<std::coroutine_handle<>, bool>> ready_;
  std::unordered_map<Seq, std::shared_ptr<PendingOp>> ops_;  ///< unresolved, by seq
  std::vector<std::shared_ptr<PendingOp>> conditions_;       ///< unresolved conditions, in creation order
  std::map<std::string, Registered<std::function<void(const converter::Payloads&)>>> signal_handlers_;
  std::map<std::string, std::deque<converter::Payloads>> signal_buffer_;
  std::map<std::string, Registered<std::function<converter::Payload(const converter::Payloads&)>>> query_handlers_;
  std::map<std::string, Registered<UpdateEntry>> update_handlers_;
  std::vector<job::Update> buffered_updates_;  ///< arrived before their handler was registered
  /// Update handler coroutines in flight, by update id (dropped when they finish).
  std::map<std::string, std::unique_ptr<Workflow<void>>> updates_in_flight_;
  std::vector<std::unique_ptr<Workflow<void>>> finished_updates_;
  std::exception_ptr task_failure_;  ///< a handler's bug, rethrown to fail the workflow task
  std::vector<std::shared_ptr<void>> kept_;  ///< objects the definition keeps with the run
  std::vector<Command> commands_;
  int activation_ = 0;
  bool initializing_ = false;  ///< the definition's start is registering its handlers
  bool replaying_ = false;
  bool read_only_ = false;
  bool tearing_down_ = false;
  bool cancel_requested_ = false;
  Seq seq_ = 0;
  std::mt19937_64 rng_;
  std::chrono::system_clock::time_point now_;
};

/// Sets the thread's current instance for the scope's lifetime.
struct CurrentInstanceScope {
  explicit CurrentInstanceScope(Instance* i);
  ~CurrentInstanceScope();
  Instance* previous;
};

}  // namespace temporal::workflow::detail
