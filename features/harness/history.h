// History helpers for the scenarios that check what landed in a workflow's history (payload
// bytes, failure encoding, update events), as the official scenarios do with the API protos.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "harness/harness.h"
#include "temporal/api/common/v1/message.pb.h"
#include "temporal/api/enums/v1/event_type.pb.h"
#include "temporal/api/history/v1/message.pb.h"

namespace temporal::features {

namespace apicommon = ::temporal::api::common::v1;
namespace apienums = ::temporal::api::enums::v1;
namespace apihistory = ::temporal::api::history::v1;

/// Every event of the handle's run (all pages).
apihistory::History history_of(const client::WorkflowHandle& handle);

/// The first event matching `pred`, or null.
const apihistory::HistoryEvent* find_event(const apihistory::History& history,
                                           const std::function<bool(const apihistory::HistoryEvent&)>& pred);
/// How many events have this type.
int count_events(const apihistory::History& history, apienums::EventType type);

/// The first payload of the WorkflowExecutionCompleted result; fails the scenario if absent.
apicommon::Payload result_payload(const apihistory::History& history);
/// The first payload of the WorkflowExecutionStarted input; fails the scenario if absent.
apicommon::Payload argument_payload(const apihistory::History& history);

/// Field-by-field equality of two messages.
bool proto_equal(const google::protobuf::Message& a, const google::protobuf::Message& b);
/// The message in the text format, for failure messages.
std::string proto_text(const google::protobuf::Message& m);
/// A payload's metadata value ("" when absent).
std::string metadata(const apicommon::Payload& p, const std::string& key);

/// Waits until the run's history holds an event matching `pred` and returns it.
apihistory::HistoryEvent wait_for_event(const client::WorkflowHandle& handle,
                                        const std::function<bool(const apihistory::HistoryEvent&)>& pred,
                                        std::chrono::milliseconds timeout, const std::string& what);

/// Fails the scenario if any run on the task queue has a WorkflowExecutionUpdateRejected event
/// (the official update scenarios check this: rejections must not reach history).
void check_no_update_rejected_events(const Context& ctx);

}  // namespace temporal::features
