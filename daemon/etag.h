// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The client API's entity tags: a strong ETag per value, from a fast
// non-cryptographic hash (a cache validator, not a signature), and the
// If-None-Match comparison that turns a repeated GET into 304.
#ifndef GROUPCACHED_ETAG_H_
#define GROUPCACHED_ETAG_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace groupcached {

// Returns the 64-bit XXH64 hash (seed 0) of `bytes`. Little-endian hosts only.
uint64_t Hash64(std::string_view bytes);

// Returns the strong ETag of a value: "\"" + 16 hex digits of Hash64 + "\"".
std::string ETagOf(std::string_view value);

// True when the If-None-Match header `header` names `etag` (or is "*"),
// comparing weakly as RFC 9110 asks for If-None-Match.
bool IfNoneMatchMatches(std::string_view header, std::string_view etag);

}  // namespace groupcached

#endif  // GROUPCACHED_ETAG_H_
