// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A TLS Node reloading its certificate: from a Kubernetes-style Secret whose
// ..data symlink is swapped (seen by PollTls), on request (SIGHUP's path),
// refusing a bad set, and logging refused handshakes on the peer listener.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "daemon/node.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_certs.h"
#include "test_http.h"
#include "tls_client.h"

namespace groupcached {
namespace {

namespace fs = std::filesystem;
using groupcache::testing::HttpGet;
using groupcache::testing::Issued;
using groupcache::testing::TestPki;
using groupcache::testing::TlsClient;
using groupcache::testing::Validity;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class NodeTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_node_tls_test.XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    pki_ = std::make_unique<TestPki>(dir_ / "pki", "test-ca");
    first_ = pki_->Issue("node-1", "IP:127.0.0.1");
    // Valid for longer than the first, so that the not-after tells them apart.
    second_ = pki_->Issue("node-2", "IP:127.0.0.1", Validity{-1h, 60 * 24h});
    fs::create_directories(dir_ / "secret");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Lays out `cert` as Kubernetes mounts a Secret: the files in a
  // directory of their own, a "..data" symlink to it, and each file name a
  // symlink through ..data. A second call swaps ..data atomically.
  void PublishSecret(const Issued& cert, const std::string& ca_file) {
    const std::string version = "..v" + std::to_string(++versions_);
    const fs::path dir = dir_ / "secret" / version;
    fs::create_directories(dir);
    fs::copy_file(ca_file, dir / "ca.crt");
    fs::copy_file(cert.cert_file, dir / "tls.crt");
    fs::copy_file(cert.key_file, dir / "tls.key");
    fs::permissions(dir / "tls.key", fs::perms::owner_read | fs::perms::owner_write);
    fs::create_directory_symlink(version, dir_ / "secret" / "..data_tmp");
    fs::rename(dir_ / "secret" / "..data_tmp", dir_ / "secret" / "..data");
    for (const char* name : {"ca.crt", "tls.crt", "tls.key"}) {
      if (!fs::is_symlink(dir_ / "secret" / name))
        fs::create_symlink(fs::path("..data") / name, dir_ / "secret" / name);
    }
  }

  std::unique_ptr<Node> Create() {
    const std::string toml =
        "[node]\nself = \"https://127.0.0.1:1\"\napi_listen = \"127.0.0.1:0\"\npeer_listen = "
        "\"127.0.0.1:0\"\n"
        "peers = [\"https://127.0.0.1:1\"]\n"
        "[tls]\nca = \"secret/ca.crt\"\ncert = \"secret/tls.crt\"\nkey = \"secret/tls.key\"\n"
        "reload_interval = \"1s\"\n"
        "[log]\nlevel = \"debug\"\nfile = \"node.log\"\n"
        "[[group]]\nname = \"colors\"\ncache_bytes = \"1MiB\"\n"
        "source = { type = \"static\", values = { red = \"#FF0000\" } }\n";
    auto config = LoadConfigFromString(toml, "node_tls_test.toml", dir_.string());
    EXPECT_TRUE(config.ok()) << config.status().message();
    if (!config.ok()) return nullptr;
    NodeSettings settings{std::move(config).value(), "", "", "", {}};
    auto logger = Logger::Create(LogOptionsFor(settings));
    EXPECT_TRUE(logger.ok());
    auto node = Node::Create(std::move(settings), std::move(logger).value());
    EXPECT_TRUE(node.ok()) << node.status().message();
    if (!node.ok()) return nullptr;
    (*node)->Start();
    return std::move(node).value();
  }

  // The common name of the certificate the peer listener presents to a
  // client with a valid certificate.
  std::string PeerCertificate(const Node& node) {
    TlsClient client(node.peer_port(), pki_->ca_file(), first_.cert_file, first_.key_file);
    return client.server_name();
  }

