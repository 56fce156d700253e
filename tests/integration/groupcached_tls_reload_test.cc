// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Certificate rotation on a running mutual-TLS groupcached cluster, under a
// client loop: new certificates from the same CA, then a CA rotation in the
// safe order, picked up by SIGHUP on one node and by polling on the others
// (one of them a Kubernetes-style Secret whose ..data symlink is swapped),
// without a failed request or a failed peer fetch; a bad set refused; and a
// peer from an unknown CA logged with its reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/hash_ring.h"
#include "groupcached_fixture.h"
#include "net.h"
#include "process.h"
#include "text.h"
#include "tls_probe.h"

namespace groupcache::integration {
namespace {

namespace fs = std::filesystem;
using groupcache::testing::Issued;
using groupcache::testing::TestPki;
using groupcache::testing::Validity;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Enough that the keys node 0 fetches from its peers are over 500 (a third
// is its own on average, but the ring's ports are random: 60% was seen).
constexpr int kKeys = 2000;
constexpr auto kPatience = 30s;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Replaces `path` with `text` at once (a rename), as a deployment tool does.
void ReplaceFile(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path next = path.string() + ".next";
  WriteFileWithMode(next, text, mode);
  fs::rename(next, path);
}

int64_t NotAfter(const Issued& cert) {
  struct tm parsed {};
  ASN1_TIME_to_tm(X509_get0_notAfter(cert.cert.get()), &parsed);
  return static_cast<int64_t>(timegm(&parsed));
}

// Where one node's TLS files live and how they are replaced.
struct NodeFiles {
  enum class Layout { kPlain, kSecret };
  Layout layout = Layout::kPlain;
  fs::path dir;
  int versions = 0;

  fs::path ca() const { return dir / "ca.crt"; }
  fs::path cert() const { return dir / "tls.crt"; }
  fs::path key() const { return dir / "tls.key"; }

  // Puts `ca_pem`, `cert` and its key in place: plain files replaced one by
  // one, or a new Secret directory that the ..data symlink is swapped to.
  void Publish(const std::string& ca_pem, const Issued& issued) {
    const std::string cert_pem = Read(issued.cert_file);
    const std::string key_pem = Read(issued.key_file);
    if (layout == Layout::kPlain) {
      ReplaceFile(ca(), ca_pem, 0644);
      ReplaceFile(key(), key_pem, 0600);
      ReplaceFile(cert(), cert_pem, 0644);
      return;
    }
    const std::string version = "..2026_" + std::to_string(++versions);
    fs::create_directories(dir / version);
    WriteFileWithMode(dir / version / "ca.crt", ca_pem, 0644);
    WriteFileWithMode(dir / version / "tls.crt", cert_pem, 0644);
    WriteFileWithMode(dir / version / "tls.key", key_pem, 0600);
    fs::create_directory_symlink(version, dir / "..data_tmp");
    fs::rename(dir / "..data_tmp", dir / "..data");
    for (const char* name : {"ca.crt", "tls.crt", "tls.key"}) {
      if (!fs::is_symlink(dir / name)) fs::create_symlink(fs::path("..data") / name, dir / name);
    }
  }
};

// Asks node 0 for keys other nodes own, one after another, until stopped;
// counts the answers and keeps the first failure.
class ClientLoop {
 public:
  ClientLoop(uint16_t port, std::string group, std::vector<std::pair<std::string, std::string>> keys)
      : thread_([this, port, group = std::move(group), keys = std::move(keys)] {
          for (size_t i = 0; !stop_.load(); i = (i + 1) % keys.size()) {
            auto reply = HttpGet(port, ValuePath(group, keys[i].first));
            if (reply.ok() && reply->status == 200 && reply->body == keys[i].second) {
              ok_.fetch_add(1);
              continue;
            }
            failed_.fetch_add(1);
            std::lock_guard<std::mutex> lock(mu_);
            if (first_failure_.empty()) {
              first_failure_ =
                  keys[i].first + ": " +
                  (reply.ok() ? std::to_string(reply->status) + " " + reply->body : reply.status().message());
            }
          }
        }) {}
  ~ClientLoop() { Stop(); }
  void Stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  int64_t ok() const { return ok_.load(); }
  int64_t failed() const { return failed_.load(); }
  std::string first_failure() {
    std::lock_guard<std::mutex> lock(mu_);
    return first_failure_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> ok_{0};
  std::atomic<int64_t> failed_{0};
  std::mutex mu_;
  std::string first_failure_;
  std::thread thread_;
};

class GroupcachedTlsReloadTest : public GroupcachedTest {
 protected:
  // Waits up to kPatience for `done`.
  template <typename Predicate>
  bool Eventually(Predicate done) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }

  double Metric(const Server& node, const std::string& series) { return MetricsOf(node).Get(series); }
  double PeerLoads(const Server& node) {
    return Metric(node, GroupSeries("groupcache_peer_loads_total", "nums"));
  }

  // A certificate for a node from `pki`, valid for `days`.
  Issued IssueFor(TestPki& pki, const std::string& name, int days) {
    return pki.Issue(name, "IP:127.0.0.1", Validity{-1h, std::chrono::hours(24 * days)});
  }
};

TEST_F(GroupcachedTlsReloadTest, RotatingCertificatesAndTheCaLosesNoRequest) {
  TestPki& old_ca = Pki();
  TestPki new_ca(pki_dir_ / "new", "new-ca");
  const std::string old_ca_pem = Read(old_ca.ca_file());
  const std::string new_ca_pem = Read(new_ca.ca_file());

  // A files source: any number of keys, each loaded by its owner.
  std::map<std::string, std::string> values;
  fs::create_directories(dir_ / "values");
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "key-" + std::to_string(i);
    values[key] = "value " + std::to_string(i);
    WriteFileWithMode(dir_ / "values" / key, values[key], 0644);
  }
  std::vector<NodeConfig> configs = TlsClusterConfigs(3, FilesGroup("nums", dir_ / "values"));
  // Node 0 reloads on SIGHUP only; nodes 1 and 2 poll, node 2 from a
  // Kubernetes-style Secret.
  std::vector<NodeFiles> files(3);
  for (int i = 0; i < 3; ++i) {
    files[i].dir = dir_ / ("tls" + std::to_string(i));
    files[i].layout = i == 2 ? NodeFiles::Layout::kSecret : NodeFiles::Layout::kPlain;
    fs::create_directories(files[i].dir);
    files[i].Publish(old_ca_pem, IssueFor(old_ca, "node" + std::to_string(i) + "-start", 30));
    configs[i].tls = NodeTlsFiles{files[i].ca().string(), files[i].cert().string(), files[i].key().string()};
    configs[i].tls_reload_interval = i == 0 ? "0s" : "1s";
  }
  std::vector<Server*> nodes;
  for (int i = 0; i < 3; ++i) {
    nodes.push_back(StartNode("node" + std::to_string(i), configs[i]));
    ASSERT_NE(nodes.back(), nullptr);
  }

  HashRing ring;
  ring.Add(configs[0].peers);
  std::vector<std::pair<std::string, std::string>> remote;  // keys node 0 fetches from a peer
  for (const auto& [key, value] : values) {
    if (ring.Get(key) != configs[0].self) remote.emplace_back(key, value);
  }
  // Keys kept out of the loop, each asked once after a step: node 0 has no
  // hot copy of them, so each is a peer fetch unless TLS broke. (The loop's
  // own keys end up in node 0's hot cache when it runs fast, and then make
  // no peer fetches at all.)
  ASSERT_GT(remote.size(), 500u);
  std::vector<std::pair<std::string, std::string>> fresh(remote.end() - 300, remote.end());
  remote.resize(remote.size() - 300);
  size_t next_fresh = 0;
  ClientLoop loop(nodes[0]->port, "nums", remote);
  ASSERT_TRUE(Eventually([&] { return loop.ok() >= 200 || loop.failed() > 0; }));
  const int64_t before_rotation = loop.ok();
  const double loads_before_rotation = PeerLoads(*nodes[0]);

  // Applies one step on every node and waits until each has reloaded
  // `reloads` times in all; returns the longest wait, SIGHUP or file
  // change to reload seen in the metrics.
  std::chrono::milliseconds sighup_time{};  // the slowest SIGHUP to reload seen
  auto step = [&](const std::string& ca_pem, const std::vector<Issued>& certs, int reloads) {
    std::chrono::steady_clock::duration slowest{};
    for (int i = 0; i < 3; ++i) {
      const auto started = std::chrono::steady_clock::now();
      files[i].Publish(ca_pem, certs[i]);
      if (i == 0) ::kill(nodes[0]->process->pid(), SIGHUP);
      EXPECT_TRUE(Eventually([&] {
        return Metric(*nodes[i], "groupcache_tls_reloads_total{result=\"ok\"}") >= reloads &&
               Metric(*nodes[i], "groupcache_tls_certificate_not_after_seconds") == NotAfter(certs[i]);
      })) << "node "
          << i << " did not reload step " << reloads;
      const auto took = std::chrono::steady_clock::now() - started;
      slowest = std::max(slowest, took);
      if (i == 0)
        sighup_time = std::max(sighup_time, std::chrono::duration_cast<std::chrono::milliseconds>(took));
    }
    // Peer fetches go on, on connections opened with the new material:
    // keys node 0 never asked for, until 20 of them came from a peer.
    const int64_t at = loop.ok();
    const double loads = PeerLoads(*nodes[0]);
    EXPECT_TRUE(Eventually([&] {
      if (next_fresh < fresh.size()) {
        const auto& [key, value] = fresh[next_fresh++];
        EXPECT_EQ(GetValue(*nodes[0], "nums", key), std::make_pair(200, value)) << key;
      }
      return (loop.ok() >= at + 50 && PeerLoads(*nodes[0]) >= loads + 20) || loop.failed() > 0;
    })) << "peer loads "
        << PeerLoads(*nodes[0]) - loads << " of 20 after " << next_fresh << " fresh keys";
    return std::chrono::duration_cast<std::chrono::milliseconds>(slowest);
  };
  std::vector<std::chrono::milliseconds> times;
  auto issue_all = [&](TestPki& pki, const std::string& tag, int days) {
    std::vector<Issued> certs;
    for (int i = 0; i < 3; ++i) certs.push_back(IssueFor(pki, "node" + std::to_string(i) + "-" + tag, days));
    return certs;
  };
  // 1. New certificates from the same CA.
  std::vector<Issued> renewed = issue_all(old_ca, "renewed", 40);
  times.push_back(step(old_ca_pem, renewed, 1));
  // 2. A CA rotation in the safe order: every node trusts both CAs, then
  // each takes a certificate of the new CA, then the old CA goes.
  const std::string both = old_ca_pem + new_ca_pem;
  times.push_back(step(both, renewed, 2));
  std::vector<Issued> rotated = issue_all(new_ca, "rotated", 50);
  times.push_back(step(both, rotated, 3));
  times.push_back(step(new_ca_pem, rotated, 4));

  // 3. A key that is not the certificate's: refused, the old set kept.
  Issued bad = IssueFor(new_ca, "node1-bad", 60);
  fs::copy_file(rotated[1].key_file, bad.key_file, fs::copy_options::overwrite_existing);
  files[1].Publish(new_ca_pem, bad);
  EXPECT_TRUE(
      Eventually([&] { return Metric(*nodes[1], "groupcache_tls_reloads_total{result=\"error\"}") >= 1; }));
  EXPECT_EQ(Metric(*nodes[1], "groupcache_tls_certificate_not_after_seconds"), NotAfter(rotated[1]));
  const int64_t at = loop.ok();
  EXPECT_TRUE(Eventually([&] { return loop.ok() >= at + 50 || loop.failed() > 0; }));
  loop.Stop();

  EXPECT_EQ(loop.failed(), 0) << "the first: " << loop.first_failure();
  for (int i = 0; i < 3; ++i) {
    const MetricsDoc metrics = MetricsOf(*nodes[i]);
    EXPECT_EQ(metrics.Get(GroupSeries("groupcache_peer_errors_total", "nums")), 0) << "node " << i;
    EXPECT_EQ(metrics.Sum("groupcache_peer_fetch_errors_total"), 0) << "node " << i;
    EXPECT_EQ(metrics.Sum("groupcache_tls_handshake_failures_total"), 0) << "node " << i;
  }
  const double peer_loads = PeerLoads(*nodes[0]) - loads_before_rotation;
  const std::string log1 = Read(nodes[1]->log());
  EXPECT_THAT(log1, HasSubstr("level=error msg=\"tls reload failed; the certificate in use stays\""));
  EXPECT_THAT(log1, HasSubstr("is not the key of the certificate"));
  EXPECT_THAT(Read(nodes[0]->log()), HasSubstr("msg=\"tls reloaded\" trigger=sighup"));
  EXPECT_THAT(Read(nodes[2]->log()), HasSubstr("msg=\"tls reloaded\" trigger=\"file change\""));
  std::string figures;
  for (auto t : times) figures += " " + std::to_string(t.count()) + "ms";
  std::printf(
      "rotation: %lld requests before it, %lld during it and after, %lld failed; %.0f peer fetches from "
      "node0 "
      "during it; slowest reload per step (file or SIGHUP to metric):%s; slowest SIGHUP: %lldms\n",
      static_cast<long long>(before_rotation), static_cast<long long>(loop.ok() - before_rotation),
      static_cast<long long>(loop.failed()), peer_loads, figures.c_str(),
      static_cast<long long>(sighup_time.count()));
}

TEST_F(GroupcachedTlsReloadTest, APeerFromAnUnknownCaIsLoggedOnceWithItsReasonAndCounted) {
  const NodeConfig config = SingleNodeConfig(StaticGroup("nums", {{"a", "1"}}));
  Server* node = StartNode("node0", config);
  ASSERT_NE(node, nullptr);
  TestPki stranger_ca(pki_dir_ / "stranger", "stranger-ca");
  Issued stranger = stranger_ca.Issue("stranger", "IP:127.0.0.1");
  for (int i = 0; i < 3; ++i) {
    TlsProbeResult result =
        ProbeTls(config.peer_port, {Pki().ca_file(), stranger.cert_file, stranger.key_file},
                 "GET /_groupcache/nums/a HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_FALSE(result.got_http_response()) << result.received;
  }
  const std::string series =
      "groupcache_tls_handshake_failures_total{listener=\"peer\",reason=\"unknown_ca\"}";
  EXPECT_TRUE(Eventually([&] { return Metric(*node, series) == 3; })) << Metric(*node, series);
  const std::string log = Read(node->log());
  const std::string line =
      "level=warn msg=\"peer listener refused a TLS handshake\" peer_address=127.0.0.1 "
      "reason=unknown_ca suppressed=0";
  EXPECT_THAT(log, HasSubstr(line));
  // Rate-limited: one line for the three, within 10 s.
  EXPECT_EQ(log.find("refused a TLS handshake"), log.rfind("refused a TLS handshake")) << log;
}

}  // namespace
}  // namespace groupcache::integration
