// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Floods against the real programs with their default limits: 10,000
// silent connections at kv. The flood's connections are held by a child
// process (connection_flood.h).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "cluster_test_base.h"
#include "connection_flood.h"
#include "net.h"

#ifndef GC_KV_BIN
#error "GC_KV_BIN must name the kv binary"
#endif

namespace groupcache::integration {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
constexpr int kFlood = 10000;

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

using KvFloodTest = ClusterTestBase;

TEST_F(KvFloodTest, TenThousandSilentConnectionsDoNotLockOutAFreshGet) {
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

}  // namespace
}  // namespace groupcache::integration
