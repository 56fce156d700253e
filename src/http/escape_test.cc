// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/escape.h"

#include <cstdio>
#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace groupcache::internal {
namespace {

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

// Go's url.QueryEscape, written out independently from the spec (§2.2).
std::string GoQueryEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (Unreserved(c)) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string AllBytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  return s;
}

TEST(EscapeTest, SpecExamples) {
  EXPECT_EQ(QueryEscape("a b/c?d%e+f#g~h"), "a%20b%2Fc%3Fd%25e%2Bf%23g~h");
  EXPECT_EQ(QueryEscape("grp x"), "grp%20x");
  EXPECT_EQ(QueryEscape("\xC3\xA9/\xC3\xBC"), "%C3%A9%2F%C3%BC");  // "é/ü"
  EXPECT_EQ(QueryEscape(""), "");
  EXPECT_EQ(QueryEscape("red"), "red");
  EXPECT_EQ(QueryEscape("foobar"), "foobar");
  EXPECT_EQ(QueryEscape("key-12345"), "key-12345");
}

TEST(EscapeTest, UnreservedBytesPassThrough) {
  const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
  EXPECT_EQ(QueryEscape(unreserved), unreserved);
}

TEST(EscapeTest, ReservedAndControlBytes) {
  EXPECT_EQ(QueryEscape("/?#%+&=:;,@$"), "%2F%3F%23%25%2B%26%3D%3A%3B%2C%40%24");
  EXPECT_EQ(QueryEscape(std::string_view("\0", 1)), "%00");
  EXPECT_EQ(QueryEscape("\x7f\x80\xff"), "%7F%80%FF");
  EXPECT_EQ(QueryEscape("\t\r\n"), "%09%0D%0A");
  EXPECT_EQ(QueryEscape("!*'()"), "%21%2A%27%28%29");
}

TEST(EscapeTest, EveryByteIsGoQueryEscapeWithSpaceAsPercent20) {
  for (int i = 0; i < 256; ++i) {
    std::string one(1, static_cast<char>(i));
    std::string want = i == ' ' ? "%20" : GoQueryEscape(one);
    EXPECT_EQ(QueryEscape(one), want) << "byte " << i;
  }
  std::string want;
  for (int i = 0; i < 256; ++i)
    want += i == ' ' ? std::string("%20") : GoQueryEscape(std::string(1, char(i)));
  EXPECT_EQ(QueryEscape(AllBytes()), want);
}

TEST(EscapeTest, HexIsUpperCase) { EXPECT_EQ(QueryEscape("\xab\xcd\xef"), "%AB%CD%EF"); }

TEST(EscapeTest, AppendEscapedAppends) {
  std::string out = "http://peer:8081/_groupcache/";
  AppendEscaped(out, "grp x");
  out += '/';
  AppendEscaped(out, "a/b");
  EXPECT_EQ(out, "http://peer:8081/_groupcache/grp%20x/a%2Fb");
  AppendEscaped(out, "");
  EXPECT_EQ(out, "http://peer:8081/_groupcache/grp%20x/a%2Fb");
}

TEST(UnescapeTest, InverseOfGoQueryEscape) {
  auto r = QueryUnescape("a+b%2Fc%3Fd%25e%2Bf%23g~h");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value(), "a b/c?d%e+f#g~h");
}

TEST(UnescapeTest, InverseOfEscape) {
  auto r = QueryUnescape("a%20b%2Fc%3Fd%25e%2Bf%23g~h");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), "a b/c?d%e+f#g~h");
}

TEST(UnescapeTest, EitherHexCase) {
  auto upper = QueryUnescape("%C3%A9%2F%C3%BC");
  auto lower = QueryUnescape("%c3%a9%2f%c3%bc");
  auto mixed = QueryUnescape("%C3%a9%2F%c3%Bc");
  ASSERT_TRUE(upper.ok());
  ASSERT_TRUE(lower.ok());
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(upper.value(), "\xC3\xA9/\xC3\xBC");
  EXPECT_EQ(lower.value(), "\xC3\xA9/\xC3\xBC");
  EXPECT_EQ(mixed.value(), "\xC3\xA9/\xC3\xBC");
}

TEST(UnescapeTest, PlusIsSpace) {
  EXPECT_EQ(QueryUnescape("+").value(), " ");
  EXPECT_EQ(QueryUnescape("a+b+").value(), "a b ");
  EXPECT_EQ(QueryUnescape("%2B").value(), "+");
  EXPECT_EQ(QueryUnescape("%2b").value(), "+");
}

TEST(UnescapeTest, PlainAndEmpty) {
  EXPECT_EQ(QueryUnescape("").value(), "");
  EXPECT_EQ(QueryUnescape("red").value(), "red");
  // Bytes Go's QueryUnescape passes through unchanged.
  EXPECT_EQ(QueryUnescape("a/b?c").value(), "a/b?c");
  EXPECT_EQ(QueryUnescape("\xC3\xA9").value(), "\xC3\xA9");
  EXPECT_EQ(QueryUnescape("%00").value(), std::string("\0", 1));
}

