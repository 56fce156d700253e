// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/hash_ring.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace groupcache {
namespace {

const std::vector<std::string> kPool = {"http://127.0.0.1:8080", "http://127.0.0.1:8081",
                                        "http://127.0.0.1:8082"};

// Go's consistenthash_test hash: the string read as a decimal number.
uint32_t Atoi(std::string_view s) {
  uint32_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint32_t>(c - '0');
  return v;
}

TEST(Crc32IeeeTest, KnownValues) {
  EXPECT_EQ(Crc32Ieee(""), 0u);
  EXPECT_EQ(Crc32Ieee("123456789"), 0xCBF43926u);  // the CRC-32 check value
  EXPECT_EQ(Crc32Ieee("red"), 4200685455u);
  EXPECT_EQ(Crc32Ieee("green"), 3499814433u);
  EXPECT_EQ(Crc32Ieee("blue"), 2654390964u);
  EXPECT_EQ(Crc32Ieee("a"), 3904355907u);
  EXPECT_EQ(Crc32Ieee("key-12345"), 1864493849u);
  EXPECT_EQ(Crc32Ieee("purple"), 3934614246u);
  EXPECT_EQ(Crc32Ieee("key-4801"), 4294466157u);
  EXPECT_EQ(Crc32Ieee("hello"), 907060870u);
  EXPECT_EQ(Crc32Ieee("foo"), 2356372769u);
  EXPECT_EQ(Crc32Ieee("yellow"), 3489983647u);
  EXPECT_EQ(Crc32Ieee("0http://127.0.0.1:8080"), 2165347509u);
  EXPECT_EQ(Crc32Ieee("32http://127.0.0.1:8080"), 12286840u);
  EXPECT_EQ(Crc32Ieee("15http://127.0.0.1:8081"), 4294157895u);
  EXPECT_EQ(Crc32Ieee("23http://127.0.0.1:8081"), 4226270714u);
}

TEST(Crc32IeeeTest, HashesRawBytesIncludingNul) {
  std::string with_nul("a\0b", 3);
  EXPECT_NE(Crc32Ieee(with_nul), Crc32Ieee("a"));
  EXPECT_NE(Crc32Ieee(with_nul), Crc32Ieee("ab"));
  EXPECT_EQ(Crc32Ieee(std::string_view("\0", 1)), 0xD202EF8Du);
}

TEST(HashRingTest, EmptyRing) {
  HashRing ring;
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.Get("anything"), "");
  EXPECT_TRUE(ring.Get("anything").empty());
  EXPECT_EQ(ring.GetIndex("anything"), -1);
  EXPECT_TRUE(ring.peers().empty());
  ring.Add({});
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.GetIndex(""), -1);
}

// The owners from go-groupcache-wire.md §3.4, produced by Go's consistenthash.
TEST(HashRingTest, MatchesGoOwners) {
  HashRing ring;  // kDefaultReplicas, crc32
  ring.Add(kPool);
  EXPECT_FALSE(ring.empty());
  EXPECT_EQ(ring.peers(), kPool);
  const std::map<std::string, std::string> want = {
      {"red", "http://127.0.0.1:8081"},
      {"green", "http://127.0.0.1:8081"},
      {"blue", "http://127.0.0.1:8081"},
      {"a", "http://127.0.0.1:8081"},
      {"key-12345", "http://127.0.0.1:8082"},
      {"purple", "http://127.0.0.1:8082"},
      {"", "http://127.0.0.1:8080"},
      // Hash equal to the first vnode's hash: that vnode owns it.
      {"32http://127.0.0.1:8080", "http://127.0.0.1:8080"},
      // Hash above the last vnode: wraps around to the first.
      {"key-4801", "http://127.0.0.1:8080"},
      {"hello", "http://127.0.0.1:8080"},
      {"foo", "http://127.0.0.1:8080"},
      {"yellow", "http://127.0.0.1:8080"},
  };
  for (const auto& [key, owner] : want) {
    EXPECT_EQ(ring.Get(key), owner) << "key " << key;
    int index = ring.GetIndex(key);
    ASSERT_GE(index, 0) << "key " << key;
    EXPECT_EQ(ring.peers()[index], owner) << "key " << key;
  }
}

