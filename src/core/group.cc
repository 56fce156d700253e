// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/group.h"

#include <exception>
#include <future>
#include <mutex>
#include <random>

#include "core/group_core.h"

namespace groupcache {
namespace internal {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

// Shards for a budget: one per 8 MiB, at most 16, a power of two.
size_t ShardCount(int64_t cache_bytes) {
  size_t shards = 1;
  while (shards < 16 && cache_bytes / static_cast<int64_t>(shards * 2) >= (int64_t{8} << 20)) shards *= 2;
  return shards;
}

CacheStats& operator+=(CacheStats& a, const CacheStats& b) {
  a.bytes += b.bytes;
  a.items += b.items;
  a.gets += b.gets;
  a.hits += b.hits;
  a.evictions += b.evictions;
  return a;
}
}  // namespace

GroupCore::GroupCore(std::string name, int64_t cache_bytes, std::shared_ptr<Getter> getter,
                     GroupOptions options, Executor* loader)
    : name_(std::move(name)),
      cache_bytes_(cache_bytes),
      getter_(std::move(getter)),
      async_getter_(dynamic_cast<AsyncGetter*>(getter_.get())),
      hot_policy_(options.hot_cache_policy ? std::move(options.hot_cache_policy) : RandomHotCachePolicy()),
      loader_(loader),
      ttl_(options.ttl),
      ttl_jitter_(options.ttl_jitter),
      not_found_ttl_(options.not_found_ttl),
      clock_(std::move(options.clock)) {
  const size_t shards = ShardCount(cache_bytes);
  for (size_t i = 0; i < shards; ++i) {
    shards_.push_back(std::make_unique<CacheShard>(cache_bytes / static_cast<int64_t>(shards),
                                                   options.entry_overhead_bytes));
  }
}

CacheShard& GroupCore::ShardFor(std::string_view key) {
  if (shards_.size() == 1) return *shards_[0];
  return *shards_[std::hash<std::string_view>()(key) & (shards_.size() - 1)];
}

int64_t GroupCore::NowUnixNanos() const {
  return ByteView::ToUnixNanos(clock_ ? clock_() : std::chrono::system_clock::now());
}

ByteView GroupCore::CapExpiry(ByteView value) const {
  if (ttl_.count() == 0) return value;
  std::chrono::nanoseconds ttl = ttl_;
  if (ttl_jitter_.count() > 0) {
    thread_local std::minstd_rand random(std::random_device{}());
    ttl -= std::chrono::nanoseconds(std::uniform_int_distribution<int64_t>(0, ttl_jitter_.count())(random));
  }
  const int64_t now = NowUnixNanos();
  const int64_t cap = ttl.count() > INT64_MAX - now ? INT64_MAX : now + ttl.count();
  if (value.expires() && value.expire_unix_nanos() <= cap) return value;
  return std::move(value).WithExpiry(cap);
}

bool GroupCore::LookupCache(std::string_view key, ByteView* out) {
  if (cache_bytes_ <= 0) return false;
  return ShardFor(key).Lookup(
      key, out, [](const void* core) { return static_cast<const GroupCore*>(core)->NowUnixNanos(); }, this);
}

void GroupCore::PopulateCache(std::string_view key, const ByteView& value, CacheType which) {
  if (cache_bytes_ <= 0) return;
  // One clock read per add (small next to the add's locks): to refuse a
  // value that has expired and to evict expired entries before live ones.
  const int64_t now = NowUnixNanos();
  if (value.ExpiredAt(now)) return;
  ShardFor(key).Populate(key, value, which, now);
}

bool GroupCore::RememberedNotFound(std::string_view key) {
  if (not_found_ttl_.count() == 0 || cache_bytes_ <= 0) return false;
  if (!ShardFor(key).LookupNotFound(key, NowUnixNanos())) return false;
  stats_.not_found_hits.fetch_add(1, kRelaxed);
  return true;
}

namespace {
Status RememberedNotFoundStatus() { return Status::NotFound("not found (remembered for not_found_ttl)"); }
}  // namespace

bool GroupCore::RemoveFromCache(std::string_view key) {
  if (cache_bytes_ <= 0) return false;
  return ShardFor(key).Remove(key);
}

void GroupCore::PopulateIfUnchanged(std::string_view key, const ByteView& value, CacheType which,
                                    uint64_t changes_before) {
  if (changes_.load(std::memory_order_acquire) != changes_before) return;
  PopulateCache(key, value, which);
  // A change that came in during the add may have been applied before it:
  // undo the add rather than keep what the change replaced.
  if (changes_.load(std::memory_order_acquire) != changes_before) RemoveFromCache(key);
}

bool GroupCore::ApplyLocally(Change change, std::string_view key, const ByteView& value) {
  changes_.fetch_add(1, std::memory_order_acq_rel);
  const bool was_cached = RemoveFromCache(key);
  if (change == Change::kSet) PopulateCache(key, CapExpiry(value), CacheType::kMain);
  return was_cached;
}

namespace {

// The state of one Remove or Set across the pool: the caller's callback,
// and the errors of the peers asked so far.
struct ChangeFanOut {
  explicit ChangeFanOut(MoveOnlyFunction<void(Status)> d) : done(std::move(d)) {}
  // Notes one peer's outcome; the last one calls done.
  void Finish(const std::string& name, const Status& status) {
    std::string message;
    bool last = false;
    {
      std::lock_guard lock(mu);
      if (!status.ok()) {
        ++failed;
        errors += (errors.empty() ? "" : "; ") + name + ": " + status.message();
      }
      last = --pending == 0;
      if (last) message = errors;
    }
    if (!last) return;
    if (failed == 0) return done(Status::Ok());
    done(Status::Unavailable(std::to_string(failed) + " peer(s) failed: " + message));
  }

