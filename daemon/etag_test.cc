// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/etag.h"

#include "gtest/gtest.h"

namespace groupcached {
namespace {

TEST(ETagTest, Hash64IsXxh64) {
  // Reference values from the xxHash command line tool (xxh64sum).
  EXPECT_EQ(Hash64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(Hash64("abc"), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(Hash64("Nobody inspects the spammish repetition"), 0xFBCEA83C8A378BF1ULL);
}

TEST(ETagTest, ETagIsTheQuotedHashInHex) {
  EXPECT_EQ(ETagOf(""), "\"ef46db3751d8e999\"");
  EXPECT_EQ(ETagOf("abc"), "\"44bc2cf5ad770999\"");
  EXPECT_NE(ETagOf("#FF0000"), ETagOf("#FF0001"));
}

TEST(ETagTest, IfNoneMatch) {
  EXPECT_TRUE(IfNoneMatchMatches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchMatches(" W/\"abc\" ", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchMatches("\"x\",\"abc\"", "\"abc\""));
  EXPECT_TRUE(IfNoneMatchMatches(" * ", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchMatches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchMatches("abc", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchMatches("", "\"abc\""));
  EXPECT_FALSE(IfNoneMatchMatches("\"x\", ,\"y\"", "\"abc\""));
}

}  // namespace
}  // namespace groupcached
