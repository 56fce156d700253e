// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/group.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <latch>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock_cache.h"
#include "groupcache/executor.h"
#include "groupcache/getter.h"
#include "groupcache/peers.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache {
namespace {

// ---------------------------------------------------------------------------
// Fakes

// A gate a getter can block on until the test opens it.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A getter whose behaviour the test scripts; counts calls per key.
class FakeGetter final : public Getter {
 public:
  using Fn = std::function<Status(std::string_view key, Sink& dest)>;
  explicit FakeGetter(Fn fn = nullptr) : fn_(std::move(fn)) {}

  Status Get(std::string_view key, Sink& dest) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_[std::string(key)]++;
      total_++;
    }
    if (fn_) return fn_(key, dest);
    dest.SetString("value-of-" + std::string(key));
    return Status::Ok();
  }

  int calls(std::string_view key) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = calls_.find(std::string(key));
    return it == calls_.end() ? 0 : it->second;
  }
  int total() const {
    std::lock_guard<std::mutex> lock(mu_);
    return total_;
  }

 private:
  Fn fn_;
  mutable std::mutex mu_;
  std::map<std::string, int> calls_;
  int total_ = 0;
};

// A PeerGetter that answers from a function, inline, or holds callbacks until
// the test completes them.
class FakePeer final : public PeerGetter {
 public:
  using Fn = std::function<Result<ByteView>(std::string_view group, std::string_view key)>;
  explicit FakePeer(Fn fn = nullptr) : fn_(std::move(fn)) {}

  void set_hold(bool hold) { hold_ = hold; }

  void Get(std::string_view group, std::string_view key, PeerCallback done) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.emplace_back(std::string(group), std::string(key));
      if (hold_) held_.push_back(std::move(done));
    }
    cv_.notify_all();
    if (hold_) return;
    if (fn_) {
      done(fn_(group, key));
    } else {
      done(ByteView::CopyOf("peer-value-of-" + std::string(key)));
    }
  }

  // Blocks until n requests have arrived.
  void WaitForRequests(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return requests_.size() >= n; });
  }
  // Completes the oldest held request with `result`.
  void CompleteOldest(Result<ByteView> result) {
    PeerCallback done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ASSERT_FALSE(held_.empty());
      done = std::move(held_.front());
      held_.erase(held_.begin());
    }
    done(std::move(result));
  }

  size_t calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }
  int calls(std::string_view key) const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(
        std::count_if(requests_.begin(), requests_.end(), [&](const auto& r) { return r.second == key; }));
  }
  std::vector<std::pair<std::string, std::string>> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  Fn fn_;
  bool hold_ = false;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, std::string>> requests_;
  std::vector<PeerCallback> held_;
};

// A PeerPicker that calls a key remote when `is_remote(key)` says so.
class FakePicker final : public PeerPicker {
 public:
  FakePicker(std::function<bool(std::string_view)> is_remote, std::shared_ptr<PeerGetter> peer)
      : is_remote_(std::move(is_remote)), peer_(std::move(peer)) {}

  std::shared_ptr<PeerGetter> PickPeer(std::string_view key) override {
    picks_.fetch_add(1);
    return is_remote_(key) ? peer_ : nullptr;
  }
  int picks() const { return picks_.load(); }

 private:
  std::function<bool(std::string_view)> is_remote_;
  std::shared_ptr<PeerGetter> peer_;
  std::atomic<int> picks_{0};
};

class FixedPolicy final : public HotCachePolicy {
 public:
  explicit FixedPolicy(bool admit) : admit_(admit) {}
  bool Admit(std::string_view key, const ByteView& value) override {
    std::lock_guard<std::mutex> lock(mu_);
    asked_.emplace_back(std::string(key), value.ToString());
    return admit_;
  }
  std::vector<std::pair<std::string, std::string>> asked() const {
    std::lock_guard<std::mutex> lock(mu_);
    return asked_;
  }

 private:
  bool admit_;
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> asked_;
};

// A RandomSource that replays a script and records the n it was asked for.
class ScriptedRandom {
 public:
  explicit ScriptedRandom(std::vector<uint32_t> script) : script_(std::move(script)) {}
  RandomSource AsSource() {
    return [this](uint32_t n) {
      std::lock_guard<std::mutex> lock(mu_);
      ns_.push_back(n);
      uint32_t v = next_ < script_.size() ? script_[next_] : 1;
      ++next_;
      return v;
    };
  }
  std::vector<uint32_t> ns() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ns_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<uint32_t> script_;
  size_t next_ = 0;
  std::vector<uint32_t> ns_;
};

// An executor that refuses while `refuse` is set, and otherwise runs inline.
class SwitchableExecutor final : public Executor {
 public:
  std::atomic<bool> refuse{true};
  bool Submit(Task task) override {
    if (refuse.load()) return false;
    task();
    return true;
  }
};

// Joins a pool's threads before the groups they run code for are destroyed:
// declare it after the registry. A callback having run does not mean the
// loader task that ran it has returned.
class JoinAtEnd {
 public:
  explicit JoinAtEnd(ThreadPool& pool) : pool_(pool) {}
  ~JoinAtEnd() { pool_.Shutdown(); }

 private:
  ThreadPool& pool_;
};

GroupOptions GoOptions(std::shared_ptr<HotCachePolicy> policy = std::make_shared<FixedPolicy>(false),
                       Executor* loader = nullptr) {
  GroupOptions options;
  options.hot_cache_policy = std::move(policy);
  options.loader = loader;
  options.entry_overhead_bytes = 0;  // count bytes as Go does
  return options;
}

Group* MustNewGroup(GroupRegistry& registry, std::string name, int64_t cache_bytes,
                    std::shared_ptr<Getter> getter, GroupOptions options) {
  auto r = registry.NewGroup(std::move(name), cache_bytes, std::move(getter), std::move(options));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : nullptr;
}

std::string MustGet(Group* g, std::string_view key, GetOptions options = {}) {
  auto r = g->Get(key, options);
  EXPECT_TRUE(r.ok()) << "Get(" << key << "): " << r.status().ToString();
  return r.ok() ? r.value().ToString() : std::string("<error>");
}

int64_t TotalBytes(Group* g) {
  return g->cache_stats(CacheType::kMain).bytes + g->cache_stats(CacheType::kHot).bytes;
}

// ---------------------------------------------------------------------------
// Basic local loads

TEST(GroupTest, NameAndEmptyStats) {
  GroupRegistry registry;
  Group* g = MustNewGroup(registry, "colors", 1 << 20, std::make_shared<FakeGetter>(), GoOptions());
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->name(), "colors");
  EXPECT_EQ(g->cache_bytes(), 1 << 20);
  Stats s = g->stats();
  EXPECT_EQ(s.gets, 0);
  EXPECT_EQ(s.loads, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
}

