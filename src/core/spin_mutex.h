// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_CORE_SPIN_MUTEX_H_
#define GROUPCACHE_SRC_CORE_SPIN_MUTEX_H_

#include <atomic>
#include <thread>

#include "core/thread_annotations.h"

namespace groupcache::internal {

// A SpinMutex is one reader slot of a cache shard (see CacheShard). It is
// held for a hash lookup (tens of nanoseconds) or, by a writer holding every
// slot, for one add and its evictions (a few microseconds at most). Measured
// here, a std::mutex that two threads collide on puts the loser to sleep in
// futex(2), which on this virtual machine cost more than the whole hit path.
// This lock spins briefly and then yields, and never sleeps in the kernel.
// Satisfies Lockable; not recursive. Known to the thread-safety analysis as a
// lock (thread_annotations.h).
class CAPABILITY("mutex") SpinMutex {
 public:
  void lock() ACQUIRE() {
    for (int spins = 0;; ++spins) {
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      while (locked_.load(std::memory_order_relaxed)) {
        if (spins++ < 64) {
#if defined(__x86_64__) || defined(__i386__)
          __builtin_ia32_pause();
#endif
        } else {
          std::this_thread::yield();  // the holder may have been preempted
        }
      }
    }
  }
  bool try_lock() TRY_ACQUIRE(true) {
    return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() RELEASE() { locked_.store(false, std::memory_order_release); }
  // Tells the analysis that the caller holds this lock, where it cannot see
  // it (no run-time check).
  void AssertHeld() const ASSERT_CAPABILITY(this) {}

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_CORE_SPIN_MUTEX_H_
