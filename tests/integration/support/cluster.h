// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Starting the programs under test and keeping their logs.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_CLUSTER_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_CLUSTER_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "groupcache/status.h"
#include "process.h"

namespace groupcache::integration {

// A Server is one program under test listening on 127.0.0.1:port.
struct Server {
  uint16_t port = 0;
  std::string url;  // "http://127.0.0.1:<port>", as it appears in -pool lists
  std::unique_ptr<ChildProcess> process;

  const std::filesystem::path& log() const { return process->stderr_path(); }
};

// Starts `binary` with `args` (which must make it listen on `port`) and waits
// up to 10 s for the port to accept connections. Errors: Unavailable if the
// program cannot start, exits, or never listens; the message then includes
// the end of its stderr.
Result<Server> StartServer(const std::string& binary, const std::vector<std::string>& args,
                           const std::filesystem::path& dir, const std::string& name, uint16_t port);

// The -pool argument for the node at `self`: that node's URL first (Go's
// convention: the first entry is self), then the others in order.
std::string PoolArg(const std::vector<std::string>& urls, size_t self);

// A fresh directory for one test's logs, under $TMPDIR (or /tmp).
std::filesystem::path MakeTempDir(const std::string& prefix);

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_CLUSTER_H_
