// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/executor.h"

#include <cassert>
#include <deque>
#include <thread>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace groupcache {
namespace internal {

// A ThreadPool's state: its threads and the bounded queue they take tasks
// from. Thread-safety: safe for concurrent use.
class ThreadPoolImpl {
 public:
  // REQUIRES: threads >= 1, max_queued >= 1
  ThreadPoolImpl(size_t threads, size_t max_queued);
  ThreadPoolImpl(const ThreadPoolImpl&) = delete;
  ThreadPoolImpl& operator=(const ThreadPoolImpl&) = delete;

  bool Submit(Task task) EXCLUDES(mu_);
  void Shutdown() EXCLUDES(mu_);

 private:
  // Each thread's loop: runs queued tasks until stopping and drained.
  void Run() EXCLUDES(mu_);

  const size_t max_queued_;
  Mutex mu_;
  CondVar cv_;  // a task was queued, or stopping_ was set
  std::deque<Task> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  // Every thread has been joined (by the first Shutdown).
  bool joined_ GUARDED_BY(mu_) = false;
  CondVar joined_cv_;  // joined_ was set
  // Empty once the first Shutdown has taken them to join.
  std::vector<std::thread> threads_ GUARDED_BY(mu_);
};

ThreadPoolImpl::ThreadPoolImpl(size_t threads, size_t max_queued) : max_queued_(max_queued) {
  assert(threads >= 1 && max_queued >= 1);
  // Without mu_ (the analysis skips constructors): Run never reads threads_,
  // and Shutdown cannot be called before this returns.
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

bool ThreadPoolImpl::Submit(Task task) {
  {
    MutexLock lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(task));
  }
  cv_.NotifyOne();
  return true;
}

void ThreadPoolImpl::Shutdown() {
  std::vector<std::thread> threads;
  {
    MutexLock lock(mu_);
    stopping_ = true;
    // The first caller takes the threads and joins them; a concurrent caller
    // finds none left and waits below until they are joined.
    threads.swap(threads_);
  }
  cv_.NotifyAll();
  for (std::thread& t : threads) t.join();
  MutexLock lock(mu_);
  if (!threads.empty()) {
    joined_ = true;
    // Under mu_, so a waiter cannot return (and its caller destroy the pool)
    // before this notification is done with joined_cv_.
    joined_cv_.NotifyAll();
  } else {
    while (!joined_) joined_cv_.Wait(mu_);
  }
}

void ThreadPoolImpl::Run() {
  for (;;) {
    Task task;
    {
      MutexLock lock(mu_);
      while (!stopping_ && queue_.empty()) cv_.Wait(mu_);
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace internal

InlineExecutor& InlineExecutor::Instance() {
  static InlineExecutor instance;
  return instance;
}

ThreadPool::ThreadPool(size_t threads, size_t max_queued)
    : impl_(std::make_unique<internal::ThreadPoolImpl>(threads, max_queued)) {}

// Shuts down while impl_ is whole: a task still running may call Submit,
// which then refuses.
ThreadPool::~ThreadPool() { impl_->Shutdown(); }

bool ThreadPool::Submit(Task task) { return impl_->Submit(std::move(task)); }

void ThreadPool::Shutdown() { impl_->Shutdown(); }

}  // namespace groupcache
