// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Expiry: values that carry an expiry, the group's ttl and its jitter, the
// hot cache keeping the owner's expiry, and expired entries evicted first.
// Time is an injected clock: no test sleeps.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "group_fakes.h"
#include "groupcache/group.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcache::testing {
namespace {

using std::chrono::seconds;
using Time = std::chrono::system_clock::time_point;

// A wall clock that moves only when told to. Thread-safe.
class ManualClock {
 public:
  ManualClock() : ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(seconds(1'800'000'000)).count()) {}
  Time now() const {
    return Time(std::chrono::duration_cast<Time::duration>(std::chrono::nanoseconds(ns_.load())));
  }
  void Advance(std::chrono::nanoseconds d) { ns_ += d.count(); }
  std::function<Time()> AsFunction() {
    return [this] { return now(); };
  }

 private:
  std::atomic<int64_t> ns_;
};

class GroupExpiryTest : public ::testing::Test {
 protected:
  GroupOptions Options(std::shared_ptr<HotCachePolicy> policy = std::make_shared<FixedPolicy>(false)) {
    GroupOptions options = GoOptions(std::move(policy));
    options.clock = clock_.AsFunction();
    return options;
  }

  ManualClock clock_;
  GroupRegistry registry_;
};

TEST_F(GroupExpiryTest, AValueIsAHitUntilItsExpiryThenReloadsOnce) {
  auto getter = std::make_shared<FakeGetter>([this](std::string_view key, Sink& dest) {
    dest.SetString("v-" + std::string(key));
    dest.SetExpiry(clock_.now() + seconds(10));
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, Options());
  auto first = g->Get("k");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->expiry(), clock_.now() + seconds(10));
  clock_.Advance(seconds(9));
  EXPECT_EQ(MustGet(g, "k"), "v-k");
  EXPECT_EQ(getter->calls("k"), 1);
  clock_.Advance(seconds(1));  // exactly at the expiry: stale
  EXPECT_EQ(MustGet(g, "k"), "v-k");
  EXPECT_EQ(getter->calls("k"), 2);
  EXPECT_EQ(MustGet(g, "k"), "v-k");
  EXPECT_EQ(getter->calls("k"), 2);
  // The reload replaced the entry: one item, counted once.
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 1 + 3);
}

// A getter sees the value that expired (Sink::previous), to revalidate it
// or to serve it while its source fails; never a live or removed one.
TEST_F(GroupExpiryTest, TheGetterSeesTheExpiredValueItReplaces) {
  std::vector<std::string> seen;  // what each load saw as previous
  int version = 0;
  auto getter = std::make_shared<FakeGetter>([&](std::string_view, Sink& dest) {
    const ByteView* previous = dest.previous();
    seen.push_back(previous ? previous->ToString() + "@" +
                                  std::to_string(previous->expiry() == clock_.now() - seconds(1))
                            : "none");
    if (previous != nullptr && version == 2) {
      // Revalidated: the same bytes (the same buffer) for another 10 s.
      dest.SetView(*previous);
      dest.SetExpiry(clock_.now() + seconds(10));
      return Status::Ok();
    }
    dest.SetString("v" + std::to_string(++version));
    dest.SetExpiry(clock_.now() + seconds(10));
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, Options());
  EXPECT_EQ(MustGet(g, "k"), "v1");
  clock_.Advance(seconds(11));  // expired a second ago
  EXPECT_EQ(MustGet(g, "k"), "v2");
  clock_.Advance(seconds(11));
  const ByteView before = g->Get("k").value();  // revalidated
  EXPECT_EQ(before, "v2");
  EXPECT_EQ(before.expiry(), clock_.now() + seconds(10));
  EXPECT_EQ(seen, (std::vector<std::string>{"none", "v1@1", "v2@1"}));
  // Removed: nothing to revalidate.
  ASSERT_TRUE(g->Remove("k").ok());
  EXPECT_EQ(MustGet(g, "k"), "v3");
  EXPECT_EQ(seen.back(), "none");
}

TEST_F(GroupExpiryTest, ValuesWithoutExpiryNeverExpire) {
  auto getter = std::make_shared<FakeGetter>();
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, Options());
  auto first = g->Get("k");
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->expires());
  clock_.Advance(seconds(100'000'000));
  EXPECT_EQ(MustGet(g, "k"), "value-of-k");
  EXPECT_EQ(getter->calls("k"), 1);
}

TEST_F(GroupExpiryTest, TheGroupTtlCapsEveryValue) {
  auto getter = std::make_shared<FakeGetter>([this](std::string_view, Sink& dest) {
    dest.SetString("v");
    dest.SetExpiry(clock_.now() + seconds(3600));  // longer than the ttl
    return Status::Ok();
  });
  auto plain = std::make_shared<FakeGetter>();
  GroupOptions options = Options();
  options.ttl = seconds(60);
  Group* capped = MustNewGroup(registry_, "capped", 1 << 20, getter, options);
  Group* no_expiry = MustNewGroup(registry_, "plain", 1 << 20, plain, options);
  auto a = capped->Get("k");
  auto b = no_expiry->Get("k");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->expiry(), clock_.now() + seconds(60));
  EXPECT_EQ(b->expiry(), clock_.now() + seconds(60));
  clock_.Advance(seconds(60));
  EXPECT_EQ(MustGet(capped, "k"), "v");
  EXPECT_EQ(MustGet(no_expiry, "k"), "value-of-k");
  EXPECT_EQ(getter->calls("k"), 2);
  EXPECT_EQ(plain->calls("k"), 2);
}

