// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/byte_view.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "groupcache/getter.h"
#include "gtest/gtest.h"

namespace groupcache {
namespace {

TEST(ByteViewTest, DefaultIsEmptyAndDataIsNeverNull) {
  ByteView v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.size(), 0u);
  ASSERT_NE(v.data(), nullptr);
  EXPECT_EQ(v.view(), "");
  EXPECT_EQ(v.ToString(), "");
  EXPECT_EQ(v, ByteView());
  EXPECT_EQ(v, "");
}

TEST(ByteViewTest, CopyOfEmptyIsEmpty) {
  ByteView v = ByteView::CopyOf("");
  EXPECT_TRUE(v.empty());
  ASSERT_NE(v.data(), nullptr);
  EXPECT_EQ(v, ByteView());
}

TEST(ByteViewTest, CopyOfCopiesTheBytes) {
  std::string src = "hello";
  ByteView v = ByteView::CopyOf(src);
  EXPECT_NE(static_cast<const void*>(v.data()), static_cast<const void*>(src.data()));
  src[0] = 'J';
  EXPECT_EQ(v, "hello");
  EXPECT_EQ(v.size(), 5u);
  EXPECT_FALSE(v.empty());
  EXPECT_EQ(v.At(0), 'h');
  EXPECT_EQ(v.At(4), 'o');
}

TEST(ByteViewTest, HoldsArbitraryBytesIncludingNul) {
  std::string src("a\0b\xff", 4);
  ByteView v = ByteView::CopyOf(src);
  EXPECT_EQ(v.size(), 4u);
  EXPECT_EQ(v.view(), src);
  EXPECT_EQ(v.ToString(), src);
  EXPECT_EQ(v.At(1), '\0');
  EXPECT_EQ(v.At(3), '\xff');
}

TEST(ByteViewTest, CopiesShareTheBuffer) {
  ByteView a = ByteView::CopyOf("shared");
  ByteView b = a;
  EXPECT_EQ(a.data(), b.data());
  EXPECT_EQ(a, b);
  ByteView c;
  c = a;
  EXPECT_EQ(c.data(), a.data());
}

TEST(ByteViewTest, MoveLeavesSourceEmpty) {
  ByteView a = ByteView::CopyOf("moving");
  const char* data = a.data();
  ByteView b = std::move(a);
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b, "moving");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(a.view(), "");
  ByteView c;
  c = std::move(b);
  EXPECT_EQ(c, "moving");
}

TEST(ByteViewTest, SelfAssignment) {
  ByteView a = ByteView::CopyOf("self");
  ByteView& ref = a;
  a = ref;
  EXPECT_EQ(a, "self");
}

TEST(ByteViewTest, BuildWritesInPlace) {
  ByteView v = ByteView::Build(5, [](char* dest) { std::memcpy(dest, "abcde", 5); });
  EXPECT_EQ(v, "abcde");
  bool called = false;
  ByteView empty = ByteView::Build(0, [&](char*) { called = true; });
  EXPECT_TRUE(empty.empty());
  EXPECT_FALSE(called);
}

TEST(ByteViewTest, SliceSharesBufferAndClampsBounds) {
  ByteView v = ByteView::CopyOf("0123456789");
  ByteView s = v.Slice(2, 5);
  EXPECT_EQ(s, "234");
  EXPECT_EQ(s.data(), v.data() + 2);  // no copy
  EXPECT_EQ(v.SliceFrom(7), "789");
  EXPECT_EQ(v.SliceFrom(7).data(), v.data() + 7);
  EXPECT_EQ(v.Slice(0, 10), v);
  EXPECT_EQ(v.Slice(8, 100), "89");
  EXPECT_EQ(v.Slice(100, 200), "");
  EXPECT_TRUE(v.Slice(5, 5).empty());
  EXPECT_EQ(v.SliceFrom(10), "");
  EXPECT_EQ(v.SliceFrom(11), "");
  // A slice of a slice.
  EXPECT_EQ(s.Slice(1, 2), "3");
  EXPECT_EQ(s.SliceFrom(1), "34");
  EXPECT_EQ(s.Slice(1, 99), "34");
}

TEST(ByteViewTest, SliceOfEmpty) {
  ByteView v;
  EXPECT_TRUE(v.Slice(0, 10).empty());
  EXPECT_TRUE(v.SliceFrom(3).empty());
}

