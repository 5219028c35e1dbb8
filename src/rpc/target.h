// The gRPC channel target for ConnectionOptions::address, including a list of several frontends,
// and the load-balancing policy that goes with it (ConnectionOptions::load_balancing).
#pragma once

#include <string>

#include "temporal/client/connection.h"

namespace temporal::rpc {

/// A comma-separated list of frontends, each an IP literal with an optional port
/// ("127.0.0.1:7233,127.0.0.1:7234", "[::1]:7233,[::1]:7234"): returns the entries normalized
/// (port 7233 added where missing), joined by commas. Throws InvalidArgumentError (field "address")
/// for an empty entry, a host name (gRPC cannot balance over names: a load balancer or
/// dns:///name:port does), a gRPC target inside the list, or IPv4 and IPv6 mixed.
std::string checked_address_list(const std::string& address);

/// What the channel is created with.
struct ChannelTarget {
  std::string uri;             ///< for grpc::CreateCustomChannel: a list becomes ipv4:a,b or ipv6:a,b
  std::string service_config;  ///< JSON with the loadBalancingConfig; empty: gRPC's default (pick_first)
  std::string authority;       ///< default :authority for a list (its first entry); empty otherwise
};

/// For options that validate_connection_options() accepted.
ChannelTarget channel_target(const client::ConnectionOptions& options);

/// Throws InvalidArgumentError for a load_balancing outside the enum (field "load_balancing"), and for
/// a list of addresses with an HTTP CONNECT proxy (field "address"): the proxy tunnels to one address.
void check_load_balancing(const client::ConnectionOptions& options);

}  // namespace temporal::rpc
