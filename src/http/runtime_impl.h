// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_HTTP_RUNTIME_IMPL_H_
#define GROUPCACHE_SRC_HTTP_RUNTIME_IMPL_H_

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "groupcache/byte_budget.h"
#include "groupcache/executor.h"
#include "groupcache/runtime.h"

namespace groupcache::internal {

class LoopOperation;

// The threads behind a Runtime: one io_context per I/O thread (each loop is
// run by exactly one thread, so work posted to a loop never races with the
// loop's other work), and a ThreadPool for getters.
//
// Shutdown owns the order in which work stops, so that no callback can reach
// a group after it is gone, whatever order an embedder destroys things in:
// queued getters finish first, then every LoopOperation still in flight (a
// peer fetch) is cancelled and waited for while the loops still run, so its
// callback runs normally; only then do the loops stop. What is left on the
// loops after that (a server's connections, idle pooled connections) is
// destroyed with every loop still in existence, so a destructor that posts
// to another loop posts into a queue that is still there.
class RuntimeImpl {
 public:
  explicit RuntimeImpl(const RuntimeOptions& options);
  ~RuntimeImpl();

  size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(size_t index) { return *contexts_[index]; }
  // The loop of the calling thread if it is one of ours, else the next one in
  // turn. Returns its index.
  size_t PickContext();
  // The index of the calling thread's loop, or -1.
  int CurrentIndex() const;
  // The next loop in turn, for spreading accepted connections.
  size_t NextContext() { return next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size(); }

  ThreadPool& workers() { return *workers_; }
  size_t worker_threads() const { return worker_threads_; }
  ByteBudget& response_budget() { return response_budget_; }
  // True once Shutdown has begun.
  bool shutting_down() const { return shut_down_.load(std::memory_order_acquire); }
  void Shutdown();

 private:
  friend class LoopOperation;
  // An io_context whose services can be shut down (every pending handler
  // destroyed) before the object itself goes.
  class Loop : public boost::asio::io_context {
   public:
    explicit Loop(int concurrency_hint) : io_context(concurrency_hint) {}
    using boost::asio::execution_context::shutdown;
  };
  // The operations in flight on one loop, an intrusive list (no allocation
  // per fetch); touched only by the loop's thread.
  struct LoopOperations {
    LoopOperation* first = nullptr;
    bool closed = false;  // Shutdown cancelled this loop's operations
  };

  bool Admit(size_t loop, LoopOperation* operation);
  void Retire(size_t loop, LoopOperation* operation);

  // Declared first so it is destroyed last: handlers destroyed with the
  // loops may still submit to it (and be refused).
  std::unique_ptr<ThreadPool> workers_;
  size_t worker_threads_ = 0;
  ByteBudget response_budget_;
  std::vector<std::unique_ptr<Loop>> contexts_;
  std::vector<std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>>
      guards_;
  std::vector<std::thread> threads_;
  std::vector<LoopOperations> operations_;  // [i] by loop i's thread only
  std::atomic<size_t> next_{0};
  std::atomic<bool> shut_down_{false};
  std::atomic<size_t> live_operations_{0};
  std::mutex drained_mu_;
  std::condition_variable drained_;
};

// A LoopOperation is an asynchronous operation on one of the runtime's loops
// (a peer fetch) that Shutdown must cancel and wait for before it stops the
// loops. Create it on the loop's thread at the start of the operation and
// keep it until the operation has delivered its result. Not thread-safe:
// used by the one coroutine on its loop.
class LoopOperation {
 public:
  // `cancel` makes the operation finish soon (close its socket); Shutdown
  // calls it on the loop's thread.
  LoopOperation(RuntimeImpl& runtime, size_t loop, std::function<void()> cancel);
  ~LoopOperation();
  LoopOperation(const LoopOperation&) = delete;
  LoopOperation& operator=(const LoopOperation&) = delete;

  // False when the runtime is shutting down: the operation must not start
  // (it should report Unavailable at once).
  bool admitted() const { return admitted_; }

 private:
  friend class RuntimeImpl;
  RuntimeImpl& runtime_;
  const size_t loop_;
  std::function<void()> cancel_;
  bool admitted_ = false;
  LoopOperation* prev_ = nullptr;  // in the loop's list (RuntimeImpl::LoopOperations)
  LoopOperation* next_ = nullptr;
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_RUNTIME_IMPL_H_
