// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/warn_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace groupcached {
namespace {

using std::chrono::seconds;

class WarnLimiterTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::time_point{} + seconds(1000);
  WarnLimiter::Clock clock_ = [this] { return now_; };
};

TEST_F(WarnLimiterTest, FirstIsLoggedRepeatsAreCountedUntilTheInterval) {
  WarnLimiter limiter(seconds(10), 16, clock_);
  auto first = limiter.Admit("http://a:1", "refused");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->subject, "http://a:1");
  EXPECT_EQ(first->suppressed, 0u);
  for (int i = 0; i < 5; ++i) {
    now_ += seconds(1);
    EXPECT_FALSE(limiter.Admit("http://a:1", "refused"));
  }
  now_ += seconds(5);  // 10 s after the first
  auto next = limiter.Admit("http://a:1", "refused");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->suppressed, 5u);
  EXPECT_FALSE(limiter.Admit("http://a:1", "refused"));
}

TEST_F(WarnLimiterTest, SubjectsAndReasonsAreSeparate) {
  WarnLimiter limiter(seconds(10), 16, clock_);
  EXPECT_TRUE(limiter.Admit("http://a:1", "refused"));
  EXPECT_TRUE(limiter.Admit("http://a:1", "timeout"));
  EXPECT_TRUE(limiter.Admit("http://b:1", "refused"));
  EXPECT_FALSE(limiter.Admit("http://a:1", "timeout"));
  EXPECT_FALSE(limiter.Admit("http://b:1", "refused"));
}

TEST_F(WarnLimiterTest, AFullTableSharesOneOverflowEntryPerReason) {
  WarnLimiter limiter(seconds(10), 2, clock_);
  EXPECT_TRUE(limiter.Admit("10.0.0.1", "tls_unknown_ca"));
  EXPECT_TRUE(limiter.Admit("10.0.0.2", "tls_unknown_ca"));
  auto third = limiter.Admit("10.0.0.3", "tls_unknown_ca");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->subject, WarnLimiter::kOverflowSubject);
  for (int i = 4; i < 1000; ++i) {
    EXPECT_FALSE(limiter.Admit("10.0.0." + std::to_string(i), "tls_unknown_ca"));
  }
  // Another reason gets its own overflow line.
  auto other = limiter.Admit("10.0.9.9", "tls_expired");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->subject, WarnLimiter::kOverflowSubject);
}

TEST_F(WarnLimiterTest, AgedOutSubjectsFreeTheirSlotsAndKeepTheirCounts) {
  WarnLimiter limiter(seconds(10), 2, clock_);
  EXPECT_TRUE(limiter.Admit("10.0.0.1", "tls_no_certificate"));
  EXPECT_FALSE(limiter.Admit("10.0.0.1", "tls_no_certificate"));  // held back: 1
  EXPECT_FALSE(limiter.Admit("10.0.0.1", "tls_no_certificate"));  // held back: 2
  EXPECT_TRUE(limiter.Admit("10.0.0.2", "tls_no_certificate"));
  now_ += seconds(11);
  // Both aged out: a new subject gets a slot of its own again.
  auto fresh = limiter.Admit("10.0.0.3", "tls_no_certificate");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->subject, "10.0.0.3");
  EXPECT_TRUE(limiter.Admit("10.0.0.4", "tls_no_certificate"));
  // The table is full again; the next new subject overflows, and that line
  // reports the two warnings 10.0.0.1 held back before it aged out.
  auto overflow = limiter.Admit("10.0.0.5", "tls_no_certificate");
  ASSERT_TRUE(overflow);
  EXPECT_EQ(overflow->subject, WarnLimiter::kOverflowSubject);
  EXPECT_EQ(overflow->suppressed, 2u);
}

TEST_F(WarnLimiterTest, ExpiryScansAtMostOncePerInterval) {
  WarnLimiter limiter(seconds(10), 1, clock_);
  EXPECT_TRUE(limiter.Admit("a", "r"));
  now_ += seconds(11);
  EXPECT_TRUE(limiter.Admit("b", "r"));  // scans: "a" goes, "b" takes the slot
  EXPECT_EQ(limiter.Admit("b", "r"), std::nullopt);
  now_ += seconds(5);
  // Full, and the last scan was 5 s ago: no scan, the overflow entry is used.
  auto c = limiter.Admit("c", "r");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->subject, WarnLimiter::kOverflowSubject);
}

}  // namespace
}  // namespace groupcached
