// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "cluster.h"

#include <stdlib.h>

#include <chrono>
#include <stdexcept>

#include "net.h"

namespace groupcache::integration {

Result<Server> StartServer(const std::string& binary, const std::vector<std::string>& args,
                           const std::filesystem::path& dir, const std::string& name, uint16_t port) {
  auto child = ChildProcess::Start(binary, args, dir, name);
  if (!child.ok()) return child.status();
  Server server;
  server.port = port;
  server.url = LocalUrl(port);
  server.process = std::move(child).value();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!WaitForPort(port, std::chrono::milliseconds(200))) {
    if (!server.process->running() || std::chrono::steady_clock::now() >= deadline) {
      server.process->Stop();
      std::string err = ReadFile(server.process->stderr_path());
      if (err.size() > 2000) err = err.substr(err.size() - 2000);
      return Status::Unavailable(name + " (" + binary + ") did not start listening on port " +
                                 std::to_string(port) + "; stderr:\n" + err);
    }
  }
  return server;
}

std::string PoolArg(const std::vector<std::string>& urls, size_t self) {
  std::string pool = urls[self];
  for (size_t i = 0; i < urls.size(); ++i) {
    if (i != self) pool += "," + urls[i];
  }
  return pool;
}

std::filesystem::path MakeTempDir(const std::string& prefix) {
  const char* tmp = getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/gc-integ-" + prefix + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

}  // namespace groupcache::integration
