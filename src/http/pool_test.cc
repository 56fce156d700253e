// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The HTTP peer transport in one process: real sockets on 127.0.0.1, fake
// peers for the failure cases. These run under the sanitizers too.
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "eventually.h"
#include "fake_server.h"
#include "groupcache/groupcache.h"
#include "groupcache/http_pool.h"
#include "http/escape.h"
#include "http/wire.h"
#include "test_http.h"

namespace groupcache {
namespace {

using testing::FakeServer;
using testing::HttpGet;
using testing::RawExchange;

struct Node {
  explicit Node(Runtime& runtime, std::chrono::milliseconds timeout = std::chrono::seconds(5),
                HttpServerOptions server_options = {})
      : registry(&runtime.workers()) {
    group = registry
                .NewGroup("g", 1 << 20, MakeGetter([this](std::string_view key, Sink& dest) {
                            {
                              std::lock_guard<std::mutex> lock(mu);
                              loaded.emplace_back(key);
                            }
                            if (key == "missing") return Status::NotFound("no such thing");
                            dest.SetString("v:" + std::string(key));
                            return Status::Ok();
                          }))
                .value();
    server = HttpServer::Listen(runtime, server_options).value();
    url = "http://127.0.0.1:" + std::to_string(server->port());
    HttpPoolOptions options;
    options.request_timeout = timeout;
    options.max_response_bytes = 1 << 20;
    pool = HttpPool::Create(runtime, registry, url, options).value();
    server->Handle(pool->base_path(), pool->handler());
    registry.SetPeerPicker(pool);
    server->Start();
  }
  ~Node() { server->Stop(); }

  std::vector<std::string> Loaded() {
    std::lock_guard<std::mutex> lock(mu);
    return loaded;
  }

