// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Micro-benchmark of an internal: ClockCache's add-and-evict cycle (formerly
// BM_LruAddEvict in bench/micro). Built beside the unit tests when
// GROUPCACHE_BUILD_BENCH is ON, as core_clock_cache_bench (bench/README.md).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/clock_cache.h"
#include "groupcache/byte_view.h"

namespace groupcache::internal {
namespace {

void BM_ClockCacheAddEvict(benchmark::State& state) {
  ClockCache cache(0);
  std::vector<std::string> keys;
  for (int i = 0; i < 100000; ++i) keys.push_back("key-" + std::to_string(i));
  const ByteView value = ByteView::CopyOf(std::string(100, 'v'));
  size_t i = 0;
  for (auto _ : state) {
    cache.Add(keys[i++ % keys.size()], value);
    if (cache.items() > 1000) cache.RemoveOldest();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClockCacheAddEvict);

}  // namespace
}  // namespace groupcache::internal

BENCHMARK_MAIN();
