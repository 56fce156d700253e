// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The ring fingerprint a pool sends on peer requests and responses, and the
// counter of the fingerprints it receives that differ from its own.
#ifndef GROUPCACHE_SRC_HTTP_RING_FINGERPRINT_H_
#define GROUPCACHE_SRC_HTTP_RING_FINGERPRINT_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace groupcache::internal {

// The header that carries the fingerprint. Go peers ignore it.
inline constexpr std::string_view kRingHeader = "X-Groupcache-Ring";

// The hash behind RingFingerprint: 64-bit FNV-1a over each member of the
// sorted, de-duplicated list followed by '\n'. Sorts and de-duplicates
// `peers` in place.
uint64_t RingHash(std::vector<std::string>& peers);

// `hash` as 16 lowercase hex digits.
std::array<char, 16> RingHex(uint64_t hash);

// A RingState is one pool's fingerprint and mismatch counter, shared by the
// pool, its handler and every peer client it made (a fetch in flight may
// outlive the pool). Thread-safe; the fields are relaxed atomics: the
// fingerprint is one word published whole by Set, and a request formats its
// 16 digits from one load, with no lock on the peer path.
struct RingState {
  explicit RingState(uint64_t initial) : fingerprint(initial) {}

  std::array<char, 16> Hex() const { return RingHex(fingerprint.load(std::memory_order_relaxed)); }

  // Counts a mismatch when `received` (a header value; empty when the header
  // is absent, as from Go peers) is present and differs from ours.
  void Check(std::string_view received) {
    if (received.empty()) return;
    const std::array<char, 16> ours = Hex();
    if (received != std::string_view(ours.data(), ours.size())) {
      mismatches.fetch_add(1, std::memory_order_relaxed);
    }
  }

  std::atomic<uint64_t> fingerprint;
  std::atomic<uint64_t> mismatches{0};
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_RING_FINGERPRINT_H_
