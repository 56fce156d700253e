// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_GROUP_H_
#define GROUPCACHE_GROUP_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "groupcache/byte_view.h"
#include "groupcache/executor.h"
#include "groupcache/export.h"
#include "groupcache/function.h"
#include "groupcache/getter.h"
#include "groupcache/peers.h"
#include "groupcache/stats.h"
#include "groupcache/status.h"

namespace groupcache {

// A HotCachePolicy decides whether a value fetched from its owner is also kept
// in this process's hot cache. Thread-safety: Admit may be called concurrently.
class GROUPCACHE_API HotCachePolicy {
 public:
  virtual ~HotCachePolicy() = default;
  virtual bool Admit(std::string_view key, const ByteView& value) = 0;
};

// Returns a random integer in [0, n); n >= 1. Must be safe for concurrent use.
using RandomSource = std::function<uint32_t(uint32_t n)>;

// Admits a value when random(one_in) == 0: one in ten by default, as Go does.
// A null random source uses a per-thread PRNG seeded from std::random_device.
GROUPCACHE_API std::shared_ptr<HotCachePolicy> RandomHotCachePolicy(uint32_t one_in = 10,
                                                                    RandomSource random = nullptr);

// What one cache entry costs beyond its key and value bytes when the budget is
// charged: the list node (80 bytes as glibc allocates it), the index node and
// bucket (about 60), the value buffer's header, cache-line padding and malloc
// rounding (about 70). Measured with bench/memory: 1 KiB values used 1261
// bytes of RSS each for 1034 bytes of key and value.
inline constexpr int64_t kDefaultEntryOverhead = 224;

struct GroupOptions {
  // Who may be admitted to the hot cache; null means RandomHotCachePolicy().
  std::shared_ptr<HotCachePolicy> hot_cache_policy;
  // Where getters run. Null means the registry's loader (by default inline in
  // the thread that started the load). Not owned; must outlive the group.
  Executor* loader = nullptr;
  // Bytes charged per entry on top of key and value bytes. 0 counts as Go
  // does (key + value only); the default also counts real memory overhead, so
  // the budget bounds the process's memory more honestly.
  int64_t entry_overhead_bytes = kDefaultEntryOverhead;
  // The longest a value is kept, from when it is loaded here (by the getter,
  // or from a peer into the hot cache): its expiry is the earlier of the one
  // it carries (Sink::SetExpiry, or the owner's) and now + ttl. Zero: no cap.
  std::chrono::nanoseconds ttl{0};
  // Takes a random amount in [0, ttl_jitter] off each value's ttl, so keys
  // loaded together do not all expire (and reload) together. At most ttl.
  std::chrono::nanoseconds ttl_jitter{0};
  // How long a "not found" answer of the getter is remembered (negative
  // caching): for this long, a Get of that key answers NotFound without
  // calling the getter or asking a peer, so a flood of requests for a
  // missing key does not reach the source each time. The record is kept in
  // the main cache, charged as the key alone. Zero (the default): never kept.
  std::chrono::nanoseconds not_found_ttl{0};
  // The wall clock that expiry is judged by; null means
  // std::chrono::system_clock::now. Tests inject one. Read on a hit only
  // when the value found expires. Must be safe for concurrent use.
  std::function<std::chrono::system_clock::time_point()> clock;
};

// Where a Get comes from.
struct GetOptions {
  // True for a request made by a peer: the value is loaded here and never
  // forwarded to another peer, so peers whose lists disagree cannot loop.
  bool from_peer = false;
};

namespace internal {
class GroupCore;
}

// A Group is a cache namespace: a name, a getter, a byte budget shared by a
// main cache (keys this process loaded) and a hot cache (popular keys owned by
// other peers), and the singleflight that makes one load per key at a time.
// Thread-safety: safe for concurrent use. Create groups with GroupRegistry.
class GROUPCACHE_API Group {
 public:
  using Callback = MoveOnlyFunction<void(Result<ByteView>)>;

  ~Group();
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  const std::string& name() const;

  // Looks `key` up and calls `done(Result<ByteView>)` exactly once: inline on a
  // cache hit (no allocation), otherwise on the thread that finished the load
  // (a loader thread or an I/O thread). NotFound and other getter errors come
  // through unchanged; a failed peer fetch falls back to a local load.
  template <typename F>
  void GetAsync(std::string_view key, F&& done, GetOptions options = {}) {
    ByteView hit;
    if (LookupForGet(key, &hit)) {
      done(Result<ByteView>(std::move(hit)));
      return;
    }
    Load(key, Callback(std::forward<F>(done)), options);
  }

  // The blocking form: returns the value or the error. Must not be called
  // from an I/O thread of the HTTP runtime (it would wait on itself).
  Result<ByteView> Get(std::string_view key, GetOptions options = {});

  // Removes `key` from the whole pool, in groupcache-go v3's order: from
  // its owner first (if that is another peer; a failure there stops here and
  // is returned), then from this process's caches, then from every other
  // peer's caches (their hot copies), all at once. A load of `key` that is in
  // flight here meanwhile is answered but not kept. Calls `done` once, on
  // any thread, with OK or the errors of the peers that failed, together.
  // Peers are asked only if the pool can send changes (see
  // HttpPoolOptions::send_mutations).
  void RemoveAsync(std::string_view key, MoveOnlyFunction<void(Status)> done);
  // The blocking form. Must not be called from an I/O thread of the runtime.
  Status Remove(std::string_view key);
  // Stores `value` (with its expiry) as `key` in the whole pool, in
  // groupcache-go v3's order: at the owner first (if another peer; its
  // failure stops here), then in this process's main cache (dropping a hot
  // copy), then at every other peer. Calls `done` once, as RemoveAsync.
  void SetAsync(std::string_view key, ByteView value, MoveOnlyFunction<void(Status)> done);
  Status Set(std::string_view key, ByteView value);

  // Empties the group's caches in the whole pool: here first, then every
  // other peer at once (when the pool can send changes). Loads in flight
  // meanwhile are answered but not kept. The entries are freed after the
  // caches' locks are released, so lookups are held up only briefly. Calls
  // `done` once, with OK or the peers' failures together.
  void PurgeAsync(MoveOnlyFunction<void(Status)> done);
  Status Purge();

  // The receiving side of a peer's Remove, Set and Purge: this process's
  // caches only. RemoveLocally returns true when the key was cached here.
  bool RemoveLocally(std::string_view key);
  void SetLocally(std::string_view key, ByteView value);
  void PurgeLocally();

  Stats stats() const;
  CacheStats cache_stats(CacheType which) const;
  int64_t cache_bytes() const;

  // Counts a request that arrived from a peer (the HTTP handler calls it).
  void RecordServerRequest();
  // Replaces the peer picker; null means "no peers": every key loads here.
  void SetPeerPicker(std::shared_ptr<PeerPicker> picker);

 private:
  friend class GroupRegistry;
  Group(std::string name, int64_t cache_bytes, std::shared_ptr<Getter> getter, GroupOptions options,
        Executor* default_loader);

  // Counts a Get and looks in the caches; true and *out set on a hit.
  bool LookupForGet(std::string_view key, ByteView* out);
  void Load(std::string_view key, Callback done, GetOptions options);

  // Shared with the loads in flight (a peer fetch, a queued getter), so that
  // a load finishing after the Group is destroyed still finds its state.
  std::shared_ptr<internal::GroupCore> core_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_GROUP_H_
