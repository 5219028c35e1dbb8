#include "rpc/target.h"

#include <arpa/inet.h>

#include <vector>

#include "rpc/validate.h"
#include "temporal/common/errors.h"

namespace temporal::rpc {

namespace {

std::string trimmed(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool is_list(const std::string& address) { return address.find(',') != std::string::npos; }

// A list the caller wrote as host:port entries (not an ipv4:/ipv6: target, which gRPC reads itself).
bool is_plain_list(const std::string& address) {
  return is_list(address) && address.rfind("ipv4:", 0) != 0 && address.rfind("ipv6:", 0) != 0;
}

}  // namespace

std::string checked_address_list(const std::string& address) {
  const auto invalid = [&](const std::string& why) {
    return InvalidArgumentError("address", "ConnectionOptions.address '" + address + "' " + why);
  };
  std::vector<std::string> entries;
  size_t from = 0;
  for (;;) {
    const size_t comma = address.find(',', from);
    entries.push_back(trimmed(address.substr(from, comma == std::string::npos ? std::string::npos : comma - from)));
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  std::string out;
  int family = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i];
    if (entry.empty()) {
      throw invalid("has an empty entry (number " + std::to_string(i + 1) +
                    "); give frontends as ip:port separated by commas, e.g. 127.0.0.1:7233,127.0.0.1:7234");
    }
    if (entry.front() != '[' && entry.find('/') == std::string::npos && entry.find(':') != entry.rfind(':')) {
      throw invalid("lists '" + entry + "'; write IPv6 addresses in brackets with a port, e.g. [::1]:7233");
    }
    const std::string one = checked_address(entry);  // adds the default port, checks it
    std::string host;
    int entry_family = 0;
    if (one.front() == '[') {
      host = one.substr(1, one.find(']') - 1);
      in6_addr a6{};
      if (inet_pton(AF_INET6, host.c_str(), &a6) == 1) entry_family = 6;
    } else {
      host = one.substr(0, one.rfind(':'));
      in_addr a4{};
      if (one.find("://") == std::string::npos && inet_pton(AF_INET, host.c_str(), &a4) == 1) entry_family = 4;
    }
    if (entry_family == 0) {
      throw invalid("lists '" + entry +
                    "', which is not an IP address: a list of frontends takes IP literals only (gRPC resolves a "
                    "name in a list to one frontend, with no balancing between names). For host names, put a load "
                    "balancer in front of the frontends and give its address, or give one name that resolves to "
                    "every frontend as dns:///name:port with load_balancing = LoadBalancing::kRoundRobin");
    }
    if (family != 0 && entry_family != family) {
      throw invalid("mixes IPv4 and IPv6 addresses; gRPC takes a list of one family (ipv4: or ipv6: target)");
    }
    family = entry_family;
    if (!out.empty()) out += ",";
    out += one;
  }
  return out;
}

bool is_address_list(const std::string& address) { return is_list(address); }

std::string list_target(const std::string& address) {
  if (!is_plain_list(address)) return address;
  return (address.front() == '[' ? "ipv6:" : "ipv4:") + address;
}

}  // namespace temporal::rpc
