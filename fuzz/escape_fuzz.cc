// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes the percent-encoding of groupcache/url.h, which decodes every group name,
// key and query a peer or client sends:
//   * QueryEscape writes only unreserved bytes and upper-case %XX, AppendEscaped
//     appends exactly that, and QueryUnescape / PathUnescape invert it;
//   * QueryUnescape and PathUnescape agree with a plain reference decoder (Go's
//     url.QueryUnescape / url.PathUnescape rules) on what is malformed and on
//     the bytes, and differ only in '+';
//   * QueryValue agrees with a reference reading of the query (Go's
//     Request.FormValue), and finds a pair written with QueryEscape.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/escape.h"

namespace {

using groupcache::PathUnescape;
using groupcache::QueryEscape;
using groupcache::QueryUnescape;
using groupcache::QueryValue;
using groupcache::Result;
using groupcache::fuzz::Printable;
using groupcache::internal::AppendEscaped;

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The reference decoder: nullopt for a '%' without two hex digits after it.
std::optional<std::string> ReferenceDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (s.size() - i < 3 || Hex(s[i + 1]) < 0 || Hex(s[i + 2]) < 0) return std::nullopt;
      out.push_back(static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

void CheckDecoder(std::string_view s, const Result<std::string>& got, bool plus_is_space) {
  const std::optional<std::string> want = ReferenceDecode(s, plus_is_space);
  const std::string name = plus_is_space ? "QueryUnescape" : "PathUnescape";
  FUZZ_CHECK(got.ok() == want.has_value(), name + " and the reference disagree on \"" + Printable(s) + "\"");
  if (!got.ok()) {
    FUZZ_CHECK(got.status().code() == groupcache::StatusCode::kInvalidArgument,
               name + " must fail with InvalidArgument");
    return;
  }
  FUZZ_CHECK(*got == *want, name + "(\"" + Printable(s) + "\") = \"" + Printable(*got) + "\", want \"" +
                                Printable(*want) + "\"");
}

void CheckEscapeRoundTrip(std::string_view s) {
  const std::string escaped = QueryEscape(s);
  for (size_t i = 0; i < escaped.size(); ++i) {
    const auto c = static_cast<unsigned char>(escaped[i]);
    if (c == '%') {
      FUZZ_CHECK(i + 2 < escaped.size() &&
                     std::string_view("0123456789ABCDEF").find(escaped[i + 1]) != std::string_view::npos &&
                     std::string_view("0123456789ABCDEF").find(escaped[i + 2]) != std::string_view::npos,
                 "QueryEscape wrote a malformed escape: \"" + Printable(escaped) + "\"");
      i += 2;
    } else {
      FUZZ_CHECK(IsUnreserved(c), "QueryEscape left a reserved byte: \"" + Printable(escaped) + "\"");
    }
  }
  std::string appended = "prefix/";
  AppendEscaped(appended, s);
  FUZZ_CHECK(appended == "prefix/" + escaped, "AppendEscaped differs from QueryEscape");
  Result<std::string> back = QueryUnescape(escaped);
  FUZZ_CHECK(back.ok() && *back == s, "QueryUnescape(QueryEscape(s)) != s for \"" + Printable(s) + "\"");
  Result<std::string> path_back = PathUnescape(escaped);
  FUZZ_CHECK(path_back.ok() && *path_back == s,
             "PathUnescape(QueryEscape(s)) != s for \"" + Printable(s) + "\"");
}

// Go's FormValue for a raw query: '&'-separated pairs, a pair with ';' or a
// malformed escape skipped, the first match wins.
std::optional<std::string> ReferenceQueryValue(std::string_view query, std::string_view name) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty() || pair.find(';') != std::string_view::npos) continue;
    const size_t eq = pair.find('=');
    std::optional<std::string> key = ReferenceDecode(pair.substr(0, eq), true);
    std::optional<std::string> value =
        ReferenceDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (key && value && *key == name) return value;
  }
  return std::nullopt;
}

void CheckQuery(std::string_view query, std::string_view name, std::string_view value) {
  const std::optional<std::string> got = QueryValue(query, name);
  const std::optional<std::string> want = ReferenceQueryValue(query, name);
  FUZZ_CHECK(got == want, "QueryValue(\"" + Printable(query) + "\", \"" + Printable(name) +
                              "\") = " + (got ? "\"" + Printable(*got) + "\"" : "nullopt") + ", want " +
                              (want ? "\"" + Printable(*want) + "\"" : "nullopt"));
  // A pair written with QueryEscape, in front of the fuzzed query, is found.
  const std::string built = QueryEscape(name) + "=" + QueryEscape(value) + "&" + std::string(query);
  const std::optional<std::string> found = QueryValue(built, name);
  FUZZ_CHECK(found && *found == value, "QueryValue missed an escaped pair in \"" + Printable(built) + "\"");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = groupcache::fuzz::AsView(data, size);
  CheckDecoder(input, QueryUnescape(input), /*plus_is_space=*/true);
  CheckDecoder(input, PathUnescape(input), /*plus_is_space=*/false);
  CheckEscapeRoundTrip(input);
  // The input split at its first two NUL bytes: a query, a name, a value.
  const size_t a = input.find('\0');
  const std::string_view query = input.substr(0, a);
  std::string_view rest = a == std::string_view::npos ? std::string_view() : input.substr(a + 1);
  const size_t b = rest.find('\0');
  const std::string_view name = rest.substr(0, b);
  const std::string_view value = b == std::string_view::npos ? std::string_view() : rest.substr(b + 1);
  CheckQuery(query, name, value);
  return 0;
}
