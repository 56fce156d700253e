// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_CORE_CLOCK_CACHE_H_
#define GROUPCACHE_SRC_CORE_CLOCK_CACHE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/cpu_slot.h"
#include "core/spin_mutex.h"
#include "core/thread_annotations.h"
#include "groupcache/byte_view.h"
#include "groupcache/stats.h"

namespace groupcache::internal {

// A ClockCache maps keys to values and counts the bytes it holds: key bytes +
// value bytes + entry_overhead per entry. It never evicts on its own; the
// CacheShard decides what to evict across the main and hot caches.
//
// Recency is approximated with CLOCK (second chance), not kept exactly as
// Go's list does: a hit only marks its entry, and RemoveOldest walks from
// the oldest end, giving each marked entry one more round (unmark, move to
// the newest end) and removing the first unmarked one. An exact LRU writes
// the shared list on every hit; this one writes nothing on a hit to an entry
// that is already marked, so hits on several cores do not fight over cache
// lines. New and replaced entries start unmarked: a value that was never hit
// goes before one that was, which also keeps a scan from flushing hot keys.
//
// An entry whose value expires (ByteView::expires) is also indexed by its
// expiry, so that expired entries can be removed before any live one
// (RemoveExpired), and Get treats an expired entry as absent.
//
// Thread-safety: Get may run concurrently with other Gets; everything else
// needs exclusive access (see CacheShard).
class ClockCache {
 public:
  // The most marked entries one RemoveOldest passes over before it removes
  // one regardless, so that an eviction is bounded even when every entry has
  // been hit since the last sweep.
  static constexpr int kMaxSecondChances = 64;

  explicit ClockCache(int64_t entry_overhead) : entry_overhead_(entry_overhead) {}
  ClockCache(const ClockCache&) = delete;
  ClockCache& operator=(const ClockCache&) = delete;

  // Adds or replaces `key` as the newest, unmarked entry. Replacing
  // subtracts the old entry's bytes first, so nothing is counted twice.
  // `not_found` makes it a negative entry: a record that the key does not
  // exist, which Get never returns (see IsNotFound). It must expire.
  void Add(std::string_view key, ByteView value, bool not_found = false);
  // On a hit sets *out, marks the entry and returns true. An entry whose
  // value has expired by now_unix_nanos() is a miss (and is not marked);
  // now_unix_nanos is called only for a value that expires.
  template <typename Now>
  bool Get(std::string_view key, ByteView* out, const Now& now_unix_nanos) const {
    auto found = map_.find(key);
    if (found == map_.end()) return false;
    const Entry& entry = *found->second;
    // Only expiring entries can be stale or negative: one branch for the rest.
    if (entry.value.expires() && (entry.not_found || entry.value.ExpiredAt(now_unix_nanos()))) return false;
    // Read before writing: a marked entry's cache line is left unmodified.
    if (!entry.marked.load(std::memory_order_relaxed)) entry.marked.store(true, std::memory_order_relaxed);
    *out = entry.value;
    return true;
  }
  // The same, judging expiry by the system clock.
  bool Get(std::string_view key, ByteView* out) const { return Get(key, out, SystemNow); }
  // Sets *out to `key`'s value, expired or not, without marking it; false
  // for a negative entry or none.
  bool Peek(std::string_view key, ByteView* out) const {
    auto found = map_.find(key);
    if (found == map_.end() || found->second->not_found) return false;
    *out = found->second->value;
    return true;
  }
  // True when `key` has a negative entry that has not expired by `now_unix_nanos`.
  bool IsNotFound(std::string_view key, int64_t now_unix_nanos) const {
    auto found = map_.find(key);
    return found != map_.end() && found->second->not_found && !found->second->value.ExpiredAt(now_unix_nanos);
  }
  // Removes the oldest unmarked entry (see above); false if empty.
  bool RemoveOldest();

  // The system clock in Unix nanoseconds.
  static int64_t SystemNow() { return ByteView::ToUnixNanos(std::chrono::system_clock::now()); }
  // Removes the entry that expired first, if it has expired by
  // `now_unix_nanos`; false if no entry has.
  bool RemoveExpired(int64_t now_unix_nanos);
  // Removes `key`; false if absent.
  bool Remove(std::string_view key);
  // Moves every entry into `into` (which must be empty), leaving this cache
  // empty: O(1), so that a caller holding a lock can free the entries after
  // releasing it.
  void MoveAllTo(ClockCache& into);

  int64_t bytes() const { return bytes_; }
  int64_t items() const { return static_cast<int64_t>(map_.size()); }
  int64_t Charge(std::string_view key, const ByteView& value) const {
    return static_cast<int64_t>(key.size() + value.size()) + entry_overhead_;
  }

 private:
  struct Entry {
    Entry(std::string k, ByteView v) : key(std::move(k)), value(std::move(v)) {}
    std::string key;
    ByteView value;
    // Set by Get (only when clear, so a hot entry's line stays shared
    // between cores), cleared by RemoveOldest.
    mutable std::atomic<bool> marked{false};
    bool not_found = false;  // a negative entry (Add)
    // Its place in by_expiry_ when value.expires(); unused otherwise.
    std::multimap<int64_t, std::list<Entry>::iterator>::iterator expiry_pos;
  };
  using List = std::list<Entry>;

  // Takes `it` out of every index and the byte count, and erases it.
  void Erase(List::iterator it);

