// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/request_head.h"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <utility>
#include <vector>

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
  const std::string raw = "HEAD /x HTTP/1.1\r\nHost: h\r\nA: 1\r\nB:\r\n\r\n";
  for (size_t n = 0; n < raw.size(); ++n) {
    EXPECT_EQ(Parse(std::string_view(raw).substr(0, n)), HeadParse::kIncomplete) << n;
  }
  EXPECT_EQ(Parse(raw), HeadParse::kComplete);
}

TEST(RequestHeadTest, StopsAtTheEndOfTheFirstHead) {
  const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "GET /b HTTP/1.0\r\n\r\n";
  const std::string both = first + second;
  RequestHead head;
  ASSERT_EQ(Parse(both, &head), HeadParse::kComplete);
  EXPECT_EQ(head.target, "/a");
  EXPECT_EQ(head.size, first.size());
  ASSERT_EQ(Parse(std::string_view(both).substr(head.size), &head), HeadParse::kComplete);
  EXPECT_EQ(head.target, "/b");
  EXPECT_FALSE(head.keep_alive);
  EXPECT_EQ(head.field_count, 0u);
}

TEST(RequestHeadTest, KeepAliveFollowsVersionAndConnection) {
  RequestHead head;
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", &head), HeadParse::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nHost: h\r\nconnection: Keep-Alive\r\n\r\n", &head),
            HeadParse::kComplete);
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
  ASSERT_EQ(
      Parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: \t spaced \t\r\nX-B:\r\nX-C: caf\xC3\xA9\r\n\r\n", &head),
      HeadParse::kComplete);
  EXPECT_EQ(head.Find("x-a"), "spaced");
  EXPECT_EQ(head.Find("x-b"), "");
  EXPECT_EQ(head.Find("x-c"), "caf\xC3\xA9");
}

TEST(RequestHeadTest, AZeroContentLengthIsNoBody) {
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"), HeadParse::kComplete);
}

TEST(RequestHeadTest, LeavesEverythingElseToTheFullParser) {
  const char* cases[] = {
      "GET / HTTP/1.1\r\nHost: x\n\r\n",             // bare LF in a field
      "GET / HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n",  // obs-fold
      "GET / HTTP/1.1\r\nX : a\r\n\r\n",             // space before the colon
      "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
      "GET / HTTP/1.1\r\n: empty-name\r\n\r\n",
      "GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n",                           // a control character
      "GET / HTTP/1.1\r\nX: a\x7fz\r\n\r\n",                           // DEL
      "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",                             // bare CR
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",  // a body
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 00\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n\r\n",  // a token list
      "GET /\xC3\xA9 HTTP/1.1\r\nHost: h\r\n\r\n",                             // raw UTF-8 target
      "GET / HTTP/1.1\r\n\r\n",                                                // no Host (Beast reads it)
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",                          // two Hosts
      "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n",
  };
  for (const char* raw : cases) EXPECT_EQ(Parse(raw), HeadParse::kFallback) << raw;
}

TEST(RequestHeadTest, HttpOneZeroMayOmitHost) {
  EXPECT_EQ(Parse("GET / HTTP/1.0\r\n\r\n"), HeadParse::kComplete);
  EXPECT_EQ(Parse("GET / HTTP/1.0\r\nHost: h\r\n\r\n"), HeadParse::kComplete);
}

// Request lines no request Beast accepts can begin with. Each is refused
// as soon as the offending byte arrives, line end or not.
const char* const kInvalidStarts[] = {
    "\x16\x03\x01\x02\x00\x01",  // a TLS ClientHello
    "\x01\x02\x03garbage",       // binary
    "\r\nGET / HTTP/1.1\r\n",    // an empty line first
    " GET / HTTP/1.1\r\n",       // no method
    "GET\r\n",                   // no target
    "G(T / HTTP/1.1\r\n",        // not a token
    "GET  / HTTP/1.1\r\n",       // an empty target
    "GET /a\x7f HTTP/1.1\r\n",   // DEL in the target
    "GET /a\tb HTTP/1.1\r\n",    // a control character in the target
    "GET /  HTTP/1.1\r\n",       // two spaces
    "GET / http/1.1\r\n",        // lowercase version
    "GET / HTTP/2.0\r\n",        // another version
    "GET / HTTP/1.2",            // no line end needed
    "GET / HTTP/1.1 \r\n",       // a space after the version
    "GET / HTTP/1.1\n",          // a bare LF ends the request line
    "GET / HTTP/1.1\rX",         // CR without LF
};

TEST(RequestHeadTest, RefusesWhatCannotBeginARequestLineAtOnce) {
  for (const char* raw : kInvalidStarts) {
    EXPECT_EQ(Parse(raw), HeadParse::kInvalid) << ::testing::PrintToString(std::string(raw));
    // Followed by anything at all, still.
    EXPECT_EQ(Parse(std::string(raw) + "Host: h\r\n\r\n"), HeadParse::kInvalid) << raw;
  }
  // Binary garbage with no line end, however long.
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  EXPECT_EQ(Parse(garbage), HeadParse::kInvalid);
}

