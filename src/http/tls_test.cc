// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Mutual TLS between peers, in one process: two nodes, real sockets.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>

#include "groupcache/groupcache.h"
#include "test_certs.h"
#include "test_http.h"

namespace groupcache {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using testing::Issued;
using testing::TestPki;

std::filesystem::path TempDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("gc_tls_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TlsOptions TlsFor(const TestPki& pki, const Issued& node, std::string passphrase = "") {
  return TlsOptions{pki.ca_file(), node.cert_file, node.key_file, std::move(passphrase)};
}

// One node: a registry with group "g" whose getter returns "v:" + key and
// counts its calls, a peer server with TLS, and an HttpPool.
struct Node {
  Node(Runtime& runtime, TlsOptions server_tls, TlsOptions client_tls) : registry(&runtime.workers()) {
    group = registry
                .NewGroup("g", 1 << 20, MakeGetter([this](std::string_view key, Sink& dest) {
                            ++loads;
                            dest.SetString("v:" + std::string(key));
                            return Status::Ok();
                          }))
                .value();
    HttpServerOptions options;
    options.tls = std::move(server_tls);
    server = HttpServer::Listen(runtime, options).value();
    url = "https://127.0.0.1:" + std::to_string(server->port());
    HttpPoolOptions pool_options;
    pool_options.tls = std::move(client_tls);
    pool_options.request_timeout = std::chrono::seconds(5);
    pool = HttpPool::Create(runtime, registry, url, pool_options).value();
    server->Handle(pool->base_path(), pool->handler());
    registry.SetPeerPicker(pool);
    server->Start();
  }
  ~Node() { server->Stop(); }

  GroupRegistry registry;
  Group* group;
  std::atomic<int> loads{0};
  std::unique_ptr<HttpServer> server;
  std::shared_ptr<HttpPool> pool;
  std::string url;
};

// A key that `owner` owns in the pool of both nodes.
std::string KeyOwnedBy(const std::vector<std::string>& peers, const std::string& owner) {
  HashRing ring;
  ring.Add(peers);
  for (int i = 0;; ++i) {
    std::string key = "key-" + std::to_string(i);
    if (ring.Get(key) == owner) return key;
  }
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    pki_ = std::make_unique<TestPki>(dir_ / "ca", "test-ca");
    node_a_cert_ = pki_->Issue("node-a", "IP:127.0.0.1,DNS:localhost");
    node_b_cert_ = pki_->Issue("node-b", "IP:127.0.0.1,DNS:localhost", "s3cret pass");
    runtime_ = std::make_unique<Runtime>(RuntimeOptions{.io_threads = 2, .worker_threads = 2});
  }
  void TearDown() override {
    runtime_->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  // A raw TLS client to `port`, presenting `client` (or no certificate),
  // trusting `ca_file`. Returns the HTTP status it got, or 0 if refused.
  int RawTlsGet(uint16_t port, const std::string& ca_file, const Issued* client) {
    asio::io_context io;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.load_verify_file(ca_file);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    if (client) {
      ctx.use_certificate_chain_file(client->cert_file);
      ctx.use_private_key_file(client->key_file, asio::ssl::context::pem);
    }
    asio::ssl::stream<asio::ip::tcp::socket> stream(io, ctx);
    boost::system::error_code ec;
    stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return 0;
    timeval tv{10, 0};
    setsockopt(stream.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    stream.handshake(asio::ssl::stream_base::client, ec);
    if (ec) return 0;
    http::request<http::empty_body> req{http::verb::get, "/_groupcache/g/x", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req, ec);
    if (ec) return 0;
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res, ec);
    if (ec) return 0;
    return res.result_int();
  }

  std::filesystem::path dir_;
  std::unique_ptr<TestPki> pki_;
  Issued node_a_cert_, node_b_cert_;
  std::unique_ptr<Runtime> runtime_;
};

TEST_F(TlsTest, PeersFetchFromEachOtherOverMutualTls) {
  Node a(*runtime_, TlsFor(*pki_, node_a_cert_), TlsFor(*pki_, node_a_cert_));
  Node b(*runtime_, TlsFor(*pki_, node_b_cert_, "s3cret pass"), TlsFor(*pki_, node_b_cert_, "s3cret pass"));
  const std::vector<std::string> peers = {a.url, b.url};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  ASSERT_TRUE(b.pool->Set(peers).ok());

  const std::string key = KeyOwnedBy(peers, b.url);
  Result<ByteView> value = a.group->Get(key);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->view(), "v:" + key);
  EXPECT_EQ(a.group->stats().peer_loads, 1);
  EXPECT_EQ(a.group->stats().peer_errors, 0);
  EXPECT_EQ(a.loads, 0);
  EXPECT_EQ(b.loads, 1);
  EXPECT_EQ(b.group->stats().server_requests, 1);
}