  GroupRegistry registry;
  Group* group;
  std::mutex mu;
  std::vector<std::string> loaded;
  std::unique_ptr<HttpServer> server;
  std::shared_ptr<HttpPool> pool;
  std::string url;
};

std::string KeyOwnedBy(const std::vector<std::string>& peers, const std::string& owner,
                       const std::string& prefix) {
  HashRing ring;
  ring.Add(peers);
  for (int i = 0;; ++i) {
    std::string key = prefix + std::to_string(i);
    if (ring.Get(key) == owner) return key;
  }
}

class HttpPoolTest : public ::testing::Test {
 protected:
  void TearDown() override { runtime_.Shutdown(); }
  Runtime runtime_{RuntimeOptions{.io_threads = 2, .worker_threads = 2}};
};

TEST_F(HttpPoolTest, KeysWithAwkwardBytesRoundTripBetweenPeers) {
  Node a(runtime_), b(runtime_);
  const std::vector<std::string> peers = {a.url, b.url};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  ASSERT_TRUE(b.pool->Set(peers).ok());
  HashRing ring;
  ring.Add(peers);
  const std::vector<std::string> keys = {
      "a b",  "a+b", "a/b", "100%", "\xC3\xA9/\xC3\xBC",      "",    "a//b",
      "../x", ".",   "/a",  "?q#f", std::string("nul\0x", 5), "~.-_"};
  int remote = 0;
  for (const std::string& key : keys) {
    Result<ByteView> value = a.group->Get(key);
    ASSERT_TRUE(value.ok()) << key;
    EXPECT_EQ(value->view(), "v:" + key);
    if (ring.Get(key) == b.url) ++remote;
  }
  ASSERT_GT(remote, 0);
  EXPECT_EQ(a.group->stats().peer_loads, remote);
  EXPECT_EQ(a.group->stats().peer_errors, 0);
  // Every key was loaded exactly once, by its owner, under its own name.
  std::vector<std::string> all = a.Loaded();
  std::vector<std::string> from_b = b.Loaded();
  all.insert(all.end(), from_b.begin(), from_b.end());
  std::sort(all.begin(), all.end());
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(all, expected);
}

TEST_F(HttpPoolTest, PeerEndpointAnswersLikeGo) {
  Node a(runtime_);
  ASSERT_TRUE(a.pool->Set({a.url}).ok());
  testing::TestResponse ok = HttpGet(a.server->port(), "/_groupcache/g/red");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.content_type, "application/x-protobuf");
  EXPECT_EQ(ok.body, std::string("\x0a\x05v:red", 7));

  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache/nope/red").body, "no such group: nope\n");
  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache/nope/red").status, 404);
  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache").status, 404);    // not under the base path
  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache/g").status, 400);  // no key segment
  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache/g/%zz").status, 400);
  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache/g/%4").status, 400);
  testing::TestResponse missing = HttpGet(a.server->port(), "/_groupcache/g/missing");
  EXPECT_EQ(missing.status, 500);
  EXPECT_EQ(missing.body, "no such thing\n");
  // '+' is a space, %2B is a plus: the inverse of Go's client escaping.
  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache/g/a+b").body, std::string("\x0a\x05v:a b", 7));
  EXPECT_EQ(HttpGet(a.server->port(), "/_groupcache/g/a%2Bb").body, std::string("\x0a\x05v:a+b", 7));
  EXPECT_EQ(a.group->stats().server_requests, 4);  // red, missing, a b, a+b
}

TEST_F(HttpPoolTest, ServerLimitsAnswerWithClearErrors) {
  Node a(runtime_);
  ASSERT_TRUE(a.pool->Set({a.url}).ok());
  const uint16_t port = a.server->port();
  EXPECT_EQ(HttpGet(port, "/_groupcache/g/" + std::string(9000, 'k')).status, 414);
  EXPECT_EQ(RawExchange(port, "GET / HTTP/1.1\r\nX: " + std::string(20000, 'h') + "\r\n\r\n").status, 431);
  // The same head in two writes, so that the server's second read can hold
  // all of it: still over the limit.
  const std::string split = testing::RawExchangeUntilClose(
      port, "GET /_groupcache/g/k HTTP/1.1\r\nX: " + std::string(20000, 'h') + "\r\n\r\n", 15000);
  EXPECT_EQ(split.rfind("HTTP/1.1 431 ", 0), 0u) << split.substr(0, 40);
  EXPECT_EQ(RawExchange(port, "POST /_groupcache/g/k HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n").status,
            413);
  EXPECT_EQ(RawExchange(port, "garbage\r\n\r\n").status, 400);
  // Still serving.
  EXPECT_EQ(HttpGet(port, "/_groupcache/g/k").status, 200);
}

TEST_F(HttpPoolTest, HeadAndKeepAlive) {
  Node a(runtime_);
  ASSERT_TRUE(a.pool->Set({a.url}).ok());
  const std::string two_requests =
      "GET /_groupcache/g/k1 HTTP/1.1\r\nHost: x\r\n\r\nGET /_groupcache/g/k2 HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n";
  const std::string both = testing::RawExchangeUntilClose(a.server->port(), two_requests);
  // Two responses on one connection, in order, the second one closing it.
  const size_t first = both.find("HTTP/1.1 200 OK\r\n");
  ASSERT_NE(first, std::string::npos) << both;
  const size_t second = both.find("HTTP/1.1 200 OK\r\n", first + 1);
  ASSERT_NE(second, std::string::npos) << both;
  EXPECT_NE(both.find("v:k1"), std::string::npos);
  EXPECT_NE(both.find("v:k2", second), std::string::npos);
  EXPECT_NE(both.find("Connection: close", second), std::string::npos);
  EXPECT_EQ(a.group->stats().server_requests, 2);

  // HEAD: the headers of the GET, no body.
  const std::string head = testing::RawExchangeUntilClose(
      a.server->port(), "HEAD /_groupcache/g/k1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(head.find("Content-Length: 6\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;
}

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++count;
  return count;
}

TEST_F(HttpPoolTest, UnusualRequestsGoToTheFullParserOnTheSameConnection) {
  // The server parses plain requests itself and hands the rest (bodies,
  // chunked encoding, token lists, many fields) to Beast, keeping the
  // bytes already read; a request after each must still be answered.
  Node a(runtime_);
  ASSERT_TRUE(a.pool->Set({a.url}).ok());
  std::string many_fields;
  for (int i = 0; i < 40; ++i) many_fields += "X-" + std::to_string(i) + ": v\r\n";
  const std::string requests =
      "POST /_groupcache/g/k1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "POST /_groupcache/g/k2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n0\r\n\r\n"
      "GET /_groupcache/g/k3 HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, TE\r\nTE: trailers\r\n\r\n"
      "GET /_groupcache/g/k4 HTTP/1.1\r\nHost: x\r\n" +
      many_fields +
      "\r\n"
      "GET /_groupcache/g/k5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (size_t piece : {size_t{0}, size_t{7}, size_t{1}}) {
    const std::string all = testing::RawExchangeUntilClose(a.server->port(), requests, piece);
    EXPECT_EQ(CountOf(all, "HTTP/1.1 200 OK\r\n"), 5u) << "pieces of " << piece << ":\n" << all;
    for (const char* value : {"v:k1", "v:k2", "v:k3", "v:k4", "v:k5"}) {
      EXPECT_NE(all.find(value), std::string::npos) << value << " in pieces of " << piece;
    }
  }
}

