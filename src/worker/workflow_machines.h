// The engine side of one workflow run: applies history events to the run's command state machines
// (machines/), turns them into jobs, runs one activation of the workflow code per workflow task
// (through `Activate`), and turns the code's commands into machines and protobuf commands.
//
// Not thread-safe: the worker holds the run's lock while it calls in.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "worker/history_splitter.h"
#include "worker/machines/machine.h"

namespace temporal::worker::detail {

class UpdateMachine;

/// What answering a workflow task sends: commands, and protocol messages (updates).
struct TaskOutput {
  std::vector<apicommand::Command> commands;
  std::vector<apiprotocol::Message> messages;
};

class WorkflowMachines final : public MachineHost {
 public:
  /// Runs the workflow code once with the jobs of one workflow task; returns its commands.
  using Activate = std::function<std::vector<workflow::detail::Command>(workflow::detail::Activation)>;

  /// `context.workflow_type` is filled from history. `workflow_id`/`run_id` describe the run.
  WorkflowMachines(MachineContext context, std::string workflow_id, std::string run_id, Activate activate);
  ~WorkflowMachines() override;

  /// Applies `events` (continuing where the last call stopped; events seen before are skipped, a
  /// gap is an error) and runs the code at every workflow task they contain. Tasks before
  /// `current_started_event_id` are replay; `messages` are the current task's protocol messages.
  /// Returns the commands and messages of the current task. Throws NondeterminismError when history
  /// and code disagree.
  TaskOutput apply(const std::vector<const HistoryEvent*>& events, int64_t current_started_event_id,
                   const std::vector<apiprotocol::Message>& messages);

  /// After replaying a history whose last workflow task completed: throws NondeterminismError if
  /// the code issued a command that history does not record.
  void require_all_commands_recorded() const;

  int64_t last_event_id() const { return last_event_id_; }
  /// Workflow tasks the code has run for (failed and timed-out tasks not counted).
  int tasks_run() const { return tasks_run_; }
  /// Live machines (operations not final), for memory accounting and tests.
  size_t machine_count() const { return machines_.size(); }

  // MachineHost
  void queue(Machine* m, apicommand::Command command, std::optional<apiprotocol::Message> message,
             bool recorded) override;
  bool withdraw_unsent(Machine* m) override;
  void route(int64_t event_id, Machine* m) override;
  const MachineContext& context() const override { return context_; }

 private:
  struct Queued {
    apicommand::Command command;
    std::optional<apiprotocol::Message> message;
    Machine* machine;
    bool recorded;      ///< history will show it (false: an update's rejection)
    bool sent = false;  ///< went out (or, on replay, its activation is over)
  };

  void handle_event(const HistoryEvent& e, workflow::detail::Activation& activation);
  void handle_command_event(const HistoryEvent& e, Jobs& jobs);
  void add_update(const apiupdate::Request& request, const std::string& message_id, int64_t sequencing_event_id,
                  bool replaying, Jobs& jobs);
  void apply_command(workflow::detail::Command& c);
  Machine* adopt(std::unique_ptr<Machine> m);
  Machine* by_seq(Seq seq) const;
  /// Marks what the last activation queued as sent; returns it (the current task's answer).
  TaskOutput take_unsent();
  /// Drops machines that are final and have nothing queued.
  void sweep();

  MachineContext context_;
  std::string workflow_id_;
  std::string run_id_;
  Activate activate_;
  std::unordered_map<const Machine*, std::unique_ptr<Machine>> machines_;
  std::unordered_map<Seq, Machine*> by_seq_;
  std::unordered_map<int64_t, Machine*> by_event_;
  std::map<std::string, UpdateMachine*> updates_;
  std::map<std::string, apiupdate::Request> admitted_updates_;  ///< UpdateAdmitted requests, by update id
  std::deque<Queued> queue_;
  int64_t last_event_id_ = 0;
  int tasks_run_ = 0;
};

}  // namespace temporal::worker::detail
