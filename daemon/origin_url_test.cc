// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/origin_url.h"

#include <string>

#include "gtest/gtest.h"

namespace groupcached::internal {
namespace {

TEST(ParseUrlTest, SplitsTheUrlForARequest) {
  groupcache::Result<Url> url = ParseUrl("HTTPS://[::1]:8443/objects/{key}?v=1#frag");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "8443");
  EXPECT_EQ(url->host_header, "[::1]:8443");
  EXPECT_EQ(url->target, "/objects/{key}?v=1");
  EXPECT_EQ(url->origin(), "https://[::1]:8443");

  url = ParseUrl("http://origin?q={key}");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->port, "80");
  EXPECT_EQ(url->host_header, "origin");
  EXPECT_EQ(url->target, "/?q={key}");
}

// Found by fuzz/origin_url_fuzz.cc: a host with brackets outside the "[v6]"
// form, or an IPv6 host without them, was accepted and then written into the
// Host header and origin() as "[host]", which no longer parses.
TEST(ParseUrlTest, RefusesBracketsInTheHostAndUnbracketedIPv6) {
  for (const char* bad :
       {"http://o[::1]x:24/n", "http://a]:80/", "http://[a[b]:80/", "http://::1/x", "http://a:b:80/{key}"}) {
    groupcache::Result<Url> url = ParseUrl(bad);
    EXPECT_FALSE(url.ok()) << bad << " gave host \"" << (url.ok() ? url->host : "") << "\"";
  }
}

TEST(ResolveRedirectTest, RelativeLocationsStayOnTheOrigin) {
  groupcache::Result<Url> base = ParseUrl("https://origin:8443/a/b?x=1");
  ASSERT_TRUE(base.ok());
  groupcache::Result<Url> next = ResolveRedirect(*base, "c/d#f");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->origin(), "https://origin:8443");
  EXPECT_EQ(next->target, "/a/c/d");
  EXPECT_FALSE(ResolveRedirect(*base, "http://origin/x").ok());  // no downgrade
  EXPECT_FALSE(ResolveRedirect(*base, "mailto:a@b").ok());
  EXPECT_FALSE(ResolveRedirect(*base, "//o[::1]x/").ok());
}

}  // namespace
}  // namespace groupcached::internal
