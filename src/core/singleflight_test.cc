// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "core/singleflight.h"

#include <atomic>
#include <functional>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/function.h"
#include "groupcache/status.h"
#include "gtest/gtest.h"

namespace groupcache::internal {
namespace {

using IntFlights = Singleflight<std::function<void(int)>>;

TEST(SingleflightTest, FirstCallerLeadsLaterOnesWait) {
  IntFlights flights;
  std::vector<int> got;
  EXPECT_TRUE(flights.Join("k", [&](int v) { got.push_back(v); }));
  EXPECT_FALSE(flights.Join("k", [&](int v) { got.push_back(v + 100); }));
  EXPECT_TRUE(got.empty());  // nothing is delivered before the leader finishes
  EXPECT_EQ(flights.Finish("k", 7), 2u);
  EXPECT_EQ(got, (std::vector<int>{7, 107}));
}

TEST(SingleflightTest, FinishWithoutFlightDeliversNothing) {
  IntFlights flights;
  EXPECT_EQ(flights.Finish("absent", 1), 0u);
  ASSERT_TRUE(flights.Join("k", [](int) {}));
  EXPECT_EQ(flights.Finish("k", 1), 1u);
  EXPECT_EQ(flights.Finish("k", 1), 0u);  // the flight ended with the first Finish
}

// N callers join at once; exactly one leads (one load), and all N get its
// result exactly once.
TEST(SingleflightTest, OneLoadForConcurrentCallers) {
  constexpr int kCallers = 16;
  IntFlights flights;
  std::atomic<int> leaders{0}, delivered{0}, wrong{0};
  std::latch joined(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&] {
      if (flights.Join("k", [&](int v) {
            if (v != 42) wrong.fetch_add(1);
            delivered.fetch_add(1);
          }))
        leaders.fetch_add(1);
      joined.count_down();
    });
  }
  joined.wait();  // every caller joined before the load finishes
  EXPECT_EQ(flights.Finish("k", 42), static_cast<size_t>(kCallers));
  for (auto& t : threads) t.join();
  EXPECT_EQ(leaders.load(), 1);
  EXPECT_EQ(delivered.load(), kCallers);
  EXPECT_EQ(wrong.load(), 0);
}

// An error is one result like any other: every waiter sees the same Status.
TEST(SingleflightTest, ErrorIsSharedByAllWaiters) {
  Singleflight<MoveOnlyFunction<void(Result<int>)>> flights;
  std::vector<Status> seen;
  ASSERT_TRUE(flights.Join("k", [&](Result<int> r) { seen.push_back(r.status()); }));
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(flights.Join("k", [&](Result<int> r) { seen.push_back(r.status()); }));
  }
  flights.Finish("k", Result<int>(Status::NotFound("no such key")));
  ASSERT_EQ(seen.size(), 4u);
  for (const Status& s : seen) {
    EXPECT_EQ(s.code(), StatusCode::kNotFound);
    EXPECT_EQ(s.message(), "no such key");
  }
}

TEST(SingleflightTest, NewLoadAfterPreviousFinished) {
  IntFlights flights;
  int first = 0, second = 0;
  ASSERT_TRUE(flights.Join("k", [&](int v) { first = v; }));
  flights.Finish("k", 1);
  // The key's flight is over, so the next caller leads a new load and does
  // not get the old result.
  ASSERT_TRUE(flights.Join("k", [&](int v) { second = v; }));
  EXPECT_EQ(second, 0);
  flights.Finish("k", 2);
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);
}

// Finish calls the waiters outside its lock: a waiter that joins the same
// key again (a retry) leads a new flight instead of deadlocking.
TEST(SingleflightTest, WaiterMayJoinAgainFromItsCallback) {
  IntFlights flights;
  bool retry_leads = false;
  int retried = 0;
  ASSERT_TRUE(flights.Join("k", [&](int) { retry_leads = flights.Join("k", [&](int v) { retried = v; }); }));
  flights.Finish("k", 1);
  EXPECT_TRUE(retry_leads);
  EXPECT_EQ(flights.Finish("k", 2), 1u);
  EXPECT_EQ(retried, 2);
}

// Loads of different keys do not wait on each other: each key has its own
// leader, and each finishes with its own value while the others are open.
TEST(SingleflightTest, DistinctKeysLoadInParallel) {
  constexpr int kKeys = 8;
  IntFlights flights;
  std::vector<int> got(kKeys, -1);
  std::atomic<int> leaders{0};
  std::latch all_open(kKeys);
  std::vector<std::thread> threads;
  for (int i = 0; i < kKeys; ++i) {
    threads.emplace_back([&, i] {
      const std::string key = "key-" + std::to_string(i);
      if (flights.Join(key, [&got, i](int v) { got[i] = v; })) leaders.fetch_add(1);
      all_open.arrive_and_wait();  // every key is in flight at once
      flights.Finish(key, i * 10);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(leaders.load(), kKeys);
  for (int i = 0; i < kKeys; ++i) EXPECT_EQ(got[i], i * 10);
}

}  // namespace
}  // namespace groupcache::internal
