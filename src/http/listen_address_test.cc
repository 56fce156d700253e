// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include <string>
#include <utility>

#include "groupcache/http_server.h"
#include "gtest/gtest.h"

namespace groupcache {
namespace {

using Address = std::pair<std::string, uint16_t>;

TEST(ParseListenAddressTest, AcceptsGoAddrSyntax) {
  EXPECT_EQ(ParseListenAddress(":8080").value(), Address("", 8080));
  EXPECT_EQ(ParseListenAddress("127.0.0.1:0").value(), Address("127.0.0.1", 0));
  EXPECT_EQ(ParseListenAddress("[::1]:9474").value(), Address("::1", 9474));
  EXPECT_EQ(ParseListenAddress("localhost:80").value(), Address("127.0.0.1", 80));
}

TEST(ParseListenAddressTest, RefusesMalformedAddresses) {
  for (const char* bad : {"host", ":", ":65536", ":-1", ":+1", "::1:80", "[::1]"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
}

// Found by fuzz/listen_address_fuzz.cc: "[[::1]]:80" gave the host "[::1]",
// which prints back as "[[::1]]:80" and names no interface; control bytes
// and spaces went through to the resolver likewise.
TEST(ParseListenAddressTest, RefusesHostsWithBracketsControlsOrSpaces) {
  using std::string_literals::operator""s;
  for (const std::string& bad :
       {"[[::1]]:80"s, "[[8]x]]:1"s, "a]:80"s, "a b:80"s, "a\n:80"s, "\0:80"s, "[\x7f]:80"s}) {
    Result<Address> parsed = ParseListenAddress(bad);
    EXPECT_FALSE(parsed.ok()) << "accepted host \"" << (parsed.ok() ? parsed->first : "") << "\"";
  }
}

}  // namespace
}  // namespace groupcache
