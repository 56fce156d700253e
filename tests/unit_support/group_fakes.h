// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only fakes and helpers shared by the Group tests (src/core/group_*_test.cc):
// a scripted getter, peer, picker and hot-cache policy, and shortcuts to make
// groups and get values.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_GROUP_FAKES_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_GROUP_FAKES_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "groupcache/executor.h"
#include "groupcache/getter.h"
#include "groupcache/group.h"
#include "groupcache/peers.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache::testing {

// A gate a getter can block on until the test opens it.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A getter whose behaviour the test scripts; counts calls per key.
class FakeGetter final : public Getter {
 public:
  using Fn = std::function<Status(std::string_view key, Sink& dest)>;
  explicit FakeGetter(Fn fn = nullptr) : fn_(std::move(fn)) {}

  Status Get(std::string_view key, Sink& dest) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_[std::string(key)]++;
      total_++;
    }
    if (fn_) return fn_(key, dest);
    dest.SetString("value-of-" + std::string(key));
    return Status::Ok();
  }

  int calls(std::string_view key) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = calls_.find(std::string(key));
    return it == calls_.end() ? 0 : it->second;
  }
  int total() const {
    std::lock_guard<std::mutex> lock(mu_);
    return total_;
  }

 private:
  Fn fn_;
  mutable std::mutex mu_;
  std::map<std::string, int> calls_;
  int total_ = 0;
};

// A PeerGetter that answers from a function, inline, or holds callbacks until
// the test completes them.
class FakePeer final : public PeerGetter {
 public:
  using Fn = std::function<Result<ByteView>(std::string_view group, std::string_view key)>;
  explicit FakePeer(Fn fn = nullptr) : fn_(std::move(fn)) {}

  void set_hold(bool hold) { hold_ = hold; }

  void Get(std::string_view group, std::string_view key, PeerCallback done) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.emplace_back(std::string(group), std::string(key));
      if (hold_) held_.push_back(std::move(done));
    }
    cv_.notify_all();
    if (hold_) return;
    if (fn_) {
      done(fn_(group, key));
    } else {
      done(ByteView::CopyOf("peer-value-of-" + std::string(key)));
    }
  }

  // Remove and Set are recorded ("remove k", "set k=v") and answered with
  // change_status() (OK unless set_change_status says otherwise).
  void Remove(std::string_view group, std::string_view key, PeerDoneCallback done) override {
    (void)group;
    done(RecordChange("remove " + std::string(key)));
  }
  void Set(std::string_view group, std::string_view key, const ByteView& value,
           PeerDoneCallback done) override {
    (void)group;
    done(RecordChange("set " + std::string(key) + "=" + value.ToString()));
  }
  void Purge(std::string_view group, PeerDoneCallback done) override {
    done(RecordChange("purge " + std::string(group)));
  }
  void set_change_status(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    change_status_ = std::move(status);
  }
  std::vector<std::string> changes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return changes_;
  }

  // Blocks until n requests have arrived.
  void WaitForRequests(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return requests_.size() >= n; });
  }
  // Completes the oldest held request with `result`.
  void CompleteOldest(Result<ByteView> result) {
    PeerCallback done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ASSERT_FALSE(held_.empty());
      done = std::move(held_.front());
      held_.erase(held_.begin());
    }
    done(std::move(result));
  }

  size_t calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }
  int calls(std::string_view key) const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(
        std::count_if(requests_.begin(), requests_.end(), [&](const auto& r) { return r.second == key; }));
  }
  std::vector<std::pair<std::string, std::string>> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  Status RecordChange(std::string change) {
    std::lock_guard<std::mutex> lock(mu_);
    changes_.push_back(std::move(change));
    return change_status_;
  }

  Fn fn_;
  bool hold_ = false;
  Status change_status_;
  std::vector<std::string> changes_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, std::string>> requests_;
  std::vector<PeerCallback> held_;
};

