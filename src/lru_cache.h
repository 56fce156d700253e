// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_LRU_CACHE_H_
#define GROUPCACHE_SRC_LRU_CACHE_H_

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "groupcache/byte_view.h"
#include "groupcache/group.h"
#include "spin_mutex.h"

namespace groupcache::internal {

// An LruCache maps keys to values in recency order and counts the bytes it
// holds: key bytes + value bytes + entry_overhead per entry. It never evicts
// on its own; the Group decides what to evict across main and hot caches.
// Not thread-safe.
class LruCache {
 public:
  explicit LruCache(int64_t entry_overhead) : entry_overhead_(entry_overhead) {}
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;

  // Adds or replaces `key`, making it the most recent. Replacing subtracts the
  // old entry's bytes first, so nothing is counted twice.
  void Add(std::string_view key, ByteView value);
  // On a hit sets *out, makes the entry the most recent and returns true.
  bool Get(std::string_view key, ByteView* out);
  // Removes the least recent entry; false if empty.
  bool RemoveOldest();

  int64_t bytes() const { return bytes_; }
  int64_t items() const { return static_cast<int64_t>(map_.size()); }
  int64_t Charge(std::string_view key, const ByteView& value) const {
    return static_cast<int64_t>(key.size() + value.size()) + entry_overhead_;
  }

 private:
  struct Entry {
    std::string key;
    ByteView value;
  };
  using List = std::list<Entry>;

  int64_t entry_overhead_;
  int64_t bytes_ = 0;
  List list_;  // front = most recent
  std::unordered_map<std::string_view, List::iterator> map_;  // views into list_ keys
};

// A Cache is an LruCache behind a mutex, with Go's cache counters.
// Thread-safety: safe for concurrent use.
class Cache {
 public:
  explicit Cache(int64_t entry_overhead) : lru_(entry_overhead) {}

  bool Get(std::string_view key, ByteView* out);
  void Add(std::string_view key, ByteView value);
  void RemoveOldest();
  int64_t bytes() const;
  CacheStats stats() const;

 private:
  mutable SpinMutex mu_;
  LruCache lru_;            // guarded by mu_
  int64_t gets_ = 0;        // guarded by mu_
  int64_t hits_ = 0;        // guarded by mu_
  int64_t evictions_ = 0;   // guarded by mu_
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_LRU_CACHE_H_
