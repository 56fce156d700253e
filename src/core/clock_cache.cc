// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "core/clock_cache.h"

#include <mutex>

namespace groupcache::internal {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
}  // namespace

void ClockCache::Add(std::string_view key, ByteView value, bool not_found) {
  auto found = map_.find(key);
  if (found != map_.end()) {
    // Go adds the new size without removing the old one; we replace exactly.
    Entry& entry = *found->second;
    bytes_ -= Charge(entry.key, entry.value);
    bytes_ += Charge(entry.key, value);
    if (entry.value.expires()) by_expiry_.erase(entry.expiry_pos);
    entry.value = std::move(value);
    if (entry.value.expires()) {
      entry.expiry_pos = by_expiry_.emplace(entry.value.expire_unix_nanos(), found->second);
    }
    entry.not_found = not_found;
    entry.marked.store(false, kRelaxed);
    list_.splice(list_.begin(), list_, found->second);
    return;
  }
  list_.emplace_front(std::string(key), std::move(value));
  Entry& entry = list_.front();
  entry.not_found = not_found;
  map_.emplace(entry.key, list_.begin());
  if (entry.value.expires())
    entry.expiry_pos = by_expiry_.emplace(entry.value.expire_unix_nanos(), list_.begin());
  bytes_ += Charge(entry.key, entry.value);
}

void ClockCache::Erase(List::iterator it) {
  bytes_ -= Charge(it->key, it->value);
  if (it->value.expires()) by_expiry_.erase(it->expiry_pos);
  map_.erase(it->key);
  list_.erase(it);
}

bool ClockCache::RemoveOldest() {
  if (list_.empty()) return false;
  for (int chances = 0; chances < kMaxSecondChances && list_.back().marked.load(kRelaxed); ++chances) {
    list_.back().marked.store(false, kRelaxed);
    list_.splice(list_.begin(), list_, std::prev(list_.end()));
  }
  Erase(std::prev(list_.end()));
  return true;
}

bool ClockCache::RemoveExpired(int64_t now_unix_nanos) {
  if (by_expiry_.empty() || by_expiry_.begin()->first > now_unix_nanos) return false;
  Erase(by_expiry_.begin()->second);
  return true;
}

void ClockCache::MoveAllTo(ClockCache& into) {
  // std::list and the node-based maps keep their nodes when swapped, so the
  // map's string_views and the index's iterators stay valid.
  into.list_.swap(list_);
  into.map_.swap(map_);
  into.by_expiry_.swap(by_expiry_);
  std::swap(into.bytes_, bytes_);
}

bool ClockCache::Remove(std::string_view key) {
  auto found = map_.find(key);
  if (found == map_.end()) return false;
  Erase(found->second);
  return true;
}

CacheShard::CacheShard(int64_t budget, int64_t entry_overhead)
    : budget_(budget), main_(entry_overhead), hot_(entry_overhead) {}

// The analysis cannot follow a lock per element of an array: these two take
// and give back every slot, which is what all_slots_ stands for.
CacheShard::ExclusiveLock::ExclusiveLock(const CacheShard& shard) NO_THREAD_SAFETY_ANALYSIS : shard_(shard) {
  for (size_t i = 0; i < shard_.slots_.size(); ++i) shard_.slots_[i].mu.lock();
}

CacheShard::ExclusiveLock::~ExclusiveLock() NO_THREAD_SAFETY_ANALYSIS {
  for (size_t i = shard_.slots_.size(); i > 0; --i) shard_.slots_[i - 1].mu.unlock();
}

bool CacheShard::Lookup(std::string_view key, ByteView* out, NowFn now, const void* context) {
  Slot& slot = slots_.Local();
  ReaderLock lock(*this, slot);
  // The clock is read at most once per lookup, and only for a value that
  // expires.
  int64_t now_ns = -1;
  auto read_clock = [&] { return now_ns >= 0 ? now_ns : (now_ns = now(context)); };
  ++slot.main_gets;
  if (main_.Get(key, out, read_clock)) {
    ++slot.main_hits;
    return true;
  }
  ++slot.hot_gets;
  if (hot_.Get(key, out, read_clock)) {
    ++slot.hot_hits;
    return true;
  }
  return false;
}

void CacheShard::Clear() {
  ClockCache old_main(0), old_hot(0);
  {
    ExclusiveLock lock(*this);
    main_.MoveAllTo(old_main);
    hot_.MoveAllTo(old_hot);
  }
  // old_main and old_hot free their entries here, with no lock held.
}

bool CacheShard::Remove(std::string_view key) {
  ExclusiveLock lock(*this);
  const bool in_main = main_.Remove(key);
  const bool in_hot = hot_.Remove(key);
  return in_main || in_hot;
}

void CacheShard::Populate(std::string_view key, ByteView value, CacheType which, int64_t now_unix_nanos) {
  ExclusiveLock lock(*this);
  (which == CacheType::kMain ? main_ : hot_).Add(key, std::move(value));
  EvictLocked(now_unix_nanos);
}

void CacheShard::PopulateNotFound(std::string_view key, int64_t expire_unix_nanos, int64_t now_unix_nanos) {
  ExclusiveLock lock(*this);
  main_.Add(key, ByteView().WithExpiry(expire_unix_nanos), /*not_found=*/true);
  EvictLocked(now_unix_nanos);
}

bool CacheShard::LookupExpired(std::string_view key, ByteView* out, int64_t now_unix_nanos) {
  Slot& slot = slots_.Local();
  ReaderLock lock(*this, slot);
  for (const ClockCache* cache : {&main_, &hot_}) {
    if (cache->Peek(key, out) && out->ExpiredAt(now_unix_nanos)) return true;
  }
  return false;
}

bool CacheShard::LookupNotFound(std::string_view key, int64_t now_unix_nanos) {
  Slot& slot = slots_.Local();
  ReaderLock lock(*this, slot);
  return main_.IsNotFound(key, now_unix_nanos);
}

void CacheShard::EvictLocked(int64_t now_unix_nanos) {
  while (main_.bytes() + hot_.bytes() > budget_) {
    // Expired entries go first: they are misses already.
    if (hot_.RemoveExpired(now_unix_nanos)) {
      ++hot_evictions_;
      continue;
    }
    if (main_.RemoveExpired(now_unix_nanos)) {
      ++main_evictions_;
      continue;
    }
    const bool from_hot = hot_.bytes() > main_.bytes() / 8;
    if (!(from_hot ? hot_ : main_).RemoveOldest()) return;  // cannot happen: bytes > 0 means entries
    ++(from_hot ? hot_evictions_ : main_evictions_);
  }
}

CacheStats CacheShard::stats(CacheType which) const {
  ExclusiveLock lock(*this);
  const bool main = which == CacheType::kMain;
  const ClockCache& cache = main ? main_ : hot_;
  CacheStats out{cache.bytes(), cache.items(), 0, 0, main ? main_evictions_ : hot_evictions_};
  AddSlotCounters(main, out);
  return out;
}

// The caller holds every slot; the analysis knows that only as all_slots_,
// not slot by slot.
inline void CacheShard::AddSlotCounters(bool main, CacheStats& out) const NO_THREAD_SAFETY_ANALYSIS {
  for (size_t i = 0; i < slots_.size(); ++i) {
    out.gets += main ? slots_[i].main_gets : slots_[i].hot_gets;
    out.hits += main ? slots_[i].main_hits : slots_[i].hot_hits;
  }
}

}  // namespace groupcache::internal
