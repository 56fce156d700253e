// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "cluster_test_base.h"

#include <cstdlib>
#include <iostream>
#include <system_error>

#include "net.h"

namespace groupcache::integration {

void ClusterTestBase::SetUp() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  dir_ = MakeTempDir(std::string(info->test_suite_name()) + "." + info->name());
}

void ClusterTestBase::TearDown() {
  for (auto& server : servers_) {
    if (server.process) server.process->Stop();
  }
  if (HasFailure() || getenv("GC_INTEG_KEEP_LOGS") != nullptr) {
    std::cerr << "logs kept in " << dir_.string() << "\n";
  } else {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Server* ClusterTestBase::Start(const std::string& binary, const std::vector<std::string>& args,
                               const std::string& name, uint16_t port) {
  auto server = StartServer(binary, args, dir_, name, port);
  if (!server.ok()) {
    ADD_FAILURE() << server.status().message();
    return nullptr;
  }
  servers_.push_back(std::move(server).value());
  return &servers_.back();
}

KvStats ClusterTestBase::StatsOf(const Server& server) {
  auto reply = HttpGet(server.port, "/stats");
  if (!reply.ok() || reply->status != 200) {
    ADD_FAILURE() << "GET /stats at " << server.url << " failed: "
                  << (reply.ok() ? "status " + std::to_string(reply->status) : reply.status().message());
    return {};
  }
  auto stats = ParseKvStats(reply->body);
  if (!stats) {
    ADD_FAILURE() << "unparsable /stats at " << server.url << ": " << reply->body;
    return {};
  }
  return *stats;
}

}  // namespace groupcache::integration
