// OperatorClient. Member functions hand copies of their arguments to free coroutines.
#include "temporal/client/operator_client.h"

#include <optional>

#include "client/client_core.h"

namespace temporal::client {

namespace apienums = ::temporal::api::enums::v1;
namespace os = ::temporal::api::operatorservice::v1;
using detail::ClientCore;
using CorePtr = std::shared_ptr<const ClientCore>;

namespace {

bool known_type(int t) { return t >= 1 && t <= 7; }

std::map<std::string, SearchAttributeType> decode_types(
    const google::protobuf::Map<std::string, apienums::IndexedValueType>& in) {
  std::map<std::string, SearchAttributeType> out;
  for (const auto& [name, type] : in) {
    if (known_type(type)) out.emplace(name, static_cast<SearchAttributeType>(type));
  }
  return out;
}

Task<SearchAttributeList> list_impl(CorePtr core, ClientCore::Deadline deadline) {
  os::ListSearchAttributesRequest req;
  req.set_namespace_(core->namespace_name);
  auto opts = core->rpc_options({}, deadline);
  auto r = co_await rpc::ListSearchAttributes(core->channel(), std::move(req), std::move(opts));
  auto resp = rpc::value_or_throw(std::move(r), core->error_context("list search attributes"));
  SearchAttributeList out;
  out.custom = decode_types(resp.custom_attributes());
  out.system = decode_types(resp.system_attributes());
  for (const auto& [k, v] : resp.storage_schema()) out.storage_schema.emplace(k, v);
  co_return out;
}

Task<void> add_impl(CorePtr core, std::map<std::string, SearchAttributeType> attributes) {
  if (attributes.empty()) throw InvalidArgumentError("attributes", "add_search_attributes() needs at least one attribute");
  os::AddSearchAttributesRequest req;
  for (const auto& [name, type] : attributes) {
    detail::validate_identifier(name, "attributes key", true, 255);
    if (!known_type(static_cast<int>(type))) {
      throw InvalidArgumentError("attributes." + name, "search attribute '" + name + "' has an unknown type");
    }
    (*req.mutable_search_attributes())[name] = static_cast<apienums::IndexedValueType>(type);
  }
  // The server silently ignores a name that exists with another type: say so instead.
  const ClientCore::Deadline deadline = core->call_deadline();
  SearchAttributeList existing = co_await list_impl(core, deadline);
  for (const auto& [name, type] : attributes) {
    std::optional<SearchAttributeType> current;
    if (auto it = existing.custom.find(name); it != existing.custom.end()) current = it->second;
    if (auto it = existing.system.find(name); it != existing.system.end()) current = it->second;
    if (!current || *current == type) continue;
    throw InvalidArgumentError("attributes." + name, "search attribute '" + name + "' already exists in namespace '" +
                                                         core->namespace_name + "' with type " + to_string(*current) +
                                                         ", not " + to_string(type) + "; nothing was changed");
  }
  // Without the namespace the server applies it to the cluster's default store, not ours.
  req.set_namespace_(core->namespace_name);
  auto opts = core->rpc_options({}, deadline);
  auto r = co_await rpc::AddSearchAttributes(core->channel(), std::move(req), std::move(opts));
  rpc::value_or_throw(std::move(r), core->error_context("add search attributes"));
}

Task<void> remove_impl(CorePtr core, std::vector<std::string> names) {
  if (names.empty()) throw InvalidArgumentError("names", "remove_search_attributes() needs at least one name");
  os::RemoveSearchAttributesRequest req;
  for (const auto& n : names) {
    detail::validate_identifier(n, "names", true, 255);
    req.add_search_attributes(n);
  }
  req.set_namespace_(core->namespace_name);
  auto opts = core->rpc_options();
  auto r = co_await rpc::RemoveSearchAttributes(core->channel(), std::move(req), std::move(opts));
  rpc::value_or_throw(std::move(r), core->error_context("remove search attributes"));
}

}  // namespace

OperatorClient Client::operator_service() const { return OperatorClient(*this); }

Task<void> OperatorClient::add_search_attributes(std::map<std::string, SearchAttributeType> attributes) const {
  return add_impl(client_.core(), std::move(attributes));
}

Task<SearchAttributeList> OperatorClient::list_search_attributes() const {
  return list_impl(client_.core(), client_.core()->call_deadline());
}

Task<void> OperatorClient::remove_search_attributes(std::vector<std::string> names) const {
  return remove_impl(client_.core(), std::move(names));
}

}  // namespace temporal::client
