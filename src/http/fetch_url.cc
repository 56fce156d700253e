// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The value types of http_fetch.h: the URLs an HttpFetcher requests and the
// redirects it follows, parsed without any network library so that they can
// be fuzzed (fuzz/origin_url_fuzz.cc), and response header look-up.
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
    std::string target;
    if (location.front() == '/') {
      target = std::string(location);
    } else {
      const std::string_view path = std::string_view(base.target).substr(0, base.target.find('?'));
      target = std::string(path.substr(0, path.rfind('/') + 1)) + std::string(location);
    }
    FetchUrl same = base;
    same.target = target.substr(0, target.find('#'));
    for (char c : same.target) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
        return Status::InvalidArgument("Location contains a space or control character");
      }
    }
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
