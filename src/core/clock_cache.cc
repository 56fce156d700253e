// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "core/clock_cache.h"

#include <mutex>

namespace groupcache::internal {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
}  // namespace

void ClockCache::Add(std::string_view key, ByteView value) {
  auto found = map_.find(key);
  if (found != map_.end()) {
    // Go adds the new size without removing the old one; we replace exactly.
    Entry& entry = *found->second;
    bytes_ -= Charge(entry.key, entry.value);
    bytes_ += Charge(entry.key, value);
    entry.value = std::move(value);
    entry.marked.store(false, kRelaxed);
    list_.splice(list_.begin(), list_, found->second);
    return;
  }
  list_.emplace_front(std::string(key), std::move(value));
  map_.emplace(list_.front().key, list_.begin());
  bytes_ += Charge(list_.front().key, list_.front().value);
}

bool ClockCache::Get(std::string_view key, ByteView* out) const {
  auto found = map_.find(key);
  if (found == map_.end()) return false;
  const Entry& entry = *found->second;
  // Read before writing: a marked entry's cache line is left unmodified.
  if (!entry.marked.load(kRelaxed)) entry.marked.store(true, kRelaxed);
  *out = entry.value;
  return true;
}

bool ClockCache::RemoveOldest() {
  if (list_.empty()) return false;
  for (int chances = 0; chances < kMaxSecondChances && list_.back().marked.load(kRelaxed); ++chances) {
    list_.back().marked.store(false, kRelaxed);
    list_.splice(list_.begin(), list_, std::prev(list_.end()));
  }
  Entry& oldest = list_.back();
  bytes_ -= Charge(oldest.key, oldest.value);
  map_.erase(oldest.key);
  list_.pop_back();
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

bool CacheShard::Lookup(std::string_view key, ByteView* out) {
  Slot& slot = slots_.Local();
  ReaderLock lock(*this, slot);
  ++slot.main_gets;
  if (main_.Get(key, out)) {
    ++slot.main_hits;
    return true;
  }
  ++slot.hot_gets;
  if (hot_.Get(key, out)) {
    ++slot.hot_hits;
    return true;
  }
  return false;
}

void CacheShard::Populate(std::string_view key, ByteView value, CacheType which) {
  ExclusiveLock lock(*this);
  (which == CacheType::kMain ? main_ : hot_).Add(key, std::move(value));
  while (main_.bytes() + hot_.bytes() > budget_) {
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
