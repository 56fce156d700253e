// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// groupcached clusters on 127.0.0.1 with mutual TLS: every key answered at
// every node and loaded once, the peer listener refusing clients without a
// valid certificate, a node whose certificate names another host refused at
// start, and keys
// and values that never reach a log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/hash_ring.h"
#include "groupcached_fixture.h"
#include "net.h"
#include "origin_server.h"
#include "process.h"
#include "text.h"
#include "tls_probe.h"

namespace groupcache::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class GroupcachedClusterTest : public GroupcachedTest {
 protected:
  // Starts one node per config ("node0", ...); fails the test if one does
  // not start.
  std::vector<Server*> StartCluster(const std::vector<NodeConfig>& configs) {
    std::vector<Server*> nodes;
    for (size_t i = 0; i < configs.size(); ++i) {
      Server* node = StartNode("node" + std::to_string(i), configs[i]);
      if (node == nullptr) return {};
      nodes.push_back(node);
    }
    return nodes;
  }

  // Expects GET <path> at `node` to answer 200 with `value`.
  void ExpectValue(const Server& node, const std::string& path, const std::string& value) {
    auto reply = HttpGet(node.port, path);
    ASSERT_TRUE(reply.ok()) << path << " at " << node.url << ": " << reply.status().message();
    EXPECT_EQ(reply->status, 200) << path << " at " << node.url << ": " << reply->body;
    EXPECT_EQ(reply->body, value) << path << " at " << node.url;
    EXPECT_EQ(reply->Header("Content-Type"), "application/octet-stream") << path;
    EXPECT_FALSE(reply->Header("ETag").empty()) << path;
  }

  // Expects GET <path> at `node` to answer `status`.
  void ExpectStatus(const Server& node, const std::string& path, int status) {
    auto reply = HttpGet(node.port, path);
    ASSERT_TRUE(reply.ok()) << path << " at " << node.url << ": " << reply.status().message();
    EXPECT_EQ(reply->status, status) << path << " at " << node.url << ": " << reply->body;
  }
};

std::vector<std::string> PeerUrls(const std::vector<NodeConfig>& configs) { return configs[0].peers; }

// The index of the node that owns `key`, as every node's ring computes it
// (the same peer list, in the same order, with the library's defaults).
int OwnerOf(const std::vector<std::string>& peers, std::string_view key) {
  HashRing ring;
  ring.Add(peers);
  return ring.GetIndex(key);
}

std::map<std::string, std::string> NumberedValues(int n) {
  std::map<std::string, std::string> values;
  for (int i = 0; i < n; ++i) {
    const std::string id = (i < 10 ? "0" : "") + std::to_string(i);
    values["key-" + id] = "value " + id + " of the static source";
  }
  return values;
}

void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::create_directories(path.parent_path());
  WriteFileWithMode(path, content, 0644);
}