  MoveOnlyFunction<void(Status)> done;
  std::mutex mu;
  size_t pending = 0;
  size_t failed = 0;
  std::string errors;
};

}  // namespace

void GroupCore::PurgeLocally() {
  changes_.fetch_add(1, std::memory_order_acq_rel);
  for (const auto& shard : shards_) shard->Clear();
}

void GroupCore::PurgeEverywhere(MoveOnlyFunction<void(Status)> done) {
  PurgeLocally();
  std::shared_ptr<PeerPicker> peers = picker();
  std::vector<std::shared_ptr<PeerGetter>> others;
  if (peers) others = peers->AllPeers();
  std::erase(others, nullptr);
  if (others.empty()) return done(Status::Ok());
  auto fan_out = std::make_shared<ChangeFanOut>(std::move(done));
  fan_out->pending = others.size();
  for (size_t i = 0; i < others.size(); ++i) {
    others[i]->Purge(name_,
                     [fan_out, i](Status status) { fan_out->Finish("peer " + std::to_string(i), status); });
  }
}

void GroupCore::ChangeEverywhere(Change change, std::string key, ByteView value,
                                 MoveOnlyFunction<void(Status)> done) {
  std::shared_ptr<PeerPicker> peers = picker();
  std::shared_ptr<PeerGetter> owner = peers ? peers->PickPeer(key) : nullptr;
  // After the owner: here, then every other peer at once.
  auto rest = [self = shared_from_this(), change, key, value, peers,
               owner](MoveOnlyFunction<void(Status)> done) mutable {
    self->ApplyLocally(change, key, value);
    std::vector<std::shared_ptr<PeerGetter>> others;
    if (peers) others = peers->AllPeers();
    std::erase(others, owner);
    std::erase(others, nullptr);
    if (others.empty()) return done(Status::Ok());
    auto fan_out = std::make_shared<ChangeFanOut>(std::move(done));
    fan_out->pending = others.size();
    for (size_t i = 0; i < others.size(); ++i) {
      auto finish = [fan_out, i](Status status) { fan_out->Finish("peer " + std::to_string(i), status); };
      if (change == Change::kRemove) {
        others[i]->Remove(self->name_, key, std::move(finish));
      } else {
        others[i]->Set(self->name_, key, value, std::move(finish));
      }
    }
  };
  if (!owner) return rest(std::move(done));
  auto after_owner = [rest = std::move(rest), done = std::move(done)](Status status) mutable {
    if (!status.ok()) return done(Status(status.code(), "the owner refused: " + status.message()));
    rest(std::move(done));
  };
  if (change == Change::kRemove) {
    owner->Remove(name_, key, std::move(after_owner));
  } else {
    owner->Set(name_, key, value, std::move(after_owner));
  }
}

CacheStats GroupCore::SumCacheStats(CacheType which) const {
  CacheStats total;
  for (const auto& shard : shards_) total += shard->stats(which);
  return total;
}

std::shared_ptr<PeerPicker> GroupCore::picker() {
  MutexLock lock(picker_mu_);
  return picker_;
}

void GroupCore::set_picker(std::shared_ptr<PeerPicker> picker) {
  MutexLock lock(picker_mu_);
  picker_ = std::move(picker);
}

void GroupCore::LoadForClient(std::string key, Group::Callback done) {
  if (client_flights_.Join(key, std::move(done))) LeadClientLoad(key);
}

void GroupCore::LoadForPeer(const std::string& key, Group::Callback done) {
  // The same re-check and count a client flight leader does, then a local load.
  ByteView value;
  if (LookupCache(key, &value)) {
    stats_.stripe().cache_hits.fetch_add(1, kRelaxed);
    done(Result<ByteView>(std::move(value)));
    return;
  }
  if (RememberedNotFound(key)) {
    done(Result<ByteView>(RememberedNotFoundStatus()));
    return;
  }
  LoadLocally(key, std::move(done), /*count=*/true);
}

void GroupCore::LeadClientLoad(const std::string& key) {
  // Another flight may have filled the cache between our first lookup and
  // joining the table; look again before doing any work.
  ByteView value;
  if (LookupCache(key, &value)) {
    stats_.stripe().cache_hits.fetch_add(1, kRelaxed);
    client_flights_.Finish(key, Result<ByteView>(std::move(value)));
    return;
  }
  if (RememberedNotFound(key)) {
    client_flights_.Finish(key, Result<ByteView>(RememberedNotFoundStatus()));
    return;
  }
  std::shared_ptr<PeerPicker> peers = picker();
  std::shared_ptr<PeerGetter> peer = peers ? peers->PickPeer(key) : nullptr;
  if (peer) {
    stats_.loads_deduped.fetch_add(1, kRelaxed);
    FetchFromPeer(key, peer);
    return;
  }
  LoadLocally(
      key, [this, key](Result<ByteView> result) { client_flights_.Finish(key, result); },
      /*count=*/true);
}

void GroupCore::FetchFromPeer(const std::string& key, const std::shared_ptr<PeerGetter>& peer) {
  const uint64_t changes = changes_.load(std::memory_order_acquire);
  peer->Get(name_, key, [self = shared_from_this(), key, changes](Result<ByteView> result) {
    if (result.ok()) {
      self->stats_.peer_loads.fetch_add(1, kRelaxed);
      // The hot copy keeps the owner's expiry, capped by this group's ttl.
      // A value that arrives already expired (clocks disagree) is still
      // answered, as groupcache-go v3 does, but not kept.
      if (self->ttl_.count() > 0) result = self->CapExpiry(std::move(result).value());
      if (self->hot_policy_->Admit(key, result.value()))
        self->PopulateIfUnchanged(key, result.value(), CacheType::kHot, changes);
      self->client_flights_.Finish(key, result);
      return;
    }
    // As in Go, any peer failure falls back to loading the key here.
    self->stats_.peer_errors.fetch_add(1, kRelaxed);
    GroupCore* core = self.get();  // the local flight's runner holds the core alive
    self->LoadLocally(
        key, [core, key](Result<ByteView> local) { core->client_flights_.Finish(key, local); },
        /*count=*/false);
  });
}

void GroupCore::LoadLocally(const std::string& key, Group::Callback done, bool count) {
  if (!local_flights_.Join(key, std::move(done))) return;
  if (count) stats_.loads_deduped.fetch_add(1, kRelaxed);
  if (async_getter_ != nullptr) return StartAsyncGetter(key);
  if (!loader_->Submit([self = shared_from_this(), key] { self->RunGetter(key); })) {
    local_flights_.Finish(key, Result<ByteView>(Status::Unavailable("group " + name_ +
                                                                    ": overloaded, the load queue is full")));
  }
}

void GroupCore::PrepareSink(const std::string& key, Sink& sink) {
  if (cache_bytes_ > 0) {
    sink.has_previous_ = ShardFor(key).LookupExpired(key, &sink.previous_, NowUnixNanos());
  }
}

void GroupCore::RunGetter(const std::string& key) {
  Sink sink;
  Status status;
  const uint64_t changes = changes_.load(std::memory_order_acquire);
  PrepareSink(key, sink);
  try {
    status = getter_->Get(key, sink);
  } catch (const std::exception& e) {
    status = Status::Internal(std::string("getter threw: ") + e.what());
  } catch (...) {
    status = Status::Internal("getter threw a non-standard exception");
  }
  FinishLoad(key, sink, std::move(status), changes);
}

void GroupCore::StartAsyncGetter(const std::string& key) {
  // The sink lives until `done`; `finished` makes the first outcome the
  // only one (done, or a throw before it).
  struct Load {
    Sink sink;
    std::atomic<bool> finished{false};
  };
  auto load = std::make_shared<Load>();
  const uint64_t changes = changes_.load(std::memory_order_acquire);
  PrepareSink(key, load->sink);
  auto finish = [self = shared_from_this(), key, load, changes](Status status) {
    if (load->finished.exchange(true, std::memory_order_acq_rel)) return;
    self->FinishLoad(key, load->sink, std::move(status), changes);
  };
  try {
    async_getter_->GetAsync(key, load->sink, finish);
  } catch (const std::exception& e) {
    finish(Status::Internal(std::string("getter threw: ") + e.what()));
  } catch (...) {
    finish(Status::Internal("getter threw a non-standard exception"));
  }
}

void GroupCore::FinishLoad(const std::string& key, Sink& sink, Status status, uint64_t changes) {
  if (!status.ok()) {
    stats_.local_load_errs.fetch_add(1, kRelaxed);
    if (status.code() == StatusCode::kNotFound && not_found_ttl_.count() > 0 && cache_bytes_ > 0) {
      const int64_t now = NowUnixNanos();
      const int64_t ttl = not_found_ttl_.count();
      ShardFor(key).PopulateNotFound(key, ttl > INT64_MAX - now ? INT64_MAX : now + ttl, now);
    }
    local_flights_.Finish(key, Result<ByteView>(std::move(status)));
    return;
  }
  stats_.local_loads.fetch_add(1, kRelaxed);
  ByteView value = CapExpiry(sink.Take());
  PopulateIfUnchanged(key, value, CacheType::kMain, changes);
  local_flights_.Finish(key, Result<ByteView>(std::move(value)));
}

}  // namespace internal

