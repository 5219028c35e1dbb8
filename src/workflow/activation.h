// The activation boundary between the worker's engine and workflow code, in plain C++ values.
//
// For each workflow task the engine (src/worker/) turns history events into jobs and hands them to
// the run's Instance in one Activation; the Instance resumes the workflow's coroutines and hands back
// the commands they produced. Nothing here is protobuf: the engine converts from and to the wire, so
// workflow code and its runtime know nothing of history, gRPC or the client.
//
// Operations are identified by a sequence number (Seq) that the workflow side assigns in the order the
// code starts them (timers, activities and external calls share one counter, so timer and activity
// ids default to it, as the other SDKs do).
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "temporal/converter/payload.h"
#include "temporal/workflow/workflow.h"

namespace temporal::workflow::detail {

using Seq = uint64_t;

// ---- jobs: engine -> workflow code ---------------------------------------------------------------
namespace job {
/// The run begins: create the workflow (its definition's handlers exist from here) and start it.
struct Initialize {
  Info info;
  converter::Payloads args;
  /// Seeds the deterministic random generator (the same on every replay of the run).
  std::string randomness_seed;
};
struct FireTimer {
  Seq seq;
};
struct ResolveActivity {
  Seq seq;
  std::optional<converter::Payload> result;  ///< set on success
  std::exception_ptr failure;                ///< ActivityFailure otherwise
};
/// A signal or cancel request to another workflow was delivered (failure empty) or failed.
struct ResolveExternal {
  Seq seq;
  std::exception_ptr failure;
};
struct Signal {
  std::string name;
  converter::Payloads args;
};
/// An update request; `replaying` updates were accepted in history (no validator, no acceptance).
struct Update {
  std::string id;
  std::string name;
  converter::Payloads args;
  bool replaying = false;
};
struct CancelWorkflow {};
}  // namespace job

using Job = std::variant<job::Initialize, job::FireTimer, job::ResolveActivity, job::ResolveExternal, job::Signal,
                         job::Update, job::CancelWorkflow>;

struct Activation {
  std::vector<Job> jobs;
  /// Workflow time: the start time of this workflow task.
  std::chrono::system_clock::time_point now;
  /// True while history is replayed (the commands already exist in history).
  bool replaying = false;
};

// ---- commands: workflow code -> engine -----------------------------------------------------------
namespace cmd {
struct StartTimer {
  Seq seq;
  std::chrono::milliseconds duration;
};
struct CancelTimer {
  Seq seq;
};
struct ScheduleActivity {
  Seq seq;
  std::string activity_id;
  std::string activity_type;
  ActivityOptions options;
  converter::Payloads args;
};
struct RequestCancelActivity {
  Seq seq;
};
struct SignalExternal {
  Seq seq;
  std::string workflow_id;
  std::string run_id;
  std::string signal_name;
  converter::Payloads args;
};
struct RequestCancelExternal {
  Seq seq;
  std::string workflow_id;
  std::string run_id;
};
struct CompleteWorkflow {
  converter::Payload result;
};
struct FailWorkflow {
  std::exception_ptr failure;
};
struct CancelWorkflow {
  converter::Payloads details;
};
struct ContinueAsNew {
  ContinueAsNewOptions options;
  converter::Payloads args;
};
struct AcceptUpdate {
  std::string id;
};
struct RejectUpdate {
  std::string id;
  std::exception_ptr failure;
};
struct CompleteUpdate {
  std::string id;
  std::optional<converter::Payload> result;  ///< set on success
  std::exception_ptr failure;
};
}  // namespace cmd

using Command = std::variant<cmd::StartTimer, cmd::CancelTimer, cmd::ScheduleActivity, cmd::RequestCancelActivity,
                             cmd::SignalExternal, cmd::RequestCancelExternal, cmd::CompleteWorkflow, cmd::FailWorkflow,
                             cmd::CancelWorkflow, cmd::ContinueAsNew, cmd::AcceptUpdate, cmd::RejectUpdate,
                             cmd::CompleteUpdate>;

/// Whether `c` closes the run (complete, fail, cancel, continue-as-new).
inline bool closes_run(const Command& c) {
  return std::holds_alternative<cmd::CompleteWorkflow>(c) || std::holds_alternative<cmd::FailWorkflow>(c) ||
         std::holds_alternative<cmd::CancelWorkflow>(c) || std::holds_alternative<cmd::ContinueAsNew>(c);
}

}  // namespace temporal::workflow::detail
