// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Private to the config loader: peer URLs, and the endpoint each one names.
#ifndef GROUPCACHED_CONFIG_PEERS_H_
#define GROUPCACHED_CONFIG_PEERS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "groupcache/status.h"

namespace groupcached::internal {

// The endpoint a peer URL names, spelled one way: the host in lower case, an
// IP address in its canonical form (so "127.000.0.1" and "127.1" are
// 127.0.0.1, as the resolver reads them; an IPv4-mapped IPv6 address is its
// IPv4 address), the port without leading zeros or the scheme's default.
struct PeerEndpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // IPv6 without brackets
  uint16_t port = 0;
  bool numeric = false;  // host is an IP address
  bool operator==(const PeerEndpoint&) const = default;
  // "http://127.0.0.1:9474", "https://[::1]:443".
  std::string ToString() const;
};

// Checks a peer URL: `scheme`://host[:port], nothing else (no path, user
// info, query, control or non-ASCII characters; IPv6 in brackets). Errors:
// InvalidArgument with the problem, the URL quoted ("\"http://x/\": remove
// the trailing slash").
groupcache::Result<PeerEndpoint> ParsePeerEndpoint(std::string_view url, std::string_view scheme);

// The canonical text of an IP address ("::1", "127.0.0.1"), or "" if `text`
// is not one. IPv4 is read as the resolver does (inet_aton: "127.1").
std::string CanonicalAddress(std::string_view text);

}  // namespace groupcached::internal

#endif  // GROUPCACHED_CONFIG_PEERS_H_
