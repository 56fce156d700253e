// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "lru_cache.h"

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
std::vector<std::string> EvictionOrder(LruCache& lru, const std::map<int64_t, std::string>& by_charge) {
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

TEST(LruCacheTest, EmptyCache) {
  LruCache lru(0);
  EXPECT_EQ(lru.bytes(), 0);
  EXPECT_EQ(lru.items(), 0);
  ByteView out = V("untouched");
  EXPECT_FALSE(lru.Get("missing", &out));
  EXPECT_EQ(out, "untouched");
  EXPECT_FALSE(lru.RemoveOldest());
}

TEST(LruCacheTest, AddAndGet) {
  LruCache lru(0);
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

TEST(LruCacheTest, GetSharesTheStoredBuffer) {
  LruCache lru(0);
  ByteView value = V("shared bytes");
  lru.Add("k", value);
  ByteView out;
  ASSERT_TRUE(lru.Get("k", &out));
  EXPECT_EQ(out.data(), value.data());
}

TEST(LruCacheTest, BytesAreKeyPlusValuePlusOverhead) {
  LruCache go_like(0);
  go_like.Add("key-1", V("0123456789"));  // 5 + 10
  EXPECT_EQ(go_like.bytes(), 15);
  go_like.Add("key-10", V("0123456789"));  // 6 + 10
  EXPECT_EQ(go_like.bytes(), 31);

  LruCache with_overhead(112);
  with_overhead.Add("key-1", V("0123456789"));
  EXPECT_EQ(with_overhead.bytes(), 15 + 112);
  with_overhead.Add("", V(""));
  EXPECT_EQ(with_overhead.bytes(), 15 + 112 + 112);
  EXPECT_EQ(with_overhead.items(), 2);
}

TEST(LruCacheTest, Charge) {
  LruCache lru(7);
  EXPECT_EQ(lru.Charge("abc", V("12345")), 3 + 5 + 7);
  EXPECT_EQ(lru.Charge("", ByteView()), 7);
  LruCache zero(0);
  EXPECT_EQ(zero.Charge("abc", V("12345")), 8);
}

TEST(LruCacheTest, ReplacingDoesNotCountBytesTwice) {
  // Go's cache.add adds the new size without subtracting the old one; this
  // port subtracts it.
  LruCache lru(10);
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

TEST(LruCacheTest, ReplacingMakesEntryMostRecent) {
  LruCache lru(0);
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

TEST(LruCacheTest, RemoveOldestInInsertionOrder) {
  LruCache lru(0);
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

TEST(LruCacheTest, GetMovesToFront) {
  LruCache lru(0);
  lru.Add("a", V("1"));
  lru.Add("b", V("22"));
  lru.Add("c", V("333"));
  lru.Add("d", V("4444"));
  ByteView out;
  ASSERT_TRUE(lru.Get("a", &out));  // order now (oldest first): b c d a
  ASSERT_TRUE(lru.Get("c", &out));  // b d a c
  EXPECT_FALSE(lru.Get("zz", &out));
  EXPECT_EQ(EvictionOrder(lru, {{2, "a"}, {3, "b"}, {4, "c"}, {5, "d"}}),
            (std::vector<std::string>{"b", "d", "a", "c"}));
}

TEST(LruCacheTest, MissDoesNotChangeOrder) {
  LruCache lru(0);
  lru.Add("a", V("1"));
  lru.Add("b", V("2"));
  ByteView out;
  EXPECT_FALSE(lru.Get("zzz", &out));
  ASSERT_TRUE(lru.RemoveOldest());
  EXPECT_FALSE(lru.Get("a", &out));
  EXPECT_TRUE(lru.Get("b", &out));
}

TEST(LruCacheTest, OwnsItsKeys) {
  LruCache lru(0);
  std::string key = "transient-key";
  lru.Add(key, V("v"));
  key.assign("XXXXXXXXXXXXX");  // same length, different bytes
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

TEST(LruCacheTest, BinaryAndEmptyKeys) {
  LruCache lru(0);
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

TEST(LruCacheTest, BytesTrackAddsAndRemovals) {
  LruCache lru(3);
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

TEST(CacheTest, CountsGetsHitsEvictions) {
  Cache cache(0);
  CacheStats s = cache.stats();
  EXPECT_EQ(s.bytes, 0);
  EXPECT_EQ(s.items, 0);
  EXPECT_EQ(s.gets, 0);
  EXPECT_EQ(s.hits, 0);
  EXPECT_EQ(s.evictions, 0);

  ByteView out;
  EXPECT_FALSE(cache.Get("a", &out));  // gets counted even on an empty cache
  cache.Add("a", V("12345"));
  cache.Add("bb", V("x"));
  EXPECT_TRUE(cache.Get("a", &out));
  EXPECT_EQ(out, "12345");
  EXPECT_FALSE(cache.Get("c", &out));
  s = cache.stats();
  EXPECT_EQ(s.gets, 3);
  EXPECT_EQ(s.hits, 1);
  EXPECT_EQ(s.items, 2);
  EXPECT_EQ(s.bytes, 6 + 3);
  EXPECT_EQ(cache.bytes(), 9);
  EXPECT_EQ(s.evictions, 0);

  cache.RemoveOldest();  // "bb": "a" was touched after it
  s = cache.stats();
  EXPECT_EQ(s.evictions, 1);
  EXPECT_EQ(s.items, 1);
  EXPECT_EQ(s.bytes, 6);
  EXPECT_FALSE(cache.Get("bb", &out));
  EXPECT_TRUE(cache.Get("a", &out));

  cache.RemoveOldest();
  cache.RemoveOldest();  // empty: not an eviction
  s = cache.stats();
  EXPECT_EQ(s.evictions, 2);
  EXPECT_EQ(s.items, 0);
  EXPECT_EQ(s.bytes, 0);
  EXPECT_EQ(s.gets, 5);
  EXPECT_EQ(s.hits, 2);
}

TEST(CacheTest, ReplaceIsNotAnEvictionAndNotDoubleCounted) {
  Cache cache(100);
  cache.Add("k", V("aaaa"));
  cache.Add("k", V("bbbbbbbb"));
  CacheStats s = cache.stats();
  EXPECT_EQ(s.items, 1);
  EXPECT_EQ(s.bytes, 1 + 8 + 100);
  EXPECT_EQ(s.evictions, 0);
}

TEST(CacheTest, ConcurrentUse) {
  Cache cache(0);
  constexpr int kThreads = 4;
  constexpr int kOps = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < kOps; ++i) {
        std::string k = std::to_string((t * 7 + i) % 50);
        ByteView out;
        if (!cache.Get(k, &out)) cache.Add(k, V(k));
        if (i % 10 == 0) cache.RemoveOldest();
        (void)cache.stats();
      }
    });
  }
  for (auto& th : threads) th.join();
  CacheStats s = cache.stats();
  EXPECT_EQ(s.gets, kThreads * kOps);
  EXPECT_LE(s.hits, s.gets);
  EXPECT_GE(s.items, 0);
  EXPECT_LE(s.items, 50);
  // Bytes equal the sum over the entries still held.
  int64_t sum = 0;
  for (int i = 0; i < 50; ++i) {
    std::string k = std::to_string(i);
    ByteView out;
    if (cache.Get(k, &out)) sum += static_cast<int64_t>(2 * k.size());
  }
  EXPECT_EQ(cache.bytes(), sum);
}

}  // namespace
}  // namespace groupcache::internal
