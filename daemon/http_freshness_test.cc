// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// ParseFreshness and its pieces: what a shared cache may keep, from an
// origin's headers, at a fixed clock reading.
#include "http_freshness.h"

#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace groupcached {
namespace {

using groupcache::HttpHeader;
using internal::ParseCacheControl;
using internal::ParseDeltaSeconds;
using internal::ParseHttpDate;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;
using std::chrono::system_clock;
using Kind = Freshness::Kind;
using namespace std::chrono_literals;

// 1994-11-06 08:49:37 UTC, the RFC's example date, and half a second past
// it: a clock reading that is not a whole second.
const sys_seconds kRfcDate = sys_days(std::chrono::year(1994) / 11 / 6) + 8h + 49min + 37s;
const system_clock::time_point kNow = kRfcDate + 500ms;

Freshness At(std::vector<HttpHeader> headers) { return ParseFreshness(headers, kNow); }

// A freshness that keeps the value `lifetime` from kNow.
::testing::AssertionResult StoresFor(const Freshness& got, system_clock::duration lifetime) {
  if (got.kind != Kind::kStoreUntil)
    return ::testing::AssertionFailure() << "kind " << static_cast<int>(got.kind);
  if (got.expiry != kNow + lifetime) {
    return ::testing::AssertionFailure()
           << "lifetime " << std::chrono::duration_cast<std::chrono::milliseconds>(got.expiry - kNow).count()
           << " ms, want " << std::chrono::duration_cast<std::chrono::milliseconds>(lifetime).count()
           << " ms";
  }
  return ::testing::AssertionSuccess();
}

TEST(ParseFreshness, NoHeadersIsNoInformation) {
  EXPECT_EQ(At({}).kind, Kind::kNoInfo);
  EXPECT_EQ(At({{"Content-Type", "text/plain"}, {"ETag", "\"x\""}}).kind, Kind::kNoInfo);
  // Directives that say nothing about freshness.
  EXPECT_EQ(At({{"Cache-Control", "public, must-revalidate, immutable"}}).kind, Kind::kNoInfo);
}

TEST(ParseFreshness, MaxAgeIsALifetimeFromNow) {
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60"}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "public, max-age=1"}}), 1s));
}

TEST(ParseFreshness, SMaxAgeWinsOverMaxAgeInEitherOrder) {
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60, s-maxage=600"}}), 600s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "s-maxage=5, max-age=60"}}), 5s));
  // An invalid s-maxage is absent: max-age applies.
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "s-maxage=soon, max-age=60"}}), 60s));
}

TEST(ParseFreshness, AgeIsSubtracted) {
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60"}, {"Age", "15"}}), 45s));
  EXPECT_TRUE(StoresFor(At({{"Age", " 15 "}, {"Cache-Control", "s-maxage=60"}}), 45s));
  // Nothing left, or less than nothing: not kept.
  EXPECT_EQ(At({{"Cache-Control", "max-age=60"}, {"Age", "60"}}).kind, Kind::kDoNotStore);
  EXPECT_EQ(At({{"Cache-Control", "max-age=60"}, {"Age", "100000"}}).kind, Kind::kDoNotStore);
  // An invalid Age is ignored; repeated, the largest counts.
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60"}, {"Age", "-5"}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60"}, {"Age", "soon"}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60"}, {"Age", "5"}, {"Age", "20"}}), 40s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60"}, {"Age", "20, 5"}}), 40s));
  // Age alone says nothing.
  EXPECT_EQ(At({{"Age", "5"}}).kind, Kind::kNoInfo);
}

TEST(ParseFreshness, MaxAgeZeroIsNotKept) {
  EXPECT_EQ(At({{"Cache-Control", "max-age=0"}}).kind, Kind::kDoNotStore);
  EXPECT_EQ(At({{"Cache-Control", "s-maxage=0, max-age=60"}}).kind, Kind::kDoNotStore);
}

