// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes the http source's URL parsing (daemon/origin_url.h): ParseUrl reads
// the configured URL template, ResolveRedirect the Location header an origin
// sends. The input is a URL, a newline, and a Location. Invariants: no
// exception escapes; an accepted URL has a host without braces or bytes that
// could break a request, a decimal port in 1..65535, a target that starts
// with '/' and holds no whitespace, control byte or fragment, and it re-parses
// from its parts (scheme, Host header, target) to the same fields; a redirect
// from https stays on https, and a relative one stays on the same origin.
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "daemon/origin_url.h"
#include "fuzz_check.h"

namespace {

using groupcache::Result;
using groupcache::fuzz::Printable;
using groupcached::internal::ParseUrl;
using groupcached::internal::ResolveRedirect;
using groupcached::internal::Url;

std::string Describe(const Url& url) {
  return std::string(url.tls ? "https" : "http") + " host \"" + Printable(url.host) + "\" port \"" +
         Printable(url.port) + "\" host_header \"" + Printable(url.host_header) + "\" target \"" +
         Printable(url.target) + "\"";
}

bool SameUrl(const Url& a, const Url& b) {
  return a.tls == b.tls && a.host == b.host && a.port == b.port && a.host_header == b.host_header &&
         a.target == b.target;
}

bool IsRequestSafe(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

void CheckUrl(const Url& url, const auto& context) {
  const auto where = [&] { return context() + "\nparsed: " + Describe(url); };
  FUZZ_CHECK(!url.host.empty(), "empty host\n" + where());
  FUZZ_CHECK(url.host.find_first_of("{}") == std::string::npos, "braces in the host\n" + where());
  FUZZ_CHECK(IsRequestSafe(url.host_header) && url.host_header.find_first_of("/?#@") == std::string::npos,
             "the Host header would hold a byte it must not\n" + where());
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(url.port.data(), url.port.data() + url.port.size(), port);
  FUZZ_CHECK(ec == std::errc() && end == url.port.data() + url.port.size() && port >= 1 && port <= 65535,
             "port outside 1..65535\n" + where());
  FUZZ_CHECK(!url.target.empty() && url.target.front() == '/',
             "the target does not start with '/'\n" + where());
  FUZZ_CHECK(IsRequestSafe(url.target) && url.target.find('#') == std::string::npos,
             "the target holds whitespace, a control byte or a fragment\n" + where());
  // Printing the URL back and parsing it gives the same URL.
  const std::string printed = (url.tls ? "https://" : "http://") + url.host_header + url.target;
  Result<Url> again = ParseUrl(printed);
  FUZZ_CHECK(again.ok() && SameUrl(*again, url),
             "\"" + Printable(printed) + "\" parses differently: " +
                 (again.ok() ? Describe(*again) : again.status().ToString()) + "\n" + where());
  Result<Url> origin = ParseUrl(url.origin());
  FUZZ_CHECK(origin.ok() && origin->tls == url.tls && origin->host == url.host && origin->port == url.port,
             "origin() \"" + Printable(url.origin()) + "\" parses differently\n" + where());
}

void Check(std::string_view input) {
  const size_t newline = input.find('\n');
  const std::string_view text = input.substr(0, newline);
  const std::string_view location =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  const auto context = [&] {
    return "url: \"" + Printable(text) + "\" location: \"" + Printable(location) + "\"";
  };
  try {
    Result<Url> base = ParseUrl(text);
    if (!base.ok()) return;
    CheckUrl(*base, context);
    Result<Url> next = ResolveRedirect(*base, location);
    if (!next.ok()) return;
    CheckUrl(*next, [&] { return context() + " (the redirect)"; });
    FUZZ_CHECK(!base->tls || next->tls, "a redirect left https\n" + context());
    // Only a network-path ("//host") or an http(s) URL may change the origin.
    std::string lower(location.substr(0, 8));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool absolute =
        lower.starts_with("//") || lower.starts_with("http://") || lower.starts_with("https://");
    if (!absolute) {
      FUZZ_CHECK(next->tls == base->tls && next->host == base->host && next->port == base->port,
                 "a relative redirect changed the origin\n" + context() + "\nto: " + Describe(*next));
    }
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, "an exception escaped: " + std::string(e.what()) + "\n" + context());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Check(groupcache::fuzz::AsView(data, size));
  return 0;
}
