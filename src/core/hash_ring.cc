// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/hash_ring.h"

#include <zlib.h>

#include <algorithm>

namespace groupcache {

uint32_t Crc32Ieee(std::string_view bytes) {
  // zlib's crc32 takes a uInt length; feed large inputs in pieces.
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data());
  size_t left = bytes.size();
  while (left > 0) {
    uInt n = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
    crc = crc32(crc, p, n);
    p += n;
    left -= n;
  }
  return static_cast<uint32_t>(crc);
}

HashRing::HashRing(int replicas, HashFunction hash)
    : replicas_(replicas > 0 ? replicas : kDefaultReplicas), hash_(std::move(hash)) {
  if (!hash_) hash_ = [](std::string_view s) { return Crc32Ieee(s); };
}

void HashRing::Add(const std::vector<std::string>& peers) {
  for (const std::string& peer : peers) {
    const auto index = static_cast<uint32_t>(peers_.size());
    peers_.push_back(peer);
    for (int i = 0; i < replicas_; ++i) {
      points_.push_back({hash_(std::to_string(i) + peer), index});
    }
  }
  // Stable, so among equal hashes the later-added point comes last; Go keeps
  // the later peer in its hash->peer map, so every point of a run of equal
  // hashes must name the last one.
  std::stable_sort(points_.begin(), points_.end(),
                   [](const Point& a, const Point& b) { return a.hash < b.hash; });
  for (size_t end = points_.size(); end > 0;) {
    size_t begin = end - 1;
    while (begin > 0 && points_[begin - 1].hash == points_[end - 1].hash) --begin;
    for (size_t i = begin; i + 1 < end; ++i) points_[i].peer = points_[end - 1].peer;
    end = begin;
  }
}

int HashRing::GetIndex(std::string_view key) const {
  if (points_.empty()) return -1;
  const uint32_t h = hash_(key);
  auto it = std::lower_bound(points_.begin(), points_.end(), h,
                             [](const Point& p, uint32_t value) { return p.hash < value; });
  if (it == points_.end()) it = points_.begin();
  return static_cast<int>(it->peer);
}

std::string_view HashRing::Get(std::string_view key) const {
  int index = GetIndex(key);
  return index < 0 ? std::string_view() : std::string_view(peers_[index]);
}

}  // namespace groupcache