TEST(GroupTest, LoadsOnceThenHits) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());

  EXPECT_EQ(MustGet(g, "red"), "value-of-red");
  EXPECT_EQ(MustGet(g, "red"), "value-of-red");
  EXPECT_EQ(getter->calls("red"), 1);

  Stats s = g->stats();
  EXPECT_EQ(s.gets, 2);
  EXPECT_EQ(s.cache_hits, 1);
  EXPECT_EQ(s.loads, 1);
  EXPECT_EQ(s.loads_deduped, 1);
  EXPECT_EQ(s.local_loads, 1);
  EXPECT_EQ(s.local_load_errs, 0);
  EXPECT_EQ(s.peer_loads, 0);
  EXPECT_EQ(s.peer_errors, 0);
  EXPECT_EQ(s.server_requests, 0);

  CacheStats main = g->cache_stats(CacheType::kMain);
  EXPECT_EQ(main.items, 1);
  EXPECT_EQ(main.bytes, 3 + 12);
  EXPECT_EQ(main.gets, 3);  // first lookup, re-check, then the hit
  EXPECT_EQ(main.hits, 1);
  EXPECT_EQ(main.evictions, 0);
  CacheStats hot = g->cache_stats(CacheType::kHot);
  EXPECT_EQ(hot.items, 0);
  EXPECT_EQ(hot.gets, 2);  // consulted only on main misses
  EXPECT_EQ(hot.hits, 0);
}

TEST(GroupTest, DefaultEntryOverheadIsCharged) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  GroupOptions options;
  options.hot_cache_policy = std::make_shared<FixedPolicy>(false);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, options);
  MustGet(g, "k");
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 1 + 10 + kDefaultEntryOverhead);
}

TEST(GroupTest, HitSharesTheCachedBuffer) {
  GroupRegistry registry;
  Group* g = MustNewGroup(registry, "g", 1 << 20, std::make_shared<FakeGetter>(), GoOptions());
  auto first = g->Get("k");
  auto second = g->Get("k");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first.value().data(), second.value().data());
}

TEST(GroupTest, GetterThatSetsNothingGivesEmptyValue) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>([](std::string_view, Sink&) { return Status::Ok(); });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  auto r = g->Get("nothing");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
  EXPECT_TRUE(g->Get("nothing").ok());
  EXPECT_EQ(getter->total(), 1);  // the empty value was cached
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 7);
}

TEST(GroupTest, GetterSetViewIsKept) {
  GroupRegistry registry;
  ByteView shared = ByteView::CopyOf("shared value");
  auto getter = std::make_shared<FakeGetter>([shared](std::string_view, Sink& dest) {
    dest.SetView(shared);
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  auto r = g->Get("k");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), "shared value");
}

TEST(GroupTest, BinaryKeysAndValues) {
  GroupRegistry registry;
  std::string key("k\0ey", 4);
  std::string value("\0\1\2\xff", 4);
  auto getter = std::make_shared<FakeGetter>([&](std::string_view k, Sink& dest) {
    EXPECT_EQ(k, key);
    dest.SetBytes(value.data(), value.size());
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  EXPECT_EQ(MustGet(g, key), value);
  EXPECT_EQ(MustGet(g, key), value);
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(getter->calls("k"), 0);
}

TEST(GroupTest, RecordServerRequest) {
  GroupRegistry registry;
  Group* g = MustNewGroup(registry, "g", 1 << 20, std::make_shared<FakeGetter>(), GoOptions());
  g->RecordServerRequest();
  g->RecordServerRequest();
  EXPECT_EQ(g->stats().server_requests, 2);
  EXPECT_EQ(g->stats().gets, 0);
}

// ---------------------------------------------------------------------------
// Errors

TEST(GroupTest, NotFoundIsDistinctAndNotCached) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>([](std::string_view key, Sink& dest) {
    if (key == "purple") return Status::NotFound("color not found");
    if (key == "down") return Status::Unavailable("database down");
    if (key == "slow") return Status::DeadlineExceeded("too slow");
    dest.SetString("ok");
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());

  auto nf = g->Get("purple");
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.status().code(), StatusCode::kNotFound);
  EXPECT_NE(nf.status().message().find("color not found"), std::string::npos) << nf.status().ToString();

  auto down = g->Get("down");
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(down.status().message().find("database down"), std::string::npos);

  auto slow = g->Get("slow");
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.status().code(), StatusCode::kDeadlineExceeded);

  // Never cached: every Get asks again.
  EXPECT_FALSE(g->Get("purple").ok());
  EXPECT_FALSE(g->Get("purple").ok());
  EXPECT_EQ(getter->calls("purple"), 3);
  EXPECT_EQ(getter->calls("down"), 1);

  Stats s = g->stats();
  EXPECT_EQ(s.gets, 5);
  EXPECT_EQ(s.loads, 5);
  EXPECT_EQ(s.loads_deduped, 5);
  EXPECT_EQ(s.local_load_errs, 5);
  EXPECT_EQ(s.local_loads, 0);
  EXPECT_EQ(s.cache_hits, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 0);
}

TEST(GroupTest, ErrorThenSuccessIsCached) {
  GroupRegistry registry;
  std::atomic<int> n{0};
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) {
    if (n.fetch_add(1) == 0) return Status::Unavailable("first call fails");
    dest.SetString("second");
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  EXPECT_FALSE(g->Get("k").ok());
  EXPECT_EQ(MustGet(g, "k"), "second");
  EXPECT_EQ(MustGet(g, "k"), "second");
  EXPECT_EQ(getter->total(), 2);
  Stats s = g->stats();
  EXPECT_EQ(s.local_load_errs, 1);
  EXPECT_EQ(s.local_loads, 1);
}

TEST(GroupTest, ThrowingGetterIsInternalAndNotStuck) {
  GroupRegistry registry;
  std::atomic<int> n{0};
  auto getter = std::make_shared<FakeGetter>([&](std::string_view key, Sink& dest) -> Status {
    int call = n.fetch_add(1);
    if (call == 0) throw std::runtime_error("kaboom");
    if (call == 1) throw 42;  // not even a std::exception
    dest.SetString("recovered:" + std::string(key));
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  auto first = g->Get("k");
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kInternal);
  auto second = g->Get("k");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kInternal);
  EXPECT_EQ(MustGet(g, "k"), "recovered:k");
  EXPECT_EQ(getter->total(), 3);
  EXPECT_EQ(g->stats().local_load_errs, 2);
  EXPECT_EQ(g->stats().local_loads, 1);
}

