// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A flood of silent connections against one listener, in one process:
// 10,000 connections that never send a byte must not lock out a real
// client. The server's side needs about 10,000 file descriptors (the test
// raises its own limit; the flood's side is in a child process).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "connection_flood.h"
#include "groupcache/http_server.h"
#include "groupcache/runtime.h"
#include "raw_client.h"
#include "test_http.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;

constexpr int kSilent = 10000;

TEST(HttpServerFloodTest, TenThousandSilentConnectionsDoNotLockOutAFreshRequest) {
  // The server's side of the flood, and a margin; the client's side is in
  // the flood's own process.
  if (!testing::RaiseOpenFileLimit(kSilent + 1000)) {
    GTEST_SKIP() << "cannot raise RLIMIT_NOFILE to " << kSilent + 1000;
  }
  Runtime runtime(RuntimeOptions{.io_threads = 2, .worker_threads = 1});
  HttpServerOptions options;
  ASSERT_EQ(options.max_connections, static_cast<size_t>(kSilent));  // the default
  // Nothing times out during the test: only admission can let the fresh
  // request in while the silent connections are held.
  options.header_timeout = std::chrono::minutes(5);
  options.idle_timeout = std::chrono::minutes(5);
  auto server = HttpServer::Listen(runtime, options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  (*server)->Handle("/healthz", [](const HttpRequest&, Responder responder) {
    std::move(responder).Send(TextResponse(200, "ok"));
  });
  (*server)->Start();
  const uint16_t port = (*server)->port();

  testing::ConnectionFlood flood(port, kSilent);
  ASSERT_EQ(flood.connected(), kSilent);
  // The listener is full before the fresh requests arrive.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while ((*server)->connections() < static_cast<size_t>(kSilent)) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << (*server)->connections() << " admitted";
    std::this_thread::sleep_for(1ms);
  }
  for (int round = 0; round < 3; ++round) {
    const auto start = std::chrono::steady_clock::now();
    testing::TestResponse fresh = testing::HttpGet(port, "/healthz");
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(fresh.status, 200) << "round " << round << ": " << fresh.error;
    std::printf("fresh request %d answered in %.1f ms while %d silent connections were held\n", round,
                std::chrono::duration<double, std::milli>(took).count(), kSilent);
  }

  flood.End();
  (*server)->Stop(1s);
  runtime.Shutdown();
}

}  // namespace
}  // namespace groupcache
