// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_CPU_SLOT_H_
#define GROUPCACHE_SRC_CPU_SLOT_H_

#include <sched.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <thread>

namespace groupcache::internal {

// Per-CPU slots spread data written on every cache hit (a lock word,
// counters) over cache lines, one per CPU, so that hits on different cores
// never write the same line. Slots are chosen by the CPU a thread runs on,
// not by thread: threads on different CPUs then never share a slot, however
// many threads there are.

// A power of two at least the number of CPUs (at most 256).
inline size_t CpuSlotCount() {
  const size_t cpus = std::max<size_t>(1, std::thread::hardware_concurrency());
  return std::bit_ceil(std::min<size_t>(cpus, 256));
}

// The slot for the calling thread's current CPU, for a slot count of
// mask + 1. glibc answers sched_getcpu from the rseq area, without a system
// call. A thread that moves to another CPU meanwhile still uses a valid
// slot; its writes may just share a line for a moment.
inline size_t CurrentCpuSlot(size_t mask) {
  const int cpu = sched_getcpu();
  return static_cast<size_t>(cpu < 0 ? 0 : cpu) & mask;
}

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_CPU_SLOT_H_
