// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The client API's entity tags: a strong ETag per value, from a fast
// non-cryptographic hash (a cache validator, not a signature), and the
// If-None-Match comparison that turns a repeated GET into 304.
#ifndef GROUPCACHED_ETAG_H_
#define GROUPCACHED_ETAG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "groupcache/byte_view.h"

namespace groupcached {

// Returns the strong ETag of a value: "\"" + the 16 hex digits of its XXH64
// hash (ByteView::Hash64) + "\"". Hashed once per cached value: the hash is
// remembered with the value's buffer, so a hit does not read the value
// again (1 MiB values: 16% of the API's CPU before).
std::string ETagOf(const groupcache::ByteView& value);
// The same for bytes that are not a cached value (hashed each time).
std::string ETagOf(std::string_view value);

// True when the If-None-Match header `header` names `etag` (or is "*"),
// comparing weakly as RFC 9110 asks for If-None-Match.
bool IfNoneMatchMatches(std::string_view header, std::string_view etag);

}  // namespace groupcached

#endif  // GROUPCACHED_ETAG_H_
