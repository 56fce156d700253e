// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Replacing the TLS material of a running server and pool (ReloadTls): new
// connections take the new material, open ones keep theirs, a bad set is
// refused.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/groupcache.h"
#include "server_fixture.h"
#include "test_certs.h"
#include "tls_client.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::Issued;
using testing::TestPki;
using testing::TlsClient;

std::filesystem::path TempDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("gc_tls_reload_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TlsOptions TlsOf(const std::string& ca_file, const Issued& node) {
  return TlsOptions{ca_file, node.cert_file, node.key_file, ""};
}

// Writes the concatenation of `files` to `path`; returns `path`.
std::string Concatenate(const std::filesystem::path& path, const std::vector<std::string>& files) {
  std::ofstream out(path);
  for (const std::string& file : files) out << std::ifstream(file).rdbuf();
  return path.string();
}

class TlsReloadTest : public testing::HttpServerTest {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    old_ca_ = std::make_unique<TestPki>(dir_ / "old", "old-ca");
    new_ca_ = std::make_unique<TestPki>(dir_ / "new", "new-ca");
    first_ = old_ca_->Issue("first", "IP:127.0.0.1");
    second_ = old_ca_->Issue("second", "IP:127.0.0.1");
    client_ = old_ca_->Issue("client", "IP:127.0.0.1");
    new_server_ = new_ca_->Issue("new-server", "IP:127.0.0.1");
    new_client_ = new_ca_->Issue("new-client", "IP:127.0.0.1");
    bundle_ = Concatenate(dir_ / "bundle.pem", {old_ca_->ca_file(), new_ca_->ca_file()});
  }
  void TearDown() override {
    HttpServerTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  // One new connection presenting `client`, trusting `ca_file`, and one GET:
  // the server certificate's name, or "" if any step failed.
  std::string GetOnce(const std::string& ca_file, const Issued& client) {
    TlsClient conn(port_, ca_file, client.cert_file, client.key_file);
    return conn.Get() == 200 ? conn.server_name() : "";
  }

  std::filesystem::path dir_;
  std::unique_ptr<TestPki> old_ca_, new_ca_;
  Issued first_, second_, client_, new_server_, new_client_;
  std::string bundle_;
};

// A client loop that opens a new connection per request, as long as it runs,
// and records the server names it saw and its failures.
class ClientLoop {
 public:
  ClientLoop(uint16_t port, std::string ca_file, const Issued& client)
      : thread_([this, port, ca_file = std::move(ca_file), cert = client.cert_file, key = client.key_file] {
          while (!stop_.load()) {
            TlsClient conn(port, ca_file, cert, key);
            const int status = conn.Get();
            std::lock_guard<std::mutex> lock(mu_);
            if (status == 200) {
              last_name_ = conn.server_name();
              ++ok_;
            } else {
              failures_.push_back(conn.error());
            }
          }
        }) {}
  ~ClientLoop() { Stop(); }

  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  int ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return ok_;
  }
  std::string last_name() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_name_;
  }
  std::vector<std::string> failures() {
    std::lock_guard<std::mutex> lock(mu_);
    return failures_;
  }

 private:
  std::mutex mu_;
  int ok_ = 0;
  std::string last_name_;
  std::vector<std::string> failures_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_F(TlsReloadTest, NewConnectionsTakeTheNewCertificateWhileAClientLoopRuns) {
  HttpServerOptions options = testing::PatientOptions();
  options.tls = TlsOf(old_ca_->ca_file(), first_);
  StartServer(options);
  // The client trusts both CAs from the start, as the safe order of a CA
  // rotation has it.
  ClientLoop loop(port_, bundle_, client_);
  ASSERT_TRUE(Eventually([&] { return loop.ok() >= 5; }));
  EXPECT_EQ(loop.last_name(), "first");

  // A new certificate from the same CA.
  ASSERT_TRUE(server_->ReloadTls(TlsOf(old_ca_->ca_file(), second_)).ok());
  ASSERT_TRUE(Eventually([&] { return loop.last_name() == "second"; }));
  // A new CA: the server trusts clients of both while it presents the new
  // CA's certificate.
  ASSERT_TRUE(server_->ReloadTls(TlsOf(bundle_, new_server_)).ok());
  ASSERT_TRUE(Eventually([&] { return loop.last_name() == "new-server"; }));
  const int before = loop.ok();
  ASSERT_TRUE(Eventually([&] { return loop.ok() >= before + 5; }));
  loop.Stop();
  EXPECT_TRUE(loop.failures().empty())
      << loop.failures().size() << " failed, the first: " << loop.failures()[0];
  EXPECT_EQ(GetOnce(bundle_, new_client_), "new-server");
}

