// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The http source as a shared HTTP cache, in a 3-node groupcached cluster
// against a real origin: max-age refreshes a changed object at every node,
// no-store reaches the origin on every request, an object without
// freshness headers (and no group ttl) is fetched once, the origin's
// Content-Type is answered, an expired object is revalidated (a 304 keeps
// its body), and stale-if-error serves a recent value while the origin fails.
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

// An origin whose objects' bodies a test can change, and that can fail.
class ChangingOrigin {
 public:
  ChangingOrigin()
      : server_([this](std::string_view target, std::string_view head) {
          std::lock_guard lock(mu_);
          if (failing_) return OriginReply::Status(503, "down");
          if (target == "/objects/max-age") {
            return OriginReply::Status(200, body_, "Cache-Control: public, max-age=1\r\n");
          }
          if (target == "/objects/typed") {
            return OriginReply::Status(200, body_, "Content-Type: text/plain; charset=utf-8\r\n");
          }
          if (target == "/objects/validated") {
            // The ETag never changes: a 304 must keep the body stored
            // first, whatever body_ says now.
            if (head.find("\r\nIf-None-Match: \"v1\"\r\n") != std::string_view::npos) {
              ++not_modified_;
              return OriginReply::Status(304, "", "Cache-Control: max-age=1\r\nETag: \"v1\"\r\n");
            }
            return OriginReply::Status(200, body_, "Cache-Control: max-age=1\r\nETag: \"v1\"\r\n");
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
  // From now on every request is answered 503 (or, with false, as before).
  void SetFailing(bool failing) {
    std::lock_guard lock(mu_);
    failing_ = failing;
  }
  int not_modified() {
    std::lock_guard lock(mu_);
    return not_modified_;
  }
  OriginServer& server() { return server_; }

 private:
  std::mutex mu_;
  std::string body_ = "version 1";  // GUARDED_BY(mu_)
  bool failing_ = false;            // GUARDED_BY(mu_)
  int not_modified_ = 0;            // GUARDED_BY(mu_)
  OriginServer server_;             // last: its threads use mu_ and body_
};

class GroupcachedHttpCacheTest : public GroupcachedTest {
 protected:
  // Three mutual-TLS nodes, each with the group "objects" on the origin.
  std::vector<Server*> StartCluster(std::string_view more_source = "") {
    std::vector<NodeConfig> configs = TlsClusterConfigs(
        3, HttpGroup("objects", origin_.server().url() + "/objects/{key}", "5s", more_source));
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

// GET /groups/objects/<key> at `node`, with the response's headers.
Result<HttpReply> GetObject(const Server& node, const std::string& key) {
  return HttpGet(node.port, "/groups/objects/" + key);
}

TEST_F(GroupcachedHttpCacheTest, TheOriginsContentTypeIsAnsweredAtEveryNode) {
  std::vector<Server*> nodes = StartCluster();
  ASSERT_EQ(nodes.size(), 3u);
  for (int round = 0; round < 3; ++round) {  // the owner's answer, then copies
    for (Server* node : nodes) {
      Result<HttpReply> reply = GetObject(*node, "typed");
      ASSERT_TRUE(reply.ok()) << reply.status().ToString();
      EXPECT_EQ(reply->status, 200);
      EXPECT_EQ(reply->body, "version 1");
      EXPECT_EQ(reply->Header("Content-Type"), "text/plain; charset=utf-8") << node->url;
      EXPECT_EQ(reply->Header("Warning"), "");
    }
  }
  // Without one: as before.
  Result<HttpReply> plain = GetObject(*nodes[0], "plain");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->Header("Content-Type"), "application/octet-stream");
}

TEST_F(GroupcachedHttpCacheTest, AnExpiredObjectIsRevalidatedAndA304KeepsItsBody) {
  std::vector<Server*> nodes = StartCluster();
  ASSERT_EQ(nodes.size(), 3u);
  for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "objects", "validated"), kVersion1);
  ASSERT_EQ(origin_.server().RequestsFor("/objects/validated"), 1u);
  // The origin would now send another body, but its ETag has not changed:
  // a node that revalidates keeps what it has.
  origin_.SetBody("version 2, never sent");
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));  // max-age=1 has passed
  for (int round = 0; round < 3; ++round) {
    for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "objects", "validated"), kVersion1) << node->url;
  }
  EXPECT_GE(origin_.not_modified(), 1);
  EXPECT_EQ(origin_.server().RequestsFor("/objects/validated"),
            1u + static_cast<size_t>(origin_.not_modified()))
      << "every request after the first was conditional";
}

TEST_F(GroupcachedHttpCacheTest, StaleIfErrorServesARecentValueWhileTheOriginFails) {
  std::vector<Server*> nodes = StartCluster(", stale_if_error = \"30s\"");
  ASSERT_EQ(nodes.size(), 3u);
  for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "objects", "max-age"), kVersion1);
  origin_.SetFailing(true);
  const size_t before = origin_.server().RequestsFor("/objects/max-age");
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));  // expired
  for (int round = 0; round < 3; ++round) {
    for (Server* node : nodes) {
      Result<HttpReply> reply = GetObject(*node, "max-age");
      ASSERT_TRUE(reply.ok()) << reply.status().ToString();
      EXPECT_EQ(reply->status, 200) << node->url;
      EXPECT_EQ(reply->body, "version 1");
      EXPECT_EQ(reply->Header("Warning"), "110 groupcached \"Response is Stale\"") << node->url;
    }
  }
  EXPECT_GT(origin_.server().RequestsFor("/objects/max-age"), before) << "the origin was not asked";
  // Back: the stale copy is kept a second at most, then the origin answers.
  origin_.SetBody("version 2");
  origin_.SetFailing(false);
  for (Server* node : nodes) {
    EXPECT_TRUE(EventuallyAnswers(*node, "objects", "max-age", "version 2")) << node->url;
    Result<HttpReply> reply = GetObject(*node, "max-age");
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->Header("Warning"), "");
  }
}

TEST_F(GroupcachedHttpCacheTest, WithoutStaleIfErrorAFailingOriginIsAnError) {
  std::vector<Server*> nodes = StartCluster();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(GetValue(*nodes[0], "objects", "max-age"), kVersion1);
  origin_.SetFailing(true);
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "objects", "max-age").first, 502) << node->url;
}

}  // namespace
}  // namespace groupcache::integration
