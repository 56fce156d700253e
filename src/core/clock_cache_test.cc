// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "core/clock_cache.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/byte_view.h"
#include "gtest/gtest.h"

namespace groupcache::internal {
namespace {

ByteView V(std::string_view s) { return ByteView::CopyOf(s); }

// Drains the cache from the least recent end and returns the keys in the
// order they came out. Each entry must have a distinct charge: the removed
// key is recognised by how much bytes() dropped, so nothing is probed with
// Get (which would change the recency order being observed).
std::vector<std::string> EvictionOrder(ClockCache& lru, const std::map<int64_t, std::string>& by_charge) {
  std::vector<std::string> order;
  while (lru.items() > 0) {
    int64_t before = lru.bytes();
    EXPECT_TRUE(lru.RemoveOldest());
    auto it = by_charge.find(before - lru.bytes());
    order.push_back(it == by_charge.end() ? "?" : it->second);
  }
  EXPECT_FALSE(lru.RemoveOldest());
  return order;
}

TEST(ClockCacheTest, EmptyCache) {
  ClockCache lru(0);
  EXPECT_EQ(lru.bytes(), 0);
  EXPECT_EQ(lru.items(), 0);
  ByteView out = V("untouched");
  EXPECT_FALSE(lru.Get("missing", &out));
  EXPECT_EQ(out, "untouched");
  EXPECT_FALSE(lru.RemoveOldest());
}

TEST(ClockCacheTest, AddAndGet) {
  ClockCache lru(0);
  lru.Add("red", V("#FF0000"));
  lru.Add("green", V("#00FF00"));
  ByteView out;
  ASSERT_TRUE(lru.Get("red", &out));
  EXPECT_EQ(out, "#FF0000");
  ASSERT_TRUE(lru.Get("green", &out));
  EXPECT_EQ(out, "#00FF00");
  EXPECT_FALSE(lru.Get("blue", &out));
  EXPECT_EQ(lru.items(), 2);
}

TEST(ClockCacheTest, GetSharesTheStoredBuffer) {
  ClockCache lru(0);
  ByteView value = V("shared bytes");
  lru.Add("k", value);
  ByteView out;
  ASSERT_TRUE(lru.Get("k", &out));
  EXPECT_EQ(out.data(), value.data());
}

TEST(ClockCacheTest, BytesAreKeyPlusValuePlusOverhead) {
  ClockCache go_like(0);
  go_like.Add("key-1", V("0123456789"));  // 5 + 10
  EXPECT_EQ(go_like.bytes(), 15);
  go_like.Add("key-10", V("0123456789"));  // 6 + 10
  EXPECT_EQ(go_like.bytes(), 31);

  ClockCache with_overhead(112);
  with_overhead.Add("key-1", V("0123456789"));
  EXPECT_EQ(with_overhead.bytes(), 15 + 112);
  with_overhead.Add("", V(""));
  EXPECT_EQ(with_overhead.bytes(), 15 + 112 + 112);
  EXPECT_EQ(with_overhead.items(), 2);
}

TEST(ClockCacheTest, Charge) {
  ClockCache lru(7);
  EXPECT_EQ(lru.Charge("abc", V("12345")), 3 + 5 + 7);
  EXPECT_EQ(lru.Charge("", ByteView()), 7);
  ClockCache zero(0);
  EXPECT_EQ(zero.Charge("abc", V("12345")), 8);
}

TEST(ClockCacheTest, ReplacingDoesNotCountBytesTwice) {
  // Go's cache.add adds the new size without subtracting the old one; this
  // port subtracts it.
  ClockCache lru(10);
  lru.Add("k", V("aaaa"));
  EXPECT_EQ(lru.bytes(), 1 + 4 + 10);
  lru.Add("k", V("bb"));
  EXPECT_EQ(lru.bytes(), 1 + 2 + 10);
  EXPECT_EQ(lru.items(), 1);
  ByteView out;
  ASSERT_TRUE(lru.Get("k", &out));
  EXPECT_EQ(out, "bb");
  lru.Add("k", V("cccccccc"));
  EXPECT_EQ(lru.bytes(), 1 + 8 + 10);
  ASSERT_TRUE(lru.RemoveOldest());
  EXPECT_EQ(lru.bytes(), 0);
  EXPECT_EQ(lru.items(), 0);
}

TEST(ClockCacheTest, ReplacingMakesEntryMostRecent) {
  ClockCache lru(0);
  lru.Add("a", V("1"));
  lru.Add("b", V("2"));
  lru.Add("c", V("3"));
  lru.Add("a", V("4"));  // a becomes most recent
  ASSERT_TRUE(lru.RemoveOldest());
  ByteView out;
  EXPECT_FALSE(lru.Get("b", &out));
  EXPECT_TRUE(lru.Get("a", &out));
  EXPECT_EQ(out, "4");
}

TEST(ClockCacheTest, RemoveOldestInInsertionOrder) {
  ClockCache lru(0);
  lru.Add("a", V("1"));
  lru.Add("b", V("22"));
  lru.Add("c", V("333"));
  EXPECT_EQ(lru.bytes(), 2 + 3 + 4);
  ASSERT_TRUE(lru.RemoveOldest());
  EXPECT_EQ(lru.bytes(), 3 + 4);
  ByteView out;
  EXPECT_FALSE(lru.Get("a", &out));
  ASSERT_TRUE(lru.RemoveOldest());
  EXPECT_EQ(lru.bytes(), 4);
  EXPECT_FALSE(lru.Get("b", &out));
  EXPECT_TRUE(lru.Get("c", &out));
  ASSERT_TRUE(lru.RemoveOldest());
  EXPECT_EQ(lru.bytes(), 0);
  EXPECT_FALSE(lru.RemoveOldest());
}

TEST(ClockCacheTest, AHitGivesAnEntryOneMoreRound) {
  ClockCache lru(0);
  lru.Add("a", V("1"));
  lru.Add("b", V("22"));
  lru.Add("c", V("333"));
  lru.Add("d", V("4444"));
  ByteView out;
  ASSERT_TRUE(lru.Get("a", &out));  // marked: skipped once, moving to the newest end
  ASSERT_TRUE(lru.Get("c", &out));
  ASSERT_TRUE(lru.Get("c", &out));  // a second hit changes nothing
  EXPECT_FALSE(lru.Get("zz", &out));
  // Oldest first: a(marked) b c(marked) d. The sweep passes a, removes b;
  // then passes c, removes d; then a and c, now unmarked, in that order.
  EXPECT_EQ(EvictionOrder(lru, {{2, "a"}, {3, "b"}, {4, "c"}, {5, "d"}}),
            (std::vector<std::string>{"b", "d", "a", "c"}));
}

TEST(ClockCacheTest, NewEntriesGoBeforeEntriesThatWereHit) {
  ClockCache lru(0);
  lru.Add("old", V("1"));
  ByteView out;
  ASSERT_TRUE(lru.Get("old", &out));
  lru.Add("new", V("22"));
  EXPECT_EQ(EvictionOrder(lru, {{4, "old"}, {5, "new"}}), (std::vector<std::string>{"new", "old"}));
}

TEST(ClockCacheTest, ReplacingClearsTheMark) {
  ClockCache lru(0);
  lru.Add("a", V("1"));
  lru.Add("b", V("22"));
  ByteView out;
  ASSERT_TRUE(lru.Get("b", &out));
  lru.Add("b", V("33"));  // newest and unmarked again
  ASSERT_TRUE(lru.Get("a", &out));
  EXPECT_EQ(EvictionOrder(lru, {{2, "a"}, {3, "b"}}), (std::vector<std::string>{"b", "a"}));
}

TEST(ClockCacheTest, SecondChancesPerEvictionAreBounded) {
  // Every entry hit: one RemoveOldest passes over kMaxSecondChances of them
  // and then removes the next, so an eviction never walks the whole cache.
  ClockCache lru(0);
  constexpr int kEntries = ClockCache::kMaxSecondChances + 36;
  auto key = [](int i) { return "k" + std::to_string(i); };
  for (int i = 0; i < kEntries; ++i) lru.Add(key(i), V(std::string(static_cast<size_t>(i), 'v')));
  ByteView out;
  for (int i = 0; i < kEntries; ++i) ASSERT_TRUE(lru.Get(key(i), &out));
  const int64_t before = lru.bytes();
  ASSERT_TRUE(lru.RemoveOldest());
  const int removed = ClockCache::kMaxSecondChances;  // k0..k63 passed over
  EXPECT_EQ(before - lru.bytes(), static_cast<int64_t>(key(removed).size()) + removed);
  EXPECT_FALSE(lru.Get(key(removed), &out));
  EXPECT_TRUE(lru.Get(key(0), &out));
  EXPECT_TRUE(lru.Get(key(kEntries - 1), &out));
  EXPECT_EQ(lru.items(), kEntries - 1);
}

TEST(ClockCacheTest, MissDoesNotChangeOrder) {
  ClockCache lru(0);
  lru.Add("a", V("1"));
  lru.Add("b", V("2"));
  ByteView out;
  EXPECT_FALSE(lru.Get("zzz", &out));
  ASSERT_TRUE(lru.RemoveOldest());
  EXPECT_FALSE(lru.Get("a", &out));
  EXPECT_TRUE(lru.Get("b", &out));
}

TEST(ClockCacheTest, OwnsItsKeys) {
  ClockCache lru(0);
  std::string key = "transient-key";
  lru.Add(key, V("v"));
  key.assign("XXXXXXXXXXXXX");   // same length, different bytes
  std::string other(1000, 'y');  // disturb the heap
  ByteView out;
  EXPECT_TRUE(lru.Get("transient-key", &out));
  EXPECT_FALSE(lru.Get("XXXXXXXXXXXXX", &out));
  // Many more adds: rehashing must keep the index valid.
  for (int i = 0; i < 5000; ++i) {
    std::string k = "k" + std::to_string(i);
    lru.Add(k, V(k));
  }
  EXPECT_TRUE(lru.Get("transient-key", &out));
  for (int i = 0; i < 5000; i += 97) {
    std::string k = "k" + std::to_string(i);
    ASSERT_TRUE(lru.Get(k, &out)) << k;
    EXPECT_EQ(out, k);
  }
  EXPECT_EQ(lru.items(), 5001);
}

TEST(ClockCacheTest, BinaryAndEmptyKeys) {
  ClockCache lru(0);
  std::string nul_key("a\0b", 3);
  lru.Add(nul_key, V("nul"));
  lru.Add("a", V("plain"));
  lru.Add("", V("empty"));
  ByteView out;
  ASSERT_TRUE(lru.Get(nul_key, &out));
  EXPECT_EQ(out, "nul");
  ASSERT_TRUE(lru.Get("a", &out));
  EXPECT_EQ(out, "plain");
  ASSERT_TRUE(lru.Get("", &out));
  EXPECT_EQ(out, "empty");
  EXPECT_EQ(lru.bytes(), (3 + 3) + (1 + 5) + (0 + 5));
}

TEST(ClockCacheTest, BytesTrackAddsAndRemovals) {
  ClockCache lru(3);
  int64_t expected = 0;
  for (int i = 0; i < 100; ++i) {
    std::string k = "key" + std::to_string(i);
    std::string v(i, 'v');
    lru.Add(k, V(v));
    expected += static_cast<int64_t>(k.size() + v.size()) + 3;
    ASSERT_EQ(lru.bytes(), expected);
  }
  for (int i = 0; i < 100; ++i) {
    std::string k = "key" + std::to_string(i);
    ASSERT_TRUE(lru.RemoveOldest());
    expected -= static_cast<int64_t>(k.size() + i) + 3;
    ASSERT_EQ(lru.bytes(), expected);
  }
  EXPECT_EQ(lru.bytes(), 0);
}

TEST(CacheShardTest, CountsGetsHitsEvictionsPerCache) {
  CacheShard shard(/*budget=*/9, /*entry_overhead=*/0);
  for (CacheType t : {CacheType::kMain, CacheType::kHot}) {
    CacheStats s = shard.stats(t);
    EXPECT_EQ(s.bytes, 0);
    EXPECT_EQ(s.items, 0);
    EXPECT_EQ(s.gets, 0);
    EXPECT_EQ(s.hits, 0);
    EXPECT_EQ(s.evictions, 0);
  }

  ByteView out;
  EXPECT_FALSE(shard.Lookup("a", &out));  // a miss looks in both caches
  shard.Populate("a", V("12345"), CacheType::kMain);
  shard.Populate("bb", V("x"), CacheType::kHot);
  EXPECT_TRUE(shard.Lookup("a", &out));  // found in main: hot not looked at
  EXPECT_EQ(out, "12345");
  EXPECT_TRUE(shard.Lookup("bb", &out));
  EXPECT_EQ(out, "x");
  CacheStats main = shard.stats(CacheType::kMain);
  CacheStats hot = shard.stats(CacheType::kHot);
  EXPECT_EQ(main.gets, 3);
  EXPECT_EQ(main.hits, 1);
  EXPECT_EQ(hot.gets, 2);
  EXPECT_EQ(hot.hits, 1);
  EXPECT_EQ(main.items, 1);
  EXPECT_EQ(main.bytes, 6);
  EXPECT_EQ(hot.bytes, 3);

  // 6 + 3 + 3 > 9, and hot (6) > main (6) / 8: the hot cache gives way,
  // its oldest unmarked entry first ("cc"; "bb" was hit).
  shard.Populate("cc", V("y"), CacheType::kHot);
  hot = shard.stats(CacheType::kHot);
  EXPECT_EQ(hot.evictions, 1);
  EXPECT_EQ(hot.items, 1);
  EXPECT_TRUE(shard.Lookup("bb", &out));
  EXPECT_FALSE(shard.Lookup("cc", &out));
  EXPECT_EQ(shard.stats(CacheType::kMain).evictions, 0);
}

TEST(CacheShardTest, ReplaceIsNotAnEvictionAndNotDoubleCounted) {
  CacheShard shard(1000, 100);
  shard.Populate("k", V("aaaa"), CacheType::kMain);
  shard.Populate("k", V("bbbbbbbb"), CacheType::kMain);
  CacheStats s = shard.stats(CacheType::kMain);
  EXPECT_EQ(s.items, 1);
  EXPECT_EQ(s.bytes, 1 + 8 + 100);
  EXPECT_EQ(s.evictions, 0);
  ByteView out;
  ASSERT_TRUE(shard.Lookup("k", &out));
  EXPECT_EQ(out, "bbbbbbbb");
}

TEST(CacheShardTest, ValueLargerThanBudgetIsNotKept) {
  CacheShard shard(10, 0);
  shard.Populate("a", V("1"), CacheType::kMain);
  shard.Populate("big", V(std::string(20, 'b')), CacheType::kMain);
  CacheStats s = shard.stats(CacheType::kMain);
  EXPECT_EQ(s.items, 0);
  EXPECT_EQ(s.bytes, 0);
  EXPECT_EQ(s.evictions, 2);
}

TEST(CacheShardTest, HasASlotPerCpu) {
  CacheShard shard(100, 0);
  const size_t slots = shard.slot_count();
  const size_t cpus = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 256);
  EXPECT_GE(slots, cpus);
  EXPECT_EQ(slots & (slots - 1), 0u) << "a power of two";
}

TEST(CacheShardTest, ConcurrentUse) {
  // Lookups, adds and evictions from several threads at once (run under
  // ThreadSanitizer by the test command): every value found is its key's,
  // and the counters add up.
  CacheShard shard(/*budget=*/200, /*entry_overhead=*/0);
  constexpr int kThreads = 4;
  constexpr int kOps = 4000;
  std::atomic<int64_t> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&shard, &found, t] {
      for (int i = 0; i < kOps; ++i) {
        std::string k = std::to_string((t * 7 + i) % 50);
        ByteView out;
        if (shard.Lookup(k, &out)) {
          ASSERT_EQ(out, "value-" + k);
          found.fetch_add(1);
        } else {
          shard.Populate(k, V("value-" + k), i % 5 == 0 ? CacheType::kHot : CacheType::kMain);
        }
        if (i % 100 == 0) (void)shard.stats(CacheType::kMain);
      }
    });
  }
  for (auto& th : threads) th.join();
  CacheStats main = shard.stats(CacheType::kMain);
  CacheStats hot = shard.stats(CacheType::kHot);
  EXPECT_EQ(main.gets, kThreads * kOps);
  EXPECT_EQ(main.hits + hot.hits, found.load());
  EXPECT_EQ(hot.gets, kThreads * kOps - main.hits);
  EXPECT_LE(main.bytes + hot.bytes, 200);
  EXPECT_GT(main.evictions + hot.evictions, 0);
  // Bytes equal the sum over the entries still held.
  int64_t sum = 0;
  for (int i = 0; i < 50; ++i) {
    std::string k = std::to_string(i);
    ByteView out;
    if (shard.Lookup(k, &out)) sum += static_cast<int64_t>(k.size() + out.size());
  }
  EXPECT_EQ(main.bytes + hot.bytes, sum);
}