TEST(ByteViewTest, SliceOutlivesOriginal) {
  ByteView slice;
  {
    ByteView original = ByteView::CopyOf("keep these bytes alive");
    slice = original.Slice(5, 10);
  }
  EXPECT_EQ(slice, "these");
  ByteView copy = slice;
  slice = ByteView();
  EXPECT_EQ(copy, "these");
}

TEST(ByteViewTest, CopyToCopiesMinOfSizes) {
  ByteView v = ByteView::CopyOf("abcdef");
  char buf[16];
  std::memset(buf, 'x', sizeof buf);
  EXPECT_EQ(v.CopyTo(buf, sizeof buf), 6u);
  EXPECT_EQ(std::string(buf, 7), "abcdefx");
  char small[3];
  EXPECT_EQ(v.CopyTo(small, sizeof small), 3u);
  EXPECT_EQ(std::string(small, 3), "abc");
  EXPECT_EQ(v.CopyTo(small, 0), 0u);
  EXPECT_EQ(ByteView().CopyTo(buf, sizeof buf), 0u);
  EXPECT_EQ(v.Slice(4, 6).CopyTo(buf, sizeof buf), 2u);
  EXPECT_EQ(std::string(buf, 2), "ef");
}

TEST(ByteViewTest, EqualityIsByContent) {
  ByteView a = ByteView::CopyOf("same");
  ByteView b = ByteView::CopyOf("same");
  EXPECT_NE(a.data(), b.data());
  EXPECT_EQ(a, b);
  EXPECT_TRUE(a == std::string_view("same"));
  EXPECT_FALSE(a == std::string_view("Same"));
  EXPECT_FALSE(a == ByteView::CopyOf("sam"));
  EXPECT_EQ(ByteView::CopyOf("xsamex").Slice(1, 5), a);
}

TEST(ByteViewTest, Swap) {
  ByteView a = ByteView::CopyOf("a");
  ByteView b = ByteView::CopyOf("bb");
  a.swap(b);
  EXPECT_EQ(a, "bb");
  EXPECT_EQ(b, "a");
}

TEST(ByteViewTest, LargeValue) {
  std::string big(1 << 20, 'z');
  big[12345] = 'q';
  ByteView v = ByteView::CopyOf(big);
  EXPECT_EQ(v.size(), big.size());
  EXPECT_EQ(v.view(), big);
  EXPECT_EQ(v.At(12345), 'q');
}