TEST(GroupTest, LoaderThatRefusesFailsTheLoadAndIsNotStuck) {
  GroupRegistry registry;
  SwitchableExecutor loader;
  auto getter = std::make_shared<FakeGetter>();
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &loader));
  auto refused = g->Get("k");
  ASSERT_FALSE(refused.ok());
  // Unavailable (overloaded, worth retrying), not ResourceExhausted, which a
  // source uses for a value over a size limit.
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable) << refused.status().ToString();
  EXPECT_EQ(getter->total(), 0);

  bool called = false;
  g->GetAsync("k", [&](Result<ByteView> r) {
    called = true;
    EXPECT_FALSE(r.ok());
  });
  EXPECT_TRUE(called);

  loader.refuse = false;
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(getter->total(), 1);
}

// ---------------------------------------------------------------------------
// Singleflight

TEST(GroupTest, SingleflightAsyncLoadsOnceForAllWaiters) {
  constexpr int kCallers = 8;
  ThreadPool pool(2, 64);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  Gate gate;
  auto getter = std::make_shared<FakeGetter>([&](std::string_view key, Sink& dest) {
    gate.Wait();
    dest.SetString("slow-" + std::string(key));
    return Status::Ok();
  });
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &pool));

  std::latch done(kCallers);
  std::mutex mu;
  std::vector<Result<ByteView>> results;
  std::atomic<int> finished{0};
  for (int i = 0; i < kCallers; ++i) {
    g->GetAsync("k", [&](Result<ByteView> r) {
      {
        std::lock_guard<std::mutex> lock(mu);
        results.push_back(std::move(r));
      }
      finished.fetch_add(1);
      done.count_down();
    });
  }
  // Every caller has joined (GetAsync returned) and the getter is blocked.
  EXPECT_EQ(finished.load(), 0);
  gate.Open();
  done.wait();

  EXPECT_EQ(getter->total(), 1);
  ASSERT_EQ(results.size(), static_cast<size_t>(kCallers));
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r.value(), "slow-k");
  }
  Stats s = g->stats();
  EXPECT_EQ(s.gets, kCallers);
  EXPECT_EQ(s.loads, kCallers);
  EXPECT_EQ(s.loads_deduped, 1);
  EXPECT_EQ(s.local_loads, 1);
  EXPECT_EQ(s.cache_hits, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);
}

TEST(GroupTest, SingleflightBlockingGetFromManyThreads) {
  constexpr int kCallers = 6;
  GroupRegistry registry;  // inline loader: the first caller runs the getter
  std::atomic<Group*> group{nullptr};
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) {
    // Block until every caller has missed the cache and is waiting on this
    // load (Stats::loads counts each of them before it waits).
    while (group.load()->stats().loads < kCallers) std::this_thread::yield();
    dest.SetString("shared");
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  group = g;

  std::latch start(kCallers);
  std::vector<std::string> values(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r = g->Get("k");
      values[i] = r.ok() ? r.value().ToString() : r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(getter->total(), 1);
  for (const auto& v : values) EXPECT_EQ(v, "shared");
  Stats s = g->stats();
  EXPECT_EQ(s.gets, kCallers);
  EXPECT_EQ(s.loads, kCallers);
  EXPECT_EQ(s.loads_deduped, 1);
  EXPECT_EQ(s.local_loads, 1);
}

TEST(GroupTest, FailingGetterReleasesEveryWaiterWithTheError) {
  constexpr int kCallers = 5;
  ThreadPool pool(1, 64);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  Gate gate;
  std::atomic<int> n{0};
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) {
    if (n.fetch_add(1) == 0) {
      gate.Wait();
      return Status::Unavailable("backend unreachable");
    }
    dest.SetString("later");
    return Status::Ok();
  });
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &pool));

  std::latch done(kCallers);
  std::mutex mu;
  std::vector<Status> statuses;
  for (int i = 0; i < kCallers; ++i) {
    g->GetAsync("k", [&](Result<ByteView> r) {
      {
        std::lock_guard<std::mutex> lock(mu);
        statuses.push_back(r.status());
      }
      done.count_down();
    });
  }
  gate.Open();
  done.wait();
  ASSERT_EQ(statuses.size(), static_cast<size_t>(kCallers));
  for (const Status& s : statuses) {
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_NE(s.message().find("backend unreachable"), std::string::npos) << s.ToString();
  }
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(g->stats().local_load_errs, 1);
  EXPECT_EQ(g->stats().loads_deduped, 1);

  // The error was not cached and the flight is over: a new Get loads again.
  EXPECT_EQ(MustGet(g, "k"), "later");
  EXPECT_EQ(getter->total(), 2);
}

TEST(GroupTest, ThrowingGetterReleasesEveryWaiterWithInternal) {
  constexpr int kCallers = 4;
  ThreadPool pool(1, 64);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  Gate gate;
  std::atomic<int> n{0};
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) -> Status {
    if (n.fetch_add(1) == 0) {
      gate.Wait();
      throw std::runtime_error("getter exploded");
    }
    dest.SetString("fine");
    return Status::Ok();
  });
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &pool));

  std::latch done(kCallers);
  std::mutex mu;
  std::vector<Status> statuses;
  for (int i = 0; i < kCallers; ++i) {
    g->GetAsync("k", [&](Result<ByteView> r) {
      {
        std::lock_guard<std::mutex> lock(mu);
        statuses.push_back(r.status());
      }
      done.count_down();
    });
  }
  gate.Open();
  done.wait();
  ASSERT_EQ(statuses.size(), static_cast<size_t>(kCallers));
  for (const Status& s : statuses) EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  EXPECT_EQ(getter->total(), 1);

  EXPECT_EQ(MustGet(g, "k"), "fine");
  EXPECT_EQ(getter->total(), 2);
}

TEST(GroupTest, DifferentKeysLoadConcurrently) {
  // Two loads of different keys must not serialise: each getter waits until
  // the other has started.
  ThreadPool pool(2, 16);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  std::latch both_started(2);
  auto getter = std::make_shared<FakeGetter>([&](std::string_view key, Sink& dest) {
    both_started.arrive_and_wait();
    dest.SetString(std::string(key));
    return Status::Ok();
  });
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &pool));
  std::latch done(2);
  std::vector<std::string> got(2);
  g->GetAsync("a", [&](Result<ByteView> r) {
    got[0] = r.ok() ? r.value().ToString() : "err";
    done.count_down();
  });
  g->GetAsync("b", [&](Result<ByteView> r) {
    got[1] = r.ok() ? r.value().ToString() : "err";
    done.count_down();
  });
  done.wait();
  EXPECT_EQ(got[0], "a");
  EXPECT_EQ(got[1], "b");
  EXPECT_EQ(g->stats().loads_deduped, 2);
}

