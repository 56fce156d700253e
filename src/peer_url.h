// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Peer base URLs ("http://10.0.0.1:8080"), as the pool and its client read them.
#ifndef GROUPCACHE_SRC_PEER_URL_H_
#define GROUPCACHE_SRC_PEER_URL_H_

#include <string>
#include <string_view>

#include "groupcache/status.h"

namespace groupcache::internal {

// A peer base URL taken apart: "http://10.0.0.1:8080".
struct PeerUrl {
  std::string url;          // as given
  bool tls = false;         // https
  std::string host;         // for resolving: no brackets
  std::string port;         // "8080"; "80" when the URL has none
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
Result<PeerUrl> ParsePeerUrl(std::string_view url);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_PEER_URL_H_
