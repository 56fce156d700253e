// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The value types of http_fetch.h: the URLs an HttpFetcher requests and the
// redirects it follows (fuzzed: fuzz/origin_url_fuzz.cc), and response
// header look-up. A relative redirect is resolved by Boost.URL (RFC 3986
// section 5.2, dot segments included). ParseFetchUrl stays our own: it must
// accept a URL template, whose "{key}" RFC 3986 does not allow in a path,
// and its rules are stricter than the RFC's where a request could be split.
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cctype>
#include <charconv>
#include <utility>

#include "groupcache/http_fetch.h"

namespace groupcache {

namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string FetchUrl::origin() const {
  return std::string(tls ? "https://" : "http://") +
         (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

Result<FetchUrl> ParseFetchUrl(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Status::InvalidArgument("URL contains a space or control character");
    }
  }
  FetchUrl out;
  if (StartsWithNoCase(url, "https://")) {
    out.tls = true;
    url.remove_prefix(8);
  } else if (StartsWithNoCase(url, "http://")) {
    url.remove_prefix(7);
  } else {
    return Status::InvalidArgument("URL must start with http:// or https://");
  }
  const size_t authority_end = url.find_first_of("/?#");
  const std::string_view authority = url.substr(0, authority_end);
  std::string_view rest =
      authority_end == std::string_view::npos ? std::string_view() : url.substr(authority_end);
  if (authority.find('@') != std::string_view::npos)
    return Status::InvalidArgument("URL must not contain user info");
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("URL has an unclosed '['");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Status::InvalidArgument("URL has junk after ']'");
      port = after.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return Status::InvalidArgument("URL has an IPv6 host without brackets");
    }
  }
  if (host.empty()) return Status::InvalidArgument("URL has no host");
  // The host goes into the Host header inside brackets when it holds a ':',
  // so it cannot hold brackets of its own.
  if (host.find_first_of("[]") != std::string_view::npos) {
    return Status::InvalidArgument("URL has a bracket in its host");
  }
  if (host.find_first_of("{}") != std::string_view::npos) {
    return Status::InvalidArgument("URL host must not contain {key} or braces");
  }
  const std::string_view default_port = out.tls ? "443" : "80";
  if (port.empty()) port = default_port;
  unsigned port_number = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (ec != std::errc() || end != port.data() + port.size() || port_number == 0 || port_number > 65535) {
    return Status::InvalidArgument("URL has an invalid port");
  }
  out.host = std::string(host);
  out.port = std::string(port);
  out.host_header = host.find(':') != std::string_view::npos ? "[" + out.host + "]" : out.host;
  if (port != default_port) out.host_header += ":" + out.port;
  rest = rest.substr(0, rest.find('#'));
  out.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
  return out;
}

Result<FetchUrl> ResolveRedirect(const FetchUrl& base, std::string_view location) {
  Result<FetchUrl> next = Status::InvalidArgument("empty Location");
  if (location.empty()) return next;
  if (StartsWithNoCase(location, "http://") || StartsWithNoCase(location, "https://")) {
    next = ParseFetchUrl(location);
  } else if (location.starts_with("//")) {
    next = ParseFetchUrl(std::string(base.tls ? "https:" : "http:") + std::string(location));
  } else {
    // A scheme is letters, digits, '+', '-', '.' before the first ':' that
    // comes before any '/', '?' or '#'.
    const size_t colon = location.find(':');
    if (colon != std::string_view::npos && colon < location.find_first_of("/?#")) {
      return Status::InvalidArgument("redirect to a scheme other than http(s)");
    }
    // A relative reference (RFC 3986 grammar: no space or control byte),
    // resolved against the target that answered, on the same origin: only
    // the path and query come from the resolution.
    boost::system::result<boost::urls::url_view> reference = boost::urls::parse_relative_ref(location);
    if (!reference) return Status::InvalidArgument("malformed relative Location");
    const std::string base_text = "http://origin" + base.target;  // the view below points into it
    boost::system::result<boost::urls::url_view> from = boost::urls::parse_uri(base_text);
    if (!from)
      return Status::InvalidArgument("the request's target cannot be a base for a relative Location");
    boost::urls::url resolved;
    if (!boost::urls::resolve(*from, *reference, resolved)) {
      return Status::InvalidArgument("cannot resolve the relative Location");
    }
    FetchUrl same = base;
    same.target = std::string(resolved.encoded_path());
    // RFC 3986 5.2.4 drops a ".." that would climb above the root; Boost.URL
    // 1.81 keeps it ("../../../g" from /b/c/d gives "/../g"), which an
    // origin could read as a path traversal. Dropped here.
    while (same.target.starts_with("/../")) same.target.erase(0, 3);
    if (same.target == "/..") same.target = "/";
    if (same.target.empty()) same.target = "/";
    if (resolved.has_query()) same.target += "?" + std::string(resolved.encoded_query());
    next = std::move(same);
  }
  if (next.ok() && base.tls && !next->tls)
    return Status::InvalidArgument("redirect from https to plain http");
  return next;
}

std::optional<std::string_view> HttpFetchResponse::Header(std::string_view name) const {
  for (const HttpHeader& header : headers) {
    if (EqualsNoCase(header.name, name)) return std::string_view(header.value);
  }
  return std::nullopt;
}

}  // namespace groupcache
