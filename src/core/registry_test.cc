// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/registry.h"

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/executor.h"
#include "groupcache/getter.h"
#include "groupcache/group.h"
#include "groupcache/peers.h"
#include "gtest/gtest.h"

namespace groupcache {
namespace {

std::shared_ptr<Getter> EchoGetter(std::string prefix = "v:") {
  return MakeGetter([prefix](std::string_view key, Sink& dest) {
    dest.SetString(prefix + std::string(key));
    return Status::Ok();
  });
}

// A picker that counts PickPeer calls and always says "load it here".
class CountingPicker final : public PeerPicker {
 public:
  std::shared_ptr<PeerGetter> PickPeer(std::string_view) override {
    picks.fetch_add(1);
    return nullptr;
  }
  std::atomic<int> picks{0};
};

// Counts submitted tasks and runs them inline.
class CountingExecutor final : public Executor {
 public:
  bool Submit(Task task) override {
    submitted.fetch_add(1);
    task();
    return true;
  }
  std::atomic<int> submitted{0};
};

class JoinAtEnd {
 public:
  explicit JoinAtEnd(ThreadPool& pool) : pool_(pool) {}
  ~JoinAtEnd() { pool_.Shutdown(); }

 private:
  ThreadPool& pool_;
};

TEST(GroupRegistryTest, NewGroupAndGetGroup) {
  GroupRegistry registry;
  auto r = registry.NewGroup("colors", 64 << 20, EchoGetter());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Group* g = r.value();
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->name(), "colors");
  EXPECT_EQ(g->cache_bytes(), 64 << 20);
  EXPECT_EQ(registry.GetGroup("colors"), g);
  auto v = g->Get("red");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), "v:red");
}

TEST(GroupRegistryTest, UnknownGroupIsNull) {
  GroupRegistry registry;
  EXPECT_EQ(registry.GetGroup("nope"), nullptr);
  EXPECT_EQ(registry.GetGroup(""), nullptr);
  ASSERT_TRUE(registry.NewGroup("colors", 100, EchoGetter()).ok());
  EXPECT_EQ(registry.GetGroup("color"), nullptr);
  EXPECT_EQ(registry.GetGroup("colors2"), nullptr);
  EXPECT_EQ(registry.GetGroup("COLORS"), nullptr);
}

TEST(GroupRegistryTest, DuplicateNameIsAlreadyExists) {
  GroupRegistry registry;
  auto first = registry.NewGroup("dup", 100, EchoGetter("first:"));
  ASSERT_TRUE(first.ok());
  auto second = registry.NewGroup("dup", 200, EchoGetter("second:"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find("dup"), std::string::npos) << second.status().ToString();

  // The original group is untouched.
  Group* g = registry.GetGroup("dup");
  EXPECT_EQ(g, first.value());
  EXPECT_EQ(g->cache_bytes(), 100);
  auto v = g->Get("k");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), "first:k");
  EXPECT_EQ(registry.groups().size(), 1u);
}

TEST(GroupRegistryTest, EmptyNameIsInvalidArgument) {
  GroupRegistry registry;
  auto r = registry.NewGroup("", 100, EchoGetter());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry.groups().empty());
}

TEST(GroupRegistryTest, NullGetterIsInvalidArgument) {
  GroupRegistry registry;
  auto r = registry.NewGroup("g", 100, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.GetGroup("g"), nullptr);
  // The name is still free afterwards.
  EXPECT_TRUE(registry.NewGroup("g", 100, EchoGetter()).ok());
}

TEST(GroupRegistryTest, NonPositiveBudgetIsAllowed) {
  GroupRegistry registry;
  EXPECT_TRUE(registry.NewGroup("zero", 0, EchoGetter()).ok());
  EXPECT_TRUE(registry.NewGroup("negative", -5, EchoGetter()).ok());
}

TEST(GroupRegistryTest, NamesWithAnyBytes) {
  GroupRegistry registry;
  std::string odd("grp x/%+\0\xff", 9);
  ASSERT_TRUE(registry.NewGroup(odd, 100, EchoGetter()).ok());
  ASSERT_NE(registry.GetGroup(odd), nullptr);
  EXPECT_EQ(registry.GetGroup(odd)->name(), odd);
  EXPECT_EQ(registry.GetGroup("grp x/%+"), nullptr);
}

TEST(GroupRegistryTest, GroupsListsEveryGroup) {
  GroupRegistry registry;
  EXPECT_TRUE(registry.groups().empty());
  std::vector<Group*> made;
  for (const char* name : {"b", "a", "c"}) {
    auto r = registry.NewGroup(name, 100, EchoGetter());
    ASSERT_TRUE(r.ok());
    made.push_back(r.value());
  }
  std::vector<Group*> listed = registry.groups();
  ASSERT_EQ(listed.size(), 3u);
  std::sort(listed.begin(), listed.end());
  std::sort(made.begin(), made.end());
  EXPECT_EQ(listed, made);
}

