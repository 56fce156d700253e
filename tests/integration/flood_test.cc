// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Floods against the real programs with their default limits: 10,000
// silent connections at kv, and 10,000 stalled TLS handshakes at
// groupcached's peer port (memory while it lasts and after). The flood's
// connections are held by a child process (connection_flood.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "cluster_test_base.h"
#include "connection_flood.h"
#include "groupcached_fixture.h"
#include "net.h"
#include "raw_client.h"

#ifndef GC_KV_BIN
#error "GC_KV_BIN must name the kv binary"
#endif

namespace groupcache::integration {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
constexpr int kFlood = 10000;

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The resident set of process `pid` in KiB (VmRSS), or -1.
long RssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return -1;
}

using KvFloodTest = ClusterTestBase;

TEST_F(KvFloodTest, TenThousandSilentConnectionsDoNotLockOutAFreshGet) {
  // For the server's side (kv inherits the limit) and the flood's.
  if (!groupcache::testing::RaiseOpenFileLimit(kFlood + 1000)) GTEST_SKIP() << "cannot raise RLIMIT_NOFILE";
  const uint16_t port = PickFreePort();
  Server* kv =
      Start(GC_KV_BIN, {"-addr", "127.0.0.1:" + std::to_string(port), "-pool", LocalUrl(port)}, "kv", port);
  ASSERT_NE(kv, nullptr);
  const auto flood_start = Clock::now();
  groupcache::testing::ConnectionFlood flood(port, kFlood);
  ASSERT_EQ(flood.connected(), kFlood);
  const auto flooded = Clock::now();
  // kv's listener is full (max_connections 10,000) of connections that have
  // sent nothing; its header timeout (10 s) has freed none of them yet.
  auto reply = HttpGet(port, "/get?key=key-1", 30s);
  const auto answered = Clock::now();
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  EXPECT_EQ(reply->status, 200);
  std::printf(
      "kv: %d silent connections made in %.0f ms; a fresh GET answered in %.1f ms (%.0f ms after the "
      "flood began)\n",
      kFlood, Millis(flooded - flood_start), Millis(answered - flooded), Millis(answered - flood_start));
}

using GroupcachedFloodTest = GroupcachedTest;

TEST_F(GroupcachedFloodTest, AHandshakeFloodOnThePeerPortKeepsMemoryBoundedAndGivesItBack) {
  if (!groupcache::testing::RaiseOpenFileLimit(kFlood + 1000)) GTEST_SKIP() << "cannot raise RLIMIT_NOFILE";
  const NodeConfig config = SingleNodeConfig(StaticGroup("colors", {{"red", "#FF0000"}}));
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);
  const pid_t pid = node->process->pid();
  ASSERT_EQ(HttpGet(node->port, "/groups/colors/red")->status, 200);
  const long idle = RssKib(pid);
  ASSERT_GT(idle, 0);

  std::atomic<bool> flooding{true};
  std::atomic<long> peak{idle};
  std::thread sampler([&] {
    while (flooding) {
      peak = std::max(peak.load(), RssKib(pid));
      std::this_thread::sleep_for(20ms);
    }
  });
  const std::string hello = groupcache::testing::MakeClientHello();
  {
    // Half send a whole ClientHello and stall (the server answers and waits
    // for the client's next flight), half send part of one.
    groupcache::testing::ConnectionFlood whole(config.peer_port, kFlood / 2, hello);
    groupcache::testing::ConnectionFlood partial(config.peer_port, kFlood / 2,
                                                 hello.substr(0, hello.size() / 2));
    EXPECT_EQ(whole.connected() + partial.connected(), kFlood);
    // The API stays up meanwhile.
    auto health = HttpGet(node->port, "/healthz", 30s);
    ASSERT_TRUE(health.ok()) << health.status().message();
    EXPECT_EQ(health->status, 200);
    // Time must pass here: long enough for stalled handshakes to time out
    // (5 s) and hand their slots on. Nothing to synchronise with.
    std::this_thread::sleep_for(6s);
  }  // every flood connection closes here
  const auto ended = Clock::now();
  flooding = false;
  sampler.join();

  long after = RssKib(pid);
  while (after >= 2 * idle && Clock::now() - ended < 10s) {
    std::this_thread::sleep_for(50ms);
    after = RssKib(pid);
  }
  std::printf(
      "groupcached RSS: idle %ld KiB, peak %ld KiB during a %d-connection handshake flood, %ld KiB "
      "%.0f ms after it ended\n",
      idle, peak.load(), kFlood, after, Millis(Clock::now() - ended));
  EXPECT_LT(peak.load(), 200L * 1024);
  EXPECT_LT(after, 2 * idle);
  EXPECT_EQ(HttpGet(node->port, "/groups/colors/red")->status, 200);
}

}  // namespace
}  // namespace groupcache::integration
