// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Micro-benchmarks of the public API: the in-process hit path, a miss, the
// ring and key escaping. Built against include/ only, like any user of the
// library. The benchmarks of internals live beside their code and are built
// with the unit tests: src/core/clock_cache_bench.cc, src/http/wire_bench.cc
// (bench/README.md).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "groupcache/groupcache.h"

namespace groupcache {
namespace {

std::vector<std::string> Keys(int n) {
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i) keys.push_back("key-" + std::to_string(i));
  return keys;
}

std::shared_ptr<Getter> ValueGetter() {
  return MakeGetter([](std::string_view key, Sink& dest) {
    dest.SetString(std::string(100, key.empty() ? ':' : key[0]));
    return Status::Ok();
  });
}

// One registry for the whole run, so the threads of a multi-threaded run
// share one group.
Group* HitGroup() {
  static GroupRegistry* registry = new GroupRegistry();
  static Group* group = [] {
    Group* g = registry->NewGroup("hits", 64 << 20, ValueGetter()).value();
    for (const std::string& key : Keys(1000)) (void)g->Get(key);
    return g;
  }();
  return group;
}

void BM_GroupGetHit(benchmark::State& state) {
  Group* group = HitGroup();
  const std::vector<std::string> keys = Keys(1000);
  size_t i = static_cast<size_t>(state.thread_index()) * 500;
  for (auto _ : state) {
    group->GetAsync(keys[i++ % keys.size()], [](Result<ByteView> r) { benchmark::DoNotOptimize(r.ok()); });
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GroupGetHit)->Threads(1)->Threads(2)->UseRealTime();

// The same, but each thread reads its own share of the keys (as when each
// core serves different requests): no value buffer is shared between the
// threads, so what remains shared is only the cache's own structure.
void BM_GroupGetHitOwnKeys(benchmark::State& state) {
  Group* group = HitGroup();
  const std::vector<std::string> keys = Keys(1000);
  const size_t threads = static_cast<size_t>(state.threads());
  size_t i = static_cast<size_t>(state.thread_index());
  for (auto _ : state) {
    group->GetAsync(keys[i % keys.size()], [](Result<ByteView> r) { benchmark::DoNotOptimize(r.ok()); });
    i += threads;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GroupGetHitOwnKeys)->Threads(1)->Threads(2)->UseRealTime();

void BM_GroupGetMissTrivialGetter(benchmark::State& state) {
  GroupRegistry registry;
  Group* group = registry.NewGroup("miss", 0, ValueGetter()).value();
  for (auto _ : state) {
    Result<ByteView> r = group->Get("key-1");
    benchmark::DoNotOptimize(r.ok());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GroupGetMissTrivialGetter);

void BM_RingLookup(benchmark::State& state) {
  std::vector<std::string> peers;
  for (int i = 0; i < state.range(0); ++i) peers.push_back("http://10.0.0." + std::to_string(i) + ":8080");
  HashRing ring;
  ring.Add(peers);
  const std::vector<std::string> keys = Keys(1000);
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(ring.GetIndex(keys[i++ % keys.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RingLookup)->Arg(3)->Arg(100);

void BM_Escape(benchmark::State& state) {
  const std::string key = "user/1234 profile+avatar.png";
  for (auto _ : state) benchmark::DoNotOptimize(QueryEscape(key));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Escape);

}  // namespace
}  // namespace groupcache

BENCHMARK_MAIN();
