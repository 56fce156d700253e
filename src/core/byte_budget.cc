// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/byte_budget.h"

#include <cassert>
#include <utility>

namespace groupcache {

ByteBudget::ByteBudget(size_t limit) : limit_(limit) { assert(limit > 0); }

bool ByteBudget::TryTake(size_t n) {
  size_t used = in_use_.load(std::memory_order_relaxed);
  do {
    if (n > limit_ - used) {
      refusals_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  } while (!in_use_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
  return true;
}

ByteBudget::Lease::Lease(Lease&& other) noexcept
    : budget_(std::exchange(other.budget_, nullptr)), held_(std::exchange(other.held_, 0)) {}

ByteBudget::Lease& ByteBudget::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Reset();
    budget_ = std::exchange(other.budget_, nullptr);
    held_ = std::exchange(other.held_, 0);
  }
  return *this;
}

bool ByteBudget::Lease::GrowTo(size_t total) {
  if (total <= held_) return true;
  if (budget_ != nullptr && !budget_->TryTake(total - held_)) return false;
  held_ = total;
  return true;
}

void ByteBudget::Lease::Reset() {
  if (budget_ != nullptr && held_ > 0) budget_->Give(held_);
  held_ = 0;
}

}  // namespace groupcache
