// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A GoogleTest fixture base for tests that start servers.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_CLUSTER_TEST_BASE_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_CLUSTER_TEST_BASE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "cluster.h"
#include "text.h"

namespace groupcache::integration {

// ClusterTestBase gives each test a temporary directory for logs and stops
// every server the test started before the test ends. The directory is
// removed after a passing test and kept (its path printed) after a failure,
// or always when the environment variable GC_INTEG_KEEP_LOGS is set.
class ClusterTestBase : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts a server (see StartServer) and keeps it in servers_. On error the
  // test fails and nullptr is returned. The pointer stays valid for the test.
  Server* Start(const std::string& binary, const std::vector<std::string>& args, const std::string& name,
                uint16_t port);

  // GET /stats at `server`, parsed; an empty KvStats (and a test failure)
  // if that fails.
  KvStats StatsOf(const Server& server);
  // One number of "Stats", or -1 (and a test failure) if unavailable.
  int64_t Stat(const Server& server, const std::string& name) { return StatsOf(server).Stat(name); }

  std::filesystem::path dir_;
  std::deque<Server> servers_;  // a deque, so pointers from Start stay valid
};

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_CLUSTER_TEST_BASE_H_
