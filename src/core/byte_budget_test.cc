// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/byte_budget.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace groupcache {
namespace {

TEST(ByteBudgetTest, LeasesGrowWithinTheLimitAndGiveBackOnDestruction) {
  ByteBudget budget(100);
  {
    ByteBudget::Lease a(&budget);
    EXPECT_TRUE(a.GrowTo(60));
    EXPECT_TRUE(a.GrowTo(40));  // already held: no change
    EXPECT_EQ(a.held(), 60u);
    ByteBudget::Lease b(&budget);
    EXPECT_FALSE(b.GrowTo(41));  // 60 + 41 > 100: refused, nothing taken
    EXPECT_EQ(b.held(), 0u);
    EXPECT_TRUE(b.GrowTo(40));
    EXPECT_EQ(budget.in_use(), 100u);
    ByteBudget::Lease moved = std::move(b);
    EXPECT_EQ(moved.held(), 40u);
    EXPECT_EQ(budget.in_use(), 100u);
  }
  EXPECT_EQ(budget.in_use(), 0u);
  EXPECT_EQ(budget.refusals(), 1u);
}

TEST(ByteBudgetTest, ALeaseWithoutABudgetAlwaysGrows) {
  ByteBudget::Lease lease;
  EXPECT_TRUE(lease.GrowTo(size_t{1} << 40));
}

TEST(ByteBudgetTest, ConcurrentLeasesNeverExceedTheLimit) {
  ByteBudget budget(1000);
  std::atomic<size_t> peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        ByteBudget::Lease lease(&budget);
        if (lease.GrowTo(1 + i % 400)) {
          size_t now = budget.in_use();
          size_t seen = peak.load();
          while (now > seen && !peak.compare_exchange_weak(seen, now)) {
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), 1000u);
  EXPECT_EQ(budget.in_use(), 0u);
}

}  // namespace
}  // namespace groupcache