// A PeerPicker that calls a key remote when `is_remote(key)` says so.
class FakePicker final : public PeerPicker {
 public:
  // `others`: the peers besides `peer` that AllPeers lists.
  FakePicker(std::function<bool(std::string_view)> is_remote, std::shared_ptr<PeerGetter> peer,
             std::vector<std::shared_ptr<PeerGetter>> others = {})
      : is_remote_(std::move(is_remote)), peer_(std::move(peer)), others_(std::move(others)) {}

  std::vector<std::shared_ptr<PeerGetter>> AllPeers() override {
    std::vector<std::shared_ptr<PeerGetter>> all = others_;
    if (peer_) all.insert(all.begin(), peer_);
    return all;
  }

  std::shared_ptr<PeerGetter> PickPeer(std::string_view key) override {
    picks_.fetch_add(1);
    return is_remote_(key) ? peer_ : nullptr;
  }
  int picks() const { return picks_.load(); }

 private:
  std::function<bool(std::string_view)> is_remote_;
  std::shared_ptr<PeerGetter> peer_;
  std::vector<std::shared_ptr<PeerGetter>> others_;
  std::atomic<int> picks_{0};
};

class FixedPolicy final : public HotCachePolicy {
 public:
  explicit FixedPolicy(bool admit) : admit_(admit) {}
  bool Admit(std::string_view key, const ByteView& value) override {
    std::lock_guard<std::mutex> lock(mu_);
    asked_.emplace_back(std::string(key), value.ToString());
    return admit_;
  }
  std::vector<std::pair<std::string, std::string>> asked() const {
    std::lock_guard<std::mutex> lock(mu_);
    return asked_;
  }

 private:
  bool admit_;
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> asked_;
};

// A RandomSource that replays a script and records the n it was asked for.
class ScriptedRandom {
 public:
  explicit ScriptedRandom(std::vector<uint32_t> script) : script_(std::move(script)) {}
  RandomSource AsSource() {
    return [this](uint32_t n) {
      std::lock_guard<std::mutex> lock(mu_);
      ns_.push_back(n);
      uint32_t v = next_ < script_.size() ? script_[next_] : 1;
      ++next_;
      return v;
    };
  }
  std::vector<uint32_t> ns() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ns_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<uint32_t> script_;
  size_t next_ = 0;
  std::vector<uint32_t> ns_;
};

// An executor that refuses while `refuse` is set, and otherwise runs inline.
class SwitchableExecutor final : public Executor {
 public:
  std::atomic<bool> refuse{true};
  bool Submit(Task task) override {
    if (refuse.load()) return false;
    task();
    return true;
  }
};

// Joins a pool's threads before the groups they run code for are destroyed:
// declare it after the registry. A callback having run does not mean the
// loader task that ran it has returned.
class JoinAtEnd {
 public:
  explicit JoinAtEnd(ThreadPool& pool) : pool_(pool) {}
  ~JoinAtEnd() { pool_.Shutdown(); }

 private:
  ThreadPool& pool_;
};

inline GroupOptions GoOptions(std::shared_ptr<HotCachePolicy> policy = std::make_shared<FixedPolicy>(false),
                              Executor* loader = nullptr) {
  GroupOptions options;
  options.hot_cache_policy = std::move(policy);
  options.loader = loader;
  options.entry_overhead_bytes = 0;  // count bytes as Go does
  return options;
}

inline Group* MustNewGroup(GroupRegistry& registry, std::string name, int64_t cache_bytes,
                           std::shared_ptr<Getter> getter, GroupOptions options) {
  auto r = registry.NewGroup(std::move(name), cache_bytes, std::move(getter), std::move(options));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : nullptr;
}

inline std::string MustGet(Group* g, std::string_view key, GetOptions options = {}) {
  auto r = g->Get(key, options);
  EXPECT_TRUE(r.ok()) << "Get(" << key << "): " << r.status().ToString();
  return r.ok() ? r.value().ToString() : std::string("<error>");
}

inline int64_t TotalBytes(Group* g) {
  return g->cache_stats(CacheType::kMain).bytes + g->cache_stats(CacheType::kHot).bytes;
}

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_GROUP_FAKES_H_
