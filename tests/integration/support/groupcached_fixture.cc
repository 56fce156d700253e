// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcached_fixture.h"

#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "net.h"
#include "text.h"

#ifndef GC_GROUPCACHED_BIN
#error "GC_GROUPCACHED_BIN must name the groupcached binary"
#endif

namespace groupcache::integration {

const std::string& GroupcachedBinary() {
  static const std::string binary = GC_GROUPCACHED_BIN;
  return binary;
}

std::string ValuePath(std::string_view group, std::string_view key) {
  return "/groups/" + std::string(group) + "/" + PercentEncode(key);
}

void GroupcachedTest::SetUp() {
  ClusterTestBase::SetUp();
  conf_dir_ = dir_ / "conf";
  pki_dir_ = dir_ / "pki";
  logs_dir_ = dir_ / "logs";
  for (const auto& d : {conf_dir_, pki_dir_, logs_dir_}) {
    std::filesystem::create_directories(d);
    // groupcached refuses files in directories others may write to.
    std::filesystem::permissions(d, std::filesystem::perms(0755));
  }
}

groupcache::testing::TestPki& GroupcachedTest::Pki() {
  if (!pki_) pki_ = std::make_unique<groupcache::testing::TestPki>(pki_dir_, "test-ca");
  return *pki_;
}

NodeTlsFiles GroupcachedTest::IssueNode(const std::string& name, const std::string& san) {
  groupcache::testing::Issued issued = Pki().Issue(name, san);
  chmod(issued.key_file.c_str(), 0600);
  return NodeTlsFiles{Pki().ca_file(), issued.cert_file, issued.key_file};
}

std::filesystem::path GroupcachedTest::WriteConfig(const std::string& name, const NodeConfig& config,
                                                   mode_t mode) {
  std::filesystem::path path = conf_dir_ / (name + ".toml");
  WriteFileWithMode(path, ConfigToml(config), mode);
  return path;
}

Server* GroupcachedTest::StartNode(const std::string& name, const NodeConfig& config) {
  const std::filesystem::path path = WriteConfig(name, config);
  return Start(GroupcachedBinary(), {"--config", path.string()}, name, config.api_port);
}

std::vector<NodeConfig> GroupcachedTest::TlsClusterConfigs(int n, const std::string& groups_toml) {
  const std::vector<uint16_t> ports = PickFreePorts(2 * n);
  std::vector<std::string> peers;
  for (int i = 0; i < n; ++i) peers.push_back("https://127.0.0.1:" + std::to_string(ports[2 * i + 1]));
  std::vector<NodeConfig> configs;
  for (int i = 0; i < n; ++i) {
    NodeConfig config;
    config.api_port = ports[2 * i];
    config.peer_port = ports[2 * i + 1];
    config.self = peers[i];
    config.peers = peers;
    config.tls = IssueNode("node" + std::to_string(i));
    config.groups_toml = groups_toml;
    configs.push_back(std::move(config));
  }
  return configs;
}

NodeConfig GroupcachedTest::SingleNodeConfig(const std::string& groups_toml) {
  return TlsClusterConfigs(1, groups_toml)[0];
}

MetricsDoc GroupcachedTest::MetricsOf(const Server& server) {
  auto reply = HttpGet(server.port, "/metrics");
  if (!reply.ok() || reply->status != 200) {
    ADD_FAILURE() << "GET /metrics at " << server.url << " failed: "
                  << (reply.ok() ? "status " + std::to_string(reply->status) : reply.status().message());
    return MetricsDoc::Parse("");
  }
  return MetricsDoc::Parse(reply->body);
}

std::pair<int, std::string> GroupcachedTest::GetValue(const Server& server, const std::string& group,
                                                      const std::string& key) {
  auto reply = HttpGet(server.port, ValuePath(group, key));
  if (!reply.ok()) return {0, reply.status().message()};
  return {reply->status, reply->body};
}

bool GroupcachedTest::EventuallyAnswers(const Server& server, const std::string& group,
                                        const std::string& key, const std::string& want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto [status, body] = GetValue(server, group, key);
    if (status == 200 && body == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace groupcache::integration