// --- Expiry ------------------------------------------------------------------

constexpr int64_t kNow = 1'800'000'000'000'000'000;

TEST(ClockCacheExpiryTest, AnExpiredEntryIsAMissAndIsNotMarked) {
  ClockCache cache(0);
  cache.Add("a", V("1").WithExpiry(kNow + 10));
  cache.Add("b", V("2"));
  ByteView out;
  int clock_reads = 0;
  auto at = [&](int64_t t) {
    return [&clock_reads, t] {
      ++clock_reads;
      return t;
    };
  };
  EXPECT_TRUE(cache.Get("a", &out, at(kNow + 9)));
  EXPECT_EQ(out.expire_unix_nanos(), kNow + 10);
  EXPECT_FALSE(cache.Get("a", &out, at(kNow + 10)));
  EXPECT_EQ(clock_reads, 2);
  EXPECT_TRUE(cache.Get("b", &out, at(kNow + 10)));
  EXPECT_EQ(clock_reads, 2);  // a value without expiry never reads the clock
}

TEST(ClockCacheExpiryTest, RemoveExpiredTakesTheEarliestExpiredOnly) {
  ClockCache cache(0);
  cache.Add("late", V("1").WithExpiry(kNow + 30));
  cache.Add("early", V("2").WithExpiry(kNow + 10));
  cache.Add("never", V("3"));
  EXPECT_FALSE(cache.RemoveExpired(kNow + 9));
  EXPECT_TRUE(cache.RemoveExpired(kNow + 10));
  EXPECT_FALSE(cache.RemoveExpired(kNow + 10));
  ByteView out;
  EXPECT_FALSE(cache.Get("early", &out, [] { return int64_t{0}; }));
  EXPECT_EQ(cache.items(), 2);
  EXPECT_EQ(cache.bytes(), 4 + 1 + 5 + 1);
  EXPECT_TRUE(cache.RemoveExpired(kNow + 100));
  EXPECT_FALSE(cache.RemoveExpired(INT64_MAX));  // "never" stays
  EXPECT_EQ(cache.items(), 1);
}

