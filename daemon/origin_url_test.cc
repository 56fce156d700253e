// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/origin_url.h"

#include <string>
#include <utility>
#include <vector>

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

// RFC 3986 section 5.4's examples that apply (Boost.URL resolves them):
// dot segments are removed, and never climb above the root.
TEST(ResolveRedirectTest, RelativeLocationsWithDotSegments) {
  groupcache::Result<Url> base = ParseUrl("http://a/b/c/d;p?q");
  ASSERT_TRUE(base.ok());
  const std::vector<std::pair<std::string, std::string>> cases = {{"g", "/b/c/g"},
                                                                  {"./g", "/b/c/g"},
                                                                  {"g/", "/b/c/g/"},
                                                                  {"/g", "/g"},
                                                                  {"?y", "/b/c/d;p?y"},
                                                                  {"g?y", "/b/c/g?y"},
                                                                  {"#s", "/b/c/d;p?q"},
                                                                  {"g#s", "/b/c/g"},
                                                                  {";x", "/b/c/;x"},
                                                                  {"", "/b/c/d;p?q"},
                                                                  {".", "/b/c/"},
                                                                  {"./", "/b/c/"},
                                                                  {"..", "/b/"},
                                                                  {"../", "/b/"},
                                                                  {"../g", "/b/g"},
                                                                  {"../..", "/"},
                                                                  {"../../g", "/g"},
                                                                  {"../../../g", "/g"},
                                                                  {"../../../../g", "/g"},
                                                                  {"/./g", "/g"},
                                                                  {"/../g", "/g"},
                                                                  {"g.", "/b/c/g."},
                                                                  {"..g", "/b/c/..g"},
                                                                  {"./../g", "/b/g"},
                                                                  {"./g/.", "/b/c/g/"},
                                                                  {"g/./h", "/b/c/g/h"},
                                                                  {"g/../h", "/b/c/h"},
                                                                  {"g;x=1/./y", "/b/c/g;x=1/y"},
                                                                  {"g;x=1/../y", "/b/c/y"},
                                                                  {"g?y/./x", "/b/c/g?y/./x"}};
  for (const auto& [location, target] : cases) {
    if (location.empty()) continue;  // an empty Location is refused (below)
    groupcache::Result<Url> next = ResolveRedirect(*base, location);
    ASSERT_TRUE(next.ok()) << location << ": " << next.status().ToString();
    EXPECT_EQ(next->target, target) << location;
    EXPECT_EQ(next->origin(), "http://a:80") << location;
  }
  EXPECT_FALSE(ResolveRedirect(*base, "").ok());
  EXPECT_FALSE(ResolveRedirect(*base, "g h").ok());     // not a URI reference
  EXPECT_FALSE(ResolveRedirect(*base, "g\r\nX").ok());  // nor a header split
}

}  // namespace
}  // namespace groupcached::internal
