// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The http source's origin URLs: its URL template and the redirects it
// follows. The parsing is the library's (groupcache/http_fetch.h), which
// fetches them; these names keep the daemon's callers and the fuzz target
// (fuzz/origin_url_fuzz.cc) reading as before.
#ifndef GROUPCACHED_ORIGIN_URL_H_
#define GROUPCACHED_ORIGIN_URL_H_

#include <string_view>

#include "groupcache/http_fetch.h"
#include "groupcache/status.h"

namespace groupcached::internal {

// An absolute http(s) URL, split for a request; origin() names it in errors.
using Url = groupcache::FetchUrl;

// Parses "http://host[:port][/target]" or "https://..." (ParseFetchUrl).
inline groupcache::Result<Url> ParseUrl(std::string_view url) { return groupcache::ParseFetchUrl(url); }

// Resolves a Location header against the URL that answered it. Only
// http(s) targets are followed, and https never downgrades to http. A
// using-declaration, not a wrapper: a call with a Url finds the library's
// function by argument-dependent lookup as well, and must find one.
using groupcache::ResolveRedirect;

}  // namespace groupcached::internal

#endif  // GROUPCACHED_ORIGIN_URL_H_