TEST_F(GroupcachedClusterTest, EveryKeyIsAnsweredAtEveryNodeAndLoadedOnceClusterWide) {
  const std::map<std::string, std::string> colors = NumberedValues(12);
  std::string binary;
  for (int c = 0; c < 256; ++c) binary += static_cast<char>(c);
  const std::map<std::string, std::string> files = {
      {"a.txt", "alpha\n"},
      {"nested/dir/b.txt", "beta"},
      {"with space+plus.txt", "gamma"},
      {"binary.bin", binary},
  };
  const std::filesystem::path root = dir_ / "files";
  for (const auto& [name, content] : files) WriteFile(root / name, content);

  const std::vector<NodeConfig> configs =
      TlsClusterConfigs(3, StaticGroup("colors", colors) + FilesGroup("assets", root));
  std::vector<Server*> nodes = StartCluster(configs);
  ASSERT_EQ(nodes.size(), 3u);
  const std::vector<std::string> peers = PeerUrls(configs);

  // Each key once at every node, in node order: the owner's first arrival
  // loads it, and the two other arrivals there are cache hits.
  const std::map<std::string, const std::map<std::string, std::string>*> groups = {{"colors", &colors},
                                                                                   {"assets", &files}};
  for (const auto& [group, values] : groups) {
    for (const auto& [key, value] : *values) {
      for (Server* node : nodes) ExpectValue(*node, ValuePath(group, key), value);
    }
  }

  for (const auto& [group, values] : groups) {
    const int keys = static_cast<int>(values->size());
    std::vector<int> owned(3, 0);
    for (const auto& [key, value] : *values) ++owned[OwnerOf(peers, key)];
    double loads_cluster_wide = 0;
    double local_loads_cluster_wide = 0;
    for (int i = 0; i < 3; ++i) {
      SCOPED_TRACE("group " + group + " at node" + std::to_string(i) + " (" + peers[i] + ")");
      const MetricsDoc m = MetricsOf(*nodes[i]);
      EXPECT_EQ(m.Get(GroupSeries("groupcache_local_loads_total", group)), owned[i]);
      EXPECT_EQ(m.Get(GroupSeries("groupcache_local_load_errs_total", group)), 0);
      EXPECT_EQ(m.Get(GroupSeries("groupcache_peer_loads_total", group)), keys - owned[i]);
      EXPECT_EQ(m.Get(GroupSeries("groupcache_peer_errors_total", group)), 0);
      EXPECT_EQ(m.Get(GroupSeries("groupcache_server_requests_total", group)), 2 * owned[i]);
      EXPECT_EQ(m.Get(GroupSeries("groupcache_cache_hits_total", group)), 2 * owned[i]);
      EXPECT_EQ(m.Get(GroupSeries("groupcache_gets_total", group)), keys + 2 * owned[i]);
      // A histogram series exists once observed: none for a node owning no key.
      EXPECT_EQ(m.Sum("groupcache_source_load_duration_seconds_count", {"group=\"" + group + "\""}),
                owned[i]);
      EXPECT_EQ(m.Sum("groupcache_peer_fetch_errors_total"), 0);
      loads_cluster_wide += m.Get(GroupSeries("groupcache_loads_total", group));
      local_loads_cluster_wide += m.Get(GroupSeries("groupcache_local_loads_total", group));
    }
    EXPECT_EQ(local_loads_cluster_wide, keys) << group << ": every key loaded exactly once in the cluster";
    EXPECT_EQ(loads_cluster_wide, 3 * keys) << group << ": one cache miss per key at each node";
  }
}

TEST_F(GroupcachedClusterTest, PeerPortRefusesClientsWithoutAValidCertificateAndPlainHttp) {
  const NodeConfig config = SingleNodeConfig(StaticGroup("colors", {{"red", "#FF0000"}}));
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);
  const std::string request =
      "GET /_groupcache/colors/red HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  const NodeTlsFiles client = IssueNode("client");
  groupcache::testing::TestPki other_ca(dir_ / "other-pki", "other-ca");
  const groupcache::testing::Issued intruder = other_ca.Issue("intruder", "IP:127.0.0.1");

  // No client certificate: the handshake may complete on the client's side
  // (TLS 1.3), but the server refuses before reading any request.
  TlsProbeResult no_cert = ProbeTls(config.peer_port, {client.ca, "", ""}, request);
  EXPECT_FALSE(no_cert.got_http_response()) << "received: " << no_cert.received;
  EXPECT_EQ(no_cert.received, "");

  // A certificate from another CA, for the right IP.
  TlsProbeResult foreign =
      ProbeTls(config.peer_port, {client.ca, intruder.cert_file, intruder.key_file}, request);
  EXPECT_FALSE(foreign.got_http_response()) << "received: " << foreign.received;
  EXPECT_EQ(foreign.received, "");

  // Plain HTTP to the TLS port.
  const std::string plain = ExchangePlain(config.peer_port, request);
  EXPECT_FALSE(plain.starts_with("HTTP/")) << "received: " << plain;
  EXPECT_THAT(plain, Not(HasSubstr("#FF0000")));

  EXPECT_EQ(MetricsOf(*node).Get(GroupSeries("groupcache_server_requests_total", "colors")), 0)
      << "a refused client's request was read";

  // The control: the same request with a certificate from the cluster's CA
  // is answered, so the refusals above are the certificates' doing.
  TlsProbeResult good = ProbeTls(config.peer_port, {client.ca, client.cert, client.key}, request);
  EXPECT_TRUE(good.handshake_ok) << good.error;
  EXPECT_TRUE(good.received.starts_with("HTTP/1.1 200"))
      << "received: " << good.received << " error: " << good.error;
  EXPECT_THAT(good.received, HasSubstr("#FF0000"));
  EXPECT_EQ(MetricsOf(*node).Get(GroupSeries("groupcache_server_requests_total", "colors")), 1);
}

