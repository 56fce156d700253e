// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "request_head.h"

#include <string>

#include "gtest/gtest.h"

namespace groupcache::internal {
namespace {

HeadParse Parse(std::string_view bytes, RequestHead* head = nullptr) {
  RequestHead scratch;
  return ParseRequestHead(bytes, head ? head : &scratch);
}

TEST(RequestHeadTest, ParsesTheCommonRequest) {
  const std::string raw = "GET /get?key=key-1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent:wrk\r\n\r\n";
  RequestHead head;
  ASSERT_EQ(Parse(raw, &head), HeadParse::kComplete);
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.target, "/get?key=key-1");
  EXPECT_TRUE(head.keep_alive);
  EXPECT_EQ(head.size, raw.size());
  EXPECT_EQ(head.field_count, 2u);
  EXPECT_EQ(head.Find("host"), "127.0.0.1:8080");
  EXPECT_EQ(head.Find("HOST"), "127.0.0.1:8080");
  EXPECT_EQ(head.Find("user-agent"), "wrk");
  EXPECT_EQ(head.Find("accept"), "");
}

TEST(RequestHeadTest, EveryPrefixIsIncomplete) {
  const std::string raw = "HEAD /x HTTP/1.1\r\nA: 1\r\nB:\r\n\r\n";
  for (size_t n = 0; n < raw.size(); ++n) {
    EXPECT_EQ(Parse(std::string_view(raw).substr(0, n)), HeadParse::kIncomplete) << n;
  }
  EXPECT_EQ(Parse(raw), HeadParse::kComplete);
}

TEST(RequestHeadTest, StopsAtTheEndOfTheFirstHead) {
  const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\n\r\n";
  const std::string both = first + second;
  RequestHead head;
  ASSERT_EQ(Parse(both, &head), HeadParse::kComplete);
  EXPECT_EQ(head.target, "/a");
  EXPECT_EQ(head.size, first.size());
  ASSERT_EQ(Parse(std::string_view(both).substr(head.size), &head), HeadParse::kComplete);
  EXPECT_EQ(head.target, "/b");
  EXPECT_EQ(head.field_count, 0u);
}

TEST(RequestHeadTest, KeepAliveFollowsVersionAndConnection) {
  RequestHead head;
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &head), HeadParse::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nconnection: Keep-Alive\r\n\r\n", &head), HeadParse::kComplete);
  EXPECT_TRUE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\n\r\n", &head), HeadParse::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &head), HeadParse::kComplete);
  EXPECT_TRUE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", &head),
            HeadParse::kComplete);
  EXPECT_FALSE(head.keep_alive);
}

TEST(RequestHeadTest, TrimsValuesAndKeepsObsText) {
  RequestHead head;
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nX-A: \t spaced \t\r\nX-B:\r\nX-C: caf\xC3\xA9\r\n\r\n", &head),
            HeadParse::kComplete);
  EXPECT_EQ(head.Find("x-a"), "spaced");
  EXPECT_EQ(head.Find("x-b"), "");
  EXPECT_EQ(head.Find("x-c"), "caf\xC3\xA9");
}

TEST(RequestHeadTest, AZeroContentLengthIsNoBody) {
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), HeadParse::kComplete);
}

TEST(RequestHeadTest, LeavesEverythingElseToTheFullParser) {
  const char* cases[] = {
      "GET / HTTP/1.1\nHost: x\n\n",                              // bare LF
      "GET / HTTP/1.1\r\nHost: x\n\r\n",                          // bare LF in a field
      "\r\nGET / HTTP/1.1\r\n\r\n",                               // empty line first
      "GET / HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n",               // obs-fold
      "GET / HTTP/1.1\r\nX : a\r\n\r\n",                          // space before the colon
      "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
      "GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
      "GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n",                      // a control character
      "GET / HTTP/1.1\r\nX: a\x7fz\r\n\r\n",                      // DEL
      "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",                        // bare CR
      "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",         // a body
      "POST / HTTP/1.1\r\nContent-Length: 00\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n",  // a token list
      "GET / HTTP/2.0\r\n\r\n",
      "GET / HTTP/1.1 \r\n\r\n",
      "GET /  HTTP/1.1\r\n\r\n",
      "GET  / HTTP/1.1\r\n\r\n",
      "GET /a\x7f HTTP/1.1\r\n\r\n",
      "GET /\xC3\xA9 HTTP/1.1\r\n\r\n",                           // raw UTF-8 target
      "G(T / HTTP/1.1\r\n\r\n",                                   // not a token
      "GET\r\n\r\n",
      "garbage\r\n\r\n",
  };
  for (const char* raw : cases) EXPECT_EQ(Parse(raw), HeadParse::kFallback) << raw;
}

TEST(RequestHeadTest, TooManyFieldsFallBack) {
  std::string fields;
  for (size_t i = 0; i < RequestHead::kMaxFields; ++i) fields += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\n" + fields + "\r\n"), HeadParse::kComplete);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\n" + fields + "X-last: v\r\n\r\n"), HeadParse::kFallback);
}

TEST(RequestHeadTest, NeverReadsPastTheBytesGiven) {
  // Run under AddressSanitizer: a head cut anywhere, in a buffer of exactly
  // that size, is only ever incomplete or a fallback.
  const std::string raw = "GET /k HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  for (size_t n = 0; n <= raw.size(); ++n) {
    std::string cut = raw.substr(0, n);
    const std::string copy(cut.begin(), cut.end());
    HeadParse state = Parse(std::string_view(copy.data(), copy.size()));
    EXPECT_EQ(state, n == raw.size() ? HeadParse::kComplete : HeadParse::kIncomplete) << n;
  }
}

}  // namespace
}  // namespace groupcache::internal