TEST(GroupTest, ConcurrentPeerRequestsShareOneLoad) {
  // N requests from peers (from_peer = true) for one key: as in Go, where each
  // is a ServeHTTP -> Group.Get, they share one singleflight call, so the
  // getter runs once and LoadsDeduped counts one load.
  constexpr int kCallers = 5;
  ThreadPool pool(1, 64);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  Gate gate;
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) {
    gate.Wait();
    dest.SetString("owned");
    return Status::Ok();
  });
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &pool));
  GetOptions from_peer;
  from_peer.from_peer = true;
  std::latch done(kCallers);
  std::atomic<int> good{0};
  for (int i = 0; i < kCallers; ++i) {
    g->GetAsync(
        "k",
        [&](Result<ByteView> r) {
          if (r.ok() && r.value() == "owned") good.fetch_add(1);
          done.count_down();
        },
        from_peer);
  }
  gate.Open();
  done.wait();
  EXPECT_EQ(good.load(), kCallers);
  EXPECT_EQ(getter->total(), 1);
  Stats s = g->stats();
  EXPECT_EQ(s.gets, kCallers);
  EXPECT_EQ(s.loads, kCallers);
  EXPECT_EQ(s.local_loads, 1);
  EXPECT_EQ(s.loads_deduped, 1) << "loads that actually ran after singleflight";
}

TEST(GroupTest, ClientAndPeerRequestsShareOneLocalLoad) {
  ThreadPool pool(1, 64);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  Gate gate;
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) {
    gate.Wait();
    dest.SetString("owned");
    return Status::Ok();
  });
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &pool));
  std::latch done(2);
  std::vector<std::string> got(2);
  g->GetAsync("k", [&](Result<ByteView> r) {
    got[0] = r.ok() ? r.value().ToString() : r.status().ToString();
    done.count_down();
  });
  GetOptions from_peer;
  from_peer.from_peer = true;
  g->GetAsync(
      "k",
      [&](Result<ByteView> r) {
        got[1] = r.ok() ? r.value().ToString() : r.status().ToString();
        done.count_down();
      },
      from_peer);
  gate.Open();
  done.wait();
  EXPECT_EQ(got[0], "owned");
  EXPECT_EQ(got[1], "owned");
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(g->stats().local_loads, 1);
  EXPECT_EQ(g->stats().loads_deduped, 1) << "one getter run; Go counts one deduplicated load";
}

TEST(GroupTest, GetterMayCallGetOnItsOwnGroup) {
  GroupRegistry registry;  // inline loader, as Go runs getters
  std::atomic<Group*> self{nullptr};
  auto getter = std::make_shared<FakeGetter>([&](std::string_view key, Sink& dest) {
    if (key == "outer") {
      auto inner = self.load()->Get("inner");
      if (!inner.ok()) return inner.status();
      dest.SetString("outer+" + inner.value().ToString());
      return Status::Ok();
    }
    dest.SetString("in");
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  self = g;
  EXPECT_EQ(MustGet(g, "outer"), "outer+in");
  EXPECT_EQ(MustGet(g, "inner"), "in");
  EXPECT_EQ(getter->total(), 2);
}

TEST(GroupTest, CallbackMayGetTheSameKeyAgain) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  std::string nested;
  g->GetAsync("k", [&](Result<ByteView> r) {
    ASSERT_TRUE(r.ok());
    // The flight is over by now: this is a plain cache hit, not a deadlock
    // or a second load.
    auto again = g->Get("k");
    nested = again.ok() ? again.value().ToString() : again.status().ToString();
  });
  EXPECT_EQ(nested, "value-of-k");
  EXPECT_EQ(getter->total(), 1);
}

// ---------------------------------------------------------------------------
// GetAsync

TEST(GroupTest, GetAsyncOnHitCallsBackInlineBeforeReturning) {
  ThreadPool pool(1, 16);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  Group* g = MustNewGroup(registry, "g", 1 << 20, std::make_shared<FakeGetter>(),
                          GoOptions(std::make_shared<FixedPolicy>(false), &pool));
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");  // load it (on the pool)

  bool called = false;
  std::thread::id called_on;
  auto owned = std::make_unique<int>(5);  // the callback may be move-only
  g->GetAsync("k", [&, p = std::move(owned)](Result<ByteView> r) {
    called = true;
    called_on = std::this_thread::get_id();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), "value-of-k");
    EXPECT_EQ(*p, 5);
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(called_on, std::this_thread::get_id());
  EXPECT_EQ(g->stats().cache_hits, 1);
}

TEST(GroupTest, GetAsyncMissRunsGetterOnTheLoader) {
  ThreadPool pool(1, 16);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  std::thread::id getter_thread;
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) {
    getter_thread = std::this_thread::get_id();
    dest.SetString("v");
    return Status::Ok();
  });
  Group* g =
      MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(std::make_shared<FixedPolicy>(false), &pool));
  std::latch done(1);
  std::thread::id callback_thread;
  g->GetAsync("k", [&](Result<ByteView> r) {
    callback_thread = std::this_thread::get_id();
    EXPECT_TRUE(r.ok());
    done.count_down();
  });
  done.wait();
  EXPECT_NE(getter_thread, std::this_thread::get_id());
  EXPECT_EQ(callback_thread, getter_thread);
}

TEST(GroupTest, GetAsyncWithInlineLoaderCompletesBeforeReturning) {
  GroupRegistry registry;
  Group* g = MustNewGroup(registry, "g", 1 << 20, std::make_shared<FakeGetter>(), GoOptions());
  bool called = false;
  g->GetAsync("k", [&](Result<ByteView> r) {
    called = true;
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), "value-of-k");
  });
  EXPECT_TRUE(called);
}

// ---------------------------------------------------------------------------
// Peers

TEST(GroupTest, RemoteKeyIsFetchedFromPeerNotLoaded) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  Group* g = MustNewGroup(registry, "colors", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);

  EXPECT_EQ(MustGet(g, "blue"), "peer-value-of-blue");
  EXPECT_EQ(getter->total(), 0);
  ASSERT_EQ(peer->calls(), 1u);
  EXPECT_EQ(peer->requests()[0], (std::pair<std::string, std::string>("colors", "blue")));
  EXPECT_EQ(picker->picks(), 1);
  Stats s = g->stats();
  EXPECT_EQ(s.peer_loads, 1);
  EXPECT_EQ(s.peer_errors, 0);
  EXPECT_EQ(s.local_loads, 0);
  EXPECT_EQ(s.loads_deduped, 1);
  // Never stored in main; the policy said no to the hot cache.
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);

  // Not cached, so a second Get asks the peer again.
  EXPECT_EQ(MustGet(g, "blue"), "peer-value-of-blue");
  EXPECT_EQ(peer->calls(), 2u);
}