TEST(HashRingTest, MatchesGoOwnershipCounts) {
  HashRing ring(50);
  ring.Add(kPool);
  std::map<std::string, int> counts;
  std::vector<int> by_index(3);
  for (int i = 0; i < 10000; ++i) {
    std::string key = "key-" + std::to_string(i);
    counts[std::string(ring.Get(key))]++;
    int index = ring.GetIndex(key);
    ASSERT_GE(index, 0);
    ASSERT_LT(index, 3);
    by_index[index]++;
  }
  EXPECT_EQ(counts["http://127.0.0.1:8080"], 2857);
  EXPECT_EQ(counts["http://127.0.0.1:8081"], 3276);
  EXPECT_EQ(counts["http://127.0.0.1:8082"], 3867);
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_EQ(by_index, (std::vector<int>{2857, 3276, 3867}));
}

TEST(HashRingTest, AddingPeersOneCallAtATimeIsTheSame) {
  HashRing together;
  together.Add(kPool);
  HashRing one_by_one;
  for (const auto& p : kPool) one_by_one.Add({p});
  EXPECT_EQ(one_by_one.peers(), kPool);
  for (int i = 0; i < 2000; ++i) {
    std::string key = "k" + std::to_string(i);
    EXPECT_EQ(together.Get(key), one_by_one.Get(key));
  }
}

// Go's TestHashing from consistenthash_test.go.
TEST(HashRingTest, GoTestHashing) {
  HashRing ring(3, Atoi);
  // Points: 2, 4, 6, 12, 14, 16, 22, 24, 26.
  ring.Add({"6", "4", "2"});
  const std::map<std::string, std::string> cases = {{"2", "2"}, {"11", "2"}, {"23", "4"}, {"27", "2"}};
  for (const auto& [key, owner] : cases) EXPECT_EQ(ring.Get(key), owner) << key;

  // Adds 8, 18, 28: 27 now maps to 8.
  ring.Add({"8"});
  const std::map<std::string, std::string> cases2 = {{"2", "2"}, {"11", "2"}, {"23", "4"}, {"27", "8"}};
  for (const auto& [key, owner] : cases2) EXPECT_EQ(ring.Get(key), owner) << key;
  EXPECT_EQ(ring.GetIndex("27"), 3);
  EXPECT_EQ(ring.GetIndex("23"), 1);
}

TEST(HashRingTest, KeyEqualToPointHashBelongsToThatPoint) {
  HashRing ring(1, Atoi);
  ring.Add({"5", "9"});  // points 5 ("05") and 9 ("09")
  EXPECT_EQ(ring.Get("5"), "5");
  EXPECT_EQ(ring.Get("6"), "9");
  EXPECT_EQ(ring.Get("9"), "9");
  EXPECT_EQ(ring.Get("10"), "5");  // wraps
  EXPECT_EQ(ring.Get("0"), "5");
}

TEST(HashRingTest, VnodeStringIsDecimalIndexThenPeer) {
  std::vector<std::string> hashed;
  HashRing ring(4, [&hashed](std::string_view s) {
    hashed.emplace_back(s);
    return Crc32Ieee(s);
  });
  ring.Add({"P"});
  std::vector<std::string> vnodes(hashed.begin(), hashed.end());
  EXPECT_EQ(vnodes, (std::vector<std::string>{"0P", "1P", "2P", "3P"}));
  hashed.clear();
  (void)ring.Get("key");
  EXPECT_EQ(hashed, (std::vector<std::string>{"key"}));
}

TEST(HashRingTest, NonPositiveReplicasMeansDefault) {
  for (int replicas : {0, -3}) {
    std::vector<std::string> hashed;
    HashRing ring(replicas, [&hashed](std::string_view s) {
      hashed.emplace_back(s);
      return Crc32Ieee(s);
    });
    ring.Add({"peer"});
    ASSERT_EQ(hashed.size(), static_cast<size_t>(kDefaultReplicas)) << "replicas " << replicas;
    EXPECT_EQ(hashed.front(), "0peer");
    EXPECT_EQ(hashed.back(), "49peer");
  }
  EXPECT_EQ(kDefaultReplicas, 50);
}

