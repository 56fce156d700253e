// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Multi-process tests of the C++ programs: colors and kv clusters, and a kv
// node facing dead, hanging and lying peers or bad requests on its peer
// endpoint.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cluster.h"
#include "fake_peer.h"
#include "groupcache/hash_ring.h"
#include "kv_cluster_test.h"
#include "net.h"
#include "process.h"
#include "text.h"

namespace groupcache::integration {
namespace {

const std::vector<std::pair<std::string, std::string>> kColors = {
    {"red", "#FF0000"}, {"green", "#00FF00"}, {"blue", "#0000FF"}};

class ColorsClusterTest : public ClusterTest {};
class KvClusterTest : public ClusterTest {};
class KvPeerFaultTest : public ClusterTest {};

TEST_F(ColorsClusterTest, ColorsAnsweredEverywhereAndLoadedOnceOnTheirOwner) {
  ASSERT_NO_FATAL_FAILURE(StartColors(3));
  for (const Server& node : servers_) {
    for (const auto& [color, value] : kColors) {
      auto reply = HttpGet(node.port, "/color?name=" + color);
      ASSERT_TRUE(reply.ok()) << color << " at " << node.url << ": " << reply.status().message();
      EXPECT_EQ(reply->status, 200) << color << " at " << node.url;
      EXPECT_EQ(reply->body, value + "\n") << color << " at " << node.url;
    }
    auto reply = HttpGet(node.port, "/color?name=purple");
    ASSERT_TRUE(reply.ok()) << "purple at " << node.url << ": " << reply.status().message();
    EXPECT_EQ(reply->status, 404) << "purple at " << node.url;
    EXPECT_EQ(reply->body, "color not found\n") << "purple at " << node.url;
  }
  for (const auto& [color, value] : kColors) {
    int owner = OwnerOf(color);
    int total = 0;
    for (const Server& node : servers_) total += CountLookups(node.log(), color);
    EXPECT_EQ(total, 1) << "\"looking up " << color << "\" lines across the cluster";
    EXPECT_EQ(CountLookups(servers_[owner].log(), color), 1)
        << color << " should be loaded by its owner " << urls_[owner];
  }
}

TEST_F(ColorsClusterTest, KilledOwnerIsReplacedByLocalLoads) {
  ASSERT_NO_FATAL_FAILURE(StartColors(3));
  const int dead = OwnerOf("red");
  servers_[dead].process->Kill();
  ASSERT_FALSE(WaitForPort(servers_[dead].port, std::chrono::milliseconds(0)));

  for (int i = 0; i < 3; ++i) {
    if (i == dead) continue;
    const Server& node = servers_[i];
    for (const auto& [color, value] : kColors) {
      auto reply = HttpGet(node.port, "/color?name=" + color);
      ASSERT_TRUE(reply.ok()) << color << " at " << node.url << ": " << reply.status().message();
      EXPECT_EQ(reply->status, 200) << color << " at " << node.url;
      EXPECT_EQ(reply->body, value + "\n") << color << " at " << node.url;
      if (OwnerOf(color) == dead) {
        EXPECT_EQ(CountLookups(node.log(), color), 1)
            << color << "'s owner is dead, so " << node.url << " must load it itself";
      }
    }
  }
  for (const auto& [color, value] : kColors) {
    int owner = OwnerOf(color);
    if (owner == dead) continue;
    int total = 0;
    for (int i = 0; i < 3; ++i) {
      if (i != dead) total += CountLookups(servers_[i].log(), color);
    }
    EXPECT_EQ(total, 1) << color << " is owned by the live " << urls_[owner] << " and loaded there only";
  }
}

// Many clients ask every node for the same keys at once while the owner's
// load is slow: each node's singleflight sends one peer fetch, the owner's
// merges them with its own callers, so each key is loaded once in the cluster.
TEST_F(KvClusterTest, ConcurrentRequestsForOneKeyLoadItOnceInTheCluster) {
  ASSERT_NO_FATAL_FAILURE(StartKvCluster(3, {"-delay", "200ms"}));
  const std::vector<std::string> keys = {"hot key 1", "hot+key/2", "key-3"};
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
          problems[i] = CheckKvValue(node, key);
        });
      }
    }
  }
  for (auto& t : threads) t.join();
  for (const auto& p : problems) EXPECT_EQ(p, "");

  for (const auto& key : keys) {
    const int owner = OwnerOf(key);
    int total = 0;
    for (const Server& node : servers_) total += CountLookups(node.log(), key);
    EXPECT_EQ(total, 1) << Printable(key) << " loads across the cluster";
    EXPECT_EQ(CountLookups(servers_[owner].log(), key), 1) << Printable(key) << " owner " << urls_[owner];
  }
  for (const Server& node : servers_) EXPECT_EQ(Stat(node, "PeerErrors"), 0) << node.url;
}

