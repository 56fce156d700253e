// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/runtime.h"

#include <sched.h>

#include <algorithm>

#include "runtime_impl.h"

namespace groupcache {
namespace internal {
namespace {
// Which RuntimeImpl loop the current thread runs, if any.
thread_local const RuntimeImpl* tls_runtime = nullptr;
thread_local int tls_index = -1;

// The CPUs this process may run on: taskset or a cgroup cpuset can leave
// fewer than the machine has, and one event loop per usable CPU is the aim
// (two loops sharing one CPU only take turns and add latency).
size_t Cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}
}  // namespace

RuntimeImpl::RuntimeImpl(const RuntimeOptions& options) {
  const size_t io = options.io_threads > 0 ? static_cast<size_t>(options.io_threads) : Cores();
  const size_t workers = options.worker_threads > 0 ? static_cast<size_t>(options.worker_threads) : 2 * Cores();
  workers_ = std::make_unique<ThreadPool>(workers, std::max<size_t>(1, options.max_queued_loads));
  for (size_t i = 0; i < io; ++i) {
    // Concurrency hint 1: each loop is run by one thread, so asio can skip
    // locking inside the loop.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(boost::asio::make_work_guard(*contexts_.back()));
  }
  for (size_t i = 0; i < io; ++i) {
    threads_.emplace_back([this, i] {
      tls_runtime = this;
      tls_index = static_cast<int>(i);
      contexts_[i]->run();
    });
  }
}

RuntimeImpl::~RuntimeImpl() { Shutdown(); }

int RuntimeImpl::CurrentIndex() const { return tls_runtime == this ? tls_index : -1; }

size_t RuntimeImpl::PickContext() {
  int current = CurrentIndex();
  return current >= 0 ? static_cast<size_t>(current) : NextContext();
}

void RuntimeImpl::Shutdown() {
  if (shut_down_.exchange(true)) return;
  // Getters first: they may still hand results to the loops.
  workers_->Shutdown();
  for (auto& guard : guards_) guard.reset();
  for (auto& context : contexts_) context->stop();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace internal

Runtime::Runtime(RuntimeOptions options) : impl_(std::make_unique<internal::RuntimeImpl>(options)) {}
Runtime::~Runtime() = default;
Executor& Runtime::workers() { return impl_->workers(); }
int Runtime::io_threads() const { return static_cast<int>(impl_->size()); }
void Runtime::Shutdown() { impl_->Shutdown(); }

}  // namespace groupcache
