// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Group with peers: fetching from the owner, falling back to a local load.
#include <memory>
#include <mutex>
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

// ---------------------------------------------------------------------------
// Peers

TEST(GroupTest, RemoteKeyIsFetchedFromPeerNotLoaded) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  Group* g = MustNewGroup(registry, "colors", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);

  EXPECT_EQ(MustGet(g, "blue"), "peer-value-of-blue");
  EXPECT_EQ(getter->total(), 0);
  ASSERT_EQ(peer->calls(), 1u);
  EXPECT_EQ(peer->requests()[0], (std::pair<std::string, std::string>("colors", "blue")));
  EXPECT_EQ(picker->picks(), 1);
  Stats s = g->stats();
  EXPECT_EQ(s.peer_loads, 1);
  EXPECT_EQ(s.peer_errors, 0);
  EXPECT_EQ(s.local_loads, 0);
  EXPECT_EQ(s.loads_deduped, 1);
  // Never stored in main; the policy said no to the hot cache.
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);

  // Not cached, so a second Get asks the peer again.
  EXPECT_EQ(MustGet(g, "blue"), "peer-value-of-blue");
  EXPECT_EQ(peer->calls(), 2u);
}

TEST(GroupTest, PeerFailureCountsPeerErrorAndLoadsLocally) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>([](std::string_view, std::string_view) -> Result<ByteView> {
    return Status::Unavailable("connection refused");
  });
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  auto policy = std::make_shared<FixedPolicy>(true);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions(policy));
  g->SetPeerPicker(picker);

  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(peer->calls(), 1u);
  EXPECT_EQ(getter->calls("k"), 1);
  Stats s = g->stats();
  EXPECT_EQ(s.peer_errors, 1);
  EXPECT_EQ(s.peer_loads, 0);
  EXPECT_EQ(s.local_loads, 1);
  EXPECT_EQ(s.loads_deduped, 1);
  // The local fallback goes to the main cache, and the policy is not asked.
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
  EXPECT_TRUE(policy->asked().empty());

  // Now a main-cache hit: neither the peer nor the getter is asked.
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(peer->calls(), 1u);
  EXPECT_EQ(getter->calls("k"), 1);
}

TEST(GroupTest, PeerNotFoundAlsoFallsBackToLocalLoad) {
  GroupRegistry registry;
  auto getter =
      std::make_shared<FakeGetter>([](std::string_view, Sink&) { return Status::NotFound("nope here too"); });
  auto peer = std::make_shared<FakePeer>([](std::string_view, std::string_view) -> Result<ByteView> {
    return Status::NotFound("peer says no");
  });
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));
  auto r = g->Get("purple");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(g->stats().peer_errors, 1);
  EXPECT_EQ(g->stats().local_load_errs, 1);
}

TEST(GroupTest, FromPeerNeverConsultsThePicker) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);

  GetOptions from_peer;
  from_peer.from_peer = true;
  EXPECT_EQ(MustGet(g, "k", from_peer), "value-of-k");
  EXPECT_EQ(picker->picks(), 0);
  EXPECT_EQ(peer->calls(), 0u);
  EXPECT_EQ(getter->calls("k"), 1);
  EXPECT_EQ(g->stats().gets, 1);
  EXPECT_EQ(g->stats().local_loads, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);

  // The value is now in main, so even a normal Get hits without picking.
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(picker->picks(), 0);

  // Async form too.
  bool called = false;
  g->GetAsync(
      "other",
      [&](Result<ByteView> r) {
        called = true;
        EXPECT_TRUE(r.ok());
      },
      from_peer);
  EXPECT_TRUE(called);
  EXPECT_EQ(picker->picks(), 0);
  EXPECT_EQ(getter->calls("other"), 1);
}

TEST(GroupTest, PickerSayingSelfLoadsLocally) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  auto picker = std::make_shared<FakePicker>([](std::string_view key) { return key == "remote"; }, peer);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);
  EXPECT_EQ(MustGet(g, "local"), "value-of-local");
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
  EXPECT_EQ(picker->picks(), 2);
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(peer->calls(), 1u);

  // A null picker means no peers.
  g->SetPeerPicker(nullptr);
  EXPECT_EQ(MustGet(g, "remote"), "value-of-remote");
  EXPECT_EQ(peer->calls(), 1u);
}

TEST(GroupTest, AsyncPeerFetchIsSharedByWaiters) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  peer->set_hold(true);
  auto picker = std::make_shared<FakePicker>([](std::string_view) { return true; }, peer);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(picker);

  std::vector<std::string> got;
  std::mutex mu;
  for (int i = 0; i < 3; ++i) {
    g->GetAsync("k", [&](Result<ByteView> r) {
      std::lock_guard<std::mutex> lock(mu);
      got.push_back(r.ok() ? r.value().ToString() : r.status().ToString());
    });
  }
  peer->WaitForRequests(1);
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(got.empty());
  }
  peer->CompleteOldest(ByteView::CopyOf("from-peer"));
  EXPECT_EQ(got, (std::vector<std::string>{"from-peer", "from-peer", "from-peer"}));
  EXPECT_EQ(peer->calls(), 1u);
  EXPECT_EQ(getter->total(), 0);
  EXPECT_EQ(g->stats().loads, 3);
  EXPECT_EQ(g->stats().loads_deduped, 1);
  EXPECT_EQ(g->stats().peer_loads, 1);
}

TEST(GroupTest, AsyncPeerFailureFallsBackForEveryWaiter) {
  GroupRegistry registry;
  auto getter = std::make_shared<FakeGetter>();
  auto peer = std::make_shared<FakePeer>();
  peer->set_hold(true);
  Group* g = MustNewGroup(registry, "g", 1 << 20, getter, GoOptions());
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));

  std::vector<std::string> got;
  std::mutex mu;
  for (int i = 0; i < 2; ++i) {
    g->GetAsync("k", [&](Result<ByteView> r) {
      std::lock_guard<std::mutex> lock(mu);
      got.push_back(r.ok() ? r.value().ToString() : r.status().ToString());
    });
  }
  peer->WaitForRequests(1);
  // Completed from another thread, as an I/O thread would.
  std::thread io([&] { peer->CompleteOldest(Status::DeadlineExceeded("peer timed out")); });
  io.join();
  EXPECT_EQ(got, (std::vector<std::string>{"value-of-k", "value-of-k"}));
  EXPECT_EQ(getter->total(), 1);
  EXPECT_EQ(g->stats().peer_errors, 1);
  EXPECT_EQ(g->stats().local_loads, 1);
}

}  // namespace
}  // namespace groupcache::testing
