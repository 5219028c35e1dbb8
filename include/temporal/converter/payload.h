// Payload: one encoded value as it crosses the wire, independent of the generated protobuf types.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace temporal::converter {

/// Raw bytes: encoded as `binary/plain`, the same as a Uint8Array in TypeScript or []byte in Go.
using Bytes = std::vector<std::byte>;

/// One encoded value: metadata (always holding `encoding`) plus data. A plain value type.
struct Payload {
  std::map<std::string, std::string> metadata{};
  std::string data{};

  /// The `encoding` metadata value, or "" when absent.
  std::string encoding() const {
    auto it = metadata.find("encoding");
    return it == metadata.end() ? std::string() : it->second;
  }
  friend bool operator==(const Payload&, const Payload&) = default;
};

using Payloads = std::vector<Payload>;

namespace encodings {
inline constexpr const char* kNull = "binary/null";
inline constexpr const char* kBinaryPlain = "binary/plain";
inline constexpr const char* kJsonProtobuf = "json/protobuf";
inline constexpr const char* kBinaryProtobuf = "binary/protobuf";
inline constexpr const char* kJsonPlain = "json/plain";
}  // namespace encodings

}  // namespace temporal::converter