  std::string Log() const {
    std::ifstream in(dir_ / "node.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static int64_t Seconds(std::chrono::system_clock::time_point at) {
    return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  }
  // The not-after of `cert`, as the node reports it.
  static int64_t NotAfter(const Issued& cert) {
    const ASN1_TIME* time = X509_get0_notAfter(cert.cert.get());
    struct tm parsed {};
    ASN1_TIME_to_tm(time, &parsed);
    return static_cast<int64_t>(timegm(&parsed));
  }

  fs::path dir_;
  std::unique_ptr<TestPki> pki_;
  Issued first_, second_;
  int versions_ = 0;
};

TEST_F(NodeTlsTest, ASwappedSecretIsSeenByPollingAndServedToNewConnections) {
  PublishSecret(first_, pki_->ca_file());
  std::unique_ptr<Node> node = Create();
  ASSERT_NE(node, nullptr);
  ASSERT_TRUE(node->tls_not_after().has_value());
  EXPECT_EQ(Seconds(*node->tls_not_after()), NotAfter(first_));
  EXPECT_EQ(PeerCertificate(*node), "node-1");
  TlsClient open(node->peer_port(), pki_->ca_file(), first_.cert_file, first_.key_file);
  ASSERT_EQ(open.Get("/_groupcache/colors/red"), 200) << open.error();

  node->PollTls();  // nothing changed
  EXPECT_THAT(Log(), Not(HasSubstr("tls reloaded")));

  PublishSecret(second_, pki_->ca_file());
  node->PollTls();
  EXPECT_THAT(Log(), HasSubstr("msg=\"tls reloaded\" trigger=\"file change\" subject=\"/CN=node-2\""));
  EXPECT_EQ(Seconds(*node->tls_not_after()), NotAfter(second_));
  EXPECT_EQ(PeerCertificate(*node), "node-2");
  EXPECT_EQ(open.Get("/_groupcache/colors/red"), 200) << "an open connection was cut: " << open.error();

  // The connections PeerCertificate opened are closed on the server's side
  // a moment after the client closes them: wait for the one left open.
  std::string metrics = HttpGet(node->api_port(), "/metrics").body;
  for (int i = 0;
       i < 200 && metrics.find("groupcache_connections_open{listener=\"peer\"} 1\n") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    metrics = HttpGet(node->api_port(), "/metrics").body;
  }
  EXPECT_THAT(metrics, HasSubstr("groupcache_tls_reloads_total{result=\"ok\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("groupcache_tls_certificate_not_after_seconds " +
                                 std::to_string(NotAfter(second_)) + "\n"));
  EXPECT_THAT(metrics, HasSubstr("groupcache_connections_open{listener=\"peer\"} 1\n"));
  node->PollTls();  // the same files again: no second reload
  EXPECT_THAT(HttpGet(node->api_port(), "/metrics").body,
              HasSubstr("groupcache_tls_reloads_total{result=\"ok\"} 1\n"));
}

TEST_F(NodeTlsTest, ABadSetIsRefusedAndTheOldOneKept) {
  PublishSecret(first_, pki_->ca_file());
  std::unique_ptr<Node> node = Create();
  ASSERT_NE(node, nullptr);
  Issued mismatched = pki_->Issue("node-3", "IP:127.0.0.1");
  fs::copy_file(first_.key_file, mismatched.key_file, fs::copy_options::overwrite_existing);
  PublishSecret(mismatched, pki_->ca_file());
  node->PollTls();
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr("level=error msg=\"tls reload failed; the certificate in use stays\" "
                             "trigger=\"file change\""));
  EXPECT_THAT(log, HasSubstr("is not the key of the certificate"));
  EXPECT_THAT(log, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_EQ(PeerCertificate(*node), "node-1");
  EXPECT_EQ(Seconds(*node->tls_not_after()), NotAfter(first_));
  EXPECT_THAT(HttpGet(node->api_port(), "/metrics").body,
              HasSubstr("groupcache_tls_reloads_total{result=\"error\"} 1\n"));

  // SIGHUP's path, once the files are right again.
  PublishSecret(second_, pki_->ca_file());
  EXPECT_TRUE(node->ReloadTls("sighup").ok());
  EXPECT_EQ(PeerCertificate(*node), "node-2");
}

TEST_F(NodeTlsTest, AnExpiringCertificateIsWarnedAboutDaily) {
  const Issued expiring = pki_->Issue("node-4", "IP:127.0.0.1", Validity{-1h, 3 * 24h});
  PublishSecret(expiring, pki_->ca_file());
  std::unique_ptr<Node> node = Create();
  ASSERT_NE(node, nullptr);
  const auto now = std::chrono::system_clock::now();
  node->PollTls(now);  // warned at start (LoadNodeSettings), not again yet
  EXPECT_THAT(Log(), Not(HasSubstr("expires in")));
  node->PollTls(now + 25h);
  EXPECT_THAT(Log(), HasSubstr("expires in 1 days"));
}

TEST_F(NodeTlsTest, ARefusedPeerHandshakeIsCountedAndLoggedWithItsReason) {
  PublishSecret(first_, pki_->ca_file());
  std::unique_ptr<Node> node = Create();
  ASSERT_NE(node, nullptr);
  TestPki stranger_ca(dir_ / "stranger", "stranger-ca");
  const Issued stranger = stranger_ca.Issue("stranger", "IP:127.0.0.1");
  for (int i = 0; i < 3; ++i) {
    TlsClient client(node->peer_port(), pki_->ca_file(), stranger.cert_file, stranger.key_file);
    EXPECT_EQ(client.Get("/_groupcache/colors/red"), 0);
  }
  // The server counts a failure after sending its alert: wait for the last.
  const std::string series =
      "groupcache_tls_handshake_failures_total{listener=\"peer\",reason=\"unknown_ca\"} 3\n";
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (HttpGet(node->api_port(), "/metrics").body.find(series) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_THAT(HttpGet(node->api_port(), "/metrics").body, HasSubstr(series));
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr("level=warn msg=\"peer listener refused a TLS handshake\" "
                             "peer_address=127.0.0.1 reason=unknown_ca suppressed=0"));
  // One line per address and reason per 10 s.
  EXPECT_EQ(log.find("refused a TLS handshake"), log.rfind("refused a TLS handshake"));
}

}  // namespace
}  // namespace groupcached
