// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The hot cache: admission policy, and Go's worked example of the stats.
#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
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

}  // namespace
}  // namespace groupcache::testing
