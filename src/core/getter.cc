// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/getter.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

namespace groupcache {

Status AsyncGetter::Get(std::string_view key, Sink& dest) {
  // Shared with `done`, which may run after a throw has ended this call.
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Status> status;
  };
  auto waiter = std::make_shared<Waiter>();
  GetAsync(key, dest, [waiter](Status status) {
    std::lock_guard<std::mutex> lock(waiter->mu);
    if (waiter->status) return;  // exactly once; a second call is ignored
    waiter->status = std::move(status);
    waiter->cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(waiter->mu);
  waiter->cv.wait(lock, [&] { return waiter->status.has_value(); });
  return std::move(*waiter->status);
}

}  // namespace groupcache
