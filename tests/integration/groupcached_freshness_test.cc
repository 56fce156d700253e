// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fresh data in a groupcached cluster: a group's ttl bounds how long a
// changed file is served stale, at every node (hot copies included), and
// not_found_ttl remembers a missing key.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/hash_ring.h"
#include "groupcached_fixture.h"
#include "net.h"

namespace groupcache::integration {
namespace {

class GroupcachedFreshnessTest : public GroupcachedTest {
 protected:
  void SetUp() override {
    GroupcachedTest::SetUp();
    root_ = dir_ / "files";
  }

  void WriteSourceFile(const std::string& name, const std::string& content) {
    std::filesystem::create_directories(root_);
    WriteFileWithMode(root_ / name, content, 0644);
  }
  std::vector<Server*> StartCluster(const std::string& groups_toml, const std::string& api_toml = "") {
    std::vector<NodeConfig> configs = TlsClusterConfigs(3, groups_toml);
    for (NodeConfig& config : configs) config.api_toml = api_toml;
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

  std::filesystem::path root_;  // the files source's root
  std::vector<std::string> peers_;
};

TEST_F(GroupcachedFreshnessTest, AChangedFileIsServedEverywhereAfterTheTtl) {
  WriteSourceFile("page", "version 1");
  const std::string groups =
      FilesGroup("short", root_) + "ttl = \"1s\"\nttl_jitter = \"200ms\"\n\n" + FilesGroup("forever", root_);
  std::vector<Server*> nodes = StartCluster(groups);
  ASSERT_EQ(nodes.size(), 3u);
  // Every node answers, several times so that non-owners may keep hot copies.
  for (int round = 0; round < 5; ++round) {
    for (Server* node : nodes) {
      EXPECT_EQ(GetValue(*node, "short", "page"), std::make_pair(200, std::string("version 1")));
      EXPECT_EQ(GetValue(*node, "forever", "page"), std::make_pair(200, std::string("version 1")));
    }
  }
  WriteSourceFile("page", "version 2");
  for (Server* node : nodes) {
    EXPECT_TRUE(EventuallyAnswers(*node, "short", "page", "version 2")) << "at " << node->url;
  }
  // Without a ttl the old value stays: it is the ttl that refreshed "short".
  for (Server* node : nodes) {
    EXPECT_EQ(GetValue(*node, "forever", "page"), std::make_pair(200, std::string("version 1"))) << node->url;
  }
}

TEST_F(GroupcachedFreshnessTest, NotFoundTtlRemembersAMissingKey) {
  const std::string groups =
      FilesGroup("remembering", root_) + "not_found_ttl = \"1h\"\n\n" + FilesGroup("plain", root_);
  std::filesystem::create_directories(root_);
  std::vector<Server*> nodes = StartCluster(groups);
  ASSERT_EQ(nodes.size(), 3u);
  const Server& owner = *nodes[OwnerOf("late")];
  const Server& other = *nodes[(OwnerOf("late") + 1) % 3];
  for (const Server* node : {&owner, &other}) {
    EXPECT_EQ(GetValue(*node, "remembering", "late").first, 404);
    EXPECT_EQ(GetValue(*node, "plain", "late").first, 404);
  }
  WriteSourceFile("late", "here now");
  // "plain" reads the source again; "remembering" keeps answering 404 for
  // the hour, at the owner and at the node that asked it.
  EXPECT_EQ(GetValue(owner, "plain", "late"), std::make_pair(200, std::string("here now")));
  for (const Server* node : {&owner, &other}) {
    EXPECT_EQ(GetValue(*node, "remembering", "late").first, 404) << node->url;
    EXPECT_GE(MetricsOf(*node).Get("groupcache_not_found_hits_total{group=\"remembering\"}"), 1) << node->url;
  }
}

// DELETE with the token removes a key from every node's main and hot caches
// at once: the next answer anywhere is the source's new content. Without the
// token it is refused and nothing changes.
TEST_F(GroupcachedFreshnessTest, DeleteWithTheTokenRemovesAKeyFromEveryNode) {
  const std::string token = "a-delete-token-of-32-characters!";
  const std::filesystem::path token_file = conf_dir_ / "delete.token";
  WriteFileWithMode(token_file, token + "\n", 0600);
  WriteSourceFile("doc", "old");
  std::vector<Server*> nodes = StartCluster(FilesGroup("docs", root_),
                                            "delete_token_file = " + TomlString(token_file.string()) + "\n");
  ASSERT_EQ(nodes.size(), 3u);
  // Every node asked many times: the non-owners hold hot copies (one in ten
  // peer answers is kept, as Go does).
  for (int round = 0; round < 30; ++round) {
    for (Server* node : nodes)
      ASSERT_EQ(GetValue(*node, "docs", "doc"), std::make_pair(200, std::string("old")));
  }
  WriteSourceFile("doc", "new");
  const Server& asked = *nodes[(OwnerOf("doc") + 1) % 3];
  auto refused = SendRawRequest(asked.port, "DELETE " + ValuePath("docs", "doc") +
                                                " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
                                                "Connection: close\r\n\r\n");
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_EQ(refused->status, 401);
  for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "docs", "doc").second, "old") << node->url;

  auto removed = SendRawRequest(asked.port, "DELETE " + ValuePath("docs", "doc") +
                                                " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                                                "\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(removed->status, 200) << removed->body;
  // At once, with no waiting: every node answers the new content.
  for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "docs", "doc").second, "new") << node->url;

  // DELETE of the group purges it on every node.
  WriteSourceFile("doc", "newer");
  auto purged =
      SendRawRequest(asked.port, "DELETE /groups/docs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                                     "\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(purged.ok()) << purged.status().message();
  EXPECT_EQ(purged->status, 200) << purged->body;
  for (Server* node : nodes) EXPECT_EQ(GetValue(*node, "docs", "doc").second, "newer") << node->url;
}

}  // namespace
}  // namespace groupcache::integration