TEST(GroupTest, PeerFailureCountsPeerErrorAndLoadsLocally) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>([](std::string_view, std::string_view) -> Result<ByteView> {
    return Status::Unavailable("connection refused");
  });
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  auto policy = std::make_shared<FixedPolicy>(true);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(policy));
  g->SetPeerPicker(picker);

  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(peer->calls(), 1u);
  EXPECT_EQ(getter->calls("k"), 1);
  Stats s = g->stats();
  EXPECT_EQ(s.peer_errors, 1);
  EXPECT_EQ(s.peer_loads, 0);
  EXPECT_EQ(s.local_loads, 1);
  EXPECT_EQ(s.loads_deduped, 1);
  // The local fallback goes to the main cache, and the policy is not asked.
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
  EXPECT_TRUE(policy->asked().empty());

  // Now a main-cache hit: neither the peer nor the getter is asked.
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(peer->calls(), 1u);
  EXPECT_EQ(getter->calls("k"), 1);
}

TEST(GroupTest, PeerNotFoundAlsoFallsBackToLocalLoad) {
  GroupRegistry registry;
  auto getter =
      std::make_shared<FakeGetter>([](std::string_view, Sink&) { return Status::NotFound("nope here too"); });
  auto peer = std::make_shared<FakePeer>([](std::string_view, std::string_view) -> Result<ByteView> {
    return Status::NotFound("peer says no");
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));
  auto r = g->Get("purple");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(g->stats().peer_errors, 1);
  EXPECT_EQ(g->stats().local_load_errs, 1);
}

TEST(GroupTest, FromPeerNeverConsultsThePicker) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);

  GetOptions from_peer;
  from_peer.from_peer = true;
  EXPECT_EQ(MustGet(g, "k", from_peer), "value-of-k");
  EXPECT_EQ(picker->picks(), 0);
  EXPECT_EQ(peer->calls(), 0u);
  EXPECT_EQ(getter->calls("k"), 1);
  EXPECT_EQ(g->stats().gets, 1);
  EXPECT_EQ(g->stats().local_loads, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);

  // The value is now in main, so even a normal Get hits without picking.
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(picker->picks(), 0);

  // Async form too.
  bool called = false;
  g->GetAsync(
      "other",
      [&](Result<ByteView> r) {
        called = true;
        EXPECT_TRUE(r.ok());
      },
      from_peer);
  EXPECT_TRUE(called);
  EXPECT_EQ(picker->picks(), 0);
  EXPECT_EQ(getter->calls("other"), 1);
}

TEST(GroupTest, PickerSayingSelfLoadsLocally) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  auto picker = std::make_shared<FakePicker>([](std::string_view key) { return key == "remote"; }, peer);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);
  EXPECT_EQ(MustGet(g, "local"), "value-of-local");
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
  EXPECT_EQ(picker->picks(), 2);
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(peer->calls(), 1u);

  // A null picker means no peers.
  g->SetPeerPicker(nullptr);
  EXPECT_EQ(MustGet(g, "remote"), "value-of-remote");
  EXPECT_EQ(peer->calls(), 1u);
}

TEST(GroupTest, AsyncPeerFetchIsSharedByWaiters) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  peer->set_hold(true);
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);

  std::vector<std::string> got;
  std::mutex mu;
  for (int i = 0; i < 3; ++i) {
    g->GetAsync("k", [&](Result<ByteView> r) {
      std::lock_guard<std::mutex> lock(mu);
      got.push_back(r.ok() ? r.value().ToString() : r.status().ToString());
    });
  }
  peer->WaitForRequests(1);
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(got.empty());
  }
  peer->CompleteOldest(ByteView::CopyOf("from-peer"));
  EXPECT_EQ(got, (std::vector<std::string>{"from-peer", "from-peer", "from-peer"}));
  EXPECT_EQ(peer->calls(), 1u);
  EXPECT_EQ(getter->total(), 0);
  EXPECT_EQ(g->stats().loads, 3);
  EXPECT_EQ(g->stats().loads_deduped, 1);
  EXPECT_EQ(g->stats().peer_loads, 1);
}

TEST(GroupTest, AsyncPeerFailureFallsBackForEveryWaiter) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  peer->set_hold(true);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));

  std::vector<std::string> got;
  std::mutex mu;
  for (int i = 0; i < 2; ++i) {
    g->GetAsync("k", [&](Result<ByteView> r) {
      std::lock_guard<std::mutex> lock(mu);
      got.push_back(r.ok() ? r.value().ToString() : r.status().ToString());
    });
  }
  peer->WaitForRequests(1);
  // Completed from another thread, as an I/O thread would.
  std::thread io([&] { peer->CompleteOldest(Status::DeadlineExceeded("peer timed out")); });
  io.join();
  EXPECT_EQ(got, (std::vector<std::string>{"value-of-k", "value-of-k"}));
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(g->stats().peer_errors, 1);
  EXPECT_EQ(g->stats().local_loads, 1);
}

// ---------------------------------------------------------------------------
// Hot cache

TEST(GroupTest, AdmittedPeerValueIsServedFromHotCache) {
  GroupRegistry registry;
  auto peer = std::make_shared<FakePeer>();
  auto policy = std::make_shared<FixedPolicy>(true);
  Group* g = MustNewGroup(registry, "g", 1 << 20, std::make_shared<FakeGetter>(), GoOptions(policy));
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));

  EXPECT_EQ(MustGet(g, "hot"), "peer-value-of-hot");
  EXPECT_EQ(MustGet(g, "hot"), "peer-value-of-hot");
  EXPECT_EQ(peer->calls(), 1u);
  EXPECT_EQ(policy->asked(),
            (std::vector<std::pair<std::string, std::string>>{{"hot", "peer-value-of-hot"}}));

  CacheStats hot = g->cache_stats(CacheType::kHot);
  EXPECT_EQ(hot.items, 1);
  EXPECT_EQ(hot.bytes, 3 + 17);
  EXPECT_EQ(hot.gets, 3);  // first lookup, re-check, hit
  EXPECT_EQ(hot.hits, 1);
  CacheStats main = g->cache_stats(CacheType::kMain);
  EXPECT_EQ(main.items, 0);
  EXPECT_EQ(main.gets, 3);
  EXPECT_EQ(main.hits, 0);
  Stats s = g->stats();
  EXPECT_EQ(s.cache_hits, 1);
  EXPECT_EQ(s.peer_loads, 1);
  EXPECT_EQ(s.gets, 2);
}

