// ConnectionOptions -> the transport's ChannelOptions.
#pragma once

#include "rpc/channel.h"
#include "temporal/client/connection.h"

namespace temporal::client::detail {

/// Validates and normalizes `options` in place (address, namespace, API key, metadata, identity,
/// TLS certificates and keys, proxy, durations, sizes; InvalidArgumentError naming the field), then
/// maps them onto what the channel takes.
rpc::ChannelOptions channel_options(ConnectionOptions& options);

}  // namespace temporal::client::detail
