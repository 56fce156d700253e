// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// HTTP freshness for the http source: how long a shared cache may keep an
// origin's 200 response, from its Cache-Control, Expires, Date and Age
// header fields (RFC 9111 §4.2 and §5.2, as a shared cache without
// revalidation reads them). Pure functions of the headers and a clock
// reading, so every rule is unit-tested without a network.
#ifndef GROUPCACHED_HTTP_FRESHNESS_H_
#define GROUPCACHED_HTTP_FRESHNESS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "groupcache/http_fetch.h"

namespace groupcached {

// What a response's headers allow a shared cache to do with it.
struct Freshness {
  enum class Kind {
    kNoInfo,      // nothing said: no expiry from the source (the group's ttl applies)
    kStoreUntil,  // keep it until `expiry`, which is after `now`
    kDoNotStore,  // answer the callers waiting for it, keep it nowhere
  };
  Kind kind = Kind::kNoInfo;
  std::chrono::system_clock::time_point expiry{};  // set for kStoreUntil only
};

// The longest freshness lifetime honoured: larger values (and delta-seconds
// too large to represent, which RFC 9111 §1.2.2 says to treat as 2^31) are
// cut to this, so no computation overflows.
inline constexpr std::chrono::seconds kMaxFreshnessLifetime{10LL * 366 * 24 * 3600};

// Returns what `headers` (a 200 response's, in order; names compared
// case-insensitively) allow at `now`, in this order:
//  1. Cache-Control no-store, private or no-cache (with or without a field
//     list), in any Cache-Control field line: kDoNotStore. no-cache allows
//     storing only with revalidation, which this source does not do yet.
//     So does a Set-Cookie field (whatever its value), or "*" among the
//     members of a Vary field.
//  2. Cache-Control s-maxage, else max-age: a lifetime of that many seconds.
//  3. Expires: Expires − Date (the origin's own clock) when a valid Date is
//     present, else Expires − now (so the expiry is Expires itself). An
//     Expires that is not a valid HTTP-date (e.g. "0") means already expired.
//  4. Otherwise kNoInfo.
// The lifetime less Age (seconds the response already spent in caches
// upstream) is what remains; if that is not positive, kDoNotStore.
// Every Cache-Control field line is read, as if joined with commas; names
// are case-insensitive; values may be tokens or quoted strings. A max-age,
// s-maxage or Age that is not delta-seconds (digits only; a quoted number is
// accepted) is ignored, as if absent. When a directive or field repeats, the
// most restrictive reading wins: the smallest max-age or s-maxage, the
// largest Age, the earliest Expires, the latest Date. Never fails.
[[nodiscard]] Freshness ParseFreshness(const std::vector<groupcache::HttpHeader>& headers,
                                       std::chrono::system_clock::time_point now);

namespace internal {

// The Cache-Control directives the http source acts on.
struct CacheControl {
  bool no_store = false;
  bool no_cache = false;
  bool is_private = false;
  std::optional<std::chrono::seconds> max_age;   // valid values only, clamped
  std::optional<std::chrono::seconds> s_maxage;  // valid values only, clamped
};

// Reads every field of `headers` named Cache-Control (see ParseFreshness
// for the rules).
CacheControl ParseCacheControl(const std::vector<groupcache::HttpHeader>& headers);

// Parses delta-seconds ("1*DIGIT", optionally quoted), clamped to
// kMaxFreshnessLifetime; nullopt for anything else (empty, a sign, spaces
// inside, other characters).
std::optional<std::chrono::seconds> ParseDeltaSeconds(std::string_view text);

// Parses an HTTP-date (RFC 9110 §5.6.7): IMF-fixdate ("Sun, 06 Nov 1994
// 08:49:37 GMT"), or the obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT";
// a two-digit year below 70 is 20xx) and asctime ("Sun Nov  6 08:49:37
// 1994") forms; surrounding whitespace is allowed, names are matched
// case-insensitively. Years 1601 to 9999. nullopt when invalid.
std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view text);

}  // namespace internal
}  // namespace groupcached

#endif  // GROUPCACHED_HTTP_FRESHNESS_H_