Group::Group(std::string name, int64_t cache_bytes, std::shared_ptr<Getter> getter, GroupOptions options,
             Executor* default_loader) {
  Executor* loader = options.loader ? options.loader : default_loader;
  if (loader == nullptr) loader = &InlineExecutor::Instance();
  core_ = std::make_shared<internal::GroupCore>(std::move(name), cache_bytes, std::move(getter),
                                                std::move(options), loader);
}

Group::~Group() = default;

const std::string& Group::name() const { return core_->name_; }
int64_t Group::cache_bytes() const { return core_->cache_bytes_; }

bool Group::LookupForGet(std::string_view key, ByteView* out) {
  internal::AtomicStats::HitStripe& stripe = core_->stats_.stripe();
  stripe.gets.fetch_add(1, internal::kRelaxed);
  if (!core_->LookupCache(key, out)) return false;
  stripe.cache_hits.fetch_add(1, internal::kRelaxed);
  return true;
}

void Group::Load(std::string_view key, Callback done, GetOptions options) {
  core_->stats_.loads.fetch_add(1, internal::kRelaxed);
  if (options.from_peer) {
    core_->LoadForPeer(std::string(key), std::move(done));
  } else {
    core_->LoadForClient(std::string(key), std::move(done));
  }
}

Result<ByteView> Group::Get(std::string_view key, GetOptions options) {
  std::promise<Result<ByteView>> promise;
  std::future<Result<ByteView>> future = promise.get_future();
  GetAsync(
      key, [&promise](Result<ByteView> result) { promise.set_value(std::move(result)); }, options);
  return future.get();
}

