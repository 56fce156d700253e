// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Remove and Set between real peers on 127.0.0.1 (groupcache-go v3's DELETE
// and PUT), with HttpPoolOptions::mutations on and off, and hostile PUTs.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "groupcache/groupcache.h"
#include "groupcache/http_pool.h"
#include "http/wire.h"
#include "test_http.h"

namespace groupcache {
namespace {

using testing::RawExchange;

// Always admits to the hot cache, so that non-owners hold copies to clear.
class AdmitAll final : public HotCachePolicy {
 public:
  bool Admit(std::string_view, const ByteView&) override { return true; }
};

struct Peer {
  Peer(Runtime& runtime, bool mutations) : registry(&runtime.workers()) {
    GroupOptions group_options;
    group_options.hot_cache_policy = std::make_shared<AdmitAll>();
    group = registry
                .NewGroup("g", 1 << 20, MakeGetter([this](std::string_view key, Sink& dest) {
                            {
                              std::lock_guard<std::mutex> lock(mu);
                              ++loads;
                            }
                            dest.SetString("v:" + std::string(key));
                            return Status::Ok();
                          }),
                          group_options)
                .value();
    HttpServerOptions server_options;
    server_options.max_body_bytes = 4096;
    server = HttpServer::Listen(runtime, server_options).value();
    url = "http://127.0.0.1:" + std::to_string(server->port());
    HttpPoolOptions options;
    options.request_timeout = std::chrono::seconds(5);
    options.mutations = mutations;
    pool = HttpPool::Create(runtime, registry, url, options).value();
    server->Handle(pool->base_path(), pool->handler());
    registry.SetPeerPicker(pool);
    server->Start();
  }
  ~Peer() { server->Stop(); }

  int Loads() {
    std::lock_guard<std::mutex> lock(mu);
    return loads;
  }
  int64_t Items(CacheType which) const { return group->cache_stats(which).items; }

  GroupRegistry registry;
  Group* group;
  std::mutex mu;
  int loads = 0;
  std::unique_ptr<HttpServer> server;
  std::shared_ptr<HttpPool> pool;
  std::string url;
};

class PoolMutationsTest : public ::testing::Test {
 protected:
  // Three peers in one ring; returns a key that the second one owns.
  std::string Start(bool mutations) {
    for (int i = 0; i < 3; ++i) peers_.push_back(std::make_unique<Peer>(runtime_, mutations));
    std::vector<std::string> urls;
    for (const auto& peer : peers_) urls.push_back(peer->url);
    for (const auto& peer : peers_) EXPECT_TRUE(peer->pool->Set(urls).ok());
    HashRing ring;
    ring.Add(urls);
    for (int i = 0;; ++i) {
      std::string key = "key-" + std::to_string(i);
      if (ring.Get(key) == peers_[1]->url) return key;
    }
  }
  void TearDown() override {
    peers_.clear();
    runtime_.Shutdown();
  }

