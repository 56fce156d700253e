// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_BYTE_BUDGET_H_
#define GROUPCACHE_BYTE_BUDGET_H_

#include <atomic>
#include <cstddef>

#include "groupcache/export.h"

namespace groupcache {

// A ByteBudget caps the bytes that a set of operations may hold at once in
// aggregate: the Runtime keeps one for the response bodies being received
// from peers, and other readers of the network (groupcached's http source)
// share it, so many slow or large responses at once cannot exhaust memory
// although each is within its own size cap.
// Thread-safety: safe for concurrent use. A Lease is a value owned by one
// operation; it is not thread-safe.
class GROUPCACHE_API ByteBudget {
 public:
  // REQUIRES: limit > 0.
  explicit ByteBudget(size_t limit);
  ByteBudget(const ByteBudget&) = delete;
  ByteBudget& operator=(const ByteBudget&) = delete;

  // The bytes one operation holds; given back when the Lease is destroyed.
  class Lease {
   public:
    // A lease on `budget`; null means no budget: every GrowTo succeeds.
    explicit Lease(ByteBudget* budget = nullptr) : budget_(budget) {}
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease() { Reset(); }

    // Makes the lease hold `total` bytes, if it did not already. Returns
    // false, leaving the lease as it was, when that would take the budget
    // over its limit.
    [[nodiscard]] bool GrowTo(size_t total);
    // Gives every byte back.
    void Reset();
    size_t held() const { return held_; }

   private:
    ByteBudget* budget_ = nullptr;
    size_t held_ = 0;
  };

  size_t limit() const { return limit_; }
  // Bytes held by live leases now.
  size_t in_use() const { return in_use_.load(std::memory_order_relaxed); }
  // How many times a lease could not grow, since creation.
  size_t refusals() const { return refusals_.load(std::memory_order_relaxed); }

 private:
  bool TryTake(size_t n);
  void Give(size_t n) { in_use_.fetch_sub(n, std::memory_order_relaxed); }

  const size_t limit_;
  std::atomic<size_t> in_use_{0};
  std::atomic<size_t> refusals_{0};
};

}  // namespace groupcache

#endif  // GROUPCACHE_BYTE_BUDGET_H_