TEST_F(TlsReloadTest, OpenConnectionsKeepTheMaterialTheyStartedWith) {
  HttpServerOptions options = testing::PatientOptions();
  options.tls = TlsOf(old_ca_->ca_file(), first_);
  StartServer(options);
  TlsClient open(port_, old_ca_->ca_file(), client_.cert_file, client_.key_file);
  ASSERT_EQ(open.Get(), 200) << open.error();

  // Only the new CA now: the old client certificate is no longer trusted.
  ASSERT_TRUE(server_->ReloadTls(TlsOf(new_ca_->ca_file(), new_server_)).ok());
  EXPECT_EQ(open.Get(), 200) << open.error();
  EXPECT_EQ(open.server_name(), "first");
  EXPECT_EQ(GetOnce(old_ca_->ca_file(), client_), "");
  EXPECT_EQ(GetOnce(new_ca_->ca_file(), new_client_), "new-server");
  EXPECT_EQ(open.Get(), 200) << open.error();
}

TEST_F(TlsReloadTest, ABadSetIsRefusedAndTheOldOneServes) {
  HttpServerOptions options = testing::PatientOptions();
  options.tls = TlsOf(old_ca_->ca_file(), first_);
  StartServer(options);

  TlsOptions wrong_key = TlsOf(old_ca_->ca_file(), second_);
  wrong_key.key_file = first_.key_file;
  Status status = server_->ReloadTls(wrong_key);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find(first_.key_file), std::string::npos) << status.ToString();

  TlsOptions missing = TlsOf(old_ca_->ca_file(), second_);
  missing.cert_file = (dir_ / "absent.pem").string();
  status = server_->ReloadTls(missing);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("absent.pem"), std::string::npos) << status.ToString();

  TlsOptions garbage_ca = TlsOf(Concatenate(dir_ / "garbage.pem", {first_.key_file}), second_);
  EXPECT_EQ(server_->ReloadTls(garbage_ca).code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(GetOnce(old_ca_->ca_file(), client_), "first");
}

TEST_F(TlsReloadTest, APlainServerRefusesAReload) {
  StartServer(testing::PatientOptions());
  const Status status = server_->ReloadTls(TlsOf(old_ca_->ca_file(), first_));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("without TLS"), std::string::npos) << status.ToString();
}

// Two nodes, as peers of each other: a group "g" whose getter answers
// "v:" + key, a TLS peer server and an HttpPool each.
struct Node {
  Node(Runtime& runtime, TlsOptions tls) : registry(&runtime.workers()) {
    group = registry
                .NewGroup("g", 1 << 20, MakeGetter([](std::string_view key, Sink& dest) {
                            dest.SetString("v:" + std::string(key));
                            return Status::Ok();
                          }))
                .value();
    HttpServerOptions options;
    options.tls = tls;
    server = HttpServer::Listen(runtime, options).value();
    url = "https://127.0.0.1:" + std::to_string(server->port());
    HttpPoolOptions pool_options;
    pool_options.tls = tls;
    pool_options.eject_after_failures = 0;  // every fetch goes to the peer
    pool = HttpPool::Create(runtime, registry, url, pool_options).value();
    server->Handle(pool->base_path(), pool->handler());
    registry.SetPeerPicker(pool);
    server->Start();
  }
  ~Node() { server->Stop(); }

