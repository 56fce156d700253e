// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_RUNTIME_IMPL_H_
#define GROUPCACHE_SRC_RUNTIME_IMPL_H_

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "groupcache/executor.h"
#include "groupcache/runtime.h"

namespace groupcache::internal {

// The threads behind a Runtime: one io_context per I/O thread (each loop is
// run by exactly one thread, so work posted to a loop never races with the
// loop's other work), and a ThreadPool for getters.
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
  void Shutdown();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::optional<WorkGuard>> guards_;
  std::vector<std::thread> threads_;
  std::unique_ptr<ThreadPool> workers_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> shut_down_{false};
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_RUNTIME_IMPL_H_
