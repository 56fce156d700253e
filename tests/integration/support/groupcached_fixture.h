// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A GoogleTest fixture for tests that run groupcached: certificates, config
// files and nodes, all inside the test's temporary directory.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_GROUPCACHED_FIXTURE_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_GROUPCACHED_FIXTURE_H_

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cluster_test_base.h"
#include "groupcached_config.h"
#include "test_certs.h"

namespace groupcache::integration {

// GroupcachedTest lays out the test directory as
//   <dir>/conf   config files            <dir>/pki    CA and node certificates
//   <dir>/logs   log files (log.file)    <dir>/*.out, *.err  each process's output
// so that a test can scan everything the servers wrote without meeting the
// configs (which hold the static values).
class GroupcachedTest : public ClusterTestBase {
 protected:
  void SetUp() override;

  // The test's CA, made on first use.
  groupcache::testing::TestPki& Pki();
  // A certificate and key from the test's CA for `san` (default: the
  // loopback IP every node's peer URL uses); the key file gets mode 0600.
  NodeTlsFiles IssueNode(const std::string& name, const std::string& san = "IP:127.0.0.1");

  // Writes `config` to <dir>/conf/<name>.toml with `mode`; returns the path.
  std::filesystem::path WriteConfig(const std::string& name, const NodeConfig& config, mode_t mode = 0644);
  // Writes the config and starts groupcached with it, waiting for its API
  // port. On failure the test fails and nullptr is returned.
  Server* StartNode(const std::string& name, const NodeConfig& config);

  // Configs for `n` mutual-TLS nodes on fresh ports, each with its own
  // certificate, the same peer list, and `groups_toml`.
  std::vector<NodeConfig> TlsClusterConfigs(int n, const std::string& groups_toml);
  // The config of one TLS node that is its own only peer.
  NodeConfig SingleNodeConfig(const std::string& groups_toml);

  // GET /metrics at `server`, parsed (a test failure if unavailable).
  MetricsDoc MetricsOf(const Server& server);
  // The status and body of GET /groups/<group>/<key> at `server`; status 0
  // and the error when no answer came.
  std::pair<int, std::string> GetValue(const Server& server, const std::string& group,
                                       const std::string& key);
  // Asks `server` for the value until it answers 200 with `want`, for up to
  // 20 s; true if it did.
  bool EventuallyAnswers(const Server& server, const std::string& group, const std::string& key,
                         const std::string& want);

  std::filesystem::path conf_dir_;
  std::filesystem::path pki_dir_;
  std::filesystem::path logs_dir_;

 private:
  std::unique_ptr<groupcache::testing::TestPki> pki_;
};

// The groupcached binary under test.
const std::string& GroupcachedBinary();

// "/groups/<group>/<key percent-encoded>".
std::string ValuePath(std::string_view group, std::string_view key);

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_GROUPCACHED_FIXTURE_H_
