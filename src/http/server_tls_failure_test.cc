// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The server's report of failed TLS handshakes (on_tls_handshake_failure),
// one reason per way a client can fail, and its connection counters.
#include <gtest/gtest.h>
#include <poll.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "server_fixture.h"
#include "test_certs.h"
#include "tls_client.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;
using testing::Issued;
using testing::kPatience;
using testing::RawConnection;
using testing::TestPki;
using testing::TlsClient;

class HandshakeFailureTest : public testing::HttpServerTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gc_tls_failure_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    pki_ = std::make_unique<TestPki>(dir_ / "ca", "test-ca");
    other_ = std::make_unique<TestPki>(dir_ / "other", "other-ca");
    node_ = pki_->Issue("node", "IP:127.0.0.1");
    client_ = pki_->Issue("client", "IP:127.0.0.1");
  }
  void TearDown() override {
    HttpServerTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  // Starts a TLS server (node_, trusting pki_'s CA) that records every
  // failed handshake.
  void StartTlsServer(std::chrono::milliseconds handshake_timeout = testing::kForever) {
    HttpServerOptions options = testing::PatientOptions();
    options.tls = TlsOptions{pki_->ca_file(), node_.cert_file, node_.key_file, ""};
    options.handshake_timeout = handshake_timeout;
    options.on_tls_handshake_failure = [this](std::string_view address, std::string_view reason) {
      std::lock_guard<std::mutex> lock(failures_mu_);
      failures_.emplace_back(address, reason);
      failures_cv_.notify_all();
    };
    StartServer(options, {.io_threads = 1, .worker_threads = 1});
  }

  // The first failure reported, once there is one (within kPatience); its
  // reason, or "none".
  std::string FirstReason() {
    std::unique_lock<std::mutex> lock(failures_mu_);
    failures_cv_.wait_for(lock, kPatience, [this] { return !failures_.empty(); });
    if (failures_.empty()) return "none";
    EXPECT_EQ(failures_.front().first, "127.0.0.1");
    return failures_.front().second;
  }
  size_t FailureCount() {
    std::lock_guard<std::mutex> lock(failures_mu_);
    return failures_.size();
  }

  // A connection presenting `client` and trusting `ca_file`; its GET's status.
  int GetWith(const std::string& ca_file, const Issued* client) {
    TlsClient conn(port_, ca_file, client ? client->cert_file : "", client ? client->key_file : "");
    return conn.Get();
  }

  std::filesystem::path dir_;
  std::unique_ptr<TestPki> pki_, other_;
  Issued node_, client_;
  std::mutex failures_mu_;
  std::condition_variable failures_cv_;
  std::vector<std::pair<std::string, std::string>> failures_;
};

TEST_F(HandshakeFailureTest, AGoodClientIsNotReported) {
  StartTlsServer();
  EXPECT_EQ(GetWith(pki_->ca_file(), &client_), 200);
  // A port probe: connected and closed without a byte.
  RawConnection(RawConnection::Connect(port_)).Close();
  EXPECT_EQ(GetWith(pki_->ca_file(), &client_), 200);
  EXPECT_EQ(FailureCount(), 0u);
}

TEST_F(HandshakeFailureTest, AClientWithoutACertificate) {
  StartTlsServer();
  EXPECT_EQ(GetWith(pki_->ca_file(), nullptr), 0);
  EXPECT_EQ(FirstReason(), "no_client_certificate");
}

TEST_F(HandshakeFailureTest, AClientCertificateFromAnotherCa) {
  StartTlsServer();
  const Issued stranger = other_->Issue("stranger", "IP:127.0.0.1");
  EXPECT_EQ(GetWith(pki_->ca_file(), &stranger), 0);
  EXPECT_EQ(FirstReason(), "unknown_ca");
}

TEST_F(HandshakeFailureTest, AClientThatDoesNotTrustTheServersCa) {
  StartTlsServer();
  EXPECT_EQ(GetWith(other_->ca_file(), &client_), 0);
  EXPECT_EQ(FirstReason(), "unknown_ca");
}

TEST_F(HandshakeFailureTest, AnExpiredClientCertificate) {
  StartTlsServer();
  const Issued expired = pki_->Issue("expired", "IP:127.0.0.1", testing::Validity{-48h, -24h});
  EXPECT_EQ(GetWith(pki_->ca_file(), &expired), 0);
  EXPECT_EQ(FirstReason(), "expired");
}

TEST_F(HandshakeFailureTest, AClientCertificateNotYetValid) {
  StartTlsServer();
  const Issued early = pki_->Issue("early", "IP:127.0.0.1", testing::Validity{24h, 48h});
  EXPECT_EQ(GetWith(pki_->ca_file(), &early), 0);
  EXPECT_EQ(FirstReason(), "not_yet_valid");
}

TEST_F(HandshakeFailureTest, PlainHttpToTheTlsPort) {
  StartTlsServer();
  RawConnection conn = RawConnection::Connect(port_);
  ASSERT_TRUE(conn.Send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_TRUE(conn.ReadUntilClose(kPatience).closed);
  EXPECT_EQ(FirstReason(), "protocol");
}

TEST_F(HandshakeFailureTest, AHandshakeThatTimesOut) {
  StartTlsServer(/*handshake_timeout=*/300ms);
  const std::string hello = testing::MakeClientHello();
  RawConnection conn = RawConnection::Connect(port_);
  ASSERT_TRUE(conn.Send(hello.substr(0, hello.size() / 2)));
  EXPECT_TRUE(conn.ReadUntilClose(kPatience).closed);
  EXPECT_EQ(FirstReason(), "timeout");
}

TEST_F(HandshakeFailureTest, AClientThatHangsUpMidHandshake) {
  StartTlsServer();
  RawConnection conn = RawConnection::Connect(port_);
  ASSERT_TRUE(conn.Send(testing::MakeClientHello()));
  // The server has answered the hello: the handshake is under way.
  pollfd p{conn.fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, static_cast<int>(kPatience.count())), 1);
  conn.Close();
  EXPECT_EQ(FirstReason(), "closed");
}

TEST_F(HandshakeFailureTest, StatsCountAcceptedRefusedAndOpenConnections) {
  HttpServerOptions options = testing::PatientOptions();
  options.max_connections = 1;
  StartServer(options, {.io_threads = 1, .worker_threads = 1});
  RawConnection busy = RawConnection::Connect(port_);
  ASSERT_TRUE(busy.Send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n"));
  blocked_.wait();
  // Full, and the only connection is busy: the next is closed at once.
  RawConnection refused = RawConnection::Connect(port_);
  EXPECT_TRUE(refused.ReadUntilClose(kPatience).closed);
  HttpServerStats stats = server_->stats();
  EXPECT_EQ(stats.accepted, 2u);
  EXPECT_EQ(stats.refused, 1u);
  EXPECT_EQ(stats.open, 1u);
  Release();
  EXPECT_NE(testing::ReadOneResponse(busy).find("released"), std::string::npos);
  busy.Close();
  ASSERT_TRUE(WaitForConnections(0));
  stats = server_->stats();
  EXPECT_EQ(stats.accepted, 2u);
  EXPECT_EQ(stats.refused, 1u);
  EXPECT_EQ(stats.open, 0u);
}

}  // namespace
}  // namespace groupcache
