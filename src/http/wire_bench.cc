// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Micro-benchmarks of an internal: encoding and decoding the protobuf
// GetResponse of the peer protocol (formerly in bench/micro). Built beside the
// unit tests when GROUPCACHE_BUILD_BENCH is ON, as http_wire_bench
// (bench/README.md).
#include <benchmark/benchmark.h>

#include <string>

#include "groupcache/byte_view.h"
#include "http/wire.h"

namespace groupcache::internal {
namespace {

void BM_ResponseEncode(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(EncodeGetResponsePrefix(state.range(0)));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResponseEncode)->Arg(100)->Arg(1 << 20);

void BM_ResponseDecode(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const ByteView body = ByteView::CopyOf(EncodeGetResponsePrefix(size) + std::string(size, 'v'));
  for (auto _ : state) benchmark::DoNotOptimize(DecodeGetResponse(body).ok());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResponseDecode)->Arg(100)->Arg(1 << 20);

}  // namespace
}  // namespace groupcache::internal

BENCHMARK_MAIN();