TEST(RandomHotCachePolicyTest, AdmitsWhenRandomReturnsZero) {
  ScriptedRandom random({1, 0, 7, 0, 9});
  auto policy = RandomHotCachePolicy(10, random.AsSource());
  ByteView v = ByteView::CopyOf("v");
  EXPECT_FALSE(policy->Admit("a", v));
  EXPECT_TRUE(policy->Admit("b", v));
  EXPECT_FALSE(policy->Admit("c", v));
  EXPECT_TRUE(policy->Admit("d", v));
  EXPECT_FALSE(policy->Admit("e", v));
  EXPECT_EQ(random.ns(), (std::vector<uint32_t>{10, 10, 10, 10, 10}));
}

TEST(RandomHotCachePolicyTest, OneInOneAlwaysAdmits) {
  auto policy = RandomHotCachePolicy(1);  // default PRNG: random(1) is always 0
  ByteView v = ByteView::CopyOf("v");
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(policy->Admit("k", v));
  ScriptedRandom random({0, 0});
  auto scripted = RandomHotCachePolicy(3, random.AsSource());
  EXPECT_TRUE(scripted->Admit("k", v));
  EXPECT_EQ(random.ns(), (std::vector<uint32_t>{3}));
}

TEST(RandomHotCachePolicyTest, DefaultPolicyIsUsableConcurrently) {
  auto policy = RandomHotCachePolicy();
  ByteView v = ByteView::CopyOf("v");
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (policy->Admit("k", v)) admitted.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(admitted.load(), 4000);
}

TEST(GroupTest, RandomPolicyDecidesHotCacheThroughGroup) {
  GroupRegistry registry;
  auto peer = std::make_shared<FakePeer>();
  ScriptedRandom random({4, 0, 2});
  Group* g = MustNewGroup(registry, "g", 1 << 20, std::make_shared<FakeGetter>(),
                          GoOptions(RandomHotCachePolicy(10, random.AsSource())));
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));
  MustGet(g, "r1");
  MustGet(g, "r2");  // admitted
  MustGet(g, "r3");
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 1);
  EXPECT_EQ(random.ns(), (std::vector<uint32_t>{10, 10, 10}));
  MustGet(g, "r2");
  EXPECT_EQ(peer->calls("r2"), 1);
  MustGet(g, "r1");
  EXPECT_EQ(peer->calls("r1"), 2);
}

// go-groupcache-wire.md §4.8: `kv -size 10`, three nodes at 8090-8092, twenty
// sequential gets of key-0..key-19 at 8090, which owns six of them. Go 1.19's
// global rand draws 1 7 7 9 1 8 5 0 6 0 4 1 2 9 for the 14 peer fetches, so
// the 8th and 10th (key-12, key-14) go to the hot cache.
TEST(GroupTest, GoWorkedExampleStats) {
  GroupRegistry registry;
  const std::set<std::string> owned_here = {"key-2", "key-5", "key-6", "key-7", "key-11", "key-17"};
  auto getter = std::make_shared<FakeGetter>([](std::string_view, Sink& dest) {
    dest.SetString("0123456789");
    return Status::Ok();
  });
  auto peer = std::make_shared<FakePeer>(
      [](std::string_view, std::string_view) -> Result<ByteView> { return ByteView::CopyOf("abcdefghij"); });
  auto picker = std::make_shared<FakePicker>(
      [&](std::string_view key) { return !owned_here.count(std::string(key)); }, peer);
  ScriptedRandom go_rand({1, 7, 7, 9, 1, 8, 5, 0, 6, 0, 4, 1, 2, 9, 8, 4, 1, 5, 7, 6});
  Group* g =
      MustNewGroup(registry, "kv", 64 << 20, getter, GoOptions(RandomHotCachePolicy(10, go_rand.AsSource())));
  registry.SetPeerPicker(picker);

  for (int i = 0; i < 20; ++i) {
    std::string key = "key-" + std::to_string(i);
    std::string want = owned_here.count(key) ? "0123456789" : "abcdefghij";
    EXPECT_EQ(MustGet(g, key), want) << key;
  }

  Stats s = g->stats();
  EXPECT_EQ(s.gets, 20);
  EXPECT_EQ(s.loads, 20);
  EXPECT_EQ(s.loads_deduped, 20);
  EXPECT_EQ(s.local_loads, 6);
  EXPECT_EQ(s.peer_loads, 14);
  EXPECT_EQ(s.cache_hits, 0);
  EXPECT_EQ(s.server_requests, 0);
  EXPECT_EQ(s.peer_errors, 0);
  EXPECT_EQ(s.local_load_errs, 0);

  CacheStats main = g->cache_stats(CacheType::kMain);
  EXPECT_EQ(main.items, 6);
  EXPECT_EQ(main.bytes, 92);  // 4 x (5 + 10) + 2 x (6 + 10)
  EXPECT_EQ(main.gets, 40);
  EXPECT_EQ(main.hits, 0);
  EXPECT_EQ(main.evictions, 0);

  CacheStats hot = g->cache_stats(CacheType::kHot);
  EXPECT_EQ(hot.items, 2);
  EXPECT_EQ(hot.bytes, 32);
  EXPECT_EQ(hot.gets, 40);
  EXPECT_EQ(hot.hits, 0);

  EXPECT_EQ(peer->calls(), 14u);
  EXPECT_EQ(getter->total(), 6);
  EXPECT_EQ(go_rand.ns().size(), 14u);
  EXPECT_EQ(picker->picks(), 20);

  // key-12 and key-14 are the ones in the hot cache.
  MustGet(g, "key-12");
  MustGet(g, "key-14");
  EXPECT_EQ(peer->calls(), 14u);
  MustGet(g, "key-13");
  EXPECT_EQ(peer->calls(), 15u);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).hits, 2);
}

// ---------------------------------------------------------------------------
// Caching disabled, budget and eviction

TEST(GroupTest, NonPositiveCacheBytesDisablesCaching) {
  for (int64_t budget : {int64_t{0}, int64_t{-1}}) {
    GroupRegistry registry;
    auto getter = std::make_shared<FakeGetter>();
    auto peer = std::make_shared<FakePeer>();
    Group* g = MustNewGroup(registry, "g", budget, getter, GoOptions(std::make_shared<FixedPolicy>(true)));
    g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view k) { return k == "remote"; }, peer));
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(MustGet(g, "local"), "value-of-local");
      EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
    }
    EXPECT_EQ(getter->calls("local"), 3) << "budget " << budget;
    EXPECT_EQ(peer->calls("remote"), 3) << "budget " << budget;
    Stats s = g->stats();
    EXPECT_EQ(s.gets, 6);
    EXPECT_EQ(s.loads, 6);
    EXPECT_EQ(s.loads_deduped, 6);
    EXPECT_EQ(s.cache_hits, 0);
    for (CacheType t : {CacheType::kMain, CacheType::kHot}) {
      CacheStats c = g->cache_stats(t);
      EXPECT_EQ(c.items, 0);
      EXPECT_EQ(c.bytes, 0);
      EXPECT_EQ(c.gets, 0) << "a disabled cache is not even looked at";
    }
  }
}

