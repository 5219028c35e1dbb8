#include "rpc/validate.h"

#include <cctype>

#include "rpc/target.h"
#include "temporal/common/errors.h"

namespace temporal::rpc {

namespace {

constexpr const char* kDefaultPort = "7233";

bool is_key_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool is_printable_ascii(unsigned char c) { return c >= 0x20 && c <= 0x7E; }

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void check_port(const std::string& port, const std::string& address) {
  if (!all_digits(port)) {
    throw InvalidArgumentError("address", "ConnectionOptions.address '" + address + "' has port '" + port +
                                              "', which is not a number; give host:port, e.g. localhost:7233");
  }
  // At most 5 significant digits are read, so the number cannot overflow.
  size_t first = port.find_first_not_of('0');
  const std::string digits = first == std::string::npos ? "0" : port.substr(first);
  const long value = digits.size() > 5 ? 100000 : std::stol(digits);
  if (value < 1 || value > 65535) {
    throw InvalidArgumentError("address", "ConnectionOptions.address '" + address + "' has port " + digits +
                                              ", outside 1-65535 (gRPC would silently use port " +
                                              std::to_string(value % 65536) + " instead)");
  }
}

void check_host(const std::string& host, const std::string& address) {
  if (host.empty()) {
    throw InvalidArgumentError("address", "ConnectionOptions.address '" + address + "' has no host; give host:port");
  }
  for (size_t i = 0; i < host.size(); ++i) {
    const auto c = static_cast<unsigned char>(host[i]);
    if (c >= 0x80) {
      bad_byte("address", "ConnectionOptions.address", address, i,
               "host names are ASCII: write an international domain name in its xn-- (punycode) form");
    }
    if (!is_printable_ascii(c) || c == ' ' || c == '/' || c == '@' || c == '?' || c == '#' || c == '\\') {
      bad_byte("address", "ConnectionOptions.address", address, i, "give host:port, e.g. localhost:7233");
    }
  }
}

}  // namespace

[[noreturn]] void bad_byte(const std::string& field, const std::string& what, const std::string& value, size_t at,
                           const std::string& rule) {
  throw InvalidArgumentError(field, what + " contains " + describe_byte(static_cast<unsigned char>(value[at])) +
                                        " at byte " + std::to_string(at) + "; " + rule);
}

std::string describe_byte(unsigned char c) {
  char hex[8];
  std::snprintf(hex, sizeof(hex), "0x%02X", c);
  const char* name = nullptr;
  switch (c) {
    case '\0': name = "NUL"; break;
    case '\t': name = "tab"; break;
    case '\n': name = "line feed"; break;
    case '\r': name = "carriage return"; break;
    case 0x7F: name = "DEL"; break;
    default: break;
  }
  if (name) return std::string("the control character ") + hex + " (" + name + ")";
  if (c < 0x20) return std::string("the control character ") + hex;
  if (c >= 0x80) return std::string("the byte ") + hex + " (not ASCII)";
  if (c == ' ') return "a space";
  if (c >= 'A' && c <= 'Z') return std::string("the upper-case letter '") + static_cast<char>(c) + "'";
  return std::string("the character '") + static_cast<char>(c) + "'";
}

std::string checked_header_key(const std::string& key, const std::string& field) {
  if (key.empty()) throw InvalidArgumentError(field, field + " has an empty header name");
  std::string out = key;
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c - 'A' + 'a');
      continue;
    }
    if (!is_key_char(c)) {
      bad_byte(field, field + " header name '" + key + "'", key, i,
               "gRPC header names may hold only letters, digits, '-', '_' and '.'");
    }
  }
  if (out.rfind("grpc-", 0) == 0) {
    throw InvalidArgumentError(field, field + " header name '" + key + "' starts with 'grpc-', which gRPC reserves");
  }
  if (out == "-bin" || out == "te" || out == "content-type" || out == "user-agent" || out == "host") {
    throw InvalidArgumentError(field, field + " header name '" + key + "' is reserved for the transport; use another name");
  }
  return out;
}

void check_header_value(const std::string& key, const std::string& value, const std::string& field) {
  if (ends_with(key, "-bin")) return;  // binary: any bytes
  for (size_t i = 0; i < value.size(); ++i) {
    if (!is_printable_ascii(static_cast<unsigned char>(value[i]))) {
      bad_byte(field, field + " value of header '" + key + "'", value, i,
               "header values must be printable ASCII (0x20-0x7E), e.g. no trailing newline; send binary "
               "values under a name ending in -bin");
    }
  }
}