TEST(ClockCacheExpiryTest, ReplacingAndRemovingKeepTheIndexRight) {
  ClockCache cache(0);
  cache.Add("k", V("1").WithExpiry(kNow + 10));
  cache.Add("k", V("22"));  // no expiry now
  EXPECT_FALSE(cache.RemoveExpired(INT64_MAX));
  cache.Add("k", V("333").WithExpiry(kNow + 20));
  cache.Add("k", V("4444").WithExpiry(kNow + 5));
  EXPECT_EQ(cache.items(), 1);
  EXPECT_EQ(cache.bytes(), 1 + 4);
  EXPECT_TRUE(cache.RemoveExpired(kNow + 5));
  EXPECT_EQ(cache.items(), 0);
  EXPECT_EQ(cache.bytes(), 0);
  EXPECT_FALSE(cache.RemoveExpired(INT64_MAX));  // the old index entries went too
  cache.Add("x", V("1").WithExpiry(kNow));
  EXPECT_TRUE(cache.Remove("x"));
  EXPECT_FALSE(cache.Remove("x"));
  EXPECT_FALSE(cache.RemoveExpired(INT64_MAX));
  cache.Add("y", V("1").WithExpiry(kNow));
  EXPECT_TRUE(cache.RemoveOldest());
  EXPECT_FALSE(cache.RemoveExpired(INT64_MAX));
}