// The programs stop cleanly on SIGTERM (they block it and wait for it).
TEST_F(KvClusterTest, ProgramsExitZeroOnSigterm) {
  ASSERT_NO_FATAL_FAILURE(StartKvCluster(1, {}));
  const uint16_t colors_port = PickFreePort();
  Server* colors = Start(
      GC_COLORS_BIN, {"-addr", "127.0.0.1:" + std::to_string(colors_port), "-pool", LocalUrl(colors_port)},
      "colors", colors_port);
  ASSERT_NE(colors, nullptr);
  // Serve something first, so the stop happens with idle keep-alive state.
  ExpectKvValue(servers_[0], "x");
  for (Server* s : {&servers_[0], colors}) {
    std::optional<int> status = s->process->Stop(std::chrono::seconds(10));
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
        << s->process->name() << " wait status " << *status << "; stderr:\n"
        << ReadFile(s->log());
  }
}

TEST_F(KvPeerFaultTest, PeerThatNeverAnswersTimesOutAndFallsBackToLocalLoad) {
  FakePeer silent("", FakePeer::After::kHold);
  Server* kv = StartKv({silent.url()}, {"-timeout", "1s"});
  ASSERT_NE(kv, nullptr);
  const std::string key = KeyOwnedBy(1, "key-");

  ExpectKvValue(*kv, key);
  EXPECT_GE(silent.connections(), 1) << "kv never tried the owner " << silent.url();
  EXPECT_GE(Stat(*kv, "PeerErrors"), 1);
  EXPECT_EQ(CountLookups(kv->log(), key), 1) << "kv should have loaded " << key << " itself";
  silent.Stop();
}

TEST_F(KvPeerFaultTest, PeerEndpointRejectsBadRequestsAndKeepsServing) {
  Server* kv = StartKv({}, {});
  ASSERT_NE(kv, nullptr);
  const uint16_t port = kv->port;

  // A good request first: the protobuf GetResponse, field 1 holding the value.
  auto ok = HttpGet(port, "/_groupcache/kv/red");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, std::string("\x0a\x20", 2) + SyntheticValue("red", 32));

  // Our server decodes '+' as a space (the inverse of Go's client QueryEscape)
  // as well as %20, and %2B as '+'.
  auto spaced = HttpGet(port, "/_groupcache/kv/a+b%20c%2Bd");
  ASSERT_TRUE(spaced.ok()) << spaced.status().message();
  EXPECT_EQ(spaced->status, 200);
  EXPECT_EQ(spaced->body, std::string("\x0a\x20", 2) + SyntheticValue("a b c+d", 32));

  auto bad_escape = HttpGet(port, "/_groupcache/kv/%zz");
  ASSERT_TRUE(bad_escape.ok()) << bad_escape.status().message();
  EXPECT_EQ(bad_escape->status, 400) << bad_escape->body;

  auto no_group = HttpGet(port, "/_groupcache/nosuch/key-1");
  ASSERT_TRUE(no_group.ok()) << no_group.status().message();
  EXPECT_EQ(no_group->status, 404);
  EXPECT_EQ(no_group->body, "no such group: nosuch\n");

  for (const char* target : {"/_groupcache/kv", "/_groupcache/"}) {
    auto no_key = HttpGet(port, target);
    ASSERT_TRUE(no_key.ok()) << target << ": " << no_key.status().message();
    EXPECT_EQ(no_key->status, 400) << target << ": " << no_key->body;
  }

  // A request-target just over 8 KiB.
  auto long_path = HttpGet(port, "/_groupcache/kv/" + std::string(9 * 1024, 'k'));
  ASSERT_TRUE(long_path.ok()) << long_path.status().message();
  EXPECT_TRUE(long_path->status == 414 || long_path->status == 431) << "status " << long_path->status;

  // A 1 MiB request-target: the server may answer 414/431 or drop the
  // connection while we are still sending, but it must not die.
  auto huge_path = HttpGet(port, "/_groupcache/kv/" + std::string(1 << 20, 'k'));
  if (huge_path.ok()) {
    EXPECT_TRUE(huge_path->status == 414 || huge_path->status == 431) << "status " << huge_path->status;
  }

  // A request line that is not HTTP at all.
  auto garbage = SendRawRequest(port, "\x01\x02\x03 nonsense\r\n\r\n");
  if (garbage.ok()) {
    EXPECT_GE(garbage->status, 400);
  }

  EXPECT_TRUE(kv->process->running()) << "kv died after bad peer requests";
  ExpectKvValue(*kv, "still-alive");
  auto again = HttpGet(port, "/_groupcache/kv/red");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->status, 200);
}

