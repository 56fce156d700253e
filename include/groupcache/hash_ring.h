// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_HASH_RING_H_
#define GROUPCACHE_HASH_RING_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "groupcache/export.h"

namespace groupcache {

// Standard CRC-32 (IEEE 802.3, as Go's crc32.ChecksumIEEE and zlib's crc32).
GROUPCACHE_API uint32_t Crc32Ieee(std::string_view bytes);

using HashFunction = std::function<uint32_t(std::string_view)>;

// The number of points each peer gets on the ring, as in Go's HTTPPool.
inline constexpr int kDefaultReplicas = 50;

// A HashRing maps keys to peers by consistent hashing, exactly as Go
// groupcache's consistenthash package does: each peer gets `replicas` points,
// point i of peer P hashes the string "<i decimal><P>", a key belongs to the
// first point whose hash is >= the key's hash (wrapping around), and when two
// points collide the peer added later wins.
// Thread-safety: const methods may be called concurrently; Add may not.
class GROUPCACHE_API HashRing {
 public:
  // replicas <= 0 means kDefaultReplicas; a null hash means Crc32Ieee.
  explicit HashRing(int replicas = kDefaultReplicas, HashFunction hash = nullptr);

  // Adds peers in order (later ones win collisions with earlier ones).
  void Add(const std::vector<std::string>& peers);

  bool empty() const { return points_.empty(); }
  // Returns the owner of `key`, or an empty view if the ring is empty. The
  // view is valid until the ring is modified or destroyed.
  std::string_view Get(std::string_view key) const;
  // The same as Get, as an index into peers() (or -1 if the ring is empty).
  int GetIndex(std::string_view key) const;
  // Every peer added, in order (a peer added twice appears twice).
  const std::vector<std::string>& peers() const { return peers_; }

 private:
  struct Point {
    uint32_t hash;
    uint32_t peer;  // index into peers_
  };
  int replicas_;
  HashFunction hash_;
  std::vector<std::string> peers_;
  std::vector<Point> points_;  // sorted by hash; equal hashes share the winner
};

}  // namespace groupcache

#endif  // GROUPCACHE_HASH_RING_H_
