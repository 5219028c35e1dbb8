// The shared state behind Client and its sub-clients, and helpers every client file uses.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "converter/proto.h"
#include "rpc/services.h"
#include "rpc/status.h"
#include "temporal/client/client.h"
#include "temporal/client/workflow_client.h"
#include "temporal/common/retry_policy.h"
#include "temporal/common/search_attributes.h"

namespace temporal::client::detail {

struct ClientCore {
  Connection connection;
  std::string namespace_name;
  converter::DataConverter data_converter;
  std::vector<std::shared_ptr<ClientInterceptor>> interceptors;
  std::string identity;
  CallOptions call_options;

  using Deadline = std::optional<std::chrono::steady_clock::time_point>;

  rpc::Channel& channel() const { return *connection.channel(); }
  /// When a user call that starts now must end: now + CallOptions::timeout, if set.
  Deadline call_deadline() const;
  /// CallOptions for one RPC: namespace header, the client's extra headers, deadline and
  /// cancellation, and the call's metadata (checked: InvalidArgumentError naming the header).
  /// Without `deadline`, the RPC is a whole user call and its deadline starts now; calls made of
  /// several RPCs (waits, paging) take call_deadline() once and pass it to each.
  rpc::CallOptions rpc_options(const std::map<std::string, std::string>& metadata = {}) const;
  rpc::CallOptions rpc_options(const std::map<std::string, std::string>& metadata, Deadline deadline) const;
  rpc::ErrorContext error_context(std::string operation, std::string workflow_id = {}, std::string run_id = {}) const;
};

/// Runs `call` through the interceptor chain, ending in `terminal`.
Task<void> run_intercepted(std::shared_ptr<const ClientCore> core, ClientCall& call,
                           std::function<Task<void>(ClientCall&)> terminal);

/// Throws InvalidArgumentError naming the field, before any RPC.
void validate_retry_policy(const RetryPolicy& p, const std::string& field);
void validate_identifier(const std::string& value, const std::string& field, bool required, size_t max_len = 1000);
/// A run id is a UUID (the server rejects anything else with a bare "Invalid RunId."); empty means
/// none and passes.
void validate_run_id(const std::string& value, const std::string& field);
void validate_duration(const std::optional<std::chrono::milliseconds>& d, const std::string& field, bool allow_zero);
/// An enum value a caller may have cast from any integer: within [lo, hi].
void validate_enum_value(int value, int lo, int hi, const std::string& field, const char* type_name);
template <class E>
void validate_enum(E value, int lo, int hi, const std::string& field, const char* type_name) {
  validate_enum_value(static_cast<int>(value), lo, hi, field, type_name);
}
/// What start(), signal-with-start, update-with-start and a schedule's action share: enums,
/// priority, summary/details text, memo and header keys, search attributes (names, types,
/// values). `prefix` is "" or "action.options.".
void validate_workflow_options_common(const WorkflowOptions& o, const std::string& prefix);
void validate_search_attributes(const SearchAttributes& attrs, const std::string& field);
void validate_header_keys(const Headers& headers, const std::string& field);

}  // namespace temporal::client::detail
