// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// AsyncGetter: a group calls it on the asking thread, never on the loader,
// and a load ends when its `done` is called, from any thread.
#include <atomic>
#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "group_fakes.h"
#include "groupcache/group.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache::testing {
namespace {

// An executor that counts what it is given and runs nothing: a group with
// an async getter must never use it.
class UnusedExecutor final : public Executor {
 public:
  std::atomic<int> submitted{0};
  bool Submit(Task) override {
    ++submitted;
    return false;
  }
};

// An async source: each GetAsync is held until the test answers it, from a
// thread of the test's (as an I/O thread of a real source would).
class HeldSource {
 public:
  std::shared_ptr<AsyncGetter> getter() {
    return MakeAsyncGetter([this](std::string_view key, Sink& dest, AsyncGetter::Done done) {
      std::lock_guard<std::mutex> lock(mu_);
      ++calls_;
      held_.push_back({std::string(key), &dest, std::move(done)});
    });
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // Answers every held load on a new thread: `value-of-<key>`, or `status`.
  void AnswerAll(Status status = Status::Ok()) {
    std::vector<Held> held;
    {
      std::lock_guard<std::mutex> lock(mu_);
      held.swap(held_);
    }
    std::thread([held = std::move(held), status]() mutable {
      for (Held& h : held) {
        if (status.ok()) h.dest->SetString("value-of-" + h.key);
        std::move(h.done)(status);
      }
    }).join();
  }

 private:
  struct Held {
    std::string key;
    Sink* dest;
    AsyncGetter::Done done;
  };
  std::mutex mu_;
  int calls_ = 0;
  std::vector<Held> held_;
};

class GroupAsyncGetterTest : public ::testing::Test {
 protected:
  GroupRegistry registry_;
  UnusedExecutor loader_;
};

TEST_F(GroupAsyncGetterTest, LoadsOnTheAskingThreadAndEndsWhenDoneIsCalled) {
  HeldSource source;
  Group* g = MustNewGroup(registry_, "g", 1 << 20, source.getter(), GoOptions({}, &loader_));
  std::latch answered(10);
  std::vector<std::string> values(10);
  for (int i = 0; i < 10; ++i) {
    g->GetAsync("k", [&, i](Result<ByteView> result) {
      values[i] = result.ok() ? result->ToString() : result.status().ToString();
      answered.count_down();
    });
  }
  // One load for ten callers, started before GetAsync returned, and held.
  EXPECT_EQ(source.calls(), 1);
  EXPECT_FALSE(answered.try_wait());
  source.AnswerAll();
  answered.wait();
  for (const std::string& v : values) EXPECT_EQ(v, "value-of-k");
  EXPECT_EQ(loader_.submitted, 0);
  // Cached: no second load.
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(source.calls(), 1);
  EXPECT_EQ(g->stats().local_loads, 1);
}

TEST_F(GroupAsyncGetterTest, ErrorsAreNotCachedAndNotFoundFollowsItsTtl) {
  HeldSource source;
  GroupOptions options = GoOptions({}, &loader_);
  options.not_found_ttl = std::chrono::hours(1);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, source.getter(), options);
  std::atomic<int> done{0};
  g->GetAsync("down", [&](Result<ByteView> r) {
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
    ++done;
  });
  source.AnswerAll(Status::Unavailable("origin down"));
  g->GetAsync("down", [&](Result<ByteView> r) {
    EXPECT_TRUE(r.ok());
    ++done;
  });
  EXPECT_EQ(source.calls(), 2);  // the error was not kept
  source.AnswerAll();
  g->GetAsync("gone", [&](Result<ByteView> r) {
    EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
    ++done;
  });
  source.AnswerAll(Status::NotFound("no row"));
  EXPECT_EQ(g->Get("gone").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(source.calls(), 3);  // remembered
  EXPECT_EQ(done, 3);
}

TEST_F(GroupAsyncGetterTest, DoneBeforeGetAsyncReturnsAndTheBlockingForm) {
  auto getter = MakeAsyncGetter([](std::string_view key, Sink& dest, AsyncGetter::Done done) {
    dest.SetString("now-" + std::string(key));
    done(Status::Ok());
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, GoOptions({}, &loader_));
  EXPECT_EQ(MustGet(g, "k"), "now-k");
  // Called outside a group, an AsyncGetter blocks like a Getter.
  Sink sink;
  ASSERT_TRUE(getter->Get("x", sink).ok());
  EXPECT_EQ(sink.view(), "now-x");
}

TEST_F(GroupAsyncGetterTest, AThrowFailsTheLoadAndALateDoneIsIgnored) {
  AsyncGetter::Done kept;
  auto getter = MakeAsyncGetter([&](std::string_view, Sink& dest, AsyncGetter::Done done) {
    dest.SetString("late");
    kept = std::move(done);
    throw std::runtime_error("bug");
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, GoOptions({}, &loader_));
  Result<ByteView> result = g->Get("k");
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
  EXPECT_NE(result.status().message().find("bug"), std::string::npos);
  kept(Status::Ok());  // too late: nothing is cached, nobody answered twice
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
}

TEST_F(GroupAsyncGetterTest, ManyKeysFromManyThreads) {
  // Each load answered from a thread of its own, while other threads ask:
  // every caller gets its own key's value (run under TSan too).
  std::mutex mu;
  std::vector<std::thread> sources;  // joined before the group goes
  auto getter = MakeAsyncGetter([&](std::string_view key, Sink& dest, AsyncGetter::Done done) {
    std::lock_guard<std::mutex> lock(mu);
    sources.emplace_back([key = std::string(key), &dest, done = std::move(done)]() mutable {
      dest.SetString("v-" + key);
      done(Status::Ok());
    });
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, GoOptions({}, &loader_));
  std::vector<std::thread> askers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    askers.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string key = "k" + std::to_string((i * 7 + t) % 50);
        Result<ByteView> r = g->Get(key);
        if (!r.ok() || r->view() != "v-" + key) ++wrong;
      }
    });
  }
  for (std::thread& t : askers) t.join();
  for (std::thread& t : sources) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(loader_.submitted, 0);
}

}  // namespace
}  // namespace groupcache::testing
