// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Group: local loads, errors, GetAsync and a concurrent mix.
#include "groupcache/group.h"

#include <atomic>
#include <cstdint>
#include <latch>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "group_fakes.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache::testing {
namespace {

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
}  // namespace groupcache::testing
