// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_CORE_GROUP_CORE_H_
#define GROUPCACHE_SRC_CORE_GROUP_CORE_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock_cache.h"
#include "core/cpu_slot.h"
#include "core/mutex.h"
#include "core/singleflight.h"
#include "groupcache/group.h"

namespace groupcache::internal {

// The counters behind Stats. Relaxed atomics: each is an independent tally.
// The two counted on every cache hit are striped over cache lines, one
// stripe per CPU (see cpu_slot.h), so cores hitting the cache at once do not
// fight over one line; stats() adds the stripes up.
struct AtomicStats {
  struct alignas(64) HitStripe {
    std::atomic<int64_t> gets{0};
    std::atomic<int64_t> cache_hits{0};
  };
  HitStripe& stripe() { return hit_stripes.Local(); }

  PerCpu<HitStripe> hit_stripes;
  std::atomic<int64_t> peer_loads{0}, peer_errors{0}, loads{0}, loads_deduped{0}, local_loads{0},
      local_load_errs{0}, server_requests{0}, not_found_hits{0};
};

// The state of a Group, kept out of the public header.
//
// Loads go through two flight tables. A Get from a client joins
// `client_flights_`; its leader re-checks the caches, asks the owning peer,
// and on failure (or when this process owns the key) does a local load. A Get
// from a peer goes straight to a local load. Local loads join
// `local_flights_`, so the getter runs once per key at a time whoever asked.
// Keeping peer requests out of the client table is what stops two processes
// that disagree about ownership from waiting on each other.
//
// Callbacks that leave the core (to a peer fetch, to the loader) hold a
// shared_ptr to it, so a Group destroyed while one of its loads is in flight
// does not leave that load a dangling pointer.
class GroupCore : public std::enable_shared_from_this<GroupCore> {
 public:
  GroupCore(std::string name, int64_t cache_bytes, std::shared_ptr<Getter> getter, GroupOptions options,
            Executor* loader);

  bool LookupCache(std::string_view key, ByteView* out);
  // Adds `value` to one cache, unless it has already expired.
  void PopulateCache(std::string_view key, const ByteView& value, CacheType which);
  // True when `key` is remembered as not found (not_found_ttl); counts it.
  bool RememberedNotFound(std::string_view key);
  // Removes `key` from this process's caches; true if it was there.
  bool RemoveFromCache(std::string_view key);
  // The wall clock (options.clock or the system's), in Unix nanoseconds.
  int64_t NowUnixNanos() const;
  // `value` with its expiry capped by the group's ttl from now (with
  // jitter); unchanged when the group has no ttl.
  ByteView CapExpiry(ByteView value) const;
  CacheStats SumCacheStats(CacheType which) const;

  // Remove (value ignored) or Set, across the pool: see Group::RemoveAsync.
  enum class Change { kRemove, kSet };
  void ChangeEverywhere(Change change, std::string key, ByteView value, MoveOnlyFunction<void(Status)> done);
  // Applies a change to this process's caches only.
  bool ApplyLocally(Change change, std::string_view key, const ByteView& value);
  // Empties this process's caches (both) and keeps the loads in flight from
  // filling them with what was loaded before.
  void PurgeLocally();
  // PurgeLocally here, then on every peer at once (see Group::PurgeAsync).
  void PurgeEverywhere(MoveOnlyFunction<void(Status)> done);

  void LoadForClient(std::string key, Group::Callback done);
  void LoadForPeer(const std::string& key, Group::Callback done);

  std::shared_ptr<PeerPicker> picker() EXCLUDES(picker_mu_);
  void set_picker(std::shared_ptr<PeerPicker> picker) EXCLUDES(picker_mu_);

  const std::string name_;
  const int64_t cache_bytes_;
  const std::shared_ptr<Getter> getter_;
  AsyncGetter* const async_getter_;  // getter_ when it is one, else null
  const std::shared_ptr<HotCachePolicy> hot_policy_;
  Executor* const loader_;
  const std::chrono::nanoseconds ttl_;
  const std::chrono::nanoseconds ttl_jitter_;
  const std::chrono::nanoseconds not_found_ttl_;
  const std::function<std::chrono::system_clock::time_point()> clock_;
  AtomicStats stats_;

 private:
  // Counts the changes applied here (Remove, Set). A load notes it before it
  // asks the getter or the peer, and keeps its value only if no change came
  // in meanwhile, so that a value loaded before a Remove is not cached after
  // it. Per group: a change to one key also stops the other loads in flight
  // from being kept, which costs reloads, never a stale value.
  std::atomic<uint64_t> changes_{0};
  // PopulateCache, unless a change came in since `changes_before`.
  void PopulateIfUnchanged(std::string_view key, const ByteView& value, CacheType which,
                           uint64_t changes_before);

  void LeadClientLoad(const std::string& key);
  void FetchFromPeer(const std::string& key, const std::shared_ptr<PeerGetter>& peer);
  // Joins (or leads) the local load of `key`; `done` gets its result. A
  // leader counts loads_deduped when `count` is true: the caller has not
  // counted this load yet (Go counts once per load that really runs).
  void LoadLocally(const std::string& key, Group::Callback done, bool count);
  // A Sink for a load of `key`, with the expired value it replaces.
  void PrepareSink(const std::string& key, Sink& sink);
  void RunGetter(const std::string& key);
  // Starts async_getter_ on this thread; its `done` finishes the load.
  void StartAsyncGetter(const std::string& key);
  // What a load does with the getter's outcome: counts it, caches the value
  // (unless a change came in since `changes`) or the not-found, and answers
  // the local flight.
  void FinishLoad(const std::string& key, Sink& sink, Status status, uint64_t changes);

  Mutex picker_mu_;
  std::shared_ptr<PeerPicker> picker_ GUARDED_BY(picker_mu_);
  CacheShard& ShardFor(std::string_view key);

  // A group of 8 MiB or more is split into up to 16 shards by key hash, each
  // with an equal slice of the budget, so that adds on different keys take
  // different locks. A smaller group is one shard.
  std::vector<std::unique_ptr<CacheShard>> shards_;
  Singleflight<Group::Callback> client_flights_;
  Singleflight<Group::Callback> local_flights_;
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_CORE_GROUP_CORE_H_
