// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_CORE_CPU_SLOT_H_
#define GROUPCACHE_SRC_CORE_CPU_SLOT_H_

#include <sched.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <memory>
#include <thread>

namespace groupcache::internal {

// A PerCpu<T> holds one T per CPU, for data written on every cache hit (a
// lock word, counters): hits on different cores then never write the same
// cache line. Slots are chosen by the CPU a thread runs on, not by thread, so
// threads on different CPUs never share a slot however many threads there
// are. T must be cache-line aligned (alignas(64)).
template <typename T>
class PerCpu {
 public:
  static_assert(alignof(T) >= 64, "each slot needs a cache line of its own");

  // A power of two at least the number of CPUs (at most 256).
  PerCpu()
      : mask_(std::bit_ceil(std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 256)) - 1),
        slots_(std::make_unique<T[]>(mask_ + 1)) {}

  // The calling thread's current CPU's slot. glibc answers sched_getcpu from
  // the rseq area, without a system call. A thread that moves to another CPU
  // meanwhile still uses a valid slot; its writes may just share a line for
  // a moment.
  T& Local() const {
    const int cpu = sched_getcpu();
    return slots_[static_cast<size_t>(cpu < 0 ? 0 : cpu) & mask_];
  }

  size_t size() const { return mask_ + 1; }
  T& operator[](size_t i) const { return slots_[i]; }

 private:
  const size_t mask_;
  const std::unique_ptr<T[]> slots_;
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_CORE_CPU_SLOT_H_
