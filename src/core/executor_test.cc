// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/executor.h"

#include <atomic>
#include <condition_variable>
#include <latch>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "group_fakes.h"
#include "gtest/gtest.h"

namespace groupcache {
namespace {

using testing::Gate;  // a task blocks on it until the test opens it

TEST(InlineExecutorTest, RunsInCallingThreadBeforeReturning) {
  InlineExecutor executor;
  std::thread::id ran_on;
  bool ran = false;
  ASSERT_TRUE(executor.Submit([&] {
    ran = true;
    ran_on = std::this_thread::get_id();
  }));
  EXPECT_TRUE(ran);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(InlineExecutorTest, InstanceIsShared) {
  EXPECT_EQ(&InlineExecutor::Instance(), &InlineExecutor::Instance());
  int n = 0;
  ASSERT_TRUE(InlineExecutor::Instance().Submit([&] { ++n; }));
  EXPECT_EQ(n, 1);
}

TEST(ThreadPoolTest, RunsEveryTask) {
  constexpr int kTasks = 200;
  ThreadPool pool(3, kTasks);
  std::atomic<int> ran{0};
  std::latch done(kTasks);
  for (int i = 0; i < kTasks; ++i) {
    ASSERT_TRUE(pool.Submit([&] {
      ran.fetch_add(1);
      done.count_down();
    }));
  }
  done.wait();
  EXPECT_EQ(ran.load(), kTasks);
}

TEST(ThreadPoolTest, RunsTasksOffTheCallingThread) {
  ThreadPool pool(2, 16);
  std::thread::id ran_on;
  std::latch done(1);
  ASSERT_TRUE(pool.Submit([&] {
    ran_on = std::this_thread::get_id();
    done.count_down();
  }));
  done.wait();
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(ThreadPoolTest, UsesAllItsThreads) {
  // Each of the 3 tasks waits until all 3 are running at once: that can only
  // finish if the pool really runs 3 threads.
  ThreadPool pool(3, 16);
  std::latch all_running(3);
  std::mutex mu;
  std::set<std::thread::id> ids;
  std::latch done(3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pool.Submit([&] {
      {
        std::lock_guard<std::mutex> lock(mu);
        ids.insert(std::this_thread::get_id());
      }
      all_running.arrive_and_wait();
      done.count_down();
    }));
  }
  done.wait();
  EXPECT_EQ(ids.size(), 3u);
}

TEST(ThreadPoolTest, RunsMoveOnlyTask) {
  ThreadPool pool(1, 4);
  std::latch done(1);
  int seen = 0;
  auto owned = std::make_unique<int>(11);
  ASSERT_TRUE(pool.Submit([p = std::move(owned), &seen, &done] {
    seen = *p;
    done.count_down();
  }));
  done.wait();
  EXPECT_EQ(seen, 11);
}

TEST(ThreadPoolTest, BoundedQueueRefusesWhenFull) {
  ThreadPool pool(1, 2);
  Gate gate;
  std::latch started(1);
  std::atomic<int> ran{0};
  // Occupy the only thread.
  ASSERT_TRUE(pool.Submit([&] {
    started.count_down();
    gate.Wait();
    ran.fetch_add(1);
  }));
  started.wait();  // the blocker has left the queue and is running

  EXPECT_TRUE(pool.Submit([&] { ran.fetch_add(1); }));
  EXPECT_TRUE(pool.Submit([&] { ran.fetch_add(1); }));
  bool refused_ran = false;
  EXPECT_FALSE(pool.Submit([&] { refused_ran = true; }));  // queue holds 2 already
  EXPECT_FALSE(pool.Submit([&] { refused_ran = true; }));

  gate.Open();
  pool.Shutdown();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(refused_ran);
}

TEST(ThreadPoolTest, AcceptsAgainOnceQueueDrains) {
  ThreadPool pool(1, 1);
  Gate gate;
  std::latch started(1);
  ASSERT_TRUE(pool.Submit([&] {
    started.count_down();
    gate.Wait();
  }));
  started.wait();
  std::latch queued_ran(1);
  ASSERT_TRUE(pool.Submit([&] { queued_ran.count_down(); }));
  EXPECT_FALSE(pool.Submit([] {}));
  gate.Open();
  queued_ran.wait();  // the queued task has been taken off the queue

  std::latch later_ran(1);
  EXPECT_TRUE(pool.Submit([&] { later_ran.count_down(); }));
  later_ran.wait();
}

TEST(ThreadPoolTest, RunsTasksInFifoOrderOnOneThread) {
  ThreadPool pool(1, 100);
  Gate gate;
  std::latch started(1);
  ASSERT_TRUE(pool.Submit([&] {
    started.count_down();
    gate.Wait();
  }));
  started.wait();
  std::vector<int> order;  // touched only by the single worker
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(pool.Submit([&order, i] { order.push_back(i); }));
  gate.Open();
  pool.Shutdown();
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
}

TEST(ThreadPoolTest, ShutdownDrainsQueuedTasks) {
  ThreadPool pool(2, 100);
  Gate gate;
  std::latch started(2);
  std::atomic<int> ran{0};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(pool.Submit([&] {
      started.count_down();
      gate.Wait();
      ran.fetch_add(1);
    }));
  }
  started.wait();  // both threads busy; everything below is queued
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(pool.Submit([&] { ran.fetch_add(1); }));

  // Shutdown must wait for the blockers and then run the 40 queued tasks.
  std::thread stopper([&] { pool.Shutdown(); });
  gate.Open();
  stopper.join();
  EXPECT_EQ(ran.load(), 42);
}

TEST(ThreadPoolTest, RefusesAfterShutdown) {
  ThreadPool pool(2, 8);
  pool.Shutdown();
  bool ran = false;
  EXPECT_FALSE(pool.Submit([&] { ran = true; }));
  EXPECT_FALSE(ran);
  pool.Shutdown();  // idempotent; the destructor after it must not hang either
}

TEST(ThreadPoolTest, ConcurrentShutdownIsSafe) {
  // "Thread-safety: safe for concurrent use": two threads may stop the pool
  // at once (e.g. an explicit Shutdown racing a destructor in another owner).
  ThreadPool pool(2, 16);
  Gate gate;
  std::latch started(2);
  std::atomic<int> ran{0};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(pool.Submit([&] {
      started.count_down();
      gate.Wait();
      ran.fetch_add(1);
    }));
  }
  started.wait();
  ASSERT_TRUE(pool.Submit([&] { ran.fetch_add(1); }));
  std::latch both_calling(2);
  std::thread a([&] {
    both_calling.arrive_and_wait();
    pool.Shutdown();
  });
  std::thread b([&] {
    both_calling.arrive_and_wait();
    pool.Shutdown();
  });
  both_calling.wait();  // both are about to call Shutdown while the workers are blocked
  gate.Open();
  a.join();
  b.join();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(pool.Submit([] {}));
}

TEST(ThreadPoolTest, DestructorDrainsQueuedTasks) {
  std::atomic<int> ran{0};
  Gate gate;
  {
    ThreadPool pool(1, 100);
    std::latch started(1);
    ASSERT_TRUE(pool.Submit([&] {
      started.count_down();
      gate.Wait();
      ran.fetch_add(1);
    }));
    started.wait();
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(pool.Submit([&] { ran.fetch_add(1); }));
    gate.Open();
  }  // ~ThreadPool
  EXPECT_EQ(ran.load(), 11);
}

TEST(ThreadPoolTest, TaskMaySubmitAnotherTask) {
  ThreadPool pool(1, 8);
  std::latch done(1);
  ASSERT_TRUE(pool.Submit([&] { EXPECT_TRUE(pool.Submit([&] { done.count_down(); })); }));
  done.wait();
}

TEST(ThreadPoolTest, ConcurrentSubmitters) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  ThreadPool pool(2, kThreads * kPerThread);
  std::atomic<int> ran{0};
  std::latch done(kThreads * kPerThread);
  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        // The queue is large enough for everything, so nothing is refused.
        if (!pool.Submit([&] {
              ran.fetch_add(1);
              done.count_down();
            })) {
          ADD_FAILURE() << "refused";
          done.count_down();
        }
      }
    });
  }
  for (auto& s : submitters) s.join();
  done.wait();
  EXPECT_EQ(ran.load(), kThreads * kPerThread);
}

}  // namespace
}  // namespace groupcache
