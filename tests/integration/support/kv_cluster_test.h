// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The fixture of the multi-process tests of colors and kv: starts clusters
// of them (or one kv among fake peers) on OS-chosen ports. The including
// target defines GC_COLORS_BIN and GC_KV_BIN.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_KV_CLUSTER_TEST_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_KV_CLUSTER_TEST_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "cluster.h"
#include "cluster_test_base.h"
#include "groupcache/hash_ring.h"
#include "net.h"
#include "text.h"

namespace groupcache::integration {

// A test that starts colors or kv processes; urls_ and ring_ describe the
// pool they were given.
class ClusterTest : public ClusterTestBase {
 protected:
  // Starts `n` colors processes; node i gets -pool with itself first.
  void StartColors(int n) {
    std::vector<uint16_t> ports = PickFreePorts(n);
    for (uint16_t p : ports) urls_.push_back(LocalUrl(p));
    for (int i = 0; i < n; ++i) {
      ASSERT_NE(
          Start(GC_COLORS_BIN, {"-addr", "127.0.0.1:" + std::to_string(ports[i]), "-pool", PoolArg(urls_, i)},
                "colors" + std::to_string(i), ports[i]),
          nullptr);
    }
    ring_.Add(urls_);
  }

  // Starts a kv whose pool is itself followed by `other_peers` (e.g. fakes).
  Server* StartKv(const std::vector<std::string>& other_peers, std::vector<std::string> extra_args) {
    uint16_t port = PickFreePort();
    urls_ = {LocalUrl(port)};
    urls_.insert(urls_.end(), other_peers.begin(), other_peers.end());
    ring_.Add(urls_);
    std::vector<std::string> args = {
        "-addr",       "127.0.0.1:" + std::to_string(port), "-pool", PoolArg(urls_, 0), "-size", "32",
        "-quiet=false"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return Start(GC_KV_BIN, args, "kv", port);
  }

  // Starts `n` kv processes (-size 32, getter logging on) with `extra_args`;
  // node i gets -pool with itself first.
  void StartKvCluster(int n, const std::vector<std::string>& extra_args) {
    std::vector<uint16_t> ports = PickFreePorts(n);
    for (uint16_t p : ports) urls_.push_back(LocalUrl(p));
    ring_.Add(urls_);
    for (int i = 0; i < n; ++i) {
      std::vector<std::string> args = {
          "-addr",       "127.0.0.1:" + std::to_string(ports[i]), "-pool", PoolArg(urls_, i), "-size", "32",
          "-quiet=false"};
      args.insert(args.end(), extra_args.begin(), extra_args.end());
      ASSERT_NE(Start(GC_KV_BIN, args, "kv" + std::to_string(i), ports[i]), nullptr);
    }
  }

  // The index into urls_ of `key`'s owner.
  int OwnerOf(std::string_view key) const { return ring_.GetIndex(key); }

  // The first key "<prefix><n>" owned by urls_[owner].
  std::string KeyOwnedBy(int owner, const std::string& prefix) const {
    for (int n = 0; n < 1'000'000; ++n) {
      std::string key = prefix + std::to_string(n);
      if (OwnerOf(key) == owner) return key;
    }
    ADD_FAILURE() << urls_[owner] << " owns no key " << prefix << "<n>";
    return prefix;
  }

  std::vector<std::string> urls_;  // the pool in canonical order
  HashRing ring_;
};

// GET /get?key=<key> at `s`; returns what was wrong, or an empty string if it
// answered 200 with kv's value for key (-size 32). Safe to call from threads.
inline std::string CheckKvValue(const Server& s, const std::string& key) {
  auto reply = HttpGet(s.port, "/get?key=" + PercentEncode(key));
  std::string where = "key " + Printable(key) + " at " + s.url + ": ";
  if (!reply.ok()) return where + reply.status().message();
  if (reply->status != 200)
    return where + "status " + std::to_string(reply->status) + ", body " + reply->body;
  if (reply->body != SyntheticValue(key, 32)) return where + "got " + Printable(reply->body);
  return "";
}

inline void ExpectKvValue(const Server& s, const std::string& key) { EXPECT_EQ(CheckKvValue(s, key), ""); }

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_KV_CLUSTER_TEST_H_
