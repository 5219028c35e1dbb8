// Command state machines: one object per command the workflow code issued (a timer, an activity, a
// signal to another workflow ...), owning that command's protobuf form, its matching against
// history events, its cancellation and its transitions.
//
// WorkflowMachines (workflow_machines.h) keeps the machines' commands in the order the code issued
// them. A command event in history (TimerStarted, ActivityTaskScheduled ...) must record the command
// at the front of that queue: the front command's machine decides (records()); a mismatch is
// non-determinism, described with both sides. Later events that refer to a machine's initial event
// (TimerFired -> its TimerStarted) are routed to it by that event id. A machine produces jobs for
// the workflow code, and is dropped once final, so a long-running cached run does not grow.
//
// To add a command kind (a marker, a child workflow ...): one new Machine subclass, built by
// WorkflowMachines from its plain command (activation.h); no other machine changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "temporal/api/command/v1/message.pb.h"
#include "temporal/api/common/v1/message.pb.h"
#include "temporal/api/history/v1/message.pb.h"
#include "temporal/api/protocol/v1/message.pb.h"
#include "temporal/api/update/v1/message.pb.h"
#include "temporal/converter/data_converter.h"
#include "workflow/activation.h"

namespace temporal::worker::detail {

namespace apicommand = ::temporal::api::command::v1;
namespace apienums = ::temporal::api::enums::v1;
namespace apihistory = ::temporal::api::history::v1;
namespace apiprotocol = ::temporal::api::protocol::v1;
namespace apiupdate = ::temporal::api::update::v1;
using HistoryEvent = apihistory::HistoryEvent;
using Jobs = std::vector<workflow::detail::Job>;
using workflow::detail::Seq;

/// What the run tells its machines.
struct MachineContext {
  const converter::DataConverter* data_converter = nullptr;
  std::string namespace_name;
  std::string task_queue;  ///< the workflow's task queue (the default of activities)
  std::string workflow_type;
  /// The run's memo and search attributes as the start recorded them: continue-as-new carries
  /// them over unless the code gives new ones, as the other SDKs do.
  ::temporal::api::common::v1::Memo memo;
  ::temporal::api::common::v1::SearchAttributes search_attributes;
};

class Machine;

/// The run's side of the machines: the command queue and the event routing.
class MachineHost {
 public:
  virtual ~MachineHost() = default;
  /// Queues a command of `m` after every command issued so far. A protocol message goes out with
  /// it; `recorded` is false for commands history never shows (an update's rejection).
  virtual void queue(Machine* m, apicommand::Command command, std::optional<apiprotocol::Message> message = {},
                     bool recorded = true) = 0;
  /// Takes back the commands of `m` that have not gone out yet; true if there were any.
  virtual bool withdraw_unsent(Machine* m) = 0;
  /// Routes later events that refer to `event_id` (their initial event) to `m`.
  virtual void route(int64_t event_id, Machine* m) = 0;
  virtual const MachineContext& context() const = 0;
};

class Machine {
 public:
  explicit Machine(MachineHost& host) : host_(host) {}
  virtual ~Machine() = default;
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  /// Whether command event `e` records `command`, this machine's command at the front of the queue.
  virtual bool records(const apicommand::Command& command, const HistoryEvent& e) const = 0;
  /// `e` recorded `command`.
  virtual void on_recorded(const apicommand::Command& command, const HistoryEvent& e, Jobs& jobs) = 0;
  /// A non-command event that refers to this machine's initial event.
  virtual void on_event(const HistoryEvent& e, Jobs& jobs);
  /// The code asked to cancel the operation (for kinds that can be cancelled).
  virtual void cancel();
  /// The machine reached a state in which nothing more can happen to it.
  virtual bool final() const = 0;
  /// For error messages: the command kind and what identifies it.
  virtual std::string describe() const = 0;

 protected:
  MachineHost& host_;
  const MachineContext& context() const { return host_.context(); }
};

/// "EVENT_TYPE_TIMER_STARTED (event 5, timer id 1)".
std::string describe_event(const HistoryEvent& e);

}  // namespace temporal::worker::detail
