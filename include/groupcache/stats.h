// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The counters a Group reports: plain value types, so that code which only
// reads or exports them (a cache, a metrics page) need not include group.h.
#ifndef GROUPCACHE_STATS_H_
#define GROUPCACHE_STATS_H_

#include <cstdint>

namespace groupcache {

// A snapshot of a Group's counters. They mean exactly what Go groupcache's
// Stats fields mean (docs/protocol.md, "Statistics").
struct Stats {
  int64_t gets = 0;             // every Get, including those made for peers
  int64_t cache_hits = 0;       // main or hot cache hits (first lookup and re-check)
  int64_t peer_loads = 0;       // values fetched from a peer
  int64_t peer_errors = 0;      // failed peer fetches (each followed by a local load)
  int64_t loads = 0;            // Gets that missed the first cache lookup
  int64_t loads_deduped = 0;    // loads that actually ran after singleflight
  int64_t local_loads = 0;      // getter successes
  int64_t local_load_errs = 0;  // getter failures
  int64_t server_requests = 0;  // requests from peers for this group
  // Gets answered NotFound from a remembered "not found" (not_found_ttl);
  // not in Go's Stats.
  int64_t not_found_hits = 0;
};

// A snapshot of one cache's counters, as Go's CacheStats.
struct CacheStats {
  int64_t bytes = 0;  // charged bytes held (see GroupOptions::entry_overhead_bytes)
  int64_t items = 0;
  int64_t gets = 0;
  int64_t hits = 0;
  int64_t evictions = 0;
};

// Which of a Group's two caches: the main cache holds keys this process
// owns (or loaded), the hot cache popular keys owned by other peers.
enum class CacheType { kMain, kHot };

}  // namespace groupcache

#endif  // GROUPCACHE_STATS_H_
