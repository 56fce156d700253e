// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "lru_cache.h"

namespace groupcache::internal {

void LruCache::Add(std::string_view key, ByteView value) {
  auto found = map_.find(key);
  if (found != map_.end()) {
    // Go adds the new size without removing the old one; we replace exactly.
    Entry& entry = *found->second;
    bytes_ -= Charge(entry.key, entry.value);
    bytes_ += Charge(entry.key, value);
    entry.value = std::move(value);
    list_.splice(list_.begin(), list_, found->second);
    return;
  }
  list_.push_front(Entry{std::string(key), std::move(value)});
  map_.emplace(list_.front().key, list_.begin());
  bytes_ += Charge(list_.front().key, list_.front().value);
}

bool LruCache::Get(std::string_view key, ByteView* out) {
  auto found = map_.find(key);
  if (found == map_.end()) return false;
  list_.splice(list_.begin(), list_, found->second);
  *out = found->second->value;
  return true;
}

bool LruCache::RemoveOldest() {
  if (list_.empty()) return false;
  Entry& oldest = list_.back();
  bytes_ -= Charge(oldest.key, oldest.value);
  map_.erase(oldest.key);
  list_.pop_back();
  return true;
}

bool Cache::Get(std::string_view key, ByteView* out) {
  std::lock_guard<SpinMutex> lock(mu_);
  ++gets_;
  if (!lru_.Get(key, out)) return false;
  ++hits_;
  return true;
}

void Cache::Add(std::string_view key, ByteView value) {
  std::lock_guard<SpinMutex> lock(mu_);
  lru_.Add(key, std::move(value));
}

void Cache::RemoveOldest() {
  std::lock_guard<SpinMutex> lock(mu_);
  if (lru_.RemoveOldest()) ++evictions_;
}

int64_t Cache::bytes() const {
  std::lock_guard<SpinMutex> lock(mu_);
  return lru_.bytes();
}

CacheStats Cache::stats() const {
  std::lock_guard<SpinMutex> lock(mu_);
  return CacheStats{lru_.bytes(), lru_.items(), gets_, hits_, evictions_};
}

}  // namespace groupcache::internal
