// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// URL pieces that programs serving groupcache data need: percent-encoding as
// Go's net/url does it, query parameters as Go's Request.FormValue reads
// them, and the peer base URLs an HttpPool is given.
//
//   // GET /color?name=red%20ish
//   std::string name = groupcache::QueryValue(request.query, "name").value_or("");
//   // GET /kv/a%2Fb
//   groupcache::Result<std::string> key = groupcache::PathUnescape(request.path.substr(4));
#ifndef GROUPCACHE_URL_H_
#define GROUPCACHE_URL_H_

#include <optional>
#include <string>
#include <string_view>

#include "groupcache/export.h"
#include "groupcache/status.h"

namespace groupcache {

// Every byte except A-Z a-z 0-9 '-' '_' '.' '~' written as %XX (upper-case
// hex). This is Go's url.QueryEscape except that a space becomes %20, never
// '+': a Go server decodes paths without turning '+' into a space, so %20 is
// the only spelling both read as a space. Peer requests escape group names
// and keys this way.
GROUPCACHE_API std::string QueryEscape(std::string_view s);

// Decodes %XX escapes (either hex case) and '+' as a space: the exact inverse
// of Go's url.QueryEscape and of QueryEscape. InvalidArgument for a '%' not
// followed by two hex digits.
GROUPCACHE_API Result<std::string> QueryUnescape(std::string_view s);

// Decodes %XX escapes as a URL path is decoded (Go's url.PathUnescape and
// r.URL.Path): unlike QueryUnescape, '+' stays '+'. InvalidArgument for a
// malformed escape.
GROUPCACHE_API Result<std::string> PathUnescape(std::string_view s);

// The first value of `name` in a query string ("a=1&name=red"), with '+' and
// %XX decoded, as Go's Request.FormValue reads the URL: pairs with a
// malformed escape or a ';' are skipped. nullopt when absent.
GROUPCACHE_API std::optional<std::string> QueryValue(std::string_view query, std::string_view name);

// A peer base URL taken apart: "http://10.0.0.1:8080".
struct GROUPCACHE_API PeerUrl {
  std::string url;          // as given
  bool tls = false;         // https
  std::string host;         // for resolving: no brackets
  std::string port;         // "8080"; "80" or "443" when the URL has none
  std::string host_header;  // the Host header: the URL's authority

  // The endpoint the URL names, spelled one way: scheme, lower-case host and
  // the port as a number ("http://Peer:08080" and "http://peer:8080" are one
  // endpoint). Names are not resolved: "localhost" and "127.0.0.1" differ.
  std::string Endpoint() const;
};

// Accepts http://host[:port] or https://host[:port] with no path, query,
// fragment or user info; an IPv6 host in brackets ("http://[::1]:8080"); a
// port of up to 5 digits in 1..65535. The host may not contain whitespace,
// control characters or stray brackets (it goes into a Host header).
// InvalidArgument naming the problem otherwise ("trailing slash", ...).
// HttpPool::Set reads its peer list with this.
GROUPCACHE_API Result<PeerUrl> ParsePeerUrl(std::string_view url);

}  // namespace groupcache

#endif  // GROUPCACHE_URL_H_
