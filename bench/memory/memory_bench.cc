// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// How much memory a full cache really takes: fills one group's budget with
// values of a fixed size, keeps loading new keys so entries are evicted and
// replaced, and prints the process's RSS against the budget.
//
//   memory_bench [budget_mib=1024] [value_bytes=1024] [passes=2]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "groupcache/groupcache.h"

namespace {

long StatusKiB(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) return std::atol(line.c_str() + prefix.size());
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  const long budget_mib = argc > 1 ? std::atol(argv[1]) : 1024;
  const size_t value_bytes = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1024;
  const int passes = argc > 3 ? std::atoi(argv[3]) : 2;
  const int64_t budget = int64_t{budget_mib} << 20;

  groupcache::GroupRegistry registry;
  auto getter = groupcache::MakeGetter([value_bytes](std::string_view key, groupcache::Sink& dest) {
    dest.SetView(groupcache::ByteView::Build(value_bytes, [&](char* out) {
      for (size_t i = 0; i < value_bytes; ++i) out[i] = key[i % key.size()];
    }));
    return groupcache::Status::Ok();
  });
  groupcache::Group* group = registry.NewGroup("memory", budget, getter).value();

  const long baseline_kib = StatusKiB("VmRSS");
  // Enough distinct keys to fill the budget `passes` times over.
  const int64_t keys = passes * budget / static_cast<int64_t>(value_bytes) + 1;
  for (int64_t i = 0; i < keys; ++i) {
    if (!group->Get("key-" + std::to_string(i)).ok()) return 1;
  }
  const groupcache::CacheStats main = group->cache_stats(groupcache::CacheType::kMain);
  const long rss_kib = StatusKiB("VmRSS");
  const long hwm_kib = StatusKiB("VmHWM");
  std::printf("budget            %ld MiB\n", budget_mib);
  std::printf("value size        %zu bytes\n", value_bytes);
  std::printf("keys loaded       %lld\n", static_cast<long long>(keys));
  std::printf("items cached      %lld (evictions %lld)\n", static_cast<long long>(main.items),
              static_cast<long long>(main.evictions));
  std::printf("bytes charged     %.1f MiB (entry overhead %lld bytes)\n", main.bytes / 1048576.0,
              static_cast<long long>(groupcache::kDefaultEntryOverhead));
  std::printf("RSS baseline      %.1f MiB\n", baseline_kib / 1024.0);
  std::printf("RSS now / peak    %.1f / %.1f MiB\n", rss_kib / 1024.0, hwm_kib / 1024.0);
  std::printf("peak RSS / budget %.3f\n", hwm_kib / 1024.0 / static_cast<double>(budget_mib));
  return 0;
}
