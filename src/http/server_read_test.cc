// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The server's read layer against hostile clients, over real sockets:
// request smuggling, conflicting Connection fields, garbage, and requests
// sent a byte at a time. (request_loop_test covers the same layer without
// sockets, failing chosen reads and writes.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server_fixture.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;
using testing::CountOf;
using testing::HttpServerTest;
using testing::kPatience;
using testing::PatientOptions;
using testing::RawConnection;

TEST_F(HttpServerTest, SmugglingGetsOneBadRequestAndTheConnectionClosed) {
  StartServer(PatientOptions());
  // Each head is followed by a second request that a server reading the
  // first one's body wrongly (as none) would answer too.
  const std::string hidden = "GET /hidden HTTP/1.1\r\nHost: x\r\n\r\n";
  const char* const heads[] = {
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: identity\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
      "POST /a HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
      "GET /a HTTP/1.1\r\n\r\n",                        // no Host
      "GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",  // two
      "GET /a HTTP/1.1\r\nHost: a\r\nX: 1\r\nhost: a\r\n\r\n",
      "GET /a HTTP/1.0\r\nConnection: keep-alive\r\nHost: a\r\nHost: a\r\n\r\n",
  };
  for (const char* head : heads) {
    RawConnection conn = RawConnection::Connect(port_);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.Send(head + hidden));
    const RawConnection::ReadResult got = conn.ReadUntilClose(kPatience);
    EXPECT_TRUE(got.closed) << head;
    EXPECT_EQ(CountOf(got.bytes, "HTTP/1.1 "), 1u) << head << "\n---\n" << got.bytes;
    EXPECT_TRUE(got.bytes.starts_with("HTTP/1.1 400 Bad Request\r\n")) << head << "\n---\n" << got.bytes;
    EXPECT_NE(got.bytes.find("Connection: close\r\n"), std::string::npos) << head;
  }
  EXPECT_EQ(Served(), std::vector<std::string>());
}

// Every Connection field counts, on the fast path and on Beast's: the
// second one here says close (Beast's keep_alive() read only the first).
TEST_F(HttpServerTest, AnyConnectionCloseFieldClosesTheConnection) {
  StartServer(PatientOptions());
  for (const char* head :
       {"GET /a HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
        // A body sends this one to Beast's parser.
        "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: keep-alive\r\n"
        "Connection: close\r\n\r\nx"}) {
    RawConnection conn = RawConnection::Connect(port_);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.Send(head));
    const RawConnection::ReadResult got = conn.ReadUntilClose(kPatience);
    EXPECT_TRUE(got.closed) << head;
    EXPECT_TRUE(got.bytes.starts_with("HTTP/1.1 200 OK\r\n")) << head << "\n---\n" << got.bytes;
    EXPECT_NE(got.bytes.find("Connection: close\r\n"), std::string::npos) << head;
  }
}

TEST_F(HttpServerTest, TheRulesSayWhatIsWrong) {
  StartServer(PatientOptions());
  EXPECT_EQ(testing::RawExchange(port_, "GET /a HTTP/1.1\r\n\r\n").body, "bad request: no Host field\n");
  EXPECT_EQ(
      testing::RawExchange(port_, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n").body,
      "bad request: Transfer-Encoding other than chunked\n");
}

TEST_F(HttpServerTest, LegalFramingIsStillServed) {
  StartServer(PatientOptions());
  RawConnection conn = RawConnection::Connect(port_);
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(
      conn.Send("POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                "POST /length HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                "GET /old HTTP/1.0\r\n\r\n"));
  const RawConnection::ReadResult got = conn.ReadUntilClose(kPatience);
  EXPECT_EQ(CountOf(got.bytes, "HTTP/1.1 200 OK\r\n"), 3u) << got.bytes;
  EXPECT_EQ(Served(), (std::vector<std::string>{"/chunked", "/length", "/old"}));
}

TEST_F(HttpServerTest, GarbageIsRefusedWithoutWaitingForALineEnd) {
  StartServer(PatientOptions());
  const std::string client_hello = testing::MakeClientHello();
  ASSERT_GT(client_hello.size(), 100u);
  for (const std::string& garbage :
       {client_hello.substr(0, 60), std::string("\0\0\0\0\0\0\0\0", 8), std::string("\x80\x81\xfe\xff"),
        std::string("GET /a HTTP/2"), std::string("GET /a\x01"), std::string("GET  /")}) {
    RawConnection conn = RawConnection::Connect(port_);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.Send(garbage));
    const RawConnection::ReadResult got = conn.ReadUntilClose(kPatience);
    EXPECT_TRUE(got.closed) << ::testing::PrintToString(garbage);
    EXPECT_TRUE(got.bytes.starts_with("HTTP/1.1 400 Bad Request\r\n")) << ::testing::PrintToString(garbage);
  }
  EXPECT_EQ(Served(), std::vector<std::string>());
}

TEST_F(HttpServerTest, RequestsSentOneByteAtATimeAreServed) {
  StartServer(PatientOptions());
  const std::string requests =
      "GET /one?x=1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
      "GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string got = testing::RawExchangeUntilClose(port_, requests, /*piece=*/1);
  EXPECT_EQ(CountOf(got, "HTTP/1.1 200 OK\r\n"), 3u) << got;
  EXPECT_EQ(Served(), (std::vector<std::string>{"/one?x=1", "/two", "/three"}));
}

}  // namespace
}  // namespace groupcache
