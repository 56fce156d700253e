// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The http source's origin URLs: its URL template and the redirects it
// follows, parsed without any network library so that they can be fuzzed.
#ifndef GROUPCACHED_ORIGIN_URL_H_
#define GROUPCACHED_ORIGIN_URL_H_

#include <string>
#include <string_view>

#include "groupcache/status.h"

namespace groupcached::internal {

// An absolute http(s) URL, split for a request.
struct Url {
  bool tls = false;
  std::string host;         // without IPv6 brackets
  std::string port;         // always set: the default for the scheme if absent
  std::string host_header;  // host[:port] as the Host header spells it
  std::string target;       // "/path?query", never empty

  // "https://host:port": the origin, which errors may name (the target
  // may contain the key, and errors must not).
  std::string origin() const {
    return std::string(tls ? "https://" : "http://") +
           (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
  }
};

// Parses "http://host[:port][/target]" or "https://...", an IPv6 host in
// brackets. User info, whitespace, control characters, an IPv6 host without
// brackets and stray brackets are refused; a fragment is dropped.
groupcache::Result<Url> ParseUrl(std::string_view url);

// Resolves a Location header against the URL that answered it. Only
// http(s) targets are followed, and https never downgrades to http.
groupcache::Result<Url> ResolveRedirect(const Url& base, std::string_view location);

}  // namespace groupcached::internal

#endif  // GROUPCACHED_ORIGIN_URL_H_