TEST(GroupRegistryTest, TwoRegistriesAreIndependent) {
  GroupRegistry one;
  GroupRegistry two;
  auto a = one.NewGroup("shared-name", 100, EchoGetter("one:"));
  auto b = two.NewGroup("shared-name", 100, EchoGetter("two:"));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok()) << "a name used in another registry must be free here";
  EXPECT_NE(a.value(), b.value());
  EXPECT_EQ(one.GetGroup("shared-name"), a.value());
  EXPECT_EQ(two.GetGroup("shared-name"), b.value());
  EXPECT_EQ(a.value()->Get("k").value(), "one:k");
  EXPECT_EQ(b.value()->Get("k").value(), "two:k");
  EXPECT_EQ(a.value()->stats().gets, 1);
  EXPECT_EQ(b.value()->stats().gets, 1);

  ASSERT_TRUE(one.NewGroup("only-in-one", 100, EchoGetter()).ok());
  EXPECT_EQ(two.GetGroup("only-in-one"), nullptr);

  auto picker = std::make_shared<CountingPicker>();
  one.SetPeerPicker(picker);
  (void)b.value()->Get("fresh");
  EXPECT_EQ(picker->picks.load(), 0) << "a picker set on one registry leaked into another";
  (void)a.value()->Get("fresh");
  EXPECT_EQ(picker->picks.load(), 1);
}

TEST(GroupRegistryTest, SetPeerPickerAppliesToExistingAndFutureGroups) {
  GroupRegistry registry;
  Group* before = registry.NewGroup("before", 1000, EchoGetter()).value();
  auto picker = std::make_shared<CountingPicker>();
  registry.SetPeerPicker(picker);
  Group* after = registry.NewGroup("after", 1000, EchoGetter()).value();

  EXPECT_TRUE(before->Get("x").ok());
  EXPECT_EQ(picker->picks.load(), 1);
  EXPECT_TRUE(after->Get("y").ok());
  EXPECT_EQ(picker->picks.load(), 2);

  // Replacing it replaces it everywhere; null means no peers.
  auto second = std::make_shared<CountingPicker>();
  registry.SetPeerPicker(second);
  EXPECT_TRUE(before->Get("x2").ok());
  EXPECT_TRUE(after->Get("y2").ok());
  EXPECT_EQ(picker->picks.load(), 2);
  EXPECT_EQ(second->picks.load(), 2);

  registry.SetPeerPicker(nullptr);
  EXPECT_TRUE(before->Get("x3").ok());
  EXPECT_TRUE(after->Get("y3").ok());
  Group* later = registry.NewGroup("later", 1000, EchoGetter()).value();
  EXPECT_TRUE(later->Get("z").ok());
  EXPECT_EQ(second->picks.load(), 2);
}

TEST(GroupRegistryTest, DefaultLoaderIsInline) {
  GroupRegistry registry;
  std::thread::id getter_thread;
  auto getter = MakeGetter([&](std::string_view, Sink& dest) {
    getter_thread = std::this_thread::get_id();
    dest.SetString("v");
    return Status::Ok();
  });
  Group* g = registry.NewGroup("g", 1000, getter).value();
  EXPECT_TRUE(g->Get("k").ok());
  EXPECT_EQ(getter_thread, std::this_thread::get_id());
}

TEST(GroupRegistryTest, RegistryLoaderRunsGettersOfGroupsWithoutTheirOwn) {
  ThreadPool pool(1, 16);
  GroupRegistry registry(&pool);
  JoinAtEnd join_pool(pool);
  std::thread::id getter_thread;
  auto getter = MakeGetter([&](std::string_view, Sink& dest) {
    getter_thread = std::this_thread::get_id();
    dest.SetString("v");
    return Status::Ok();
  });
  Group* g = registry.NewGroup("g", 1000, getter).value();
  auto r = g->Get("k");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), "v");
  EXPECT_NE(getter_thread, std::thread::id());
  EXPECT_NE(getter_thread, std::this_thread::get_id());
}

TEST(GroupRegistryTest, GroupLoaderOverridesRegistryLoader) {
  CountingExecutor registry_loader;
  CountingExecutor group_loader;
  GroupRegistry registry(&registry_loader);
  GroupOptions options;
  options.loader = &group_loader;
  Group* own = registry.NewGroup("own", 1000, EchoGetter(), options).value();
  Group* shared = registry.NewGroup("shared", 1000, EchoGetter()).value();
  EXPECT_TRUE(own->Get("k").ok());
  EXPECT_EQ(group_loader.submitted.load(), 1);
  EXPECT_EQ(registry_loader.submitted.load(), 0);
  EXPECT_TRUE(shared->Get("k").ok());
  EXPECT_EQ(registry_loader.submitted.load(), 1);
  EXPECT_EQ(group_loader.submitted.load(), 1);
}

TEST(GroupRegistryTest, ConcurrentNewGroupOfOneNameCreatesOne) {
  constexpr int kThreads = 8;
  GroupRegistry registry;
  std::latch start(kThreads);
  std::atomic<int> created{0};
  std::atomic<int> already{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto r = registry.NewGroup("race", 100, EchoGetter());
      if (r.ok()) {
        created.fetch_add(1);
      } else if (r.status().code() == StatusCode::kAlreadyExists) {
        already.fetch_add(1);
      }
      (void)registry.GetGroup("race");
      (void)registry.groups();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(already.load(), kThreads - 1);
  EXPECT_EQ(registry.groups().size(), 1u);
}

}  // namespace
}  // namespace groupcache
