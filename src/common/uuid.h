// Random (version 4) UUIDs for workflow ids, request ids and update ids.
#pragma once

#include <string>

namespace temporal::detail {
/// A new random UUID in canonical lowercase form. Thread-safe.
std::string uuid4();
/// True if `s` is well-formed UTF-8 (protobuf string fields must be).
bool is_valid_utf8(const std::string& s);
}  // namespace temporal::detail
