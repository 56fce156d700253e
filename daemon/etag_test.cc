// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/etag.h"

#include "gtest/gtest.h"

namespace groupcached {
namespace {

TEST(ETagTest, ETagIsTheQuotedHashInHex) {
  EXPECT_EQ(ETagOf(""), "\"ef46db3751d8e999\"");
  EXPECT_EQ(ETagOf("abc"), "\"44bc2cf5ad770999\"");
  EXPECT_NE(ETagOf("#FF0000"), ETagOf("#FF0001"));
  EXPECT_EQ(ETagOf(groupcache::ByteView::CopyOf("abc")), "\"44bc2cf5ad770999\"");
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