  Runtime runtime_{RuntimeOptions{.io_threads = 2, .worker_threads = 2}};
  std::vector<std::unique_ptr<Peer>> peers_;
};

TEST_F(PoolMutationsTest, RemoveClearsTheOwnerAndEveryHotCopy) {
  const std::string key = Start(true);
  Peer &a = *peers_[0], &owner = *peers_[1], &c = *peers_[2];
  for (Peer* p : {&a, &c}) ASSERT_EQ(p->group->Get(key).value().view(), "v:" + key);
  ASSERT_EQ(owner.Loads(), 1);
  ASSERT_EQ(owner.Items(CacheType::kMain), 1);
  ASSERT_EQ(a.Items(CacheType::kHot), 1);
  ASSERT_EQ(c.Items(CacheType::kHot), 1);

  Status removed = a.group->Remove(key);
  ASSERT_TRUE(removed.ok()) << removed.message();
  EXPECT_EQ(owner.Items(CacheType::kMain), 0);
  EXPECT_EQ(a.Items(CacheType::kHot), 0);
  EXPECT_EQ(c.Items(CacheType::kHot), 0);
  // The next Get anywhere loads it again, once, at the owner.
  EXPECT_EQ(c.group->Get(key).value().view(), "v:" + key);
  EXPECT_EQ(owner.Loads(), 2);
}

TEST_F(PoolMutationsTest, SetStoresTheValueAndItsExpiryAtTheOwnerAndEveryPeer) {
  const std::string key = Start(true);
  Peer &a = *peers_[0], &owner = *peers_[1], &c = *peers_[2];
  const auto expiry = std::chrono::system_clock::now() + std::chrono::hours(1);
  Status set = a.group->Set(key, ByteView::CopyOf("set by a").WithExpiry(expiry));
  ASSERT_TRUE(set.ok()) << set.message();
  for (Peer* p : {&a, &owner, &c}) {
    Result<ByteView> value = p->group->Get(key);
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(value->view(), "set by a") << p->url;
    EXPECT_EQ(value->expiry(), std::chrono::time_point_cast<std::chrono::system_clock::duration>(expiry))
        << p->url;
    EXPECT_EQ(p->Items(CacheType::kMain), 1) << p->url;  // every peer's main cache, as v3
  }
  EXPECT_EQ(owner.Loads(), 0);
}

TEST_F(PoolMutationsTest, WithMutationsOffNothingIsSentAndDeleteIsAGet) {
  const std::string key = Start(false);
  Peer &a = *peers_[0], &owner = *peers_[1];
  ASSERT_TRUE(a.group->Get(key).ok());
  Status removed = a.group->Remove(key);
  EXPECT_EQ(removed.code(), StatusCode::kUnavailable);
  EXPECT_NE(removed.message().find("mutations off"), std::string::npos) << removed.message();
  EXPECT_EQ(owner.Items(CacheType::kMain), 1);
  EXPECT_EQ(a.Items(CacheType::kHot), 1);  // the owner refused first: nothing changed here
  // As Go groupcache does, any method is a Get.
  auto reply = RawExchange(owner.server->port(), "DELETE /_groupcache/g/" + key +
                                                     " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reply.status, 200);
  auto decoded = internal::DecodeGetResponse(ByteView::CopyOf(reply.body));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->view(), "v:" + key);
  EXPECT_EQ(owner.Items(CacheType::kMain), 1);
  // A key this node owns is removed here even so: only peers are not told.
  ASSERT_TRUE(owner.group->Get(key).ok());
  EXPECT_TRUE(owner.group->Remove(key).ok());
  EXPECT_EQ(owner.Items(CacheType::kMain), 0);
  EXPECT_EQ(a.Items(CacheType::kHot), 1);
}

TEST_F(PoolMutationsTest, HostilePutsAreRefusedAndChangeNothing) {
  const std::string key = Start(true);
  Peer& owner = *peers_[1];
  ASSERT_TRUE(owner.group->Get(key).ok());
  auto put = [&](const std::string& path_key, const std::string& body) {
    return RawExchange(owner.server->port(),
                       "PUT /_groupcache/g/" + path_key +
                           " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body);
  };
  EXPECT_EQ(put(key, "\xff\xff").status, 400);  // malformed
  EXPECT_EQ(put(key, internal::EncodeSetRequest("g", "other", ByteView::CopyOf("x"))).status,
            400);  // another key
  EXPECT_EQ(put(key, internal::EncodeSetRequest("h", key, ByteView::CopyOf("x"))).status,
            400);                                                // another group
  EXPECT_EQ(put(key, std::string("\x0a\x01g", 3)).status, 400);  // no key field
  EXPECT_EQ(put(key, internal::EncodeSetRequest("g", key, ByteView::CopyOf(std::string(8192, 'x')))).status,
            413);  // over the server's max_body_bytes
  Result<ByteView> value = owner.group->Get(key);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->view(), "v:" + key);
  // A well-formed PUT is applied.
  EXPECT_EQ(put(key, internal::EncodeSetRequest("g", key, ByteView::CopyOf("put"))).status, 200);
  EXPECT_EQ(owner.group->Get(key).value().view(), "put");
}

TEST_F(PoolMutationsTest, PurgeEmptiesEveryPeersCaches) {
  const std::string key = Start(true);
  for (const auto& peer : peers_) ASSERT_TRUE(peer->group->Get(key).ok());
  for (const auto& peer : peers_) ASSERT_TRUE(peer->group->Get("another " + peer->url).ok());
  Status purged = peers_[2]->group->Purge();
  ASSERT_TRUE(purged.ok()) << purged.message();
  for (const auto& peer : peers_) {
    EXPECT_EQ(peer->Items(CacheType::kMain), 0) << peer->url;
    EXPECT_EQ(peer->Items(CacheType::kHot), 0) << peer->url;
  }
  // Without mutations a purge is local: the raw DELETE of a group is a bad
  // request, as before.
  auto reply =
      RawExchange(peers_[0]->server->port(), "DELETE /_groupcache/nosuch HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(reply.status, 404);
}

}  // namespace
}  // namespace groupcache