TEST(HashRingTest, ReplicasAreConfigurable) {
  int calls = 0;
  HashRing ring(7, [&calls](std::string_view s) {
    ++calls;
    return Crc32Ieee(s);
  });
  ring.Add({"a", "b"});
  EXPECT_EQ(calls, 14);

  // A different replica count gives a different (but still Go-compatible)
  // ring: with 1 replica per peer, ownership is decided by 3 points only.
  HashRing one(1);
  one.Add(kPool);
  // Points: crc32("0http://127.0.0.1:8080") = 2165347509 and the others; a
  // key hashing just at that point belongs to 8080.
  std::map<uint32_t, std::string> points;
  for (const auto& p : kPool) points[Crc32Ieee("0" + p)] = p;
  for (int i = 0; i < 500; ++i) {
    std::string key = "x" + std::to_string(i);
    uint32_t h = Crc32Ieee(key);
    auto it = points.lower_bound(h);
    if (it == points.end()) it = points.begin();
    EXPECT_EQ(one.Get(key), it->second) << key;
  }
}

TEST(HashRingTest, CollisionLaterAddedPeerWins) {
  // Every vnode of every peer hashes to the same point.
  HashRing ring(3, [](std::string_view s) -> uint32_t { return s.size() > 3 ? 100 : 50; });
  ring.Add({"first", "second"});
  EXPECT_EQ(ring.Get("k"), "second");     // hash 50 -> point 100
  EXPECT_EQ(ring.Get("kkkk"), "second");  // hash 100 -> point 100
  EXPECT_EQ(ring.GetIndex("k"), 1);

  HashRing reversed(3, [](std::string_view s) -> uint32_t { return s.size() > 3 ? 100 : 50; });
  reversed.Add({"second", "first"});
  EXPECT_EQ(reversed.Get("k"), "first");

  // Added in a later call, too.
  reversed.Add({"third"});
  EXPECT_EQ(reversed.Get("k"), "third");
  EXPECT_EQ(reversed.GetIndex("k"), 2);
}

TEST(HashRingTest, PartialCollisionOnlyAffectsThatPoint) {
  // vnode "0A" -> 10, "0B" -> 10 (collide), "1A" -> 20, "1B" -> 30.
  auto hash = [](std::string_view s) -> uint32_t {
    if (s == "0A" || s == "0B") return 10;
    if (s == "1A") return 20;
    if (s == "1B") return 30;
    return Atoi(s);
  };
  HashRing ring(2, hash);
  ring.Add({"A", "B"});
  EXPECT_EQ(ring.Get("5"), "B");   // -> 10, collision won by B
  EXPECT_EQ(ring.Get("15"), "A");  // -> 20
  EXPECT_EQ(ring.Get("25"), "B");  // -> 30
  EXPECT_EQ(ring.Get("35"), "B");  // wraps -> 10
}

TEST(HashRingTest, PeerAddedTwiceAppearsTwiceAndLaterCopyWins) {
  HashRing ring;
  ring.Add({"http://x:1", "http://y:2", "http://x:1"});
  ASSERT_EQ(ring.peers().size(), 3u);
  for (int i = 0; i < 200; ++i) {
    std::string key = "k" + std::to_string(i);
    int index = ring.GetIndex(key);
    ASSERT_TRUE(index == 1 || index == 2) << key << " -> " << index;
    EXPECT_EQ(ring.Get(key), ring.peers()[index]);
  }
}

TEST(HashRingTest, SinglePeerOwnsEverything) {
  HashRing ring;
  ring.Add({"only"});
  for (int i = 0; i < 100; ++i) {
    std::string key = std::to_string(i);
    EXPECT_EQ(ring.Get(key), "only");
    EXPECT_EQ(ring.GetIndex(key), 0);
  }
}

TEST(HashRingTest, KeysAreRawBytes) {
  HashRing ring(50);
  ring.Add(kPool);
  std::string nul_key("a\0b", 3);
  // Same owner as a ring hashing with an explicit crc32 of the full bytes.
  HashRing explicit_crc(50, [](std::string_view s) { return Crc32Ieee(s); });
  explicit_crc.Add(kPool);
  EXPECT_EQ(ring.Get(nul_key), explicit_crc.Get(nul_key));
  EXPECT_EQ(ring.Get("a b"), explicit_crc.Get("a b"));
  EXPECT_EQ(ring.Get("\xff\xfe"), explicit_crc.Get("\xff\xfe"));
}

}  // namespace
}  // namespace groupcache
