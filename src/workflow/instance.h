// One workflow run in memory: its coroutines, the deterministic scheduler they run on, the
// command state machines and the replay of history events against them.
//
// An Instance is used by one thread at a time (the worker hands a run to one task processor at a
// time). It is not thread-safe.
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
#include <vector>

#include "converter/proto.h"
#include "temporal/api/command/v1/message.pb.h"
#include "temporal/api/history/v1/message.pb.h"
#include "temporal/api/protocol/v1/message.pb.h"
#include "temporal/api/update/v1/message.pb.h"
#include "temporal/worker/worker.h"
#include "temporal/workflow/workflow.h"

namespace temporal::workflow::detail {

namespace apihistory = ::temporal::api::history::v1;
namespace apicommand = ::temporal::api::command::v1;
namespace apiprotocol = ::temporal::api::protocol::v1;
namespace apiupdate = ::temporal::api::update::v1;

/// A suspended awaitable waiting for an event: a timer, an activity, a condition, an external call.
struct Waiter {
  enum class Kind { kTimer, kActivity, kCondition, kSignalExternal, kCancelExternal };
  Kind kind;
  std::coroutine_handle<> handle;
  bool done = false;
  bool detached = false;  ///< in a scope the workflow's cancellation does not reach
  std::optional<converter::Payload> result;
  std::exception_ptr error;
  // kind-specific state
  std::string id;          ///< timer id / activity id
  int64_t event_id = 0;    ///< scheduled / initiated event id once known
  bool command_sent = false;  ///< its command was matched by an event or sent to the server
  std::string activity_type;
  workflow::ActivityCancellationType cancellation_type = workflow::ActivityCancellationType::kTryCancel;
  bool cancel_requested = false;
  std::function<bool()> predicate;
  std::shared_ptr<Waiter> timeout_timer;  ///< for conditions with a timeout
};

/// One outgoing entry, in the order the code produced it: a command, or a protocol message with
/// its PROTOCOL_MESSAGE command.
struct Outgoing {
  apicommand::Command command;
  std::optional<apiprotocol::Message> message;
  std::shared_ptr<Waiter> waiter;  ///< the machine this command belongs to, if any
  bool sent = false;               ///< already returned to the server (awaiting its event)
  int batch = 0;                   ///< the workflow task (run point) that sends it
};

/// What processing a workflow task produced.
struct TaskOutput {
  std::vector<apicommand::Command> commands;
  std::vector<apiprotocol::Message> messages;
};

class Instance {
 public:
  Instance(const worker::WorkflowFactory* factory, const converter::DataConverter* dc, std::string namespace_name,
           std::string task_queue);
  ~Instance();

  /// Applies `events` (continuing where the last call stopped) and runs the code at every
  /// workflow task they contain. `current_started_event_id` is the WorkflowTaskStarted event of the
  /// task being answered. `messages` are the task's protocol messages (updates). Returns the new
  /// commands and messages. Throws NondeterminismError, or whatever the code threw that must fail
  /// the workflow task.
  TaskOutput process(const std::vector<const apihistory::HistoryEvent*>& events, int64_t current_started_event_id,
                     const std::vector<apiprotocol::Message>& messages);

  /// After replaying a history whose last workflow task was completed: throws NondeterminismError
  /// if the code produced a command that the history does not record.
  void require_all_commands_matched() const;

  /// Runs a query handler against the current state (read-only).
  converter::Payload query(const std::string& name, const converter::Payloads& args);

  int64_t last_event_id() const { return last_event_id_; }
  /// Workflow tasks the code has run for (failed and timed-out tasks not counted).
  int tasks_run() const { return batch_; }
  bool completed() const { return completed_; }
  const Info& info() const { return info_; }

