// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The ring fingerprint: its value, and the X-Groupcache-Ring header that two
// pools exchange on peer requests and responses.
#include "http/ring_fingerprint.h"

#include <gtest/gtest.h>

#include "groupcache/groupcache.h"
#include "test_http.h"

namespace groupcache {
namespace {

using testing::RawExchangeUntilClose;

TEST(RingFingerprintTest, SixteenHexDigitsOfTheSortedDistinctList) {
  const std::string fingerprint = RingFingerprint({"http://a:1", "http://b:1"});
  ASSERT_EQ(fingerprint.size(), 16u);
  EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(RingFingerprint({"http://b:1", "http://a:1"}), fingerprint);
  EXPECT_EQ(RingFingerprint({"http://b:1", "http://a:1", "http://b:1"}), fingerprint);
  EXPECT_NE(RingFingerprint({"http://a:1"}), fingerprint);
  EXPECT_NE(RingFingerprint({"http://a:1", "http://b:2"}), fingerprint);
  // Members are separated: {"ab"} and {"a", "b"} differ.
  EXPECT_NE(RingFingerprint({"ab"}), RingFingerprint({"a", "b"}));
}

TEST(RingFingerprintTest, ValuesAreStable) {
  // FNV-1a 64 of "" and of "http://a:1\nhttp://b:1\n" (checked with a few
  // lines of Python): other implementations and later versions must agree,
  // or mixed fleets count false mismatches.
  EXPECT_EQ(RingFingerprint({}), "cbf29ce484222325");
  EXPECT_EQ(RingFingerprint({"http://b:1", "http://a:1"}), "f25b471dfeba289a");
}

struct Node {
  explicit Node(Runtime& runtime) : registry(&runtime.workers()) {
    group = registry
                .NewGroup("g", 1 << 20, MakeGetter([](std::string_view key, Sink& dest) {
                            dest.SetString("v:" + std::string(key));
                            return Status::Ok();
                          }))
                .value();
    server = HttpServer::Listen(runtime, {}).value();
    url = "http://127.0.0.1:" + std::to_string(server->port());
    pool = HttpPool::Create(runtime, registry, url).value();
    server->Handle(pool->base_path(), pool->handler());
    registry.SetPeerPicker(pool);
    server->Start();
  }
  ~Node() {
    server->Stop();
    registry.SetPeerPicker(nullptr);
  }

  GroupRegistry registry;
  Group* group;
  std::unique_ptr<HttpServer> server;
  std::shared_ptr<HttpPool> pool;
  std::string url;
};

std::string KeyOwnedBy(const std::vector<std::string>& peers, const std::string& owner,
                       const std::string& prefix = "key-") {
  HashRing ring;
  ring.Add(peers);
  for (int i = 0;; ++i) {
    std::string key = prefix + std::to_string(i);
    if (ring.Get(key) == owner) return key;
  }
}

class RingHeaderTest : public ::testing::Test {
 protected:
  void TearDown() override { runtime_.Shutdown(); }
  Runtime runtime_{RuntimeOptions{.io_threads = 2, .worker_threads = 2}};
};

TEST_F(RingHeaderTest, FingerprintFollowsSet) {
  Node a(runtime_);
  EXPECT_EQ(a.pool->fingerprint(), RingFingerprint({}));
  const std::vector<std::string> peers = {a.url, "http://127.0.0.1:1"};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  EXPECT_EQ(a.pool->fingerprint(), RingFingerprint(peers));
  // A refused list changes nothing.
  EXPECT_FALSE(a.pool->Set({"http://127.0.0.1:1"}).ok());
  EXPECT_EQ(a.pool->fingerprint(), RingFingerprint(peers));
}

TEST_F(RingHeaderTest, AgreeingPoolsCountNoMismatch) {
  Node a(runtime_), b(runtime_);
  const std::vector<std::string> peers = {a.url, b.url};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  ASSERT_TRUE(b.pool->Set(peers).ok());
  Result<ByteView> value = a.group->Get(KeyOwnedBy(peers, b.url));
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(a.group->stats().peer_loads, 1);
  EXPECT_EQ(a.pool->ring_mismatches(), 0u);
  EXPECT_EQ(b.pool->ring_mismatches(), 0u);
}

TEST_F(RingHeaderTest, DisagreeingPoolsCountAMismatchOnEachSide) {
  Node a(runtime_), b(runtime_);
  // b also knows a third peer that a does not: their rings differ.
  const std::vector<std::string> a_peers = {a.url, b.url};
  const std::vector<std::string> b_peers = {a.url, b.url, "http://127.0.0.1:1"};
  ASSERT_TRUE(a.pool->Set(a_peers).ok());
  ASSERT_TRUE(b.pool->Set(b_peers).ok());
  ASSERT_NE(a.pool->fingerprint(), b.pool->fingerprint());
  Result<ByteView> value = a.group->Get(KeyOwnedBy(a_peers, b.url));
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  ASSERT_EQ(a.group->stats().peer_loads, 1);
  // b saw a's fingerprint on the request, a saw b's on the response.
  EXPECT_EQ(b.pool->ring_mismatches(), 1u);
  EXPECT_EQ(a.pool->ring_mismatches(), 1u);
  // Once they agree, requests stop counting.
  ASSERT_TRUE(b.pool->Set(a_peers).ok());
  ASSERT_TRUE(a.group->Get(KeyOwnedBy(a_peers, b.url, "again-")).ok());
  ASSERT_EQ(a.group->stats().peer_loads, 2);
  EXPECT_EQ(b.pool->ring_mismatches(), 1u);
  EXPECT_EQ(a.pool->ring_mismatches(), 1u);
}

TEST_F(RingHeaderTest, ResponsesCarryTheHeaderAndAnAbsentOneIsNoMismatch) {
  Node b(runtime_);
  ASSERT_TRUE(b.pool->Set({b.url, "http://127.0.0.1:1"}).ok());
  const std::string header = "X-Groupcache-Ring: " + b.pool->fingerprint() + "\r\n";
  // A Go peer sends no header: served, and not counted.
  std::string response = RawExchangeUntilClose(
      b.server->port(), "GET /_groupcache/g/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(response.find("HTTP/1.1 200 OK"), std::string::npos) << response;
  EXPECT_NE(response.find(header), std::string::npos) << response;
  EXPECT_EQ(b.pool->ring_mismatches(), 0u);
  // Error responses carry it too.
  response = RawExchangeUntilClose(
      b.server->port(), "GET /_groupcache/nope/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(response.find("404"), std::string::npos) << response;
  EXPECT_NE(response.find(header), std::string::npos) << response;
  // The same fingerprint (header names are case-insensitive) is no mismatch;
  // another one is.
  RawExchangeUntilClose(b.server->port(), "GET /_groupcache/g/k HTTP/1.1\r\nHost: x\r\nx-groupcache-ring: " +
                                              b.pool->fingerprint() + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(b.pool->ring_mismatches(), 0u);
  RawExchangeUntilClose(b.server->port(),
                        "GET /_groupcache/g/k HTTP/1.1\r\nHost: x\r\nX-Groupcache-Ring: 0123456789abcdef\r\n"
                        "Connection: close\r\n\r\n");
  EXPECT_EQ(b.pool->ring_mismatches(), 1u);
}

}  // namespace
}  // namespace groupcache