TEST_F(GroupcachedClusterTest, NodeWhoseCertificateNamesAnotherHostIsRefusedAtStart) {
  // node2's certificate comes from the cluster's CA but names wrong.example,
  // not the 127.0.0.1 of its peer URL: every peer would refuse it as a
  // server (src/http/tls_test.cc checks the client side), so it is refused
  // before it joins, naming the certificate and the host, instead of
  // starting to serve while its peers fail over to loading locally.
  std::vector<NodeConfig> configs = TlsClusterConfigs(3, StaticGroup("colors", {{"k", "v"}}));
  configs[2].tls = IssueNode("wrong-name", "DNS:wrong.example");
  const std::filesystem::path path = WriteConfig("node2", configs[2]);
  auto run = RunToCompletion(GroupcachedBinary(), {"--config", path.string()}, dir_, "node2");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 1) << run->err;
  EXPECT_THAT(run->err, HasSubstr("tls.cert: certificate " + configs[2].tls->cert));
  EXPECT_THAT(run->err, HasSubstr("does not name 127.0.0.1, the host of node.self"));
  EXPECT_THAT(run->err, Not(HasSubstr("listening")));
}

// Every byte as %XX, in upper or lower case hex.
std::string FullyPercentEncoded(std::string_view s, bool upper) {
  static constexpr char kUpper[] = "0123456789ABCDEF";
  static constexpr char kLower[] = "0123456789abcdef";
  const char* hex = upper ? kUpper : kLower;
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 0xF];
  }
  return out;
}

TEST_F(GroupcachedClusterTest, DistinctiveKeysAndValuesNeverReachAnyLog) {
  const std::string kKey = "secret-key-7f3a9";
  const std::string kValue = "secret-value-c41d";
  const std::string kMissingKey = "secret-miss-2b8e";
  OriginServer origin([&](std::string_view target) {
    return target == "/objects/" + kKey ? OriginReply::Status(200, kValue) : OriginReply::Status(500, "boom");
  });
  const std::filesystem::path root = dir_ / "files";
  WriteFile(root / kKey, kValue);

  const std::string groups = StaticGroup("secrets", {{kKey, kValue}, {"other", "x"}}) +
                             FilesGroup("assets", root) +
                             HttpGroup("origin", origin.url() + "/objects/{key}", "5s");
  std::vector<NodeConfig> configs = TlsClusterConfigs(3, groups);
  for (int i = 0; i < 3; ++i) {
    configs[i].log_level = "debug";
    configs[i].log_file = (logs_dir_ / ("node" + std::to_string(i) + ".log")).string();
  }
  configs[2].log_format = "json";
  std::vector<Server*> nodes = StartCluster(configs);
  ASSERT_EQ(nodes.size(), 3u);

  for (Server* node : nodes) {
    ExpectValue(*node, ValuePath("secrets", kKey), kValue);
    ExpectStatus(*node, ValuePath("secrets", kMissingKey), 404);
    ExpectValue(*node, ValuePath("assets", kKey), kValue);
    ExpectStatus(*node, ValuePath("assets", kMissingKey), 404);
    ExpectStatus(*node, "/groups/assets/../" + kKey, 400);  // logged: key refused by source
    ExpectValue(*node, ValuePath("origin", kKey), kValue);
    ExpectStatus(*node, ValuePath("origin", kMissingKey), 502);  // logged: source failed
  }
  for (Server* node : nodes) {
    std::optional<int> status = node->process->Stop();
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << node->process->name() << ": " << *status;
  }

  std::vector<std::filesystem::path> outputs;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".err" || ext == ".out")) outputs.push_back(entry.path());
  }
  for (int i = 0; i < 3; ++i) {
    const std::filesystem::path log = configs[i].log_file;
    struct stat st;
    ASSERT_EQ(stat(log.c_str(), &st), 0) << log << " was not created";
    EXPECT_EQ(st.st_mode & 0777, 0600u) << log;
    const std::string text = ReadFile(log);
    // Not vacuous: the lines about these keys were written, with key hashes.
    EXPECT_THAT(text, HasSubstr("key not found")) << log;
    EXPECT_THAT(text, HasSubstr("key refused by source")) << log;
    EXPECT_THAT(text, HasSubstr("source failed")) << log;
    EXPECT_THAT(text, HasSubstr("k:")) << log;
    outputs.push_back(log);
  }
  const std::vector<std::string> secrets = {kKey, kValue, kMissingKey};
  for (const std::filesystem::path& file : outputs) {
    const std::string text = ReadFile(file);
    for (const std::string& secret : secrets) {
      for (const std::string& form : {secret, PercentEncode(secret), FullyPercentEncoded(secret, true),
                                      FullyPercentEncoded(secret, false)}) {
        EXPECT_THAT(text, Not(HasSubstr(form))) << file << " reveals " << form;
      }
    }
  }
}