TEST(GroupTest, EvictionFollowsGoRule) {
  // Budget 100, every entry 10 bytes (2-byte key, 8-byte value).
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>([](std::string_view, Sink& dest) {
    dest.SetString("LLLLLLLL");
    return Status::Ok();
  });
  auto peer = std::make_shared<FakePeer>(
      [](std::string_view, std::string_view) -> Result<ByteView> { return ByteView::CopyOf("RRRRRRRR"); });
  Group* g = MustNewGroup(registry, "g", 100, getter, GoOptions(std::make_shared<FixedPolicy>(true)));
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view k) { return k[0] == 'R'; }, peer));

  for (char c = 'a'; c <= 'j'; ++c) {
    MustGet(g, std::string("L") + c);
    EXPECT_LE(TotalBytes(g), 100);
  }
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 10);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 100);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).evictions, 0);

  // hot 10 <= main 100 / 8: main gives way (its oldest, La).
  MustGet(g, "Ra");
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 9);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).evictions, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 1);
  EXPECT_EQ(TotalBytes(g), 100);

  // hot 20 > main 90 / 8: the hot cache gives way (its oldest, Ra).
  MustGet(g, "Rb");
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 9);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).evictions, 1);
  EXPECT_EQ(TotalBytes(g), 100);

  MustGet(g, "Rb");  // hot hit: Rb is marked as used
  EXPECT_EQ(peer->calls("Rb"), 1);
  // Ra was evicted before, so it is fetched again. Rb was hit since it came
  // in, so it gets a second chance and the newcomer Ra gives way (unlike
  // Go's exact LRU, which would evict Rb; see ClockCache).
  MustGet(g, "Ra");
  EXPECT_EQ(peer->calls("Ra"), 2);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).evictions, 2);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 1);
  MustGet(g, "Rb");  // still hot
  EXPECT_EQ(peer->calls("Rb"), 1);

  // La was evicted from main: loading it again evicts Lb (main's oldest now,
  // since hot 10 <= main 100 / 8).
  MustGet(g, "La");
  EXPECT_EQ(getter->calls("La"), 2);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).evictions, 2);
  EXPECT_EQ(TotalBytes(g), 100);
  MustGet(g, "Lc");  // still cached
  EXPECT_EQ(getter->calls("Lc"), 1);
  MustGet(g, "Rb");  // still hot
  EXPECT_EQ(peer->calls("Rb"), 1);
  MustGet(g, "Lb");  // gone
  EXPECT_EQ(getter->calls("Lb"), 2);
}

// A model of the two caches (CLOCK, as ClockCache documents) and Go's
// populateCache rule between them (§4.6), to compare against over a long
// deterministic run.
class GoCacheModel {
 public:
  explicit GoCacheModel(int64_t budget) : budget_(budget) {}

  struct Entry {
    std::string key;
    int64_t charge;
    bool marked;
  };
  struct Lru {
    std::list<Entry> entries;  // front = newest
    int64_t bytes = 0;
    int64_t evictions = 0;
    bool Touch(const std::string& key) {
      for (Entry& e : entries) {
        if (e.key == key) {
          e.marked = true;
          return true;
        }
      }
      return false;
    }
    void Add(const std::string& key, int64_t charge) {
      entries.push_front(Entry{key, charge, false});
      bytes += charge;
    }
    void RemoveOldest() {
      if (entries.empty()) return;
      for (int i = 0; i < internal::ClockCache::kMaxSecondChances && entries.back().marked; ++i) {
        entries.back().marked = false;
        entries.splice(entries.begin(), entries, std::prev(entries.end()));
      }
      bytes -= entries.back().charge;
      entries.pop_back();
      ++evictions;
    }
  };

  // Returns true on a hit (main first, then hot).
  bool Lookup(const std::string& key) { return main.Touch(key) || hot.Touch(key); }
  void Populate(const std::string& key, int64_t charge, bool to_hot) {
    (to_hot ? hot : main).Add(key, charge);
    while (main.bytes + hot.bytes > budget_) {
      Lru& victim = hot.bytes > main.bytes / 8 ? hot : main;
      victim.RemoveOldest();
    }
  }

  Lru main;
  Lru hot;

 private:
  int64_t budget_;
};

TEST(GroupTest, EvictionMatchesGoModelOverLongRun) {
  constexpr int64_t kBudget = 600;
  GroupRegistry registry;
  auto value_for = [](std::string_view key) {
    // 5..44 bytes, fixed per key.
    uint32_t h = 0;
    for (char c : key) h = h * 31 + static_cast<unsigned char>(c);
    return std::string(5 + h % 40, 'v');
  };
  auto getter = std::make_shared<FakeGetter>([&](std::string_view key, Sink& dest) {
    dest.SetString(value_for(key));
    return Status::Ok();
  });
  auto peer = std::make_shared<FakePeer>([&](std::string_view, std::string_view key) -> Result<ByteView> {
    return ByteView::CopyOf(value_for(key));
  });
  auto is_remote = [](std::string_view key) { return key[0] == 'r'; };
  Group* g = MustNewGroup(registry, "g", kBudget, getter, GoOptions(std::make_shared<FixedPolicy>(true)));
  g->SetPeerPicker(std::make_shared<FakePicker>(is_remote, peer));

  GoCacheModel model(kBudget);
  std::mt19937 rng(7);
  int model_loads = 0;
  for (int step = 0; step < 3000; ++step) {
    // Skewed keys so that there are hits as well as misses.
    int n = static_cast<int>(rng() % 40);
    if (rng() % 3 == 0) n = n % 8;
    std::string key = std::string(rng() % 3 == 0 ? "r" : "l") + std::to_string(n);

    bool hit = model.Lookup(key);
    if (!hit) {
      ++model_loads;
      model.Populate(key, static_cast<int64_t>(key.size() + value_for(key).size()), is_remote(key));
    }
    ASSERT_EQ(MustGet(g, key), value_for(key));
    CacheStats main = g->cache_stats(CacheType::kMain);
    CacheStats hot = g->cache_stats(CacheType::kHot);
    ASSERT_EQ(main.bytes, model.main.bytes) << "step " << step << " key " << key;
    ASSERT_EQ(main.items, static_cast<int64_t>(model.main.entries.size())) << "step " << step;
    ASSERT_EQ(main.evictions, model.main.evictions) << "step " << step;
    ASSERT_EQ(hot.bytes, model.hot.bytes) << "step " << step << " key " << key;
    ASSERT_EQ(hot.items, static_cast<int64_t>(model.hot.entries.size())) << "step " << step;
    ASSERT_EQ(hot.evictions, model.hot.evictions) << "step " << step;
    ASSERT_LE(main.bytes + hot.bytes, kBudget);
  }
  EXPECT_EQ(g->stats().loads, model_loads);
  EXPECT_GT(g->stats().cache_hits, 0);
  EXPECT_GT(g->cache_stats(CacheType::kHot).evictions, 0);
  EXPECT_GT(g->cache_stats(CacheType::kMain).evictions, 0);
}