// A peer that answers with a well-formed response: kv must use the peer's
// value (so the C++ client accepts chunked bodies and ignores unknown fields),
// and the request it sent shows the escaping of group and key.
TEST_F(KvPeerFaultTest, ClientEscapesKeysAndDecodesChunkedPeerResponses) {
  // GetResponse{value: "from-fake-peer"} plus an unknown field 3, in two chunks.
  const std::string proto = std::string("\x0a\x0e", 2) + "from-fake-peer" + std::string("\x18\x05", 2);
  const std::string response =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n" +
      proto.substr(0, 5) + "\r\n" + "d\r\n" + proto.substr(5) + "\r\n0\r\n\r\n";
  ASSERT_EQ(proto.size(), 5u + 0xd);
  FakePeer fake(response, FakePeer::After::kHold);
  Server* kv = StartKv({fake.url()}, {"-timeout", "5s"});
  ASSERT_NE(kv, nullptr);
  const std::string key = KeyOwnedBy(1, "a b/c?d%e+f#g~h \xc3\xa9-");

  auto reply = HttpGet(kv->port, "/get?key=" + PercentEncode(key));
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "from-fake-peer");
  EXPECT_EQ(Stat(*kv, "PeerLoads"), 1);
  EXPECT_EQ(Stat(*kv, "PeerErrors"), 0);
  EXPECT_EQ(CountLookups(kv->log(), key), 0);

  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string request_line = requests[0].substr(0, requests[0].find("\r\n"));
  // Go's QueryEscape, except that a space is %20.
  std::string escaped_key = "a%20b%2Fc%3Fd%25e%2Bf%23g~h%20%C3%A9-" + key.substr(key.rfind('-') + 1);
  EXPECT_EQ(request_line, "GET /_groupcache/kv/" + escaped_key + " HTTP/1.1");
  fake.Stop();
}

// Peers that answer 200 with garbage, or declare a body far too big: each
// fetch is a peer error and kv loads the value itself.
TEST_F(KvPeerFaultTest, GarbageAndOversizedPeerResponsesFallBackToLocalLoad) {
  struct Case {
    const char* name;
    std::string response;
    FakePeer::After after;
  };
  const std::vector<Case> cases = {
      {"truncated protobuf",
       std::string("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 3\r\n\r\n"
                   "\x0a\x05x"),
       FakePeer::After::kClose},
      {"1 GiB Content-Length",
       std::string(
           "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1073741824\r\n\r\n"
           "\x0a\x80\x80\x80\x04xxxx"),
       FakePeer::After::kHold},
      {"1 GiB chunk",
       std::string(
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40000000\r\n\x0a\x80\x80\x80\x04xxxx"),
       FakePeer::After::kHold},
      {"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n", FakePeer::After::kClose},
      {"500", "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\noops\n",
       FakePeer::After::kHold},
  };
  std::vector<std::unique_ptr<FakePeer>> fakes;
  std::vector<std::string> fake_urls;
  for (const Case& c : cases) {
    fakes.push_back(std::make_unique<FakePeer>(c.response, c.after));
    fake_urls.push_back(fakes.back()->url());
  }
  Server* kv = StartKv(fake_urls, {"-timeout", "1s"});
  ASSERT_NE(kv, nullptr);

  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].name);
    const std::string key = KeyOwnedBy(static_cast<int>(i) + 1, "key-");
    const int64_t errors_before = Stat(*kv, "PeerErrors");
    ExpectKvValue(*kv, key);
    EXPECT_GE(fakes[i]->requests().size(), 1u) << "kv never asked the fake owner";
    EXPECT_GE(Stat(*kv, "PeerErrors"), errors_before + 1);
    EXPECT_EQ(CountLookups(kv->log(), key), 1) << "kv should have loaded " << key << " itself";
  }
  EXPECT_EQ(Stat(*kv, "PeerLoads"), 0);
  EXPECT_TRUE(kv->process->running());
  for (auto& f : fakes) f->Stop();
}

}  // namespace
}  // namespace groupcache::integration
