// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Private to the config loader: the [discovery] section.
#ifndef GROUPCACHED_CONFIG_DISCOVERY_H_
#define GROUPCACHED_CONFIG_DISCOVERY_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "daemon/config.h"
#include "daemon/config_peers.h"
#include "daemon/toml_reader.h"
#include "groupcache/status.h"

namespace groupcached::internal {

// Reads [discovery] of `root` (absent: static) into `discovery`, recording
// problems in `reader`. `node` is [node] as already read; `self` is the
// endpoint of node.self when it parsed. With type = "dns", node.peers must be
// absent (it is left empty), and with record = "A" node.self must be spelled
// as the peers will build it from an address record: scheme://IP:port, the
// IP in canonical form and the port that of discovery.port.
void ParseDiscovery(TomlReader& reader, const TomlValue& root, const std::optional<PeerEndpoint>& self,
                    NodeConfig& node, DiscoveryConfig& discovery);

// Checks a DNS name to look up: 1 to 253 characters in labels of 1 to 63
// letters, digits, '-' and '_', separated by dots; one trailing dot is
// allowed. Errors: InvalidArgument saying what is wrong.
groupcache::Status CheckDnsName(std::string_view name);

// Checks a DNS server address, "host:port" with a numeric IPv4 host or a
// bracketed IPv6 one ("10.0.0.10:53", "[fd00::10]:53"). Errors:
// InvalidArgument saying what is wrong.
groupcache::Status CheckDnsServer(std::string_view server);

}  // namespace groupcached::internal

#endif  // GROUPCACHED_CONFIG_DISCOVERY_H_
