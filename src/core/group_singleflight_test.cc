// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Group's singleflight: one load per key at a time, for clients and peers.
// (The Singleflight table on its own is tested in singleflight_test.cc.)
#include <atomic>
#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "group_fakes.h"
#include "groupcache/group.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache::testing {
namespace {

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

}  // namespace
}  // namespace groupcache::testing
