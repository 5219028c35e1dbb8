// Checks of everything a caller passes that ends up in gRPC metadata, the channel target or the
// channel arguments. gRPC aborts the process (an assertion in grpc_call_start_batch) on a header
// it considers illegal, and silently wraps a port above 65535, so nothing reaches it unchecked.
// Each check throws InvalidArgumentError naming the field and the offending character.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace temporal::rpc {

/// Header names: gRPC allows a-z 0-9 '-' '_' '.'. Upper-case ASCII letters are lowered (as the Go
/// and TypeScript SDKs do); anything else, an empty name, or the reserved "grpc-" prefix throws.
/// Returns the normalized name.
std::string checked_header_key(const std::string& key, const std::string& field);

/// Header values: printable ASCII (0x20-0x7E) unless the name ends in "-bin" (any bytes: gRPC sends
/// them base64-encoded). `key` must be normalized.
void check_header_value(const std::string& key, const std::string& value, const std::string& field);

/// Every entry of `metadata`, names normalized.
std::map<std::string, std::string> checked_metadata(const std::map<std::string, std::string>& metadata,
                                                    const std::string& field);

/// A value sent as an ASCII header or its part (namespace, API key, server name): printable ASCII.
void check_printable_ascii(const std::string& value, const std::string& field, const std::string& what);

/// host:port (a missing port becomes 7233, the Temporal default, as in the TypeScript SDK),
/// [ipv6]:port, or a gRPC target URI (dns:, unix:, unix-abstract:, ipv4:, ipv6:, vsock:). Rejects
/// URL schemes such as http://, ports outside 1-65535 and bytes that no host name has.
std::string checked_address(const std::string& address);

/// A positive duration; durations beyond what a deadline can hold are fine (they saturate).
/// `what` names the option in the message ("CallOptions.timeout").
void check_positive(std::chrono::milliseconds d, const std::string& field, const std::string& what);

/// Throws InvalidArgumentError: "<what> contains <the byte at `at`> at byte N; <rule>".
[[noreturn]] void bad_byte(const std::string& field, const std::string& what, const std::string& value, size_t at,
                           const std::string& rule);

/// "the control character 0x0A (line feed)", "the byte 0xC3 (not ASCII)", "the character ' '".
std::string describe_byte(unsigned char c);

}  // namespace temporal::rpc
