// Channel targets naming several frontends: a list of addresses and the gRPC target it becomes.
// (Which load-balancing policy goes with it is the client's choice: client/connection_options.cpp.)
#pragma once

#include <string>


namespace temporal::rpc {

/// A comma-separated list of frontends, each an IP literal with an optional port
/// ("127.0.0.1:7233,127.0.0.1:7234", "[::1]:7233,[::1]:7234"): returns the entries normalized
/// (port 7233 added where missing), joined by commas. Throws InvalidArgumentError (field "address")
/// for an empty entry, a host name (gRPC cannot balance over names: a load balancer or
/// dns:///name:port does), a gRPC target inside the list, or IPv4 and IPv6 mixed.
std::string checked_address_list(const std::string& address);

/// Whether `address` lists several frontends (a comma-separated list).
bool is_address_list(const std::string& address);

/// The gRPC target of a checked address: a list of IP literals becomes ipv4:a,b or ipv6:a,b (gRPC's
/// static resolver); anything else is used as it is.
std::string list_target(const std::string& address);

}  // namespace temporal::rpc
