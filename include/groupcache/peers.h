// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_PEERS_H_
#define GROUPCACHE_PEERS_H_

#include <memory>
#include <string_view>
#include <vector>

#include "groupcache/byte_view.h"
#include "groupcache/export.h"
#include "groupcache/function.h"
#include "groupcache/status.h"

namespace groupcache {

// Called once with a peer's answer: the value, or why it could not be had.
using PeerCallback = MoveOnlyFunction<void(Result<ByteView>)>;
// Called once with the outcome of a change asked of a peer (Remove, Set).
using PeerDoneCallback = MoveOnlyFunction<void(Status)>;

// A PeerGetter fetches a value from one remote peer (Go's ProtoGetter).
// Thread-safety: safe for concurrent use.
class GROUPCACHE_API PeerGetter {
 public:
  virtual ~PeerGetter() = default;
  // Asks the peer for `key` of `group` and calls `done` exactly once, on any
  // thread, possibly before Get returns. Any failure (unreachable, timed out,
  // non-200, malformed body) is reported as a non-OK Result.
  virtual void Get(std::string_view group, std::string_view key, PeerCallback done) = 0;

  // Asks the peer to drop `key` of `group` from its caches, main and hot
  // (groupcache-go v3's DELETE), and calls `done` exactly once with the
  // outcome. The default refuses: Unavailable.
  virtual void Remove(std::string_view group, std::string_view key, PeerDoneCallback done) {
    (void)group, (void)key;
    done(Status::Unavailable("this peer getter cannot remove keys"));
  }
  // Asks the peer to store `value` (with its expiry) as `key` of `group` in
  // its main cache and drop any hot copy (groupcache-go v3's PUT), and calls
  // `done` exactly once. The default refuses: Unavailable.
  virtual void Set(std::string_view group, std::string_view key, const ByteView& value,
                   PeerDoneCallback done) {
    (void)group, (void)key, (void)value;
    done(Status::Unavailable("this peer getter cannot set keys"));
  }
  // Asks the peer to empty its caches of `group` (Group::Purge). Not in
  // groupcache-go's protocol. The default refuses: Unavailable.
  virtual void Purge(std::string_view group, PeerDoneCallback done) {
    (void)group;
    done(Status::Unavailable("this peer getter cannot purge groups"));
  }
};

// A PeerPicker says which peer owns a key (Go's PeerPicker).
// Thread-safety: safe for concurrent use.
class GROUPCACHE_API PeerPicker {
 public:
  virtual ~PeerPicker() = default;
  // Returns the getter of the remote peer that owns `key`, or null when this
  // process owns it (or knows no peers) and must load it locally.
  virtual std::shared_ptr<PeerGetter> PickPeer(std::string_view key) = 0;
  // Every remote peer (never this process), for the changes that reach all
  // of them (Group::Remove, Group::Set). The default: none.
  virtual std::vector<std::shared_ptr<PeerGetter>> AllPeers() { return {}; }
};

}  // namespace groupcache

#endif  // GROUPCACHE_PEERS_H_