TEST(RequestHeadTest, BeastRefusesEverythingRefusedHere) {
  // The contract kInvalid keeps: Beast, given the same start and any
  // continuation, fails too (it may need a byte or two more to say so).
  for (const char* start : kInvalidStarts) {
    for (const char* rest : {" HTTP/1.1\r\nHost: h\r\n\r\n", "\r\nHost: h\r\n\r\n", "\r\n\r\n"}) {
      const std::string raw = std::string(start) + rest;
      boost::beast::http::request_parser<boost::beast::http::string_body> parser;
      parser.eager(true);
      boost::beast::error_code ec;
      parser.put(boost::asio::buffer(raw), ec);
      EXPECT_TRUE(ec && ec != boost::beast::http::error::need_more) << ::testing::PrintToString(raw);
    }
  }
}

// A field line that can no longer become valid goes to Beast before its
// line end arrives, so the server answers 400 at once (found by
// fuzz_request_head: "X\x01" waited for a line end Beast never needs).
TEST(RequestHeadTest, AFieldLineThatCannotBeValidGoesToBeastAtOnce) {
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nX\x01"), HeadParse::kFallback);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: h\r\nX: a\x01"), HeadParse::kFallback);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\n Host"), HeadParse::kFallback);  // obs-fold: Beast's rules
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHos"), HeadParse::kIncomplete);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: h\r"), HeadParse::kIncomplete);
}

// Beast reads Proxy-Connection as a token list, as it does Connection.
TEST(RequestHeadTest, ProxyConnectionIsLeftToBeast) {
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: h\r\nProxy-Connection: PUT close\r\n\r\n"), HeadParse::kFallback);
}

TEST(RequestHeadTest, EveryPrefixOfAValidLineIsIncomplete) {
  for (const std::string& raw :
       {std::string("GET /a?b=c HTTP/1.1\r\n"), std::string("M-SEARCH * HTTP/1.0\r\n"),
        std::string("GET /\xC3\xA9 HTTP/1.1\r\n")}) {
    for (size_t n = 0; n < raw.size(); ++n) {
      EXPECT_EQ(Parse(std::string_view(raw).substr(0, n)), HeadParse::kIncomplete) << n << " of " << raw;
    }
  }
}

TEST(FramingRulesTest, AllowsOneChunkedCodingOrALengthAndOneHost) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> fields;
    bool http11;
    std::string violation;  // empty: allowed
  };
  const Case cases[] = {
      {{{"Host", "h"}}, true, ""},
      {{}, false, ""},
      {{{"host", "h"}, {"Content-Length", "5"}}, true, ""},
      {{{"Host", "h"}, {"Transfer-Encoding", "chunked"}}, true, ""},
      {{{"Host", "h"}, {"transfer-encoding", " Chunked "}}, true, ""},
      {{}, true, "no Host field"},
      {{{"Host", "a"}, {"HOST", "a"}}, true, "more than one Host field"},
      {{{"Host", "a"}, {"Host", "b"}}, false, "more than one Host field"},
      {{{"Host", "h"}, {"Transfer-Encoding", "gzip"}}, true, "Transfer-Encoding other than chunked"},
      {{{"Host", "h"}, {"Transfer-Encoding", "identity"}}, true, "Transfer-Encoding other than chunked"},
      {{{"Host", "h"}, {"Transfer-Encoding", "chunked, identity"}},
       true,
       "Transfer-Encoding other than chunked"},
      {{{"Host", "h"}, {"Transfer-Encoding", "gzip, chunked"}}, true, "Transfer-Encoding other than chunked"},
      {{{"Host", "h"}, {"Transfer-Encoding", "xchunked"}}, true, "Transfer-Encoding other than chunked"},
      {{{"Host", "h"}, {"Transfer-Encoding", ""}}, true, "Transfer-Encoding other than chunked"},
      {{{"Host", "h"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}},
       true,
       "more than one Transfer-Encoding field"},
      {{{"Host", "h"}, {"Content-Length", "3"}, {"Transfer-Encoding", "chunked"}},
       true,
       "both Transfer-Encoding and Content-Length"},
      {{{"Transfer-Encoding", "chunked"}}, false, "Transfer-Encoding in an HTTP/1.0 request"},
  };
  for (const Case& c : cases) {
    FramingRules rules;
    std::string shown;
    for (const auto& [name, value] : c.fields) {
      rules.See(name, value);
      shown += name + ": " + value + "; ";
    }
    EXPECT_EQ(rules.Violation(c.http11), c.violation) << shown << (c.http11 ? "HTTP/1.1" : "HTTP/1.0");
  }
}

TEST(RequestHeadTest, TooManyFieldsFallBack) {
  std::string fields;
  for (size_t i = 1; i < RequestHead::kMaxFields; ++i) fields += "X-" + std::to_string(i) + ": v\r\n";
  fields += "Host: h\r\n";
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
