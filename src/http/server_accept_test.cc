// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The server's accept layer and its timers: silent and slow connections,
// the keep-alive timers, a full listener, and the limits Listen refuses.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "server_fixture.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;
using testing::HttpServerTest;
using testing::kPatience;
using testing::PatientOptions;
using testing::RawConnection;
using testing::ReadOneResponse;

TEST_F(HttpServerTest, SilentAndSlowConnectionsAreClosedAtTheHeaderTimeout) {
  HttpServerOptions options = PatientOptions();
  options.header_timeout = 200ms;
  StartServer(options);
  RawConnection silent = RawConnection::Connect(port_);
  RawConnection partial = RawConnection::Connect(port_);
  ASSERT_TRUE(silent.ok() && partial.ok());
  ASSERT_TRUE(partial.Send("GET /never-finished HTTP/1.1\r\nHost: x\r\n"));
  for (RawConnection* conn : {&silent, &partial}) {
    const RawConnection::ReadResult got = conn->ReadUntilClose(kPatience);
    EXPECT_TRUE(got.closed);
    EXPECT_EQ(got.bytes, "");
  }
  EXPECT_EQ(Served(), std::vector<std::string>());
}

TEST_F(HttpServerTest, AKeptAliveConnectionWaitsIdleTimeoutThenHeaderTimeout) {
  HttpServerOptions options = PatientOptions();
  options.header_timeout = 200ms;
  StartServer(options);
  RawConnection conn = RawConnection::Connect(port_);
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn.Send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(ReadOneResponse(conn).find("ok /1"), std::string::npos);
  // Time must pass here, longer than header_timeout and than the idle time
  // after which the server releases the connection's read buffer (1 s);
  // there is nothing to synchronise with.
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(conn.Send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(ReadOneResponse(conn).find("ok /2"), std::string::npos);
  // Once a request has begun, its head is due within header_timeout.
  ASSERT_TRUE(conn.Send("GET /3 HTTP/1.1\r\n"));
  const RawConnection::ReadResult got = conn.ReadUntilClose(kPatience);
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, "");
  EXPECT_EQ(Served(), (std::vector<std::string>{"/1", "/2"}));
}

TEST_F(HttpServerTest, AFullListenerClosesTheLongestIdleConnectionToAdmitANewOne) {
  HttpServerOptions options = PatientOptions();
  options.max_connections = 4;
  StartServer(options);
  std::vector<RawConnection> silent;
  for (int i = 0; i < 4; ++i) {
    silent.push_back(RawConnection::Connect(port_));
    ASSERT_TRUE(silent.back().ok());
  }
  ASSERT_TRUE(WaitForConnections(4));
  testing::TestResponse fresh = testing::HttpGet(port_, "/fresh");
  EXPECT_EQ(fresh.status, 200) << fresh.error;
  EXPECT_TRUE(silent[0].ClosedByServer(kPatience));
  for (int i = 1; i < 4; ++i) EXPECT_FALSE(silent[i].ClosedByServer()) << i;
}

TEST_F(HttpServerTest, AConnectionServingARequestIsNeverClosedToMakeRoom) {
  HttpServerOptions options = PatientOptions();
  options.max_connections = 1;
  StartServer(options);
  RawConnection busy = RawConnection::Connect(port_);
  ASSERT_TRUE(busy.ok());
  ASSERT_TRUE(busy.Send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"));
  blocked_.wait();
  // No idle connection to close: the new one is refused.
  testing::TestResponse refused = testing::HttpGet(port_, "/refused");
  EXPECT_EQ(refused.status, 0);
  Release();
  EXPECT_NE(ReadOneResponse(busy).find("released"), std::string::npos);
  EXPECT_EQ(Served(), std::vector<std::string>{"/block"});
}

TEST_F(HttpServerTest, ZeroLimitsAreRefused) {
  runtime_ = std::make_unique<Runtime>(RuntimeOptions{.io_threads = 1, .worker_threads = 1});
  HttpServerOptions options;
  options.max_handshakes = 0;
  EXPECT_EQ(HttpServer::Listen(*runtime_, options).status().code(), StatusCode::kInvalidArgument);
  options = HttpServerOptions();
  options.header_timeout = 0ms;
  EXPECT_EQ(HttpServer::Listen(*runtime_, options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace groupcache
