// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A concurrent stress test, meant for ThreadSanitizer (the test command runs
// it in a -fsanitize=thread build): many threads, overlapping keys, a budget
// small enough to evict all the time, peers that fail at random, and real
// peers over HTTP. Every value received must be exactly the value of the key
// asked for.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "fake_server.h"
#include "groupcache/groupcache.h"

namespace groupcache {
namespace {

// The value of `key`: long enough that a torn or partial value would show.
std::string ValueOf(std::string_view key) {
  std::string value = "v:" + std::string(key) + ":";
  while (value.size() < 300) value += value;
  value.resize(300 + key.size() % 50);
  return value;
}

std::shared_ptr<Getter> ValueGetter(std::atomic<int>* loads) {
  return MakeGetter([loads](std::string_view key, Sink& dest) {
    loads->fetch_add(1, std::memory_order_relaxed);
    if (key.ends_with("7")) return Status::NotFound("keys ending in 7 do not exist");
    if (key.ends_with("3")) throw std::runtime_error("getter failure");
    dest.SetString(ValueOf(key));
    return Status::Ok();
  });
}

// A peer that answers on its own threads: right values, or failures.
class FlakyPeer final : public PeerGetter {
 public:
  explicit FlakyPeer(ThreadPool* pool) : pool_(pool) {}
  void Get(std::string_view, std::string_view key, PeerCallback done) override {
    auto shared = std::make_shared<PeerCallback>(std::move(done));
    const bool fail = std::hash<std::string_view>()(key) % 3 == 0 || calls_.fetch_add(1) % 5 == 0;
    std::string k(key);
    if (!pool_->Submit([shared, fail, k] {
          (*shared)(fail ? Result<ByteView>(Status::Unavailable("flaky peer"))
                         : Result<ByteView>(ByteView::CopyOf(ValueOf(k))));
        })) {
      (*shared)(Status::Unavailable("peer pool full"));
    }
  }

 private:
  ThreadPool* pool_;
  std::atomic<uint64_t> calls_{0};
};

class HalfRemotePicker final : public PeerPicker {
 public:
  explicit HalfRemotePicker(std::shared_ptr<PeerGetter> peer) : peer_(std::move(peer)) {}
  std::shared_ptr<PeerGetter> PickPeer(std::string_view key) override {
    return key.size() % 2 == 0 ? peer_ : nullptr;
  }

 private:
  std::shared_ptr<PeerGetter> peer_;
};

void CheckResult(std::string_view key, const Result<ByteView>& result, std::atomic<int>* wrong) {
  if (result.ok()) {
    if (result->view() != ValueOf(key)) wrong->fetch_add(1);
  } else if (key.ends_with("7")) {
    if (result.status().code() != StatusCode::kNotFound) wrong->fetch_add(1);
  } else if (!key.ends_with("3")) {
    wrong->fetch_add(1);  // every other key must load, locally if the peer fails
  }
}

TEST(StressTest, ManyThreadsOverlappingKeysEvictionsAndFlakyPeers) {
  ThreadPool loaders(4, 100000);
  ThreadPool peer_threads(3, 100000);
  std::atomic<int> loads{0}, wrong{0}, calls{0};
  GroupRegistry registry(&loaders);
  GroupOptions options;
  options.hot_cache_policy = RandomHotCachePolicy(2);
  // About 40 values fit: constant eviction in both caches.
  Group* group =
      registry.NewGroup("stress", 40 * (330 + kDefaultEntryOverhead), ValueGetter(&loads), options).value();
  registry.SetPeerPicker(std::make_shared<HalfRemotePicker>(std::make_shared<FlakyPeer>(&peer_threads)));

  constexpr int kThreads = 8;
  constexpr int kGetsPerThread = 4000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      std::atomic<int> pending{0};
      for (int i = 0; i < kGetsPerThread; ++i) {
        const std::string key = "key-" + std::to_string(rng() % 200) + (rng() % 2 ? "x" : "");
        if (i % 2 == 0) {
          CheckResult(key, group->Get(key), &wrong);
        } else {
          pending.fetch_add(1);
          group->GetAsync(key, [&, key](Result<ByteView> result) {
            CheckResult(key, result, &wrong);
            calls.fetch_add(1);
            pending.fetch_sub(1);
          });
        }
        if (i % 16 == 0) {
          (void)group->stats();
          (void)group->cache_stats(CacheType::kHot);
        }
      }
      while (pending.load() > 0) std::this_thread::yield();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(calls.load(), kThreads * kGetsPerThread / 2);
  const Stats stats = group->stats();
  EXPECT_EQ(stats.gets, kThreads * kGetsPerThread);
  EXPECT_GT(stats.peer_errors, 0);
  EXPECT_GT(group->cache_stats(CacheType::kMain).evictions, 0);
  EXPECT_LE(group->cache_stats(CacheType::kMain).bytes + group->cache_stats(CacheType::kHot).bytes,
            group->cache_bytes());
}

TEST(StressTest, RealPeersOverHttpWithOneBrokenPeer) {
  Runtime runtime(RuntimeOptions{.io_threads = 2, .worker_threads = 3});
  testing::FakeServer broken("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\x0a\x09xx");
  std::atomic<int> loads_a{0}, loads_b{0}, wrong{0};
  GroupRegistry registry_a(&runtime.workers()), registry_b(&runtime.workers());
  Group* a = registry_a.NewGroup("s", 30 * 500, ValueGetter(&loads_a)).value();
  Group* b = registry_b.NewGroup("s", 30 * 500, ValueGetter(&loads_b)).value();
  auto server_a = HttpServer::Listen(runtime, {}).value();
  auto server_b = HttpServer::Listen(runtime, {}).value();
  const std::string url_a = "http://127.0.0.1:" + std::to_string(server_a->port());
  const std::string url_b = "http://127.0.0.1:" + std::to_string(server_b->port());
  auto pool_a = HttpPool::Create(runtime, registry_a, url_a).value();
  auto pool_b = HttpPool::Create(runtime, registry_b, url_b).value();
  const std::vector<std::string> peers = {url_a, url_b, broken.url()};
  ASSERT_TRUE(pool_a->Set(peers).ok());
  ASSERT_TRUE(pool_b->Set(peers).ok());
  registry_a.SetPeerPicker(pool_a);
  registry_b.SetPeerPicker(pool_b);
  server_a->Handle(pool_a->base_path(), pool_a->handler());
  server_b->Handle(pool_b->base_path(), pool_b->handler());
  server_a->Start();
  server_b->Start();

  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(100 + t);
      Group* group = t % 2 ? a : b;
      for (int i = 0; i < 300; ++i) {
        const std::string key = "k" + std::to_string(rng() % 120);
        CheckResult(key, group->Get(key), &wrong);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(a->stats().peer_errors + b->stats().peer_errors, 0);  // the broken peer
  EXPECT_GT(a->stats().peer_loads + b->stats().peer_loads, 0);    // the good one
  server_a->Stop();
  server_b->Stop();
  runtime.Shutdown();
}

}  // namespace
}  // namespace groupcache