TEST_F(TlsTest, ServerRefusesClientWithoutCertificate) {
  Node b(*runtime_, TlsFor(*pki_, node_b_cert_, "s3cret pass"), TlsFor(*pki_, node_b_cert_, "s3cret pass"));
  EXPECT_EQ(RawTlsGet(b.server->port(), pki_->ca_file(), nullptr), 0);
  // The same client with a valid certificate is served.
  EXPECT_EQ(RawTlsGet(b.server->port(), pki_->ca_file(), &node_a_cert_), 200);
}

TEST_F(TlsTest, ServerRefusesCertificateFromAnotherCa) {
  TestPki other(dir_ / "other", "other-ca");
  Issued stranger = other.Issue("stranger", "IP:127.0.0.1");
  Node b(*runtime_, TlsFor(*pki_, node_b_cert_, "s3cret pass"), TlsFor(*pki_, node_b_cert_, "s3cret pass"));
  // The stranger trusts our CA (so it gets past verifying the server) but its
  // own certificate is not ours.
  EXPECT_EQ(RawTlsGet(b.server->port(), pki_->ca_file(), &stranger), 0);
  EXPECT_EQ(b.group->stats().server_requests, 0);
}

TEST_F(TlsTest, PlainHttpToTlsPortGetsNoResponse) {
  Node b(*runtime_, TlsFor(*pki_, node_b_cert_, "s3cret pass"), TlsFor(*pki_, node_b_cert_, "s3cret pass"));
  testing::TestResponse response = testing::HttpGet(b.server->port(), "/_groupcache/g/x");
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(b.group->stats().server_requests, 0);
}

TEST_F(TlsTest, ClientRefusesServerWhoseCertificateNamesAnotherHost) {
  Issued wrong_name = pki_->Issue("wrong-name", "DNS:wrong.example");
  Node a(*runtime_, TlsFor(*pki_, node_a_cert_), TlsFor(*pki_, node_a_cert_));
  Node b(*runtime_, TlsFor(*pki_, wrong_name), TlsFor(*pki_, wrong_name));
  const std::vector<std::string> peers = {a.url, b.url};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  const std::string key = KeyOwnedBy(peers, b.url);
  Result<ByteView> value = a.group->Get(key);
  ASSERT_TRUE(value.ok());  // from the local fallback
  EXPECT_EQ(a.group->stats().peer_errors, 1);
  EXPECT_EQ(a.loads, 1);
  EXPECT_EQ(b.loads, 0);
}

TEST_F(TlsTest, BadKeyMaterialIsAClearError) {
  HttpServerOptions options;
  options.tls = TlsFor(*pki_, node_b_cert_, "wrong passphrase");
  auto server = HttpServer::Listen(*runtime_, options);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find(node_b_cert_.key_file), std::string::npos);

  options.tls = TlsFor(*pki_, node_b_cert_);  // encrypted key, no passphrase
  server = HttpServer::Listen(*runtime_, options);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("passphrase"), std::string::npos);

  options.tls = TlsOptions{pki_->ca_file(), (dir_ / "missing.pem").string(), node_a_cert_.key_file, ""};
  server = HttpServer::Listen(*runtime_, options);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("missing.pem"), std::string::npos);
}

TEST_F(TlsTest, SchemesMustMatchTheTlsSetting) {
  GroupRegistry registry;
  EXPECT_FALSE(HttpPool::Create(*runtime_, registry, "https://127.0.0.1:1").ok());
  HttpPoolOptions options;
  options.tls = TlsFor(*pki_, node_a_cert_);
  EXPECT_FALSE(HttpPool::Create(*runtime_, registry, "http://127.0.0.1:1", options).ok());
  auto pool = HttpPool::Create(*runtime_, registry, "https://127.0.0.1:1", options);
  ASSERT_TRUE(pool.ok());
  EXPECT_FALSE((*pool)->Set({"https://127.0.0.1:1", "http://127.0.0.1:2"}).ok());
}

}  // namespace
}  // namespace groupcache