  GroupRegistry registry;
  Group* group;
  std::unique_ptr<HttpServer> server;
  std::shared_ptr<HttpPool> pool;
  std::string url;
};

class PoolTlsReloadTest : public TlsReloadTest {
 protected:
  void SetUp() override {
    TlsReloadTest::SetUp();
    // One I/O thread: one idle pool, so kept-alive connections are counted simply.
    runtime_ = std::make_unique<Runtime>(RuntimeOptions{.io_threads = 1, .worker_threads = 2});
  }
  void TearDown() override {
    runtime_->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  // The next key, never asked before, that `owner` owns.
  std::string NextKeyOwnedBy(const std::vector<std::string>& peers, const std::string& owner) {
    HashRing ring;
    ring.Add(peers);
    for (;;) {
      std::string key = "key-" + std::to_string(next_key_++);
      if (ring.Get(key) == owner) return key;
    }
  }

  int next_key_ = 0;
};

TEST_F(PoolTlsReloadTest, APoolReloadedToANewCaTalksToAServerWithTheNewChain) {
  Node a(*runtime_, TlsOf(old_ca_->ca_file(), first_));
  Node b(*runtime_, TlsOf(new_ca_->ca_file(), new_server_));
  const std::vector<std::string> peers = {a.url, b.url};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  ASSERT_TRUE(b.pool->Set(peers).ok());

  // a's client presents the old CA's certificate: b refuses it, and a
  // loads locally.
  ASSERT_TRUE(a.group->Get(NextKeyOwnedBy(peers, b.url)).ok());
  EXPECT_EQ(a.group->stats().peer_errors, 1);
  EXPECT_EQ(a.group->stats().peer_loads, 0);

  TlsOptions bad = TlsOf(new_ca_->ca_file(), new_client_);
  bad.key_file = first_.key_file;
  EXPECT_EQ(a.pool->ReloadTls(bad).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(a.group->Get(NextKeyOwnedBy(peers, b.url)).ok());
  EXPECT_EQ(a.group->stats().peer_errors, 2);

  ASSERT_TRUE(a.pool->ReloadTls(TlsOf(new_ca_->ca_file(), new_client_)).ok());
  const std::string key = NextKeyOwnedBy(peers, b.url);
  Result<ByteView> value = a.group->Get(key);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->view(), "v:" + key);
  EXPECT_EQ(a.group->stats().peer_loads, 1);
  EXPECT_EQ(a.group->stats().peer_errors, 2);
}

TEST_F(PoolTlsReloadTest, IdleConnectionsOpenedBeforeAReloadAreNotReused) {
  Node a(*runtime_, TlsOf(bundle_, first_));
  Node b(*runtime_, TlsOf(bundle_, second_));
  const std::vector<std::string> peers = {a.url, b.url};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  ASSERT_TRUE(b.pool->Set(peers).ok());

  // Fetches one after another share one kept-alive connection ...
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.group->Get(NextKeyOwnedBy(peers, b.url)).ok());
  EXPECT_EQ(a.group->stats().peer_loads, 3);
  EXPECT_EQ(b.server->stats().accepted, 1u);
  // ... until a reload: the next fetch opens a connection with the new
  // material.
  ASSERT_TRUE(a.pool->ReloadTls(TlsOf(bundle_, new_client_)).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.group->Get(NextKeyOwnedBy(peers, b.url)).ok());
  EXPECT_EQ(a.group->stats().peer_loads, 6);
  EXPECT_EQ(b.server->stats().accepted, 2u);
  EXPECT_EQ(a.pool->ReloadTls(TlsOf(bundle_, first_)).code(), StatusCode::kOk);
}

TEST_F(PoolTlsReloadTest, APlainPoolRefusesAReload) {
  GroupRegistry registry(&runtime_->workers());
  auto pool = HttpPool::Create(*runtime_, registry, "http://127.0.0.1:1").value();
  EXPECT_EQ(pool->ReloadTls(TlsOf(old_ca_->ca_file(), first_)).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace groupcache
