// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The server's TLS layer: stalled handshakes and the handshake slots.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <string>
#include <thread>

#include "server_fixture.h"
#include "test_certs.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;
using testing::HttpServerTest;
using testing::kPatience;
using testing::PatientOptions;
using testing::RawConnection;

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