  // ---- used by the workflow API (workflow.h) while code runs ----
  /// Queues `h` to resume; `detached` says whether it runs in a scope cancellation does not reach.
  void schedule(std::coroutine_handle<> h, bool detached = false) { ready_.emplace_back(h, detached); }
  void set_execution(std::string workflow_id, std::string run_id) {
    info_.workflow_id = std::move(workflow_id);
    info_.run_id = std::move(run_id);
  }
  std::shared_ptr<Waiter> start_timer(std::chrono::milliseconds d);
  std::shared_ptr<Waiter> start_activity(const std::string& type, const workflow::ActivityOptions& o,
                                         const converter::Payloads& args);
  std::shared_ptr<Waiter> add_condition(std::function<bool()> predicate, std::optional<std::chrono::milliseconds> timeout);
  std::shared_ptr<Waiter> signal_external(const std::string& workflow_id, const std::string& run_id,
                                          const std::string& signal, const converter::Payloads& args);
  std::shared_ptr<Waiter> cancel_external(const std::string& workflow_id, const std::string& run_id);
  void set_signal_handler(std::string name, std::function<void(const converter::Payloads&)> h);
  void set_query_handler(std::string name, std::function<converter::Payload(const converter::Payloads&)> h);
  void set_update_handler(std::string name, UpdateHandler h, UpdateValidator v);
  void require_writable(const char* what) const;
  bool cancel_requested() const { return cancel_requested_; }
  bool replaying() const { return replaying_; }
  std::chrono::system_clock::time_point now() const { return now_; }
  uint64_t next_random() { return rng_(); }
  int detached_depth = 0;
  const converter::DataConverter& data_converter() const { return *dc_; }
  /// Coroutines started by the engine (update handlers, detached scopes) kept alive until done.
  void own(std::shared_ptr<void> keep_alive) { owned_.push_back(std::move(keep_alive)); }

 private:
  void on_event(const apihistory::HistoryEvent& e);
  void match_command_event(const apihistory::HistoryEvent& e);
  void run_code();
  void run_until_blocked();
  void resolve(const std::shared_ptr<Waiter>& w);
  void start_main(const apihistory::HistoryEvent& started);
  void finish_main();
  void cancel_all();
  void cancel_waiter(const std::shared_ptr<Waiter>& w);
  void deliver_signal(const std::string& name, converter::Payloads args);
  void handle_update_request(const apiupdate::Request& req, const std::string& message_id, int64_t sequencing_event_id,
                             bool replay);
  void reject_unhandled_updates();
  void reject_update(const apiupdate::Request& req, const std::string& message_id, int64_t sequencing_event_id,
                     std::exception_ptr error);
  void emit(apicommand::Command c, std::shared_ptr<Waiter> w = nullptr);
  void emit_message(const std::string& update_id, const std::string& suffix, const google::protobuf::Message& body);
  std::string next_seq() { return std::to_string(++seq_); }

  const worker::WorkflowFactory* factory_;
  const converter::DataConverter* dc_;
  Info info_;
  converter::Payloads input_;
  std::optional<Workflow<converter::Payload>> main_;
  bool main_started_ = false;
  bool completed_ = false;
  std::deque<std::pair<std::coroutine_handle<>, bool>> ready_;
  std::vector<std::shared_ptr<Waiter>> conditions_;
  std::map<std::string, std::shared_ptr<Waiter>> timers_;           // by timer id
  std::map<int64_t, std::shared_ptr<Waiter>> activities_;            // by scheduled event id
  std::map<int64_t, std::shared_ptr<Waiter>> externals_;             // by initiated event id
  std::vector<std::shared_ptr<Waiter>> all_waiters_;
  std::deque<Outgoing> pending_;  ///< produced, not yet matched by history (replay) or sent
  std::map<std::string, std::function<void(const converter::Payloads&)>> signal_handlers_;
  std::map<std::string, std::deque<converter::Payloads>> signal_buffer_;
  std::map<std::string, std::function<converter::Payload(const converter::Payloads&)>> query_handlers_;
  struct UpdateEntry {
    UpdateHandler handler;
    UpdateValidator validator;
  };
  std::map<std::string, UpdateEntry> update_handlers_;
  struct BufferedUpdate {
    apiupdate::Request request;
    std::string message_id;
    int64_t sequencing_event_id = 0;
    bool replay = false;
  };
  std::vector<BufferedUpdate> buffered_updates_;  ///< arrived before their handler was registered
  std::vector<std::shared_ptr<void>> owned_;
  std::vector<const apihistory::HistoryEvent*> lookahead_;
  int64_t last_event_id_ = 0;
  int64_t current_started_ = 0;
  bool replaying_ = false;
  int batch_ = 0;        ///< run points processed so far
  bool in_run_ = false;  ///< code of the current run point is executing
  bool read_only_ = false;
  bool tearing_down_ = false;  ///< the destructor is destroying the coroutine frames
  bool cancel_requested_ = false;
  uint64_t seq_ = 0;
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