TEST(CacheShardExpiryTest, ExpiredEntriesGoBeforeLiveOnesInEitherCache) {
  CacheShard shard(/*budget=*/30, /*entry_overhead=*/0);
  // 10 bytes each. The oldest main entry is live and unmarked; the expired
  // ones are newer, one in each cache.
  shard.Populate("m1", V("12345678"), CacheType::kMain, kNow);
  shard.Populate("m2", V("12345678").WithExpiry(kNow + 1), CacheType::kMain, kNow);
  shard.Populate("h1", V("12345678").WithExpiry(kNow + 1), CacheType::kHot, kNow);
  shard.Populate("m3", V("12345678"), CacheType::kMain, kNow + 1);
  shard.Populate("m4", V("12345678"), CacheType::kMain, kNow + 1);
  ByteView out;
  auto now = [](const void*) { return kNow + 1; };
  EXPECT_TRUE(shard.Lookup("m1", &out, now, nullptr));
  EXPECT_TRUE(shard.Lookup("m3", &out, now, nullptr));
  EXPECT_TRUE(shard.Lookup("m4", &out, now, nullptr));
  EXPECT_FALSE(shard.Lookup("m2", &out, now, nullptr));
  EXPECT_FALSE(shard.Lookup("h1", &out, now, nullptr));
  EXPECT_EQ(shard.stats(CacheType::kMain).items, 3);
  EXPECT_EQ(shard.stats(CacheType::kHot).items, 0);
}

