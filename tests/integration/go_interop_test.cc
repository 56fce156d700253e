// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Interoperability with Go groupcache: C++ kv nodes and the Go peer gcpeer
// (real upstream groupcache) in one pool, plus Go's ring and Go's peer client
// checked against the C++ ones.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <latch>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cluster.h"
#include "cluster_test_base.h"
#include "groupcache/hash_ring.h"
#include "net.h"
#include "process.h"
#include "text.h"

namespace groupcache::integration {
namespace {

// Keys that are hard to carry in a URL. All are path-clean, so Go's ServeMux
// serves them. None contains a newline, so each getter call is one log line.
std::vector<std::string> SpecialKeys() {
  return {"",
          "a b",
          "a+b",
          "a b+c",
          " ",
          "+",
          "++ +",
          "  two  spaces  ",
          "a/b",
          "x/y/z",
          "a/",
          "%",
          "100%",
          "%2B",
          "%20",
          "%zz",
          "\xc3\xa9/\xc3\xbc",  // "é/ü"
          "\xc3\xa9",
          "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",  // "日本語"
          "?q=1&r=2",
          "#frag",
          "~tilde-_.",
          "a;b,c=d@e$f:g",
          "quote\"s'",
          "back\\slash",
          "\x01\x02\x7f",
          "\xff\xfe",
          "tab\tkey",
          std::string(300, 'L'),
          "key with / and + and %41"};
}

// Keys that are not path-clean: Go's ServeMux answers 301 for them instead of
// calling groupcache's handler (wire spec Q2).
std::vector<std::string> UncleanKeys() { return {"a//b", "..", ".", "/a", "a/./b", "../x", "a/.."}; }

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class GoInteropTest : public ClusterTestBase {
 protected:
  // Owners of `keys` in `pool` according to gcpeer (groupcache's own
  // consistenthash, cross-checked by gcpeer against HTTPPool.PickPeer).
  std::vector<std::string> GoOwners(const std::vector<std::string>& pool,
                                    const std::vector<std::string>& keys, int replicas) {
    std::filesystem::path file = dir_ / "keys.hex";
    {
      std::ofstream out(file);
      for (const auto& k : keys) out << Hex(k) << "\n";
    }
    auto run = RunToCompletion(
        GC_GCPEER_BIN,
        {"-owners", file.string(), "-pool", Join(pool, ","), "-replicas", std::to_string(replicas)}, dir_,
        "owners");
    if (!run.ok()) {
      ADD_FAILURE() << run.status().message();
      return {};
    }
    EXPECT_EQ(run->exit_code, 0) << run->err;
    return Lines(run->out);
  }

  // Starts `cpp_nodes` C++ kv processes and one gcpeer (last in urls_), all
  // with -size `size`, getter logging on, and `extra_args`.
  // `extra_args` go to every node, `cpp_args` to the C++ nodes only.
  void StartMixedPool(int cpp_nodes, int size, const std::vector<std::string>& extra_args = {},
                      const std::vector<std::string>& cpp_args = {}) {
    size_ = size;
    std::vector<uint16_t> ports = PickFreePorts(cpp_nodes + 1);
    for (uint16_t p : ports) urls_.push_back(LocalUrl(p));
    ring_.Add(urls_);
    go_ = cpp_nodes;
    for (int i = 0; i <= cpp_nodes; ++i) {
      std::vector<std::string> args = {"-addr",       "127.0.0.1:" + std::to_string(ports[i]),
                                       "-pool",       PoolArg(urls_, i),
                                       "-size",       std::to_string(size),
                                       "-quiet=false"};
      args.insert(args.end(), extra_args.begin(), extra_args.end());
      const bool go = i == go_;
      if (!go) args.insert(args.end(), cpp_args.begin(), cpp_args.end());
      ASSERT_NE(
          Start(go ? GC_GCPEER_BIN : GC_KV_BIN, args, go ? "gcpeer" : "kv" + std::to_string(i), ports[i]),
          nullptr);
    }
  }

  bool OwnedByGo(std::string_view key) const { return ring_.GetIndex(key) == go_; }

  // The first key "<prefix><n>" whose owner is (or is not) the Go node.
  std::string KeyWithGoOwner(const std::string& prefix, bool go_owned) const {
    for (int n = 0; n < 1'000'000; ++n) {
      std::string key = prefix + std::to_string(n);
      if (OwnedByGo(key) == go_owned) return key;
    }
    ADD_FAILURE() << "no key " << prefix << "<n> with go_owned=" << go_owned;
    return prefix;
  }

  // GET /get?key=<key> at `node`; returns a description of what was wrong,
  // or an empty string if it answered 200 with the expected value.
  std::string CheckValue(const Server& node, const std::string& key) const {
    auto reply = HttpGet(node.port, "/get?key=" + PercentEncode(key));
    std::string where =
        "key " + Printable(key) + " at " + node.url + " (owner " + std::string(ring_.Get(key)) + "): ";
    if (!reply.ok()) return where + reply.status().message();
    if (reply->status != 200)
      return where + "status " + std::to_string(reply->status) + ", body " + reply->body;
    std::string want = SyntheticValue(key, size_);
    if (reply->body != want) return where + "got " + Printable(reply->body) + ", want " + Printable(want);
    return "";
  }

  // "looking up <key>" lines for `key` in every node's log.
  std::vector<int> Lookups(const std::string& key) const {
    std::vector<int> counts;
    for (const Server& s : servers_) counts.push_back(CountLookups(s.log(), key));
    return counts;
  }

  // Expects `key` to have been loaded exactly once in the pool, by its owner.
  void ExpectLoadedOnceByOwner(const std::string& key) const {
    std::vector<int> counts = Lookups(key);
    int total = 0;
    std::string per_node;
    for (size_t i = 0; i < counts.size(); ++i) {
      total += counts[i];
      per_node += " " + urls_[i] + "=" + std::to_string(counts[i]);
    }
    const int owner = ring_.GetIndex(key);
    EXPECT_TRUE(total == 1 && counts[owner] == 1)
        << "key " << Printable(key) << " owned by " << urls_[owner] << " was loaded " << total
        << " times; per node:" << per_node;
  }

  int size_ = 32;
  int go_ = -1;                    // index of the Go node in urls_ and servers_
  std::vector<std::string> urls_;  // the pool in canonical order
  HashRing ring_;
};

TEST_F(GoInteropTest, RingOwnersAgreeWithGoConsistentHash) {
  std::vector<std::string> keys;
  for (int i = 0; i < 2000; ++i) keys.push_back("key-" + std::to_string(i));
  for (const auto& k : SpecialKeys()) keys.push_back(k);
  for (const auto& k : UncleanKeys()) keys.push_back(k);
  // Keys equal to ring points ("<i><peer>"), which hash exactly onto a point.
  for (int i = 0; i < 50; i += 7) keys.push_back(std::to_string(i) + "http://127.0.0.1:8080");
  std::mt19937 rng(20260101);
  for (int i = 0; i < 500; ++i) {
    std::string k(rng() % 40, '\0');
    for (char& c : k) c = static_cast<char>(rng() & 0xff);  // any byte, newlines included
    keys.push_back(k);
  }

  const std::vector<std::vector<std::string>> pools = {
      {"http://127.0.0.1:8080", "http://127.0.0.1:8081", "http://127.0.0.1:8082"},
      {"http://10.0.0.7:9000", "http://localhost:9001", "http://[::1]:9002", "http://peer-a.example:80",
       "http://127.0.0.1:65535"},
      {"http://127.0.0.1:1"},
  };
  for (int replicas : {50, 3}) {
    for (const auto& pool : pools) {
      SCOPED_TRACE("pool " + Join(pool, ",") + ", replicas " + std::to_string(replicas));
      HashRing ring(replicas);
      ring.Add(pool);
      std::vector<std::string> go = GoOwners(pool, keys, replicas);
      ASSERT_EQ(go.size(), keys.size());
      int mismatches = 0;
      for (size_t i = 0; i < keys.size(); ++i) {
        if (go[i] != ring.Get(keys[i]) && ++mismatches <= 10) {
          ADD_FAILURE() << "key " << Printable(keys[i]) << ": Go owner " << go[i] << ", C++ owner "
                        << ring.Get(keys[i]);
        }
      }
      EXPECT_EQ(mismatches, 0);
    }
  }
}

TEST_F(GoInteropTest, EveryKeyIsServedEverywhereAndLoadedOnceByItsOwner) {
  ASSERT_NO_FATAL_FAILURE(StartMixedPool(2, 32));
  std::vector<std::string> keys;
  for (int i = 0; i < 100; ++i) keys.push_back("key-" + std::to_string(i));
  for (const auto& k : SpecialKeys()) keys.push_back(k);
  // Which node owns a special key depends on the ports; these carry the same
  // hard bytes and are owned by Go or by C++ whatever the ports.
  for (const char* prefix : {"a b ", "a+b ", "a b+c/\xc3\xa9/\xc3\xbc %41 "}) {
    keys.push_back(KeyWithGoOwner(prefix, true));
    keys.push_back(KeyWithGoOwner(prefix, false));
  }

  int go_owned = 0;
  for (const auto& k : keys) go_owned += OwnedByGo(k);
  ASSERT_GT(go_owned, 0);
  ASSERT_LT(go_owned, static_cast<int>(keys.size()));

  // Ask every node for every key: C++ asks Go, Go asks C++, C++ asks C++.
  int failures = 0;
  for (const Server& node : servers_) {
    for (const auto& key : keys) {
      std::string problem = CheckValue(node, key);
      if (!problem.empty() && ++failures <= 25) ADD_FAILURE() << problem;
    }
  }
  EXPECT_EQ(failures, 0);
  for (const Server& node : servers_) {
    EXPECT_EQ(Stat(node, "PeerErrors"), 0) << "at " << node.url;
  }
  for (const auto& key : keys) ExpectLoadedOnceByOwner(key);
}

// Concurrent clients at every node while loads are slow: the Go node's
// fetches from C++ (over many connections, as Go's transport keeps only two
// idle ones) and the C++ nodes' fetches from Go are all merged by the
// owner's singleflight.
TEST_F(GoInteropTest, ConcurrentRequestsAcrossGoAndCppLoadEachKeyOnce) {
  ASSERT_NO_FATAL_FAILURE(StartMixedPool(2, 32, {"-delay", "200ms"}));
  std::vector<std::string> keys = {KeyWithGoOwner("shared key ", true), KeyWithGoOwner("shared key ", false)};
  constexpr int kClientsPerNodeAndKey = 6;
  const int clients = static_cast<int>(keys.size() * servers_.size()) * kClientsPerNodeAndKey;

  std::vector<std::string> problems(clients);
  std::latch start(clients);
  std::vector<std::thread> threads;
  int i = 0;
  for (const auto& key : keys) {
    for (const Server& node : servers_) {
      for (int c = 0; c < kClientsPerNodeAndKey; ++c, ++i) {
        threads.emplace_back([&, i] {
          start.arrive_and_wait();
          problems[i] = CheckValue(node, key);
        });
      }
    }
  }
  for (auto& t : threads) t.join();
  for (const auto& p : problems) EXPECT_EQ(p, "");
  for (const auto& key : keys) ExpectLoadedOnceByOwner(key);
  for (const Server& node : servers_) EXPECT_EQ(Stat(node, "PeerErrors"), 0) << node.url;
}

TEST_F(GoInteropTest, KeysGoRedirectsAreStillAnsweredByLocalLoads) {
  ASSERT_NO_FATAL_FAILURE(StartMixedPool(2, 32));
  const Server& cpp = servers_[0];
  const std::string go_owned = KeyWithGoOwner("a//b-", true);
  const std::string cpp_owned = KeyWithGoOwner("a//b-", false);

  // C++ asks the Go owner, whose ServeMux answers 301: a peer error, then a
  // local load.
  EXPECT_EQ(CheckValue(cpp, go_owned), "");
  EXPECT_EQ(Stat(cpp, "PeerErrors"), 1);
  EXPECT_EQ(CountLookups(cpp.log(), go_owned), 1);

  std::vector<std::string> keys = UncleanKeys();
  keys.push_back(go_owned);
  keys.push_back(cpp_owned);
  for (const Server& node : servers_) {
    for (const auto& key : keys) EXPECT_EQ(CheckValue(node, key), "");
  }
  // Only requests to the Go server are redirected: keys a C++ node owns are
  // still loaded once in the whole pool.
  for (const auto& key : keys) {
    if (!OwnedByGo(key)) ExpectLoadedOnceByOwner(key);
  }
}

TEST_F(GoInteropTest, GoPeerClientFetchesFromCppPeerEndpoint) {
  const uint16_t port = PickFreePort();
  const std::string url = LocalUrl(port);
  const int size = 3000;  // more than Go's 2048-byte buffer: exercises framing too
  Server* kv = Start(GC_KV_BIN,
                     {"-addr", "127.0.0.1:" + std::to_string(port), "-pool", url, "-size",
                      std::to_string(size), "-quiet=false"},
                     "kv", port);
  ASSERT_NE(kv, nullptr);

  // Go's client sends a space as '+' (QueryEscape) and '+' as %2B (Q1); a Go
  // server would load "a+b" for "a b", ours must not.
  const std::vector<std::string> keys = {"a b", "a+b",  "a b+c", " ", "+", "%2B", "\xc3\xa9/\xc3\xbc",
                                         "",    "a//b", "key-7"};
  for (const auto& key : keys) {
    auto run =
        RunToCompletion(GC_GCPEER_BIN, {"-fetch", url, "-group", "kv", "-keyhex", Hex(key)}, dir_, "fetch");
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_EQ(run->exit_code, 0) << "key " << Printable(key) << ": " << run->err;
    EXPECT_EQ(run->out, Hex(SyntheticValue(key, size)) + "\n") << "key " << Printable(key);
  }
  for (const auto& key : keys) {
    EXPECT_EQ(CountLookups(kv->log(), key), 1) << "key " << Printable(key);
  }
  EXPECT_EQ(Stat(*kv, "ServerRequests"), static_cast<int64_t>(keys.size()));

  // Go's client reports a non-200 as "server returned: <status>".
  auto unknown = RunToCompletion(GC_GCPEER_BIN, {"-fetch", url, "-group", "nosuch", "-keyhex", Hex("k")},
                                 dir_, "fetch-unknown-group");
  ASSERT_TRUE(unknown.ok()) << unknown.status().message();
  EXPECT_EQ(unknown->exit_code, 1);
  EXPECT_NE(unknown->err.find("server returned: 404"), std::string::npos) << unknown->err;
}

// C++ nodes whose values expire send GetResponse field 3 (as groupcache-go v3
// does); the Go groupcache (v1) node must skip it and read every value right,
// both as a peer in the ring and with its own client.
TEST_F(GoInteropTest, ExpiringValuesFromCppAreReadRightByGo) {
  ASSERT_NO_FATAL_FAILURE(StartMixedPool(2, 40, {}, {"-ttl", "1h"}));
  std::vector<std::string> keys;
  for (int i = 0; i < 60; ++i) keys.push_back("key-" + std::to_string(i));
  int cpp_owned = 0;
  for (const auto& k : keys) cpp_owned += !OwnedByGo(k);
  ASSERT_GT(cpp_owned, 0);
  int failures = 0;
  for (const Server& node : servers_) {
    for (const auto& key : keys) {
      std::string problem = CheckValue(node, key);
      if (!problem.empty() && ++failures <= 25) ADD_FAILURE() << problem;
    }
  }
  EXPECT_EQ(failures, 0);
  for (const Server& node : servers_) EXPECT_EQ(Stat(node, "PeerErrors"), 0) << "at " << node.url;
  for (const auto& key : keys) ExpectLoadedOnceByOwner(key);

  // Go's own client, straight at a C++ peer endpoint, for a key it owns.
  const std::string key = KeyWithGoOwner("expiring ", false);
  const std::string owner = urls_[ring_.GetIndex(key)];
  auto run = RunToCompletion(GC_GCPEER_BIN, {"-fetch", owner, "-group", "kv", "-keyhex", Hex(key)}, dir_,
                             "fetch-expiring");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 0) << run->err;
  EXPECT_EQ(run->out, Hex(SyntheticValue(key, size_)) + "\n");
}

// With a short ttl the C++ owner reloads a key after it expires, and the
// pool keeps answering it right at every node, the Go one included.
TEST_F(GoInteropTest, ShortLivedValuesReloadAndStayRightInAMixedPool) {
  ASSERT_NO_FATAL_FAILURE(StartMixedPool(2, 24, {}, {"-ttl", "300ms"}));
  const std::string key = KeyWithGoOwner("short-lived ", false);
  const Server& owner = servers_[ring_.GetIndex(key)];
  for (int round = 0; round < 3; ++round) {
    for (const Server& node : servers_) EXPECT_EQ(CheckValue(node, key), "") << "round " << round;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  // Each round found the owner's copy expired: one load per round, at least.
  EXPECT_GE(CountLookups(owner.log(), key), 3);
  for (const Server& node : servers_) EXPECT_EQ(Stat(node, "PeerErrors"), 0) << "at " << node.url;
}

TEST_F(GoInteropTest, CppClientReadsChunkedResponsesFromGoPeer) {
  // Values over 2045 bytes make Go's server answer with chunked framing.
  ASSERT_NO_FATAL_FAILURE(StartMixedPool(1, 4000));
  const Server& cpp = servers_[0];
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < 5; ++i)
    keys.push_back(KeyWithGoOwner("big key " + std::to_string(i) + "-", true));
  for (const auto& key : keys) EXPECT_EQ(CheckValue(cpp, key), "");
  EXPECT_EQ(Stat(cpp, "PeerErrors"), 0);
  EXPECT_EQ(Stat(cpp, "PeerLoads"), static_cast<int64_t>(keys.size()));
  for (const auto& key : keys) ExpectLoadedOnceByOwner(key);
}

}  // namespace
}  // namespace groupcache::integration
