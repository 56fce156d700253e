// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/runtime.h"

#include <sched.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "http/cpu_quota.h"
#include "http/runtime_impl.h"

namespace groupcache {
namespace internal {
namespace {
// Which RuntimeImpl loop the current thread runs, if any.
thread_local const RuntimeImpl* tls_runtime = nullptr;
thread_local int tls_index = -1;

// How long Shutdown waits for cancelled operations to deliver their results.
// A cancelled fetch only has to see its closed socket, so this is a bound for
// a wedged loop, not a time anything normally takes.
constexpr std::chrono::seconds kCancelBound{5};

// The CPUs this process may run on: taskset or a cgroup cpuset can leave
// fewer than the machine has.
int AffinityCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

std::string ReadProcSelfCgroup() {
  std::ifstream in("/proc/self/cgroup");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

RuntimeImpl::RuntimeImpl(const RuntimeOptions& options)
    : response_budget_(std::max<size_t>(1, options.max_response_bytes_in_flight)) {
  // One event loop per usable CPU is the aim (two loops sharing one CPU only
  // take turns and add latency); the files are read only for a default.
  const bool automatic = options.io_threads <= 0 || options.worker_threads <= 0;
  const size_t cores = automatic ? static_cast<size_t>(DetectUsableCpus().count) : 1;
  const size_t io = options.io_threads > 0 ? static_cast<size_t>(options.io_threads) : cores;
  const size_t workers = options.worker_threads > 0 ? static_cast<size_t>(options.worker_threads) : 2 * cores;
  worker_threads_ = workers;
  workers_ = std::make_unique<ThreadPool>(workers, std::max<size_t>(1, options.max_queued_loads));
  operations_.resize(io);
  for (size_t i = 0; i < io; ++i) {
    // Concurrency hint 1: each loop is run by one thread, so asio can skip
    // locking inside the loop.
    contexts_.push_back(std::make_unique<Loop>(1));
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

RuntimeImpl::~RuntimeImpl() {
  Shutdown();
  // Every handler still queued or pending is destroyed here, loop by loop,
  // before any loop object goes (see the class comment).
  for (auto& context : contexts_) context->shutdown();
}

int RuntimeImpl::CurrentIndex() const { return tls_runtime == this ? tls_index : -1; }

size_t RuntimeImpl::PickContext() {
  int current = CurrentIndex();
  return current >= 0 ? static_cast<size_t>(current) : NextContext();
}

bool RuntimeImpl::Admit(size_t loop, LoopOperation* operation) {
  LoopOperations& ops = operations_[loop];
  if (ops.closed || shutting_down()) return false;
  operation->next_ = ops.first;
  if (ops.first != nullptr) ops.first->prev_ = operation;
  ops.first = operation;
  live_operations_.fetch_add(1);
  return true;
}

void RuntimeImpl::Retire(size_t loop, LoopOperation* operation) {
  LoopOperations& ops = operations_[loop];
  if (operation->prev_ != nullptr) {
    operation->prev_->next_ = operation->next_;
  } else {
    ops.first = operation->next_;
  }
  if (operation->next_ != nullptr) operation->next_->prev_ = operation->prev_;
  if (live_operations_.fetch_sub(1) == 1 && shutting_down()) {
    std::lock_guard<std::mutex> lock(drained_mu_);
    drained_.notify_all();
  }
}

void RuntimeImpl::Shutdown() {
  if (shut_down_.exchange(true)) return;
  // Getters first: they may still hand results to the loops.
  workers_->Shutdown();
  // Then the operations in flight on the loops, which still run, so each
  // delivers its result (Unavailable) through its normal path.
  for (size_t i = 0; i < contexts_.size(); ++i) {
    boost::asio::post(*contexts_[i], [this, i] {
      LoopOperations& ops = operations_[i];
      ops.closed = true;
      // A cancelled operation finishes later, in a handler of its own, so
      // the list does not change under this walk.
      for (LoopOperation* operation = ops.first; operation != nullptr; operation = operation->next_) {
        operation->cancel_();
      }
    });
  }
  {
    std::unique_lock<std::mutex> lock(drained_mu_);
    drained_.wait_for(lock, kCancelBound, [this] { return live_operations_.load() == 0; });
  }
  for (auto& guard : guards_) guard.reset();
  for (auto& context : contexts_) context->stop();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

LoopOperation::LoopOperation(RuntimeImpl& runtime, size_t loop, std::function<void()> cancel)
    : runtime_(runtime), loop_(loop), cancel_(std::move(cancel)) {
  admitted_ = runtime_.Admit(loop_, this);
}

LoopOperation::~LoopOperation() {
  if (admitted_) runtime_.Retire(loop_, this);
}

}  // namespace internal

UsableCpus DetectUsableCpus() {
  UsableCpus cpus;
  cpus.affinity = internal::AffinityCpus();
  const std::optional<double> quota =
      internal::ReadCgroupCpuQuota(internal::ParseProcSelfCgroup(internal::ReadProcSelfCgroup()));
  cpus.quota = quota.value_or(0);
  cpus.count = internal::CpusWithin(cpus.affinity, quota);
  return cpus;
}

Runtime::Runtime(RuntimeOptions options) : impl_(std::make_unique<internal::RuntimeImpl>(options)) {}
Runtime::~Runtime() = default;
Executor& Runtime::workers() { return impl_->workers(); }
ByteBudget& Runtime::response_budget() { return impl_->response_budget(); }
int Runtime::io_threads() const { return static_cast<int>(impl_->size()); }
int Runtime::worker_threads() const { return static_cast<int>(impl_->worker_threads()); }
void Runtime::Shutdown() { impl_->Shutdown(); }

}  // namespace groupcache