std::map<std::string, std::string> checked_metadata(const std::map<std::string, std::string>& metadata,
                                                    const std::string& field) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : metadata) {
    std::string key = checked_header_key(k, field);
    check_header_value(key, v, field);
    out[std::move(key)] = v;
  }
  return out;
}

void check_printable_ascii(const std::string& value, const std::string& field, const std::string& what) {
  for (size_t i = 0; i < value.size(); ++i) {
    if (!is_printable_ascii(static_cast<unsigned char>(value[i]))) {
      bad_byte(field, what, value, i,
               "it is sent as a gRPC header, which holds only printable ASCII (0x20-0x7E)" +
                   std::string(i + 1 == value.size() && (value[i] == '\n' || value[i] == '\r')
                                   ? " (strip the newline a file read leaves)"
                                   : ""));
    }
  }
}

std::string checked_address(const std::string& address) {
  if (address.empty()) {
    throw InvalidArgumentError("address", "ConnectionOptions.address is empty; give host:port, e.g. localhost:7233");
  }
  if (address.find(',') != std::string::npos && address.rfind("ipv4:", 0) != 0 && address.rfind("ipv6:", 0) != 0) {
    return checked_address_list(address);  // several frontends (rpc/target.h)
  }
  if (const size_t scheme_end = address.find("://"); scheme_end != std::string::npos) {
    const std::string scheme = address.substr(0, scheme_end);
    if (scheme == "dns" || scheme == "unix" || scheme == "ipv4" || scheme == "ipv6") {
      check_printable_ascii(address, "address", "ConnectionOptions.address");
      return address;
    }
    throw InvalidArgumentError(
        "address", "ConnectionOptions.address '" + address + "' is a URL with the scheme '" + scheme +
                       "://'; give host:port (e.g. localhost:7233) and turn TLS on with ConnectionOptions.tls, not a "
                       "scheme");
  }
  for (const char* scheme : {"dns:", "unix:", "unix-abstract:", "ipv4:", "ipv6:", "vsock:"}) {
    if (address.rfind(scheme, 0) == 0) {
      check_printable_ascii(address, "address", "ConnectionOptions.address");
      return address;
    }
  }
  std::string host, port;
  bool has_port = false;
  if (address.front() == '[') {
    const size_t close = address.find(']');
    if (close == std::string::npos) {
      throw InvalidArgumentError("address", "ConnectionOptions.address '" + address +
                                                "' opens an IPv6 '[' without closing it; give [ipv6]:port");
    }
    host = address.substr(1, close - 1);
    const std::string rest = address.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        throw InvalidArgumentError("address", "ConnectionOptions.address '" + address + "' has '" + rest +
                                                  "' after the IPv6 address; give [ipv6]:port");
      }
      port = rest.substr(1);
      has_port = true;
    }
    for (size_t i = 0; i < host.size(); ++i) {
      const auto c = static_cast<unsigned char>(host[i]);
      if (!(std::isxdigit(c) || c == ':' || c == '.' || c == '%')) {
        bad_byte("address", "ConnectionOptions.address", address, i + 1, "an IPv6 address holds hex digits and ':'");
      }
    }
    if (host.empty()) throw InvalidArgumentError("address", "ConnectionOptions.address '" + address + "' has no host");
  } else {
    const size_t colon = address.rfind(':');
    if (colon != std::string::npos && address.find(':') != colon) {
      throw InvalidArgumentError("address", "ConnectionOptions.address '" + address +
                                                "' looks like a bare IPv6 address; write it in brackets with a port, "
                                                "e.g. [::1]:7233");
    }
    if (colon == std::string::npos) {
      host = address;
    } else {
      host = address.substr(0, colon);
      port = address.substr(colon + 1);
      has_port = true;
    }
    check_host(host, address);
  }
  if (!has_port) {
    return address + ":" + kDefaultPort;
  }
  check_port(port, address);
  return address;
}

void check_positive(std::chrono::milliseconds d, const std::string& field, const std::string& what) {
  if (d.count() <= 0) {
    throw InvalidArgumentError(field, what + " must be positive (got " + std::to_string(d.count()) + " ms)");
  }
}

}  // namespace temporal::rpc