Stats Group::stats() const {
  const internal::AtomicStats& s = core_->stats_;
  constexpr auto r = internal::kRelaxed;
  Stats out;
  for (size_t i = 0; i < s.hit_stripes.size(); ++i) {
    out.gets += s.hit_stripes[i].gets.load(r);
    out.cache_hits += s.hit_stripes[i].cache_hits.load(r);
  }
  out.peer_loads = s.peer_loads.load(r);
  out.peer_errors = s.peer_errors.load(r);
  out.loads = s.loads.load(r);
  out.loads_deduped = s.loads_deduped.load(r);
  out.local_loads = s.local_loads.load(r);
  out.local_load_errs = s.local_load_errs.load(r);
  out.server_requests = s.server_requests.load(r);
  out.not_found_hits = s.not_found_hits.load(r);
  return out;
}

CacheStats Group::cache_stats(CacheType which) const { return core_->SumCacheStats(which); }

void Group::RemoveAsync(std::string_view key, MoveOnlyFunction<void(Status)> done) {
  core_->ChangeEverywhere(internal::GroupCore::Change::kRemove, std::string(key), ByteView(),
                          std::move(done));
}

void Group::SetAsync(std::string_view key, ByteView value, MoveOnlyFunction<void(Status)> done) {
  core_->ChangeEverywhere(internal::GroupCore::Change::kSet, std::string(key), std::move(value),
                          std::move(done));
}

