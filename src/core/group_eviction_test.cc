// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Budget and eviction, checked against a model of Go's two caches.
#include <cstdint>
#include <list>
#include <memory>
#include <random>
#include <string>

#include "core/clock_cache.h"
#include "group_fakes.h"
#include "groupcache/group.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache::testing {
namespace {

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

}  // namespace
}  // namespace groupcache::testing