TEST_F(HttpPoolTest, Http10ClosesUnlessKeptAlive) {
  Node a(runtime_);
  ASSERT_TRUE(a.pool->Set({a.url}).ok());
  const std::string closed =
      testing::RawExchangeUntilClose(a.server->port(), "GET /_groupcache/g/k HTTP/1.0\r\n\r\n");
  EXPECT_EQ(CountOf(closed, "HTTP/1.1 200 OK\r\n"), 1u) << closed;
  EXPECT_NE(closed.find("Connection: close\r\n"), std::string::npos) << closed;
  const std::string kept = testing::RawExchangeUntilClose(
      a.server->port(),
      "GET /_groupcache/g/k HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /_groupcache/g/k HTTP/1.0\r\n\r\n");
  EXPECT_EQ(CountOf(kept, "HTTP/1.1 200 OK\r\n"), 2u) << kept;
}

TEST_F(HttpPoolTest, MalformedRequestsGetAnErrorNotAHang) {
  Node a(runtime_);
  ASSERT_TRUE(a.pool->Set({a.url}).ok());
  const uint16_t port = a.server->port();
  for (const std::string& raw :
       {std::string("GET /x HTTP/1.1\r\nBad Name: v\r\n\r\n"), std::string("GET /x HTTP/9.9\r\n\r\n"),
        std::string("GET /x HTTP/1.1\r\nX: a\x01"
                    "b\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\r\n\r\n", 10),
        std::string("GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n")}) {
    EXPECT_EQ(testing::RawExchange(port, raw).status, 400) << ::testing::PrintToString(raw);
  }
  // A head that never ends is cut off at the header limit.
  EXPECT_EQ(testing::RawExchange(port, "GET /x HTTP/1.1\r\n" + std::string(20000, 'h')).status, 431);
  EXPECT_EQ(HttpGet(port, "/_groupcache/g/k").status, 200);
}

void ExpectFallback(Runtime& runtime, const std::string& reply, const std::string& prefix) {
  FakeServer fake(reply);
  Node a(runtime, std::chrono::milliseconds(300));
  const std::vector<std::string> peers = {a.url, fake.url()};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  const std::string key = KeyOwnedBy(peers, fake.url(), prefix);
  Result<ByteView> value = a.group->Get(key);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->view(), "v:" + key);  // never the fake's bytes
  EXPECT_EQ(a.group->stats().peer_errors, 1);
  EXPECT_EQ(a.group->stats().local_loads, 1);
  // The fake counts a connection on its own thread after accept(); a
  // hanging fake sends nothing, so the fetch may end first.
  EXPECT_TRUE(testing::Eventually([&] { return fake.connections() >= 1; })) << fake.connections();
}

TEST_F(HttpPoolTest, HangingPeerCostsOneDeadline) { ExpectFallback(runtime_, "", "hang-"); }