namespace {
// Runs `start(done)` and waits for done's status.
template <typename Start>
Status Wait(Start start) {
  std::promise<Status> promise;
  std::future<Status> future = promise.get_future();
  start([&promise](Status status) { promise.set_value(std::move(status)); });
  return future.get();
}
}  // namespace

Status Group::Remove(std::string_view key) {
  return Wait([&](MoveOnlyFunction<void(Status)> done) { RemoveAsync(key, std::move(done)); });
}

Status Group::Set(std::string_view key, ByteView value) {
  return Wait([&](MoveOnlyFunction<void(Status)> done) { SetAsync(key, std::move(value), std::move(done)); });
}

void Group::PurgeAsync(MoveOnlyFunction<void(Status)> done) { core_->PurgeEverywhere(std::move(done)); }

Status Group::Purge() {
  return Wait([&](MoveOnlyFunction<void(Status)> done) { PurgeAsync(std::move(done)); });
}

void Group::PurgeLocally() { core_->PurgeLocally(); }

bool Group::RemoveLocally(std::string_view key) {
  return core_->ApplyLocally(internal::GroupCore::Change::kRemove, key, ByteView());
}

void Group::SetLocally(std::string_view key, ByteView value) {
  core_->ApplyLocally(internal::GroupCore::Change::kSet, key, value);
}

void Group::RecordServerRequest() { core_->stats_.server_requests.fetch_add(1, internal::kRelaxed); }

void Group::SetPeerPicker(std::shared_ptr<PeerPicker> picker) { core_->set_picker(std::move(picker)); }

}  // namespace groupcache
