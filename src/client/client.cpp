#include <cctype>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <string_view>

#include "client/client_core.h"
#include "common/uuid.h"
#include "converter/proto.h"
#include "rpc/validate.h"
#include "temporal/client/workflow_client.h"

namespace temporal {

const char* to_string(SearchAttributeType type) {
  switch (type) {
    case SearchAttributeType::kText: return "Text";
    case SearchAttributeType::kKeyword: return "Keyword";
    case SearchAttributeType::kInt: return "Int";
    case SearchAttributeType::kDouble: return "Double";
    case SearchAttributeType::kBool: return "Bool";
    case SearchAttributeType::kDatetime: return "Datetime";
    case SearchAttributeType::kKeywordList: return "KeywordList";
  }
  return "Unspecified";
}

}  // namespace temporal

namespace temporal::client {

namespace apicommon = ::temporal::api::common::v1;

Client::Client(Connection connection, ClientOptions options) {
  auto core = std::make_shared<detail::ClientCore>(detail::ClientCore{
      connection,
      options.namespace_name.empty() ? connection.options().namespace_name : options.namespace_name,
      std::move(options.data_converter), std::move(options.interceptors),
      options.identity.empty() ? connection.channel()->identity() : options.identity, CallOptions()});
  detail::validate_identifier(core->namespace_name, "namespace_name", true, 1000);
  rpc::check_printable_ascii(core->namespace_name, "namespace_name", "ClientOptions.namespace_name");
  detail::validate_identifier(core->identity, "identity", false, 1000);
  core_ = std::move(core);
}

const Connection& Client::connection() const { return core_->connection; }
const std::string& Client::namespace_name() const { return core_->namespace_name; }
const converter::DataConverter& Client::data_converter() const { return core_->data_converter; }
const std::string& Client::identity() const { return core_->identity; }
WorkflowClient Client::workflow() const { return WorkflowClient(*this); }

Client Client::with_call_options(CallOptions options) const {
  auto metadata = rpc::checked_metadata(options.metadata, "CallOptions.metadata");
  if (options.timeout) rpc::check_positive(*options.timeout, "timeout", "CallOptions.timeout");
  auto core = std::make_shared<detail::ClientCore>(*core_);
  for (auto& [k, v] : metadata) core->call_options.metadata[k] = v;
  if (options.timeout) core->call_options.timeout = options.timeout;
  if (options.cancellation) core->call_options.cancellation = options.cancellation;
  return Client(std::shared_ptr<const detail::ClientCore>(std::move(core)));
}

namespace detail {

ClientCore::Deadline ClientCore::call_deadline() const {
  using Clock = std::chrono::steady_clock;
  if (!call_options.timeout || *call_options.timeout >= async_detail::kForever) return std::nullopt;
  return async_detail::saturating_after<Clock>(Clock::now(), *call_options.timeout);
}

rpc::CallOptions ClientCore::rpc_options(const std::map<std::string, std::string>& metadata) const {
  return rpc_options(metadata, call_deadline());
}

rpc::CallOptions ClientCore::rpc_options(const std::map<std::string, std::string>& metadata, Deadline deadline) const {
  rpc::CallOptions o;
  o.namespace_name = namespace_name;
  o.metadata = call_options.metadata;
  // Interceptors may have added headers: checked here, where the error can still name them.
  if (!metadata.empty()) {
    for (auto& [k, v] : rpc::checked_metadata(metadata, "ClientCall.grpc_metadata")) o.metadata[k] = std::move(v);
  }
  o.deadline = deadline;
  if (call_options.cancellation) o.cancellation = std::make_shared<rpc::CallCancellation>(*call_options.cancellation);
  return o;
}

rpc::ErrorContext ClientCore::error_context(std::string operation, std::string workflow_id, std::string run_id) const {
  rpc::ErrorContext c;
  c.operation = std::move(operation);
  c.address = connection.options().address;
  c.namespace_name = namespace_name;
  c.workflow_id = std::move(workflow_id);
  c.run_id = std::move(run_id);
  return c;
}

namespace {
Task<void> run_chain(std::shared_ptr<const ClientCore> core, size_t index, ClientCall& call,
                     std::function<Task<void>(ClientCall&)> terminal) {
  if (index >= core->interceptors.size()) {
    co_await terminal(call);
    co_return;
  }
  ClientInterceptor::Next next = [core, index, terminal](ClientCall& c) {
    return run_chain(core, index + 1, c, terminal);
  };
  co_await core->interceptors[index]->intercept(call, std::move(next));
}
}  // namespace

Task<void> run_intercepted(std::shared_ptr<const ClientCore> core, ClientCall& call,
                           std::function<Task<void>(ClientCall&)> terminal) {
  return run_chain(std::move(core), 0, call, std::move(terminal));
}

void validate_retry_policy(const RetryPolicy& p, const std::string& field) {
  if (p.initial_interval.count() <= 0) {
    throw InvalidArgumentError(field + ".initial_interval", field + ".initial_interval must be > 0");
  }
  validate_duration(p.initial_interval, field + ".initial_interval", false);
  if (p.maximum_interval) validate_duration(p.maximum_interval, field + ".maximum_interval", false);
  if (!(p.backoff_coefficient >= 1.0) || !std::isfinite(p.backoff_coefficient)) {
    throw InvalidArgumentError(field + ".backoff_coefficient", field + ".backoff_coefficient must be >= 1 (got " +
                                                                   std::to_string(p.backoff_coefficient) + ")");
  }
  if (p.maximum_interval && *p.maximum_interval < p.initial_interval) {
    throw InvalidArgumentError(field + ".maximum_interval",
                               field + ".maximum_interval must be >= initial_interval");
  }
  if (p.maximum_attempts < 0) {
    throw InvalidArgumentError(field + ".maximum_attempts", field + ".maximum_attempts must be >= 0 (0 = unlimited)");
  }
  for (size_t i = 0; i < p.non_retryable_error_types.size(); ++i) {
    validate_identifier(p.non_retryable_error_types[i], field + ".non_retryable_error_types[" + std::to_string(i) + "]",
                        false);
  }
}

void validate_enum_value(int value, int lo, int hi, const std::string& field, const char* type_name) {
  if (value < lo || value > hi) {
    throw InvalidArgumentError(field, field + " is " + std::to_string(value) + ", which is not a " + type_name +
                                          " (valid values are " + std::to_string(lo) + " to " + std::to_string(hi) +
                                          "); use one of the enum's named values");
  }
}

void validate_header_keys(const Headers& headers, const std::string& field) {
  for (const auto& [k, v] : headers) {
    validate_identifier(k, field + " key", true);
    (void)v;
  }
}

void validate_search_attributes(const SearchAttributes& attrs, const std::string& field) {
  for (const auto& [name, v] : attrs) {
    validate_identifier(name, field + " key", true, 1000);
    const std::string f = field + "." + name;
    validate_enum(v.type, 1, 7, f + ".type", "SearchAttributeType");
    if (const auto* str = std::get_if<std::string>(&v.value)) {
      if (!temporal::detail::is_valid_utf8(*str)) {
        throw InvalidArgumentError(f, "search attribute '" + name + "' holds a string that is not valid UTF-8");
      }
    } else if (const auto* list = std::get_if<std::vector<std::string>>(&v.value)) {
      for (const auto& item : *list) {
        if (!temporal::detail::is_valid_utf8(item)) {
          throw InvalidArgumentError(f, "search attribute '" + name + "' holds a keyword that is not valid UTF-8");
        }
      }
    } else if (const auto* d = std::get_if<double>(&v.value)) {
      if (!std::isfinite(*d)) {
        throw InvalidArgumentError(f, "search attribute '" + name + "' holds " + std::to_string(*d) +
                                          ", which JSON (and so a search attribute) cannot hold");
      }
    }
  }
}

void validate_workflow_options_common(const WorkflowOptions& o, const std::string& prefix) {
  validate_enum(o.id_reuse_policy, 0, 4, prefix + "id_reuse_policy", "WorkflowIdReusePolicy");
  validate_enum(o.id_conflict_policy, 0, 3, prefix + "id_conflict_policy", "WorkflowIdConflictPolicy");
  validate_identifier(o.cron_schedule, prefix + "cron_schedule", false);
  validate_identifier(o.static_summary, prefix + "static_summary", false, 400 * 1024);
  validate_identifier(o.static_details, prefix + "static_details", false, 20 * 1024 * 1024);
  if (o.priority) {
    if (o.priority->priority_key < 0) {
      throw InvalidArgumentError(prefix + "priority.priority_key",
                                 prefix + "priority.priority_key must be >= 0 (0 = the server's default; 1 runs first)");
    }
    if (!std::isfinite(o.priority->fairness_weight) || o.priority->fairness_weight < 0) {
      throw InvalidArgumentError(prefix + "priority.fairness_weight",
                                 prefix + "priority.fairness_weight must be a finite number >= 0 (0 = default)");
    }
    validate_identifier(o.priority->fairness_key, prefix + "priority.fairness_key", false);
  }
  for (const auto& [k, v] : o.memo) {
    validate_identifier(k, prefix + "memo key", true);
    (void)v;
  }
  validate_header_keys(o.headers, prefix + "headers");
  validate_search_attributes(o.search_attributes, prefix + "search_attributes");
}

void validate_identifier(const std::string& value, const std::string& field, bool required, size_t max_len) {
  if (required && value.empty()) {
    throw InvalidArgumentError(field, field + " is required and must not be empty");
  }
  if (value.size() > max_len) {
    throw InvalidArgumentError(field, field + " is " + std::to_string(value.size()) + " bytes; the limit is " +
                                          std::to_string(max_len));
  }
  if (!temporal::detail::is_valid_utf8(value)) {
    throw InvalidArgumentError(field, field + " is not valid UTF-8");
  }
}

namespace {
// The forms the server's uuid.Parse accepts: 8-4-4-4-12 hex digits, optionally in braces or after
// "urn:uuid:", or 32 hex digits without dashes.
bool is_uuid(std::string_view s) {
  if (s.size() == 45 && s.substr(0, 9) == "urn:uuid:") s.remove_prefix(9);
  if (s.size() == 38 && s.front() == '{' && s.back() == '}') s = s.substr(1, 36);
  const bool dashed = s.size() == 36;
  if (!dashed && s.size() != 32) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}
}  // namespace

void validate_run_id(const std::string& value, const std::string& field) {
  if (value.empty() || is_uuid(value)) return;
  throw InvalidArgumentError(field, field + " '" + value +
                                        "' is not a valid run id: run ids are UUIDs, as start() and describe() "
                                        "return them; leave it empty for the latest run");
}

void validate_duration(const std::optional<std::chrono::milliseconds>& d, const std::string& field, bool allow_zero) {
  if (!d) return;
  if (d->count() < 0 || (!allow_zero && d->count() == 0)) {
    throw InvalidArgumentError(field, field + (allow_zero ? " must not be negative" : " must be positive") + " (got " +
                                          std::to_string(d->count()) + " ms)");
  }
  // google.protobuf.Duration holds at most 10,000 years.
  if (d->count() / 1000 > 315576000000LL) {
    throw InvalidArgumentError(field, field + " is longer than the 10,000 years a protobuf Duration can hold");
  }
}

}  // namespace detail
}  // namespace temporal::client