TEST(CacheShardExpiryTest, RemoveTakesAKeyFromBothCaches) {
  CacheShard shard(1000, 0);
  shard.Populate("k", V("main"), CacheType::kMain);
  shard.Populate("k", V("hot"), CacheType::kHot);
  EXPECT_TRUE(shard.Remove("k"));
  ByteView out;
  EXPECT_FALSE(shard.Lookup("k", &out));
  EXPECT_FALSE(shard.Remove("k"));
  EXPECT_EQ(shard.stats(CacheType::kMain).bytes + shard.stats(CacheType::kHot).bytes, 0);
}

TEST(CacheShardTest, ClearEmptiesBothCachesAndKeepsCounters) {
  CacheShard shard(1000, 0);
  shard.Populate("a", V("1").WithExpiry(kNow + 5), CacheType::kMain);
  shard.Populate("b", V("22"), CacheType::kHot);
  ByteView out;
  EXPECT_TRUE(shard.Lookup("b", &out));
  shard.Clear();
  EXPECT_FALSE(shard.Lookup("a", &out));
  EXPECT_FALSE(shard.Lookup("b", &out));
  EXPECT_EQ(shard.stats(CacheType::kMain).items, 0);
  EXPECT_EQ(shard.stats(CacheType::kHot).bytes, 0);
  EXPECT_EQ(shard.stats(CacheType::kHot).hits, 1);  // counters stay
  // Usable again, the expiry index included.
  shard.Populate("c", V("3").WithExpiry(kNow + 1), CacheType::kMain);
  EXPECT_EQ(shard.stats(CacheType::kMain).items, 1);
}

}  // namespace
}  // namespace groupcache::internal
