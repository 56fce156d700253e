// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The http source as a shared HTTP cache, in a 3-node groupcached cluster
// against a real origin: max-age refreshes a changed object at every node,
// no-store reaches the origin on every request, and an object without
// freshness headers (and no group ttl) is fetched once.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "groupcache/hash_ring.h"
#include "groupcached_fixture.h"
#include "net.h"
#include "origin_server.h"

namespace groupcache::integration {
namespace {

// An origin whose objects' bodies a test can change.
class ChangingOrigin {
 public:
  ChangingOrigin()
      : server_([this](std::string_view target) {
          std::lock_guard lock(mu_);
          if (target == "/objects/max-age") {
            return OriginReply::Status(200, body_, "Cache-Control: public, max-age=1\r\n");
          }
          if (target == "/objects/no-store")
            return OriginReply::Status(200, body_, "Cache-Control: no-store\r\n");
          if (target == "/objects/plain") return OriginReply::Status(200, body_);
          return OriginReply::Status(404, "no such object");
        }) {}

  void SetBody(std::string body) {
    std::lock_guard lock(mu_);
    body_ = std::move(body);
  }
  OriginServer& server() { return server_; }

 private:
  std::mutex mu_;
  std::string body_ = "version 1";  // GUARDED_BY(mu_)
  OriginServer server_;             // last: its threads use mu_ and body_
};

class GroupcachedHttpCacheTest : public GroupcachedTest {
 protected:
  // Three mutual-TLS nodes, each with the group "objects" on the origin.
  std::vector<Server*> StartCluster() {
    std::vector<NodeConfig> configs =
        TlsClusterConfigs(3, HttpGroup("objects", origin_.server().url() + "/objects/{key}", "5s"));
    peers_ = configs[0].peers;
    std::vector<Server*> nodes;
    for (size_t i = 0; i < configs.size(); ++i) {
      Server* node = StartNode("node" + std::to_string(i), configs[i]);
      if (node == nullptr) return {};
      nodes.push_back(node);
    }
    return nodes;
  }
  int OwnerOf(const std::string& key) const {
    HashRing ring;
    ring.Add(peers_);
    return ring.GetIndex(key);
  }

  ChangingOrigin origin_;
  std::vector<std::string> peers_;
};

const std::pair<int, std::string> kVersion1{200, "version 1"};

TEST_F(GroupcachedHttpCacheTest, MaxAgeRefreshesAChangedObjectAtEveryNode) {
  std::vector<Server*> nodes = StartCluster();
  ASSERT_EQ(nodes.size(), 3u);
  // Every node answers, several times so that non-owners may keep hot copies.
  for (int round = 0; round < 5; ++round) {
    for (Server* node : nodes) {
      EXPECT_EQ(GetValue(*node, "objects", "max-age"), kVersion1) << node->url;
      EXPECT_EQ(GetValue(*node, "objects", "plain"), kVersion1) << node->url;
    }
  }
  origin_.SetBody("version 2");
  for (Server* node : nodes) {
    EXPECT_TRUE(EventuallyAnswers(*node, "objects", "max-age", "version 2")) << "at " << node->url;
  }
  // Without a freshness header the old value stays: it is max-age that
  // refreshed the other object.
  for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "objects", "plain"), kVersion1) << node->url;
}

TEST_F(GroupcachedHttpCacheTest, NoStoreReachesTheOriginOnEveryRequest) {
  std::vector<Server*> nodes = StartCluster();
  ASSERT_EQ(nodes.size(), 3u);
  // Through a node that does not own the key, so the answer also crosses
  // the peer protocol (where a hot copy could keep it).
  const Server& asked = *nodes[(OwnerOf("no-store") + 1) % 3];
  constexpr int kRequests = 10;
  for (int i = 0; i < kRequests; ++i) {
    const std::string body = "version " + std::to_string(i);
    origin_.SetBody(body);
    EXPECT_EQ(GetValue(asked, "objects", "no-store"), std::make_pair(200, body));
  }
  EXPECT_EQ(origin_.server().RequestsFor("/objects/no-store"), size_t{kRequests});
}

TEST_F(GroupcachedHttpCacheTest, AnObjectWithoutFreshnessHeadersIsFetchedOnce) {
  std::vector<Server*> nodes = StartCluster();
  ASSERT_EQ(nodes.size(), 3u);
  for (int round = 0; round < 10; ++round) {
    for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "objects", "plain"), kVersion1) << node->url;
  }
  EXPECT_EQ(origin_.server().RequestsFor("/objects/plain"), 1u);
}

}  // namespace
}  // namespace groupcache::integration