TEST(ParseFreshness, NoStorePrivateAndNoCacheAreNeverKept) {
  for (const char* value :
       {"no-store", "private", "no-cache", "NO-STORE", "Private", "No-Cache", "max-age=600, no-store",
        "private, max-age=600", "s-maxage=600,no-cache", "private=\"Set-Cookie\"",
        "no-cache=\"Set-Cookie, X-Other\", max-age=600", "  public ,\tno-store  "}) {
    EXPECT_EQ(At({{"Cache-Control", value}}).kind, Kind::kDoNotStore) << value;
    // Even with an Expires far ahead.
    EXPECT_EQ(At({{"Cache-Control", value}, {"Expires", "Fri, 01 Jan 2100 00:00:00 GMT"}}).kind,
              Kind::kDoNotStore)
        << value;
  }
}

// nginx's proxy_cache and Varnish do not cache a response that sets a
// cookie; Vary: * never matches a later request (RFC 9110 §12.5.5).
TEST(ParseFreshness, SetCookieAndVaryStarAreNeverKept) {
  const HttpHeader long_life{"Cache-Control", "public, max-age=600"};
  EXPECT_EQ(At({long_life, {"Set-Cookie", "session=abc; HttpOnly"}}).kind, Kind::kDoNotStore);
  EXPECT_EQ(At({{"set-cookie", ""}, long_life}).kind, Kind::kDoNotStore);
  EXPECT_EQ(At({{"Set-Cookie", "a=1"}}).kind, Kind::kDoNotStore);  // even without a lifetime
  for (const char* vary : {"*", " * ", "Accept-Encoding, *", "*,Accept", "accept , * ,origin"}) {
    EXPECT_EQ(At({long_life, {"Vary", vary}}).kind, Kind::kDoNotStore) << vary;
    EXPECT_EQ(At({{"VARY", "Accept"}, {"Vary", vary}, long_life}).kind, Kind::kDoNotStore) << vary;
  }
  // Other Vary members: the http source sends the same request headers for
  // every load of a key, so one stored value answers them all.
  for (const char* vary : {"Accept-Encoding", "Accept, Origin", "", "\"*\"", "x*", "*x"}) {
    EXPECT_TRUE(StoresFor(At({long_life, {"Vary", vary}}), 600s)) << vary;
  }
  EXPECT_TRUE(StoresFor(At({long_life, {"Set-Cookie2", "a=1"}, {"X-Set-Cookie", "a=1"}}), 600s));
}

TEST(ParseFreshness, RepeatedCacheControlFieldsAreCombined) {
  EXPECT_EQ(At({{"Cache-Control", "max-age=600"}, {"cache-control", "no-store"}}).kind, Kind::kDoNotStore);
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "public"}, {"CACHE-CONTROL", "max-age=30"}}), 30s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=30"}, {"Cache-Control", "s-maxage=90"}}), 90s));
}

TEST(ParseFreshness, DuplicateDirectivesTakeTheMostRestrictive) {
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=600, max-age=60"}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60"}, {"Cache-Control", "max-age=600"}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "s-maxage=60, s-maxage=6"}}), 6s));
  // An invalid duplicate is ignored rather than winning.
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=60, max-age=-1"}}), 60s));
}

TEST(ParseFreshness, MalformedMaxAgeIsIgnored) {
  for (const char* value : {"max-age=-1", "max-age=abc", "max-age=", "max-age", "max-age=1.5", "max-age=+5",
                            "max-age=5 6", "max-age=0x10", "max-age=\"\"", "max-age=\"5", "max-age=５"}) {
    EXPECT_EQ(At({{"Cache-Control", value}}).kind, Kind::kNoInfo) << value;
    // ... so Expires, when there is one, applies.
    EXPECT_TRUE(StoresFor(At({{"Cache-Control", value},
                              {"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                              {"Expires", "Sun, 06 Nov 1994 08:50:37 GMT"}}),
                          60s))
        << value;
  }
}

TEST(ParseFreshness, QuotedAndSpacedValuesAreRead) {
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=\"60\""}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", " max-age = 60 "}}), 60s));
  // A comma inside a quoted value does not end the directive.
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "ext=\"a, max-age=1\", max-age=60"}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "ext=\"a \\\" , no-store\", max-age=60"}}), 60s));
  // An unterminated quote swallows the rest of the field, and only that.
  EXPECT_EQ(At({{"Cache-Control", "ext=\"a, no-store"}}).kind, Kind::kNoInfo);
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "ext=\"a, no-store"}, {"Cache-Control", "max-age=60"}}), 60s));
}