TEST(GroupTest, HotCacheIsHeldToAnEighthOfMain) {
  constexpr int64_t kBudget = 1000;
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>([](std::string_view, Sink& dest) {
    dest.SetString(std::string(17, 'l'));  // 3-byte keys: 20 bytes an entry
    return Status::Ok();
  });
  auto peer = std::make_shared<FakePeer>([](std::string_view, std::string_view) -> Result<ByteView> {
    return ByteView::CopyOf(std::string(16, 'r'));
  });
  Group* g = MustNewGroup(registry, "g", kBudget, getter, GoOptions(std::make_shared<FixedPolicy>(true)));
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view k) { return k[0] == 'r'; }, peer));

  for (int i = 0; i < 50; ++i) {
    char key[8];
    std::snprintf(key, sizeof key, "l%02d", i);
    MustGet(g, key);
  }
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 1000);
  for (int i = 0; i < 200; ++i) {
    char key[8];
    std::snprintf(key, sizeof key, "r%03d", i);  // 4-byte keys: 20 bytes an entry
    MustGet(g, key);
    int64_t main = g->cache_stats(CacheType::kMain).bytes;
    int64_t hot = g->cache_stats(CacheType::kHot).bytes;
    ASSERT_LE(main + hot, kBudget) << i;
    // Go's rule: hot is trimmed only while it exceeds main/8, so it can end
    // at most one entry above that.
    ASSERT_LE(hot, main / 8 + 20) << i;
  }
  // Steady state: main 900 and hot 100. Each new hot entry makes hot 120 >
  // 900/8 = 112, so the hot cache gives up its oldest entry.
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 900);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).bytes, 100);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).evictions, 5);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).evictions, 195);
}

TEST(GroupTest, ValueBiggerThanBudgetIsReturnedButNotKept) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>([](std::string_view key, Sink& dest) {
    dest.SetString(key == "big" ? std::string(1000, 'b') : std::string("small"));
    return Status::Ok();
  });
  auto peer = std::make_shared<FakePeer>([](std::string_view, std::string_view) -> Result<ByteView> {
    return ByteView::CopyOf(std::string(500, 'p'));
  });
  Group* g = MustNewGroup(registry, "g", 100, getter, GoOptions(std::make_shared<FixedPolicy>(true)));
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view k) { return k == "remote-big"; }, peer));

  MustGet(g, "s");
  EXPECT_EQ(MustGet(g, "big"), std::string(1000, 'b'));
  EXPECT_LE(TotalBytes(g), 100);
  EXPECT_EQ(MustGet(g, "big"), std::string(1000, 'b'));
  EXPECT_EQ(getter->calls("big"), 2);

  EXPECT_EQ(MustGet(g, "remote-big"), std::string(500, 'p'));
  EXPECT_LE(TotalBytes(g), 100);
  EXPECT_EQ(MustGet(g, "remote-big"), std::string(500, 'p'));
  EXPECT_EQ(peer->calls("remote-big"), 2);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
}

TEST(GroupTest, EntryOverheadCountsAgainstBudget) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>([](std::string_view, Sink& dest) {
    dest.SetString("12345678");
    return Status::Ok();
  });
  GroupOptions options = GoOptions();
  options.entry_overhead_bytes = 40;
  Group* g = MustNewGroup(registry, "g", 200, getter, options);  // 4 entries of 50
  for (int i = 0; i < 6; ++i) MustGet(g, "k" + std::to_string(i));
  CacheStats main = g->cache_stats(CacheType::kMain);
  EXPECT_EQ(main.items, 4);
  EXPECT_EQ(main.bytes, 200);
  EXPECT_EQ(main.evictions, 2);
}

// ---------------------------------------------------------------------------
// Concurrency

TEST(GroupTest, ConcurrentMixedGetsStayConsistent) {
  constexpr int kThreads = 4;
  constexpr int kGetsPerThread = 1500;
  constexpr int64_t kBudget = 2000;
  ThreadPool pool(2, 1024);
  GroupRegistry registry;
  JoinAtEnd join_pool(pool);
  auto getter = std::make_shared<FakeGetter>([](std::string_view key, Sink& dest) {
    dest.SetString("L" + std::string(key) + std::string(key.size() * 3, '.'));
    return Status::Ok();
  });
  auto peer = std::make_shared<FakePeer>([](std::string_view, std::string_view key) -> Result<ByteView> {
    return ByteView::CopyOf("R" + std::string(key));
  });
  auto is_remote = [](std::string_view key) { return key.back() % 3 == 0; };
  Group* g =
      MustNewGroup(registry, "g", kBudget, getter, GoOptions(std::make_shared<FixedPolicy>(true), &pool));
  g->SetPeerPicker(std::make_shared<FakePicker>(is_remote, peer));

  std::latch start(kThreads);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      start.arrive_and_wait();
      for (int i = 0; i < kGetsPerThread; ++i) {
        std::string key = "key" + std::to_string(rng() % 120);
        std::string want = is_remote(key) ? "R" + key : "L" + key + std::string(key.size() * 3, '.');
        if (i % 2 == 0) {
          auto r = g->Get(key);
          if (!r.ok() || r.value() != want) wrong.fetch_add(1);
        } else {
          std::latch done(1);
          g->GetAsync(key, [&](Result<ByteView> r) {
            if (!r.ok() || r.value() != want) wrong.fetch_add(1);
            done.count_down();
          });
          done.wait();
        }
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(wrong.load(), 0);
  Stats s = g->stats();
  EXPECT_EQ(s.gets, kThreads * kGetsPerThread);
  EXPECT_EQ(s.peer_errors, 0);
  EXPECT_EQ(s.local_load_errs, 0);
  EXPECT_EQ(s.loads_deduped, s.local_loads + s.peer_loads);
  EXPECT_LE(s.loads_deduped, s.loads);
  EXPECT_GE(s.cache_hits + s.loads, s.gets);
  EXPECT_EQ(s.local_loads, getter->total());
  EXPECT_EQ(s.peer_loads, static_cast<int64_t>(peer->calls()));
  EXPECT_LE(TotalBytes(g), kBudget);
}

}  // namespace
}  // namespace groupcache
