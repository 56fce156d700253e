// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include <string>

#include "groupcache/url.h"
#include "gtest/gtest.h"

namespace groupcache::internal {
namespace {

TEST(ParsePeerUrlTest, SplitsHostPortAndHostHeader) {
  Result<PeerUrl> url = ParsePeerUrl("http://10.0.0.1:8080");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->host, "10.0.0.1");
  EXPECT_EQ(url->port, "8080");
  EXPECT_EQ(url->host_header, "10.0.0.1:8080");

  url = ParsePeerUrl("https://[::1]:9443");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, "9443");
  EXPECT_EQ(url->host_header, "[::1]:9443");

  url = ParsePeerUrl("https://node-1.example.com");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->port, "443");
}

TEST(ParsePeerUrlTest, RefusesMalformedUrls) {
  for (const char* bad :
       {"ftp://h:1", "http://", "http://h/", "http://h:80/x", "http://u@h:1", "http://h:0", "http://h:65536",
        "http://h:", "http://h:+1", "http://[::1", "http://[::1]x", "http://:80"}) {
    EXPECT_FALSE(ParsePeerUrl(bad).ok()) << bad;
  }
}

// Found by fuzz/peer_url_fuzz.cc: the host went unchecked, so a control
// character, a CR LF pair (a second header in every request to the peer), a
// stray bracket or an unbracketed IPv6 address made a PeerUrl.
TEST(ParsePeerUrlTest, RefusesHostsThatCannotBeAHostHeader) {
  using std::string_literals::operator""s;
  for (const std::string& bad : {"http://\0:80"s, "http://a\r\nX-Injected:1:80"s, "http://a\r\nb:80"s,
                                 "http://a\tb:80"s, "http://a\x7f:80"s, "http://a]:80"s, "http://[[::1]]:80"s,
                                 "http://[a[b]:80"s, "http://::1"s, "http://a:b:80"s}) {
    Result<PeerUrl> url = ParsePeerUrl(bad);
    EXPECT_FALSE(url.ok()) << "accepted host \"" << (url.ok() ? url->host : "") << "\"";
    if (!url.ok()) {
      EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace groupcache::internal
