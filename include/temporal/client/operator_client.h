// OperatorClient: namespace administration through the OperatorService; for now the custom
// search attributes that visibility queries and workflows use.
//
//   client.operator_service().add_search_attributes({{"CustomerId", SearchAttributeType::kKeyword}}).get();
//
// Cheap to copy and thread-safe. Every call returns a Task: co_await it in a coroutine or call
// .get() to block. (GCC 12: inside a coroutine, build the map in a named variable before the
// co_await expression.)
#pragma once

#include <map>
#include <string>
#include <vector>

#include "temporal/async/task.h"
#include "temporal/client/client.h"
#include "temporal/common/search_attributes.h"

namespace temporal::client {

/// list_search_attributes(): the namespace's search attributes by name.
struct SearchAttributeList {
  /// Registered by users (add_search_attributes, `--search-attribute`).
  std::map<std::string, SearchAttributeType> custom;
  /// Predefined by the server (WorkflowId, StartTime, TemporalScheduledById...).
  std::map<std::string, SearchAttributeType> system;
  /// Name -> the visibility store's native column type, where the server reports it.
  std::map<std::string, std::string> storage_schema;
};

class OperatorClient {
 public:
  explicit OperatorClient(Client client) : client_(std::move(client)) {}
  const Client& client() const { return client_; }

  /// Registers custom search attributes in the client's namespace. Names that exist with the same
  /// type are left as they are. The server silently ignores a name that exists with another type,
  /// so this reads the current list first and throws InvalidArgumentError (changing nothing) for
  /// such a name, as for an empty map or name.
  Task<void> add_search_attributes(std::map<std::string, SearchAttributeType> attributes) const;
  Task<SearchAttributeList> list_search_attributes() const;
  /// Unregisters custom search attributes; values already stored on workflows become unsearchable.
  /// The server treats names that are not registered as already removed (no error). On SQL
  /// visibility (the dev server, PostgreSQL, MySQL) the stored values stay in the attribute's
  /// column, and an attribute added later may be given that column: it then matches them.
  Task<void> remove_search_attributes(std::vector<std::string> names) const;

 private:
  Client client_;
};

}  // namespace temporal::client