  int64_t entry_overhead_;
  int64_t bytes_ = 0;
  List list_;                                                 // front = newest
  std::unordered_map<std::string_view, List::iterator> map_;  // views into list_ keys
  std::multimap<int64_t, List::iterator> by_expiry_;          // entries that expire, by expiry
};

// A CacheShard is one main and one hot ClockCache sharing a byte budget,
// evicted between them by Go's rule, with Go's counters for each.
//
// Lookups take a reader lock that writes only the caller's CPU's own slot
// (a cache line of its own, which also holds that CPU's get and hit
// counters). Adding takes every slot. So hits on different cores share no
// written memory except the values themselves, and they scale with cores;
// an add costs one uncontended lock per slot, which is small next to the
// load that produced the value.
//
// Thread-safety: safe for concurrent use.
class CacheShard {
 public:
  CacheShard(int64_t budget, int64_t entry_overhead);
  CacheShard(const CacheShard&) = delete;
  CacheShard& operator=(const CacheShard&) = delete;

  // Returns the wall-clock time in Unix nanoseconds: what expiry is judged by.
  using NowFn = int64_t (*)(const void* context);

  // Looks in the main cache, then the hot cache, counting a get (and a hit)
  // for each cache looked in, as Go does. An expired value is a miss.
  // `now(context)` is called only when a value found expires.
  bool Lookup(std::string_view key, ByteView* out, NowFn now, const void* context);
  // Adds to one cache, then evicts until within budget: expired entries
  // first (hot, then main), then from the hot cache while it holds more
  // than 1/8 of the main cache's bytes, else from main.
  void Populate(std::string_view key, ByteView value, CacheType which, int64_t now_unix_nanos);
  // The same two, judging expiry by the system clock.
  bool Lookup(std::string_view key, ByteView* out) {
    return Lookup(
        key, out, [](const void*) { return ClockCache::SystemNow(); }, nullptr);
  }
  void Populate(std::string_view key, ByteView value, CacheType which) {
    Populate(key, std::move(value), which, ClockCache::SystemNow());
  }
  // Records in the main cache, until `expire_unix_nanos`, that `key` does
  // not exist (charged as the key alone), evicting as Populate does.
  void PopulateNotFound(std::string_view key, int64_t expire_unix_nanos, int64_t now_unix_nanos);
  // True when the main cache records that `key` does not exist (and the
  // record has not expired). Not counted as a get.
  bool LookupNotFound(std::string_view key, int64_t now_unix_nanos);
  // Sets *out to `key`'s value in the main cache, or else the hot cache,
  // if it has expired by `now_unix_nanos` and is still held (expired
  // entries stay until space is needed). Not counted as a get.
  bool LookupExpired(std::string_view key, ByteView* out, int64_t now_unix_nanos);
  // Removes `key` from both caches; true if it was in either.
  bool Remove(std::string_view key);
  // Empties both caches. The entries are freed after the lock is released,
  // so lookups wait only for the swap, however large the caches were.
  // Counters (gets, hits, evictions) are kept.
  void Clear();
  CacheStats stats(CacheType which) const;

  // The number of reader slots: a power of two covering this machine's CPUs.
  size_t slot_count() const { return slots_.size(); }

 private:
  struct alignas(64) Slot {
    SpinMutex mu;
    // Counters of the lookups made under this slot.
    int64_t main_gets GUARDED_BY(mu) = 0;
    int64_t main_hits GUARDED_BY(mu) = 0;
    int64_t hot_gets GUARDED_BY(mu) = 0;
    int64_t hot_hits GUARDED_BY(mu) = 0;
  };
  // The slots together, as one reader-writer lock for the thread-safety
  // analysis: a reader holds it shared (one slot), a writer exclusively
  // (every slot). It has no state and takes no space; the slots are the lock.
  struct CAPABILITY("mutex") AllSlots {};
  // Holds the calling CPU's slot: one reader of the shard.
  class SCOPED_CAPABILITY ReaderLock {
   public:
    ReaderLock([[maybe_unused]] const CacheShard& shard, Slot& slot) ACQUIRE_SHARED(shard.all_slots_)
        ACQUIRE(slot.mu)
        : slot_(slot) {
      slot_.mu.lock();
    }
    ~ReaderLock() RELEASE() { slot_.mu.unlock(); }
    ReaderLock(const ReaderLock&) = delete;
    ReaderLock& operator=(const ReaderLock&) = delete;

   private:
    Slot& slot_;
  };
  // Holds every slot: excludes all lookups. Slots are taken in index order,
  // and a reader never holds more than one, so there is no deadlock.
  class SCOPED_CAPABILITY ExclusiveLock {
   public:
    explicit ExclusiveLock(const CacheShard& shard) ACQUIRE(shard.all_slots_);
    ~ExclusiveLock() RELEASE();
    ExclusiveLock(const ExclusiveLock&) = delete;
    ExclusiveLock& operator=(const ExclusiveLock&) = delete;

   private:
    const CacheShard& shard_;
  };

  // Evicts until within budget (see Populate).
  void EvictLocked(int64_t now_unix_nanos) REQUIRES(all_slots_);
  // Adds every slot's get and hit counters of one cache to `out`.
  void AddSlotCounters(bool main, CacheStats& out) const REQUIRES(all_slots_);

  const int64_t budget_;
  PerCpu<Slot> slots_;
  [[no_unique_address]] mutable AllSlots all_slots_;
  // Read under any one slot, written under all.
  ClockCache main_ GUARDED_BY(all_slots_);
  ClockCache hot_ GUARDED_BY(all_slots_);
  int64_t main_evictions_ GUARDED_BY(all_slots_) = 0;
  int64_t hot_evictions_ GUARDED_BY(all_slots_) = 0;
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_CORE_CLOCK_CACHE_H_
