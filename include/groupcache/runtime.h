// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_RUNTIME_H_
#define GROUPCACHE_RUNTIME_H_

#include <cstddef>
#include <memory>

#include "groupcache/byte_budget.h"
#include "groupcache/executor.h"
#include "groupcache/export.h"

namespace groupcache {

namespace internal {
class RuntimeImpl;
}

// The CPUs this process may use, as the Runtime's default thread counts
// count them (DetectUsableCpus).
struct UsableCpus {
  // min(affinity, the cgroup quota rounded up), at least 1.
  int count = 1;
  // CPUs in the affinity mask (taskset, a cgroup cpuset).
  int affinity = 1;
  // The cgroup CPU quota in CPUs (quota / period, e.g. 1.5): the tightest of
  // this process's cgroup and its ancestors, cgroup v2 cpu.max or v1
  // cpu.cfs_quota_us; 0 when there is none (or it cannot be read).
  double quota = 0;
};

// Reads the affinity mask and the cgroup CPU quota now. Never fails: what
// cannot be read counts as no limit. Thread-safe.
GROUPCACHE_API UsableCpus DetectUsableCpus();

struct RuntimeOptions {
  // Event-loop threads; each runs its own loop and never blocks. 0 means one
  // per usable CPU (DetectUsableCpus().count: the affinity mask, capped by a
  // container's cgroup CPU quota).
  int io_threads = 0;
  // Threads that run getters; 0 means 2 per usable CPU (getters may block).
  int worker_threads = 0;
  // Loads waiting for a worker beyond this are refused (ResourceExhausted).
  size_t max_queued_loads = 4096;
  // The most bytes of response bodies being received at once, by every peer
  // fetch on this runtime together (and by other readers that share
  // response_budget()). A fetch that would go over fails as a peer error,
  // and the key is loaded locally. Each response is also capped on its own
  // (HttpPoolOptions::max_response_bytes).
  size_t max_response_bytes_in_flight = size_t{256} << 20;
};

// A Runtime is the set of threads the HTTP server and peer client run on:
// I/O threads with one event loop each, and a bounded pool of worker threads
// for getters (use workers() as the GroupRegistry's loader).
// Thread-safety: safe for concurrent use. Destroying it stops every loop and
// joins every thread; servers and pools using it must be stopped first.
class GROUPCACHE_API Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  Executor& workers();
  // The budget of response bytes in flight (see RuntimeOptions).
  ByteBudget& response_budget();
  // The threads started: event loops, and getter workers.
  int io_threads() const;
  int worker_threads() const;
  // Stops everything that runs here, in an order that lets no callback
  // reach a group after Shutdown returns: queued getters finish (new loads
  // are refused), every peer fetch still in flight is cancelled and delivers
  // Unavailable (so its waiters are answered), then the event loops stop and
  // every thread is joined. Idempotent; the destructor calls it. Groups may
  // be destroyed before or after: a load in flight keeps what it needs alive.
  void Shutdown();

  internal::RuntimeImpl& impl() { return *impl_; }

 private:
  std::unique_ptr<internal::RuntimeImpl> impl_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_RUNTIME_H_
