// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The ring fingerprint: a short name for a peer list, which peers exchange to
// notice that they disagree about the ring.
#ifndef GROUPCACHE_DNS_PEERS_H_
#define GROUPCACHE_DNS_PEERS_H_

#include <string>
#include <vector>

#include "groupcache/export.h"

namespace groupcache {

// A short stable hash of the sorted, de-duplicated member list: 16 lowercase
// hex characters (64-bit FNV-1a over each member followed by '\n'). Every
// HttpPool sends the fingerprint of its list on peer requests and responses
// (HttpPool::fingerprint).
GROUPCACHE_API std::string RingFingerprint(std::vector<std::string> peers);

}  // namespace groupcache

#endif  // GROUPCACHE_DNS_PEERS_H_