TEST(UnescapeTest, MalformedEscapesAreInvalidArgument) {
  for (const char* bad : {"%", "%z1", "%1", "abc%", "abc%4", "%%", "%g0", "%0g", "x%zzy", "%%41", "% 1"}) {
    auto r = QueryUnescape(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

TEST(UnescapeTest, RoundTripEveryByte) {
  for (int i = 0; i < 256; ++i) {
    std::string one(1, static_cast<char>(i));
    auto r = QueryUnescape(QueryEscape(one));
    ASSERT_TRUE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.value(), one) << "byte " << i;
    auto g = QueryUnescape(GoQueryEscape(one));
    ASSERT_TRUE(g.ok()) << "byte " << i;
    EXPECT_EQ(g.value(), one) << "byte " << i;
  }
  const std::string all = AllBytes();
  auto r = QueryUnescape(QueryEscape(all));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), all);
  auto g = QueryUnescape(GoQueryEscape(all + all));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g.value(), all + all);
}

TEST(UnescapeTest, EveryEscapedByteBothCases) {
  const char* hex_upper = "0123456789ABCDEF";
  const char* hex_lower = "0123456789abcdef";
  for (int i = 0; i < 256; ++i) {
    std::string up = {'%', hex_upper[i >> 4], hex_upper[i & 15]};
    std::string lo = {'%', hex_lower[i >> 4], hex_lower[i & 15]};
    auto a = QueryUnescape(up);
    auto b = QueryUnescape(lo);
    ASSERT_TRUE(a.ok()) << up;
    ASSERT_TRUE(b.ok()) << lo;
    EXPECT_EQ(a.value(), std::string(1, static_cast<char>(i))) << up;
    EXPECT_EQ(b.value(), std::string(1, static_cast<char>(i))) << lo;
  }
}

TEST(QueryValueTest, FindsValue) {
  EXPECT_EQ(QueryValue("name=red", "name"), std::optional<std::string>("red"));
  EXPECT_EQ(QueryValue("a=1&name=gr%65en", "name"), std::optional<std::string>("green"));
  EXPECT_EQ(QueryValue("a=1&name=gr%65en", "a"), std::optional<std::string>("1"));
  EXPECT_EQ(QueryValue("name=a+b", "name"), std::optional<std::string>("a b"));
  EXPECT_EQ(QueryValue("key=a%2Fb%20c", "key"), std::optional<std::string>("a/b c"));
}

TEST(QueryValueTest, Missing) {
  EXPECT_EQ(QueryValue("", "name"), std::nullopt);
  EXPECT_EQ(QueryValue("a=1&b=2", "name"), std::nullopt);
  EXPECT_EQ(QueryValue("names=x&nam=y&xname=z", "name"), std::nullopt);
  EXPECT_EQ(QueryValue("a=name", "name"), std::nullopt);
}

TEST(QueryValueTest, FirstValueWins) {
  EXPECT_EQ(QueryValue("name=first&name=second", "name"), std::optional<std::string>("first"));
  EXPECT_EQ(QueryValue("x=0&name=first&x=1&name=second", "name"), std::optional<std::string>("first"));
}

TEST(QueryValueTest, PairWithBadEscapeIsSkipped) {
  EXPECT_EQ(QueryValue("name=%zz&name=ok", "name"), std::optional<std::string>("ok"));
  EXPECT_EQ(QueryValue("name=%zz", "name"), std::nullopt);
  EXPECT_EQ(QueryValue("name=%4", "name"), std::nullopt);
  EXPECT_EQ(QueryValue("na%zme=bad&name=good", "name"), std::optional<std::string>("good"));
}

TEST(QueryValueTest, PairWithSemicolonIsSkipped) {
  // Go 1.17+ ParseQuery rejects pairs containing ';' and keeps parsing.
  EXPECT_EQ(QueryValue("name=a;b&name=c", "name"), std::optional<std::string>("c"));
  EXPECT_EQ(QueryValue("x=1;name=a&name=b", "name"), std::optional<std::string>("b"));
  EXPECT_EQ(QueryValue("name=a;b", "name"), std::nullopt);
}

TEST(QueryValueTest, EmptyAndValuelessPairs) {
  EXPECT_EQ(QueryValue("name=", "name"), std::optional<std::string>(""));
  EXPECT_EQ(QueryValue("name", "name"), std::optional<std::string>(""));  // Go: key with empty value
  EXPECT_EQ(QueryValue("&&name=x&&", "name"), std::optional<std::string>("x"));
  EXPECT_EQ(QueryValue("name=a=b", "name"), std::optional<std::string>("a=b"));  // split at the first '='
}

TEST(QueryValueTest, KeysAreDecodedToo) {
  EXPECT_EQ(QueryValue("na%6De=v", "name"), std::optional<std::string>("v"));
  EXPECT_EQ(QueryValue("my+key=v", "my key"), std::optional<std::string>("v"));
}

}  // namespace
}  // namespace groupcache::internal