TEST(ParseFreshness, HugeLifetimesAreClamped) {
  EXPECT_TRUE(
      StoresFor(At({{"Cache-Control", "max-age=99999999999999999999999999999999"}}), kMaxFreshnessLifetime));
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", "max-age=9223372036854775807"}}), kMaxFreshnessLifetime));
  EXPECT_TRUE(
      StoresFor(At({{"Cache-Control", "max-age=2147483648"}, {"Age", "10"}}), kMaxFreshnessLifetime - 10s));
  EXPECT_TRUE(StoresFor(At({{"Expires", "Fri, 31 Dec 9999 23:59:59 GMT"}}), kMaxFreshnessLifetime));
  EXPECT_TRUE(
      StoresFor(At({{"Date", "Mon, 01 Jan 1601 00:00:00 GMT"}, {"Expires", "Fri, 31 Dec 9999 23:59:59 GMT"}}),
                kMaxFreshnessLifetime));
  EXPECT_EQ(
      At({{"Date", "Fri, 31 Dec 9999 23:59:59 GMT"}, {"Expires", "Mon, 01 Jan 1601 00:00:00 GMT"}}).kind,
      Kind::kDoNotStore);
  // The expiry is representable: a far-future clock reading does not overflow.
  const system_clock::time_point late = sys_days(std::chrono::year(2200) / 1 / 1);
  const Freshness far = ParseFreshness({{"Cache-Control", "max-age=99999999999999"}}, late);
  ASSERT_EQ(far.kind, Kind::kStoreUntil);
  EXPECT_EQ(far.expiry, late + kMaxFreshnessLifetime);
}