// Many threads copy and drop views of one buffer; the reference count must
// keep it alive until the last one is gone (meaningful under ASan/TSan).
TEST(ByteViewTest, ConcurrentCopiesOfOneBuffer) {
  ByteView shared = ByteView::CopyOf("concurrently shared value");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([shared]() mutable {
      for (int i = 0; i < 10000; ++i) {
        ByteView copy = shared;
        ByteView slice = copy.Slice(0, 12);
        if (slice != std::string_view("concurrently")) std::abort();
      }
      shared = ByteView();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(shared, "concurrently shared value");
}

TEST(SinkTest, EmptyWhenNothingSet) {
  Sink sink;
  EXPECT_TRUE(sink.view().empty());
  EXPECT_TRUE(sink.Take().empty());
}

TEST(SinkTest, LastSetWins) {
  Sink sink;
  sink.SetString("first");
  sink.SetBytes("second", 6);
  EXPECT_EQ(sink.view(), "second");
  ByteView v = ByteView::CopyOf("third");
  sink.SetView(v);
  EXPECT_EQ(sink.view(), "third");
  EXPECT_EQ(sink.view().data(), v.data());  // SetView shares, no copy
  ByteView taken = sink.Take();
  EXPECT_EQ(taken, "third");
}

TEST(SinkTest, SetStringCopies) {
  std::string src = "mutable";
  Sink sink;
  sink.SetString(src);
  src[0] = 'M';
  EXPECT_EQ(sink.view(), "mutable");
  const unsigned char raw[] = {0, 1, 2, 255};
  sink.SetBytes(raw, sizeof raw);
  EXPECT_EQ(sink.view(), std::string_view("\0\1\2\xff", 4));
}

TEST(ByteViewTest, ExpiryTravelsWithCopiesAndSlicesNotEquality) {
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  ByteView plain = ByteView::CopyOf("hello");
  EXPECT_FALSE(plain.expires());
  EXPECT_EQ(plain.expire_unix_nanos(), 0);
  ByteView timed = plain.WithExpiry(when);
  EXPECT_TRUE(timed.expires());
  EXPECT_EQ(timed.expiry(), when);
  EXPECT_EQ(timed.data(), plain.data());  // shares the bytes
  EXPECT_EQ(timed, plain);                // expiry is not content
  ByteView copy = timed;
  EXPECT_EQ(copy.expiry(), when);
  EXPECT_EQ(timed.Slice(1, 3).expiry(), when);
  EXPECT_EQ(timed.Slice(2, 2).expiry(), when);  // an empty slice too
  ByteView moved = std::move(copy);
  EXPECT_EQ(moved.expiry(), when);
  EXPECT_FALSE(copy.expires());  // NOLINT(bugprone-use-after-move): moved-from is reset
  const int64_t at = ByteView::ToUnixNanos(when);
  EXPECT_FALSE(timed.ExpiredAt(at - 1));
  EXPECT_TRUE(timed.ExpiredAt(at));
  EXPECT_FALSE(plain.ExpiredAt(INT64_MAX));
  // The epoch or earlier is "already expired", never "no expiry".
  EXPECT_EQ(plain.WithExpiry(std::chrono::system_clock::time_point{}).expire_unix_nanos(), 1);
  EXPECT_EQ(plain.WithExpiry(int64_t{-3}).expire_unix_nanos(), 1);
  EXPECT_FALSE(timed.WithExpiry(int64_t{0}).expires());
  // An empty value can expire.
  EXPECT_TRUE(ByteView().WithExpiry(when).expires());
}

TEST(SinkTest, SetExpiryAppliesToWhateverIsSet) {
  const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  Sink sink;
  sink.SetExpiry(when);
  sink.SetString("v");
  EXPECT_EQ(sink.view().expiry(), when);
  Sink keeps;
  keeps.SetView(ByteView::CopyOf("w").WithExpiry(when));
  EXPECT_EQ(keeps.Take().expiry(), when);
}

TEST(ByteViewTest, Hash64IsXxh64) {
  // Reference values from the xxHash command line tool (xxh64sum).
  EXPECT_EQ(ByteView::Hash64Of(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(ByteView::Hash64Of("abc"), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(ByteView::Hash64Of("Nobody inspects the spammish repetition"), 0xFBCEA83C8A378BF1ULL);
  EXPECT_EQ(ByteView().Hash64(), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(ByteView::CopyOf("abc").Hash64(), 0x44BC2CF5AD770999ULL);
}

TEST(ByteViewTest, Hash64IsRememberedForOneRangeOfABuffer) {
  const ByteView whole = ByteView::CopyOf("header:Nobody inspects the spammish repetition");
  const ByteView body = whole.SliceFrom(7);
  // The first range hashed is remembered; copies of it answer from memory.
  EXPECT_EQ(body.Hash64(), 0xFBCEA83C8A378BF1ULL);
  EXPECT_EQ(ByteView(body).Hash64(), 0xFBCEA83C8A378BF1ULL);
  EXPECT_EQ(whole.SliceFrom(7).Hash64(), 0xFBCEA83C8A378BF1ULL);
  // Other ranges of the same buffer are never answered with it.
  EXPECT_EQ(whole.Hash64(), ByteView::Hash64Of(whole.view()));
  EXPECT_NE(whole.Hash64(), body.Hash64());
  EXPECT_EQ(whole.Slice(7, 10).Hash64(), ByteView::Hash64Of("Nob"));
  EXPECT_EQ(whole.SliceFrom(8).Hash64(), ByteView::Hash64Of(body.view().substr(1)));
  // A range the same size at another offset is another range.
  const ByteView twin = ByteView::CopyOf("abcabc");
  EXPECT_EQ(twin.Slice(0, 3).Hash64(), ByteView::Hash64Of("abc"));
  EXPECT_EQ(twin.Slice(3, 6).Hash64(), ByteView::Hash64Of("abc"));
  EXPECT_EQ(twin.Slice(1, 4).Hash64(), ByteView::Hash64Of("bca"));
}

TEST(ByteViewTest, Hash64FromManyThreadsAgrees) {
  std::string bytes(1 << 16, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 31 + i / 7);
  const uint64_t want = ByteView::Hash64Of(bytes);
  for (int round = 0; round < 20; ++round) {
    const ByteView value = ByteView::CopyOf(bytes);
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&value, &wrong, want, t] {
        // Some threads hash another range first: only one range is kept.
        if (t % 2 == 1 && value.SliceFrom(1).Hash64() == want) ++wrong;
        if (value.Hash64() != want) ++wrong;
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(wrong.load(), 0);
  }
}

}  // namespace
}  // namespace groupcache