TEST_F(GroupExpiryTest, AShorterExpiryThanTheTtlIsKept) {
  auto getter = std::make_shared<FakeGetter>([this](std::string_view, Sink& dest) {
    dest.SetString("v");
    dest.SetExpiry(clock_.now() + seconds(5));
    return Status::Ok();
  });
  GroupOptions options = Options();
  options.ttl = seconds(60);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, options);
  auto a = g->Get("k");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->expiry(), clock_.now() + seconds(5));
}

TEST_F(GroupExpiryTest, JitterSpreadsExpiriesWithinTheBound) {
  GroupOptions options = Options();
  options.ttl = seconds(100);
  options.ttl_jitter = seconds(20);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, std::make_shared<FakeGetter>(), options);
  Time earliest = Time::max(), latest = Time::min();
  for (int i = 0; i < 200; ++i) {
    auto v = g->Get("k" + std::to_string(i));
    ASSERT_TRUE(v.ok());
    earliest = std::min(earliest, v->expiry());
    latest = std::max(latest, v->expiry());
  }
  EXPECT_GE(earliest, clock_.now() + seconds(80));
  EXPECT_LE(latest, clock_.now() + seconds(100));
  // 200 draws over 20 s: they do not all land together.
  EXPECT_GT(latest - earliest, seconds(10));
}

TEST_F(GroupExpiryTest, BadTtlOptionsAreRefused) {
  GroupOptions options = Options();
  options.ttl = seconds(10);
  options.ttl_jitter = seconds(11);
  auto r = registry_.NewGroup("g", 1 << 20, std::make_shared<FakeGetter>(), options);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  options.ttl = seconds(-1);
  options.ttl_jitter = seconds(0);
  EXPECT_EQ(registry_.NewGroup("g", 1 << 20, std::make_shared<FakeGetter>(), options).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(GroupExpiryTest, AValueAlreadyExpiredIsAnsweredButNotKept) {
  auto getter = std::make_shared<FakeGetter>([this](std::string_view, Sink& dest) {
    dest.SetString("v");
    dest.SetExpiry(clock_.now() - seconds(1));
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, Options());
  EXPECT_EQ(MustGet(g, "k"), "v");
  EXPECT_EQ(MustGet(g, "k"), "v");
  EXPECT_EQ(getter->calls("k"), 2);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
}

TEST_F(GroupExpiryTest, TheHotCopyKeepsTheOwnersExpiry) {
  auto peer = std::make_shared<FakePeer>([this](std::string_view, std::string_view key) {
    return Result<ByteView>(
        ByteView::CopyOf("peer-" + std::string(key)).WithExpiry(clock_.now() + seconds(30)));
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, std::make_shared<FakeGetter>(),
                          Options(std::make_shared<FixedPolicy>(true)));
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));
  EXPECT_EQ(MustGet(g, "k"), "peer-k");
  clock_.Advance(seconds(29));
  EXPECT_EQ(MustGet(g, "k"), "peer-k");
  EXPECT_EQ(peer->calls("k"), 1);  // from the hot cache
  clock_.Advance(seconds(1));
  EXPECT_EQ(MustGet(g, "k"), "peer-k");
  EXPECT_EQ(peer->calls("k"), 2);  // the hot copy expired with its owner's value
}

TEST_F(GroupExpiryTest, TheTtlAlsoCapsHotCopies) {
  auto peer = std::make_shared<FakePeer>();  // values without expiry
  GroupOptions options = Options(std::make_shared<FixedPolicy>(true));
  options.ttl = seconds(20);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, std::make_shared<FakeGetter>(), options);
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));
  auto v = g->Get("k");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->expiry(), clock_.now() + seconds(20));
  clock_.Advance(seconds(20));
  EXPECT_EQ(MustGet(g, "k"), "peer-value-of-k");
  EXPECT_EQ(peer->calls("k"), 2);
}

TEST_F(GroupExpiryTest, AnExpiredPeerValueIsAnsweredButNotKept) {
  auto peer = std::make_shared<FakePeer>([this](std::string_view, std::string_view) {
    return Result<ByteView>(ByteView::CopyOf("old").WithExpiry(clock_.now() - seconds(5)));
  });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, std::make_shared<FakeGetter>(),
                          Options(std::make_shared<FixedPolicy>(true)));
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));
  EXPECT_EQ(MustGet(g, "k"), "old");
  EXPECT_EQ(g->cache_stats(CacheType::kHot).items, 0);
}