TEST_F(HttpPoolTest, TruncatedBodyIsAPeerError) {
  ExpectFallback(runtime_, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n\x0a\x05x", "trunc-");
}

TEST_F(HttpPoolTest, MalformedProtobufIsAPeerError) {
  ExpectFallback(runtime_, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n\x0a\x09x", "proto-");
}

TEST_F(HttpPoolTest, OversizedBodyIsAPeerError) {
  ExpectFallback(runtime_, "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n\x0a\x05x", "huge-");
}

TEST_F(HttpPoolTest, ErrorStatusAndRedirectArePeerErrors) {
  ExpectFallback(runtime_, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", "err-");
  ExpectFallback(runtime_, "HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
                 "redir-");
}

TEST_F(HttpPoolTest, GarbageResponseIsAPeerError) {
  ExpectFallback(runtime_, "this is not HTTP at all\r\n\r\n", "junk-");
}

TEST_F(HttpPoolTest, ChunkedResponseIsAccepted) {
  const std::string body = internal::EncodeGetResponsePrefix(5) + "hello";
  char size_line[16];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", body.size());
  FakeServer fake("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(size_line) + body +
                  "\r\n0\r\n\r\n");
  Node a(runtime_);
  const std::vector<std::string> peers = {a.url, fake.url()};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  Result<ByteView> value = a.group->Get(KeyOwnedBy(peers, fake.url(), "chunk-"));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->view(), "hello");
  EXPECT_EQ(a.group->stats().peer_loads, 1);
}

TEST_F(HttpPoolTest, UnreachablePeerIsAPeerError) {
  uint16_t closed_port;
  {
    FakeServer fake("x");
    closed_port = fake.port();
  }
  Node a(runtime_);
  const std::string dead = "http://127.0.0.1:" + std::to_string(closed_port);
  ASSERT_TRUE(a.pool->Set({a.url, dead}).ok());
  Result<ByteView> value = a.group->Get(KeyOwnedBy({a.url, dead}, dead, "dead-"));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(a.group->stats().peer_errors, 1);
}

TEST_F(HttpPoolTest, SetRejectsBadPeerLists) {
  GroupRegistry registry;
  auto pool = HttpPool::Create(runtime_, registry, "http://127.0.0.1:8080").value();
  EXPECT_FALSE(pool->Set({"http://127.0.0.1:8081"}).ok());                            // self missing
  EXPECT_FALSE(pool->Set({"http://127.0.0.1:8080", "http://127.0.0.1:8080"}).ok());   // twice
  EXPECT_FALSE(pool->Set({"http://127.0.0.1:8080", "http://127.0.0.1:8081/"}).ok());  // trailing slash
  EXPECT_FALSE(pool->Set({"http://127.0.0.1:8080", "ftp://x:1"}).ok());
  EXPECT_FALSE(pool->Set({"http://127.0.0.1:8080", "http://x:99999"}).ok());
  // Two spellings of one endpoint: the port with a leading zero, the host in capitals.
  EXPECT_FALSE(pool->Set({"http://127.0.0.1:8080", "http://127.0.0.1:08080"}).ok());
  Status aliases = pool->Set({"http://127.0.0.1:8080", "http://peer:8081", "http://PEER:8081"});
  EXPECT_EQ(aliases.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(aliases.message().find("same endpoint"), std::string::npos) << aliases.ToString();
  EXPECT_TRUE(pool->Set({"http://127.0.0.1:8080", "http://127.0.0.1:8081"}).ok());
  EXPECT_FALSE(HttpPool::Create(runtime_, registry, "http://127.0.0.1:8080/").ok());
  EXPECT_FALSE(HttpPool::Create(runtime_, registry, "127.0.0.1:8080").ok());
}

TEST_F(HttpPoolTest, StopFinishesInFlightRequests) {
  std::latch entered(1), release(1);
  GroupRegistry registry(&runtime_.workers());
  Group* slow = registry
                    .NewGroup("slow", 1 << 20, MakeGetter([&](std::string_view, Sink& dest) {
                                entered.count_down();
                                release.wait();
                                dest.SetString("done");
                                return Status::Ok();
                              }))
                    .value();
  (void)slow;
  auto server = HttpServer::Listen(runtime_, {}).value();
  auto pool =
      HttpPool::Create(runtime_, registry, "http://127.0.0.1:" + std::to_string(server->port())).value();
  server->Handle(pool->base_path(), pool->handler());
  server->Start();
  testing::TestResponse response;
  std::thread client([&] { response = HttpGet(server->port(), "/_groupcache/slow/k"); });
  entered.wait();
  std::thread stopper([&] { server->Stop(std::chrono::seconds(10)); });
  release.count_down();
  stopper.join();
  client.join();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, std::string("\x0a\x04"
                                       "done",
                                       6));
  // New connections are refused after Stop.
  EXPECT_EQ(HttpGet(server->port(), "/_groupcache/slow/k").status, 0);
}

}  // namespace
}  // namespace groupcache
