// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_HTTP_ROUTER_H_
#define GROUPCACHE_SRC_HTTP_ROUTER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "groupcache/http_server.h"

namespace groupcache::internal {

// The server's handlers by path: a pattern ending in '/' matches every path
// below it, other patterns match exactly, and the longest pattern wins.
// Thread-safety: Add before the server starts; Find from any thread after.
class Router {
 public:
  void Add(std::string pattern, HttpHandler handler);
  // The handler for `path` (still percent-encoded), or null.
  const HttpHandler* Find(std::string_view path) const;

 private:
  std::vector<std::pair<std::string, HttpHandler>> routes_;  // longest pattern first
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_ROUTER_H_