// SIGTERM while fetches are stuck on a frozen (SIGSTOP) peer: the node
// cancels them, answers its clients, and exits 0. Before the fix the pending
// fetches were destroyed after the groups they call back into (a
// use-after-free under AddressSanitizer, which runs this test too).
TEST_F(GroupcachedClusterTest, SigtermWithFetchesPendingOnAFrozenPeerExitsCleanly) {
  const std::map<std::string, std::string> values = NumberedValues(24);
  std::vector<NodeConfig> configs = TlsClusterConfigs(2, StaticGroup("g", values));
  // The TLS handshake with the frozen peer is part of connecting: with the
  // default connect_timeout (1 s) the fetches would fail over to local loads
  // before the test saw them pending.
  for (NodeConfig& config : configs) {
    config.limits_toml = "request_timeout = \"60s\"\nconnect_timeout = \"60s\"\n";
  }
  std::vector<Server*> nodes = StartCluster(configs);
  ASSERT_EQ(nodes.size(), 2u);
  std::vector<std::string> frozen_keys;
  for (const auto& [key, value] : values) {
    if (OwnerOf(PeerUrls(configs), key) == 1 && frozen_keys.size() < 4) frozen_keys.push_back(key);
  }
  ASSERT_EQ(frozen_keys.size(), 4u);
  ASSERT_EQ(::kill(nodes[1]->process->pid(), SIGSTOP), 0);
  std::vector<std::future<Result<HttpReply>>> replies;
  for (const std::string& key : frozen_keys) {
    replies.push_back(std::async(std::launch::async, [&nodes, key] {
      return HttpGet(nodes[0]->port, ValuePath("g", key), std::chrono::seconds(60));
    }));
  }
  // Each fetch holds a connection to the frozen peer (its kernel accepted
  // it; its TLS handshake waits). There is no event to wait on: poll.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (EstablishedConnectionsTo(configs[1].peer_port) < 4 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(EstablishedConnectionsTo(configs[1].peer_port), 4) << "the fetches never reached the frozen peer";
  const std::optional<int> status = nodes[0]->process->Stop(std::chrono::seconds(30));
  ::kill(nodes[1]->process->pid(), SIGCONT);
  ASSERT_TRUE(status.has_value());
  const std::string err = ReadFile(nodes[0]->process->stderr_path());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "wait status " << *status << "; stderr:\n"
                                                               << err;
  EXPECT_THAT(err, Not(HasSubstr("AddressSanitizer")));
  EXPECT_THAT(err, Not(HasSubstr("runtime error")));  // UndefinedBehaviorSanitizer
  for (auto& reply : replies) reply.wait();
}

}  // namespace
}  // namespace groupcache::integration