TEST_F(GroupExpiryTest, ExpiredEntriesAreEvictedBeforeLiveOnes) {
  // Each value costs 1 (key) + 9 (value) = 10 bytes; the budget holds 4.
  auto getter = std::make_shared<FakeGetter>([this](std::string_view key, Sink& dest) {
    dest.SetString("value-" + std::string(key) + "xx");
    if (key == "a") dest.SetExpiry(clock_.now() + seconds(5));
    return Status::Ok();
  });
  Group* g = MustNewGroup(registry_, "g", 40, getter, Options());
  // a is the newest entry, so CLOCK alone would evict b (the oldest, never hit).
  for (const char* key : {"b", "c", "d", "a"}) EXPECT_EQ(MustGet(g, key).size(), 9u);
  clock_.Advance(seconds(5));
  // Adding e must evict the expired a instead.
  EXPECT_EQ(MustGet(g, "e").size(), 9u);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 4);
  for (const char* key : {"b", "c", "d", "e"}) EXPECT_EQ(MustGet(g, key).size(), 9u);
  for (const char* key : {"b", "c", "d", "e"}) EXPECT_EQ(getter->calls(key), 1) << key;
  EXPECT_EQ(g->cache_stats(CacheType::kMain).evictions, 1);
}

// --- Negative caching ---------------------------------------------------------

TEST_F(GroupExpiryTest, NotFoundIsRememberedForNotFoundTtl) {
  auto getter = std::make_shared<FakeGetter>([](std::string_view key, Sink& dest) {
    if (key == "missing") return Status::NotFound("no such key");
    dest.SetString("v");
    return Status::Ok();
  });
  GroupOptions options = Options();
  options.not_found_ttl = seconds(30);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, options);
  EXPECT_EQ(g->Get("missing").status().code(), StatusCode::kNotFound);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(g->Get("missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(getter->calls("missing"), 1);
  EXPECT_EQ(g->stats().not_found_hits, 100);
  // Charged as the key alone, in the main cache.
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 7);
  clock_.Advance(seconds(30));
  EXPECT_EQ(g->Get("missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(getter->calls("missing"), 2);
  // Other errors are never remembered.
  auto failing =
      std::make_shared<FakeGetter>([](std::string_view, Sink&) { return Status::Unavailable("down"); });
  Group* f = MustNewGroup(registry_, "f", 1 << 20, failing, options);
  EXPECT_EQ(f->Get("k").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(f->Get("k").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(failing->calls("k"), 2);
}

TEST_F(GroupExpiryTest, NotFoundIsNotRememberedByDefault) {
  auto getter = std::make_shared<FakeGetter>([](std::string_view, Sink&) { return Status::NotFound("no"); });
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, Options());
  EXPECT_EQ(g->Get("k").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(g->Get("k").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(getter->calls("k"), 2);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 0);
}

TEST_F(GroupExpiryTest, AKeyThatAppearsReplacesItsNotFoundRecordWhenItExpires) {
  bool exists = false;
  auto getter = std::make_shared<FakeGetter>([&exists](std::string_view, Sink& dest) {
    if (!exists) return Status::NotFound("not yet");
    dest.SetString("here");
    return Status::Ok();
  });
  GroupOptions options = Options();
  options.not_found_ttl = seconds(5);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, options);
  EXPECT_EQ(g->Get("k").status().code(), StatusCode::kNotFound);
  exists = true;
  EXPECT_EQ(g->Get("k").status().code(), StatusCode::kNotFound);  // remembered
  clock_.Advance(seconds(5));
  EXPECT_EQ(MustGet(g, "k"), "here");
  EXPECT_EQ(MustGet(g, "k"), "here");
  EXPECT_EQ(getter->calls("k"), 2);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).items, 1);
  EXPECT_EQ(g->cache_stats(CacheType::kMain).bytes, 1 + 4);
}

TEST_F(GroupExpiryTest, PeersAreNotAskedForAKeyRememberedAsNotFound) {
  // The owner (a peer) fails the key; the local fallback load finds it
  // missing, and that is remembered here: later Gets ask nobody.
  auto peer = std::make_shared<FakePeer>(
      [](std::string_view, std::string_view) { return Result<ByteView>(Status::Internal("not found")); });
  auto getter = std::make_shared<FakeGetter>([](std::string_view, Sink&) { return Status::NotFound("no"); });
  GroupOptions options = Options();
  options.not_found_ttl = seconds(60);
  Group* g = MustNewGroup(registry_, "g", 1 << 20, getter, options);
  g->SetPeerPicker(std::make_shared<FakePicker>([](std::string_view) { return true; }, peer));
  EXPECT_EQ(g->Get("k").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(g->Get("k").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(g->Get("k", GetOptions{.from_peer = true}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(peer->calls("k"), 1);
  EXPECT_EQ(getter->calls("k"), 1);
  EXPECT_EQ(g->stats().not_found_hits, 2);
}

TEST_F(GroupExpiryTest, NegativeTtlIsRefused) {
  GroupOptions options = Options();
  options.not_found_ttl = seconds(-1);
  EXPECT_EQ(registry_.NewGroup("g", 1 << 20, std::make_shared<FakeGetter>(), options).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace groupcache::testing
