// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A consumer of groupcache::core alone (no HTTP, no Boost, no OpenSSL),
// written against the public headers only: a group with a getter, asked for
// one key twice. Prints
//   OK red=#FF0000 loads=1 cache_hits=1
// and exits 0, or names what went wrong and exits 1.
#include <atomic>
#include <cstdio>

#include "groupcache/byte_view.h"
#include "groupcache/getter.h"
#include "groupcache/group.h"
#include "groupcache/registry.h"
#include "groupcache/status.h"

int main() {
  std::atomic<int> loads{0};
  groupcache::GroupRegistry registry;
  auto colors = registry.NewGroup(
      "colors", 1 << 20, groupcache::MakeGetter([&loads](std::string_view key, groupcache::Sink& dest) {
        ++loads;
        if (key != "red") return groupcache::Status::NotFound("no color " + std::string(key));
        dest.SetString("#FF0000");
        return groupcache::Status::Ok();
      }));
  if (!colors.ok()) {
    std::fprintf(stderr, "core_only: %s\n", colors.status().ToString().c_str());
    return 1;
  }
  groupcache::Result<groupcache::ByteView> first = (*colors)->Get("red");
  groupcache::Result<groupcache::ByteView> second = (*colors)->Get("red");
  if (!first.ok() || !second.ok() || !(*first == *second)) {
    std::fprintf(stderr, "core_only: Get red: %s / %s\n", first.status().ToString().c_str(),
                 second.status().ToString().c_str());
    return 1;
  }
  std::printf("OK red=%s loads=%d cache_hits=%lld\n", first->ToString().c_str(), loads.load(),
              static_cast<long long>((*colors)->stats().cache_hits));
  return 0;
}
