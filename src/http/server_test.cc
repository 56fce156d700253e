// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The HTTP server against hostile clients, in one process: request
// smuggling, garbage, silent and slow connections, a full listener, and
// stalled TLS handshakes. Raw sockets on 127.0.0.1; these run under the
// sanitizers too.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <filesystem>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/http_server.h"
#include "groupcache/runtime.h"
#include "raw_client.h"
#include "test_certs.h"
#include "test_http.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;
using testing::RawConnection;

// Long enough that no timeout the test does not set can explain a close.
constexpr std::chrono::milliseconds kForever = std::chrono::minutes(5);
// How long a test waits for something that should happen at once.
constexpr std::chrono::milliseconds kPatience = std::chrono::seconds(20);

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// Reads one response (head and Content-Length body) from `conn`; empty if
// the connection closed or nothing complete came within kPatience.
std::string ReadOneResponse(RawConnection& conn) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    const size_t end = got.find("\r\n\r\n");
    if (end != std::string::npos) {
      const size_t at = got.find("Content-Length: ");
      const size_t length = at < end ? std::stoul(got.substr(at + 16)) : 0;
      if (got.size() >= end + 4 + length) return got.substr(0, end + 4 + length);
    }
    pollfd p{conn.fd(), POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(conn.fd(), buf, sizeof buf, 0);
    if (n <= 0) return "";
    got.append(buf, static_cast<size_t>(n));
  }
  return "";
}

HttpServerOptions PatientOptions() {
  HttpServerOptions options;
  options.header_timeout = kForever;
  options.read_timeout = kForever;
  options.idle_timeout = kForever;
  options.handshake_timeout = kForever;
  return options;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    Release();
    if (blocked_thread_.joinable()) blocked_thread_.join();
    if (server_) server_->Stop(100ms);
    runtime_->Shutdown();
  }

  // Lets the response to /block go.
  void Release() {
    if (!released_.exchange(true)) release_.count_down();
  }

  // Starts a server whose every path answers 200 "ok <target>", except
  // /block, which answers only once release_ opens.
  void StartServer(HttpServerOptions options,
                   RuntimeOptions runtime_options = {.io_threads = 2, .worker_threads = 2}) {
    runtime_ = std::make_unique<Runtime>(runtime_options);
    auto server = HttpServer::Listen(*runtime_, std::move(options));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    server_->Handle("/", [this](const HttpRequest& request, Responder responder) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        served_.emplace_back(request.target);
      }
      if (request.path == "/block") {
        blocked_thread_ = std::thread([this, responder = std::move(responder)]() mutable {
          release_.wait();
          std::move(responder).Send(TextResponse(200, "released"));
        });
        blocked_.count_down();
        return;
      }
      std::move(responder).Send(TextResponse(200, "ok " + std::string(request.target)));
    });
    server_->Start();
    port_ = server_->port();
  }

  // Whether the server counts `n` open connections within kPatience.
  bool WaitForConnections(size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (server_->connections() != n) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(1ms);
    }
    return true;
  }

  std::vector<std::string> Served() {
    std::lock_guard<std::mutex> lock(mu_);
    return served_;
  }

  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::vector<std::string> served_;
  std::latch blocked_{1};
  std::latch release_{1};
  std::atomic<bool> released_{false};
  std::thread blocked_thread_;  // answers /block (once only)
};

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

class HttpServerTlsTest : public HttpServerTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gc_server_tls_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    pki_ = std::make_unique<testing::TestPki>(dir_, "test-ca");
    node_ = pki_->Issue("node", "IP:127.0.0.1");
  }
  void TearDown() override {
    HttpServerTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  TlsOptions Tls() const { return TlsOptions{pki_->ca_file(), node_.cert_file, node_.key_file, ""}; }

  // A TLS client with a valid certificate: GET /tls; the HTTP status, or 0.
  int TlsGet() {
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    asio::io_context io;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.load_verify_file(pki_->ca_file());
    ctx.set_verify_mode(asio::ssl::verify_peer);
    ctx.use_certificate_chain_file(node_.cert_file);
    ctx.use_private_key_file(node_.key_file, asio::ssl::context::pem);
    asio::ssl::stream<asio::ip::tcp::socket> stream(io, ctx);
    boost::system::error_code ec;
    stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (ec) return 0;
    timeval tv{20, 0};
    setsockopt(stream.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    stream.handshake(asio::ssl::stream_base::client, ec);
    if (ec) return 0;
    handshakes_done_.fetch_add(1);
    http::request<http::empty_body> req{http::verb::get, "/tls", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req, ec);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    if (!ec) http::read(stream, buffer, res, ec);
    return ec ? 0 : res.result_int();
  }

  std::filesystem::path dir_;
  std::unique_ptr<testing::TestPki> pki_;
  testing::Issued node_;
  std::atomic<int> handshakes_done_{0};
};

TEST_F(HttpServerTlsTest, AStalledHandshakeIsClosedAtTheHandshakeTimeout) {
  HttpServerOptions options = PatientOptions();
  options.tls = Tls();
  options.handshake_timeout = 300ms;
  StartServer(options);
  const std::string hello = testing::MakeClientHello();
  for (const std::string& sent : {hello.substr(0, hello.size() / 2), hello}) {
    RawConnection conn = RawConnection::Connect(port_);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.Send(sent));
    EXPECT_TRUE(conn.ReadUntilClose(kPatience).closed) << sent.size() << " bytes of a ClientHello";
  }
  EXPECT_EQ(TlsGet(), 200);
}

TEST_F(HttpServerTlsTest, HandshakesBeyondTheLimitWaitForASlot) {
  HttpServerOptions options = PatientOptions();
  options.tls = Tls();
  options.max_handshakes = 1;
  StartServer(options, {.io_threads = 1, .worker_threads = 1});
  // A silent connection takes no slot ...
  RawConnection silent = RawConnection::Connect(port_);
  ASSERT_TRUE(silent.ok());
  // ... so this stalled handshake gets it: the server answers its hello.
  RawConnection stalled = RawConnection::Connect(port_);
  ASSERT_TRUE(stalled.ok());
  ASSERT_TRUE(stalled.Send(testing::MakeClientHello()));
  pollfd p{stalled.fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, static_cast<int>(kPatience.count())), 1);

  int status = -1;
  std::thread client([&] { status = TlsGet(); });
  // While the stalled handshake holds the only slot, the real client waits.
  // (A broken gate lets it through at once; a short look catches that.)
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(handshakes_done_.load(), 0);
  stalled.Close();  // the stalled handshake fails; its slot passes on
  client.join();
  EXPECT_EQ(status, 200);
  EXPECT_EQ(handshakes_done_.load(), 1);
}

}  // namespace
}  // namespace groupcache
