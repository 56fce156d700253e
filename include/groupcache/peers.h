// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_PEERS_H_
#define GROUPCACHE_PEERS_H_

#include <memory>
#include <string_view>

#include "groupcache/byte_view.h"
#include "groupcache/export.h"
#include "groupcache/function.h"
#include "groupcache/status.h"

namespace groupcache {

// Called once with a peer's answer: the value, or why it could not be had.
using PeerCallback = MoveOnlyFunction<void(Result<ByteView>)>;

// A PeerGetter fetches a value from one remote peer (Go's ProtoGetter).
// Thread-safety: safe for concurrent use.
class GROUPCACHE_API PeerGetter {
 public:
  virtual ~PeerGetter() = default;
  // Asks the peer for `key` of `group` and calls `done` exactly once, on any
  // thread, possibly before Get returns. Any failure (unreachable, timed out,
  // non-200, malformed body) is reported as a non-OK Result.
  virtual void Get(std::string_view group, std::string_view key, PeerCallback done) = 0;
};

// A PeerPicker says which peer owns a key (Go's PeerPicker).
// Thread-safety: safe for concurrent use.
class GROUPCACHE_API PeerPicker {
 public:
  virtual ~PeerPicker() = default;
  // Returns the getter of the remote peer that owns `key`, or null when this
  // process owns it (or knows no peers) and must load it locally.
  virtual std::shared_ptr<PeerGetter> PickPeer(std::string_view key) = 0;
};

}  // namespace groupcache

#endif  // GROUPCACHE_PEERS_H_
