// Random (version 4) UUIDs for workflow ids, request ids and update ids.
#pragma once

#include <string>

namespace temporal::detail {
/// A new random UUID in canonical lowercase form. Thread-safe.
std::string uuid4();
/// True if `s` is well-formed UTF-8 (protobuf string fields must be).
bool is_valid_utf8(const std::string& s);
/// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD (for text that must be
/// sent whatever it holds, such as an exception's message).
std::string to_valid_utf8(const std::string& s);
}  // namespace temporal::detail