TEST(ParseFreshness, ExpiresIsMeasuredAgainstDate) {
  // The origin's clock is an hour behind ours: the lifetime is still 60 s.
  EXPECT_TRUE(StoresFor(
      At({{"Date", "Sun, 06 Nov 1994 07:49:37 GMT"}, {"Expires", "Sun, 06 Nov 1994 07:50:37 GMT"}}), 60s));
  EXPECT_TRUE(StoresFor(At({{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                            {"Expires", "Sun, 06 Nov 1994 08:59:37 GMT"},
                            {"Age", "100"}}),
                        500s));
  // Expires at or before Date: already stale.
  EXPECT_EQ(
      At({{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}, {"Expires", "Sun, 06 Nov 1994 08:49:37 GMT"}}).kind,
      Kind::kDoNotStore);
  EXPECT_EQ(
      At({{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}, {"Expires", "Sat, 01 Jan 1994 00:00:00 GMT"}}).kind,
      Kind::kDoNotStore);
}

TEST(ParseFreshness, ExpiresWithoutDateIsAgainstNow) {
  // kNow is 08:49:37.5: the expiry is Expires itself.
  EXPECT_TRUE(StoresFor(At({{"Expires", "Sun, 06 Nov 1994 08:50:37 GMT"}}), 59500ms));
  EXPECT_TRUE(StoresFor(At({{"Expires", "Sun, 06 Nov 1994 08:50:37 GMT"}, {"Age", "10"}}), 49500ms));
  EXPECT_TRUE(StoresFor(At({{"Expires", "Sun, 06 Nov 1994 08:49:38 GMT"}}), 500ms));
  // An invalid Date is as good as none.
  EXPECT_TRUE(StoresFor(At({{"Date", "yesterday"}, {"Expires", "Sun, 06 Nov 1994 08:50:37 GMT"}}), 59500ms));
  EXPECT_EQ(At({{"Expires", "Sun, 06 Nov 1994 08:49:37 GMT"}}).kind, Kind::kDoNotStore);
  EXPECT_EQ(At({{"Expires", "Sun, 06 Nov 1994 08:40:00 GMT"}}).kind, Kind::kDoNotStore);
}

TEST(ParseFreshness, InvalidExpiresIsAlreadyExpired) {
  for (const char* value :
       {"0", "-1", "", "never", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Feb 1994 08:49:37 GMT"}) {
    EXPECT_EQ(At({{"Expires", value}}).kind, Kind::kDoNotStore) << value;
  }
  // One invalid Expires among valid ones is enough.
  EXPECT_EQ(At({{"Expires", "Fri, 01 Jan 2100 00:00:00 GMT"}, {"Expires", "0"}}).kind, Kind::kDoNotStore);
}

TEST(ParseFreshness, CacheControlLifetimeWinsOverExpires) {
  EXPECT_TRUE(StoresFor(At({{"Expires", "0"}, {"Cache-Control", "max-age=60"}}), 60s));
  EXPECT_TRUE(
      StoresFor(At({{"Expires", "Fri, 01 Jan 2100 00:00:00 GMT"}, {"Cache-Control", "s-maxage=60"}}), 60s));
}

TEST(ParseFreshness, RepeatedExpiresAndDateTakeTheMostRestrictive) {
  EXPECT_TRUE(StoresFor(At({{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                            {"Expires", "Sun, 06 Nov 1994 09:49:37 GMT"},
                            {"Expires", "Sun, 06 Nov 1994 08:50:37 GMT"}}),
                        60s));
  EXPECT_TRUE(StoresFor(At({{"Date", "Sun, 06 Nov 1994 08:48:37 GMT"},
                            {"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                            {"Expires", "Sun, 06 Nov 1994 08:50:37 GMT"}}),
                        60s));
}

TEST(ParseFreshness, HostileHeadersGetThePlainVerdicts) {
  // 1 MiB of commas, of one unterminated quote, of one long name or number,
  // 100,000 directives, 10,001 fields: the verdicts are the plain ones (the
  // parser is linear, so this is quick; no timing is asserted).
  EXPECT_EQ(At({{"Cache-Control", std::string(1 << 20, ',')}}).kind, Kind::kNoInfo);
  EXPECT_EQ(At({{"Cache-Control", "x=\"" + std::string(1 << 20, '\\')}}).kind, Kind::kNoInfo);
  EXPECT_EQ(At({{"Cache-Control", std::string(1 << 20, 'a')}}).kind, Kind::kNoInfo);
  EXPECT_EQ(At({{"Cache-Control", "max-age=" + std::string(1 << 20, '9')}}).kind, Kind::kStoreUntil);
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "max-age=" + std::to_string(100000 - i) + ",";
  EXPECT_TRUE(StoresFor(At({{"Cache-Control", many}}), 1s));
  std::vector<HttpHeader> fields(10000, HttpHeader{"Cache-Control", "public"});
  fields.push_back({"Cache-Control", "no-store"});
  EXPECT_EQ(At(fields).kind, Kind::kDoNotStore);
  // Bytes that are not text.
  EXPECT_EQ(At({{"Cache-Control", std::string("max-age=6\0"
                                              "0",
                                              11)}})
                .kind,
            Kind::kNoInfo);
  EXPECT_EQ(At({{"Cache-Control", "\xff\xfe=\x80, max-age=60"}}).kind, Kind::kStoreUntil);
  EXPECT_EQ(At({{"Expires", std::string(1 << 20, 'S')}}).kind, Kind::kDoNotStore);
}

TEST(ParseCacheControl, ReadsTheFlagsAndLifetimes) {
  const internal::CacheControl cc =
      ParseCacheControl({{"Cache-Control", "No-Store, PRIVATE"}, {"X-Cache-Control", "no-cache"}});
  EXPECT_TRUE(cc.no_store);
  EXPECT_TRUE(cc.is_private);
  EXPECT_FALSE(cc.no_cache);  // another field's name
  EXPECT_FALSE(cc.max_age.has_value());
  const internal::CacheControl ages = ParseCacheControl({{"cache-control", "S-MAXAGE=7,Max-Age=8"}});
  EXPECT_EQ(ages.s_maxage, 7s);
  EXPECT_EQ(ages.max_age, 8s);
  // Near-misses are other directives.
  const internal::CacheControl near =
      ParseCacheControl({{"Cache-Control", "no-stored, max-ages=5, nocache"}});
  EXPECT_FALSE(near.no_store);
  EXPECT_FALSE(near.no_cache);
  EXPECT_FALSE(near.max_age.has_value());
}

TEST(ParseDeltaSeconds, DigitsOnly) {
  EXPECT_EQ(ParseDeltaSeconds("0"), 0s);
  EXPECT_EQ(ParseDeltaSeconds("0042"), 42s);
  EXPECT_EQ(ParseDeltaSeconds("\"42\""), 42s);
  EXPECT_EQ(ParseDeltaSeconds("315360000"), 315360000s);
  EXPECT_EQ(ParseDeltaSeconds("18446744073709551616"), kMaxFreshnessLifetime);
  for (const char* bad : {"", "\"\"", "\"", "-1", "+1", " 1", "1 ", "1e3", "1.0", "0x1", "\"4\"2"}) {
    EXPECT_FALSE(ParseDeltaSeconds(bad).has_value()) << bad;
  }
}

TEST(ParseHttpDate, ReadsTheThreeForms) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcDate);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), kRfcDate);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), kRfcDate);
  EXPECT_EQ(ParseHttpDate("Sun Nov 16 08:49:37 1994"), kRfcDate + std::chrono::days(10));
  EXPECT_EQ(ParseHttpDate(" \tsun, 06 nov 1994 08:49:37 gmt "), kRfcDate);
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), sys_seconds(0s));
  EXPECT_EQ(ParseHttpDate("Thursday, 01-Jan-70 00:00:00 GMT"), sys_seconds(0s));
  // RFC 850's two-digit years: below 70 is this century.
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-44 08:49:37 GMT"),
            sys_days(std::chrono::year(2044) / 11 / 6) + 8h + 49min + 37s);
  EXPECT_EQ(ParseHttpDate("Tue, 29 Feb 2000 12:00:00 GMT"), sys_days(std::chrono::year(2000) / 2 / 29) + 12h);
  EXPECT_EQ(ParseHttpDate("Fri, 31 Dec 9999 23:59:59 GMT"),
            sys_days(std::chrono::year(9999) / 12 / 31) + 86399s);
}

TEST(ParseHttpDate, RefusesEverythingElse) {
  for (const char* bad : {"",
                          "0",
                          "-1",
                          "1994-11-06T08:49:37Z",
                          "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sun, 06 Nov 1994 08:49:37 GMT x",
                          "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 94 08:49:37 GMT",
                          "Xyz, 06 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 32 Nov 1994 08:49:37 GMT",
                          "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Tue, 29 Feb 1900 12:00:00 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT",
                          "Sun, 06 Nov 1994 08:60:00 GMT",
                          "Sun, 06 Nov 1994 08:49:61 GMT",
                          "Sun, 06 Nov 1994 8:49:37 GMT",
                          "Sun, 06 Nov 1600 08:49:37 GMT",
                          "Sun,06 Nov 1994 08:49:37 GMT",
                          "Sun Nov 6 08:49:37 1994",
                          "Sun Nov  6 08:49:37 94",
                          "Sun Nov  6 08:49:37 1994 GMT",
                          "Sunday, 06-Nov-1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994"}) {
    EXPECT_FALSE(ParseHttpDate(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace groupcached
