// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Group::Remove and Group::Set across a pool of fake peers: groupcache-go
// v3's order (owner first, then here, then every other peer), errors
// gathered, and loads in flight during a change not kept.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "group_fakes.h"
#include "groupcache/group.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache::testing {
namespace {

using Changes = std::vector<std::string>;

class GroupChangeTest : public ::testing::Test {
 protected:
  // A group where keys starting with "r" are owned by owner_, with two more
  // peers in the pool; every peer value is admitted to the hot cache.
  Group* MakeGroup(std::shared_ptr<Getter> getter = std::make_shared<FakeGetter>()) {
    Group* g = MustNewGroup(registry_, "g", 1 << 20, std::move(getter),
                            GoOptions(std::make_shared<FixedPolicy>(true)));
    g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view key) { return key.starts_with("r"); },
                                                  owner_, std::vector<std::shared_ptr<PeerGetter>>{a_, b_}));
    return g;
  }

  GroupRegistry registry_;
  std::shared_ptr<FakePeer> owner_ = std::make_shared<FakePeer>();
  std::shared_ptr<FakePeer> a_ = std::make_shared<FakePeer>();
  std::shared_ptr<FakePeer> b_ = std::make_shared<FakePeer>();
};

TEST_F(GroupChangeTest, RemoveReachesTheOwnerThisNodeAndEveryOtherPeer) {
  Group* g = MakeGroup();
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");  // a hot copy here
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 1);
  EXPECT_TRUE(g->Remove("remote").ok());
  EXPECT_EQ(owner_->changes(), Changes{"remove remote"});
  EXPECT_EQ(a_->changes(), Changes{"remove remote"});
  EXPECT_EQ(b_->changes(), Changes{"remove remote"});
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
  EXPECT_EQ(owner_->calls("remote"), 2);  // asked again: the hot copy went
}

TEST_F(GroupChangeTest, RemovingALocalKeyAsksEveryPeerButNoOwner) {
  auto getter = std::make_shared<FakeGetter>();
  Group* g = MakeGroup(getter);
  EXPECT_EQ(MustGet(g, "local"), "value-of-local");
  EXPECT_TRUE(g->Remove("local").ok());
  EXPECT_EQ(owner_->changes(), Changes{"remove local"});  // here owner_ is just another peer
  EXPECT_EQ(a_->changes(), Changes{"remove local"});
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
  EXPECT_EQ(MustGet(g, "local"), "value-of-local");
  EXPECT_EQ(getter->calls("local"), 2);
}

TEST_F(GroupChangeTest, AnOwnerThatRefusesStopsTheRemove) {
  Group* g = MakeGroup();
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
  owner_->set_change_status(Status::Unavailable("connection refused"));
  Status status = g->Remove("remote");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("the owner refused: connection refused"), std::string::npos);
  // Neither this node nor the others were changed.
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 1);
  EXPECT_TRUE(a_->changes().empty());
  EXPECT_TRUE(b_->changes().empty());
}

TEST_F(GroupChangeTest, OtherPeersFailuresAreGatheredAfterTheChangeIsDone) {
  Group* g = MakeGroup();
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
  a_->set_change_status(Status::Unavailable("timed out"));
  b_->set_change_status(Status::Internal("500"));
  Status status = g->Remove("remote");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("2 peer(s) failed"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("timed out"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("500"), std::string::npos) << status.message();
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);  // removed here all the same
}

TEST_F(GroupChangeTest, SetStoresEverywhereInTheMainCaches) {
  auto getter = std::make_shared<FakeGetter>();
  Group* g = MakeGroup(getter);
  EXPECT_TRUE(g->Set("local", ByteView::CopyOf("new")).ok());
  EXPECT_EQ(owner_->changes(), Changes{"set local=new"});
  EXPECT_EQ(a_->changes(), Changes{"set local=new"});
  EXPECT_EQ(MustGet(g, "local"), "new");
  EXPECT_EQ(getter->calls("local"), 0);
  // A remote key: the owner first, then here (main cache, the hot copy gone).
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
  EXPECT_TRUE(g->Set("remote", ByteView::CopyOf("set value")).ok());
  EXPECT_EQ(MustGet(g, "remote"), "set value");
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 2);
}

TEST_F(GroupChangeTest, WithoutPeersAChangeIsLocal) {
  auto getter = std::make_shared<FakeGetter>();
  Group* g = MustNewGroup(registry_, "solo", 1 << 20, getter, GoOptions());
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_TRUE(g->Remove("k").ok());
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(getter->calls("k"), 2);
  EXPECT_TRUE(g->RemoveLocally("k"));
  EXPECT_FALSE(g->RemoveLocally("k"));
  g->SetLocally("k", ByteView::CopyOf("x"));
  EXPECT_EQ(MustGet(g, "k"), "x");
}

TEST_F(GroupChangeTest, ALoadInFlightDuringARemoveIsAnsweredButNotKept) {
  Gate gate;
  auto getter = std::make_shared<FakeGetter>([&gate](std::string_view, Sink& dest) {
    gate.Wait();
    dest.SetString("old");
    return Status::Ok();
  });
  ThreadPool pool(2, 16);
  GroupOptions options = GoOptions(std::make_shared<FixedPolicy>(false), &pool);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, options);
  std::thread reader([&] { EXPECT_EQ(MustGet(g, "k"), "old"); });
  while (getter->calls("k") == 0) std::this_thread::yield();  // the getter has started
  EXPECT_FALSE(g->RemoveLocally("k"));
  gate.Open();
  reader.join();
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
  EXPECT_EQ(MustGet(g, "k"), "old");
  EXPECT_EQ(getter->calls("k"), 2);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);  // a load after the change is kept
}

TEST_F(GroupChangeTest, PurgeEmptiesThisNodeAndAsksEveryPeer) {
  auto getter = std::make_shared<FakeGetter>();
  Group* g = MakeGroup(getter);
  EXPECT_EQ(MustGet(g, "local"), "value-of-local");
  EXPECT_EQ(MustGet(g, "remote"), "peer-value-of-remote");
  EXPECT_TRUE(g->Purge().ok());
  EXPECT_EQ(owner_->changes(), Changes{"purge g"});
  EXPECT_EQ(a_->changes(), Changes{"purge g"});
  EXPECT_EQ(b_->changes(), Changes{"purge g"});
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes + g->cache_stats(CacheType::kHot).bytes, 0);
  EXPECT_EQ(MustGet(g, "local"), "value-of-local");
  EXPECT_EQ(getter->calls("local"), 2);
  // A peer that fails is reported; this node is purged all the same.
  a_->set_change_status(Status::Unavailable("down"));
  Status status = g->Purge();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
}

}  // namespace
}  // namespace groupcache::testing
