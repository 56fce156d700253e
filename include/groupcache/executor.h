// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_EXECUTOR_H_
#define GROUPCACHE_EXECUTOR_H_

#include <cstddef>
#include <memory>

#include "groupcache/export.h"
#include "groupcache/function.h"

namespace groupcache {

using Task = MoveOnlyFunction<void()>;

// An Executor runs tasks: it is where getters run. Thread-safety: Submit is
// safe for concurrent use.
class GROUPCACHE_API Executor {
 public:
  virtual ~Executor() = default;
  // Runs `task` now or later. Returns false, without running it, when the
  // executor is full or stopped; the caller then reports the load as failed.
  [[nodiscard]] virtual bool Submit(Task task) = 0;
};

// Runs every task at once in the calling thread. The default for a Group, so
// the blocking Get runs the getter in the caller's thread, as Go does.
class GROUPCACHE_API InlineExecutor final : public Executor {
 public:
  bool Submit(Task task) override {
    task();
    return true;
  }
  // A process-wide instance (it has no state).
  static InlineExecutor& Instance();
};

namespace internal {
class ThreadPoolImpl;
}

// A ThreadPool is a fixed set of threads with a bounded queue of tasks.
// Thread-safety: safe for concurrent use. The destructor stops accepting
// tasks, runs the ones already queued, and joins the threads.
class GROUPCACHE_API ThreadPool final : public Executor {
 public:
  // REQUIRES: threads >= 1, max_queued >= 1
  ThreadPool(size_t threads, size_t max_queued);
  ~ThreadPool() override;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  bool Submit(Task task) override;
  // Stops accepting tasks, finishes the queued ones and joins the threads.
  void Shutdown();

 private:
  // The threads, the queue and its lock (executor.cc).
  std::unique_ptr<internal::ThreadPoolImpl> impl_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_EXECUTOR_H_
