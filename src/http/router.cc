// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/router.h"

#include <algorithm>

namespace groupcache::internal {

void Router::Add(std::string pattern, HttpHandler handler) {
  routes_.emplace_back(std::move(pattern), std::move(handler));
  std::stable_sort(routes_.begin(), routes_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

const HttpHandler* Router::Find(std::string_view path) const {
  for (const auto& [pattern, handler] : routes_) {
    if (path == pattern || (!pattern.empty() && pattern.back() == '/' && path.starts_with(pattern))) {
      return &handler;
    }
  }
  return nullptr;
}

}  // namespace groupcache::internal
