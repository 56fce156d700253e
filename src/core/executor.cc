// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/executor.h"

#include <cassert>

namespace groupcache {

InlineExecutor& InlineExecutor::Instance() {
  static InlineExecutor instance;
  return instance;
}

ThreadPool::ThreadPool(size_t threads, size_t max_queued) : max_queued_(max_queued) {
  assert(threads >= 1 && max_queued >= 1);
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

ThreadPool::~ThreadPool() { Shutdown(); }

bool ThreadPool::Submit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void ThreadPool::Shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    // The first caller takes the threads and joins them; a concurrent caller
    // finds none left and waits below until they are joined.
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (std::thread& t : threads) t.join();
  std::unique_lock<std::mutex> lock(mu_);
  if (!threads.empty()) {
    joined_ = true;
    joined_cv_.notify_all();
  } else {
    joined_cv_.wait(lock, [this] { return joined_; });
  }
}

void ThreadPool::Run() {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace groupcache
