// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_RUNTIME_H_
#define GROUPCACHE_RUNTIME_H_

#include <cstddef>
#include <memory>

#include "groupcache/executor.h"

namespace groupcache {

namespace internal {
class RuntimeImpl;
}

struct RuntimeOptions {
  // Event-loop threads; each runs its own loop and never blocks. 0 means one
  // per CPU the process may run on (its affinity mask).
  int io_threads = 0;
  // Threads that run getters; 0 means 2 per usable CPU (getters may block).
  int worker_threads = 0;
  // Loads waiting for a worker beyond this are refused (ResourceExhausted).
  size_t max_queued_loads = 4096;
};

// A Runtime is the set of threads the HTTP server and peer client run on:
// I/O threads with one event loop each, and a bounded pool of worker threads
// for getters (use workers() as the GroupRegistry's loader).
// Thread-safety: safe for concurrent use. Destroying it stops every loop and
// joins every thread; servers and pools using it must be destroyed first.
class Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  Executor& workers();
  int io_threads() const;
  // Stops the event loops, lets queued getters finish and joins every
  // thread. Call it before destroying the registry whose getters run here.
  // Idempotent; the destructor calls it.
  void Shutdown();

  internal::RuntimeImpl& impl() { return *impl_; }

 private:
  std::unique_ptr<internal::RuntimeImpl> impl_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_RUNTIME_H_
