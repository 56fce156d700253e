// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Text helpers for the integration tests: expected values, encodings, logs
// and the kv /stats JSON.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_TEXT_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_TEXT_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace groupcache::integration {

// The value kv and gcpeer synthesise: the first `size` bytes of key + ":"
// repeated.
std::string SyntheticValue(std::string_view key, size_t size);

// Lower-case hex of every byte, and its inverse (nullopt on bad input).
std::string Hex(std::string_view bytes);
std::optional<std::string> Unhex(std::string_view hex);

// Percent-encodes every byte except A-Z a-z 0-9 - _ . ~ (space is %20), for
// a query value or a path segment.
std::string PercentEncode(std::string_view s);

// A readable form of a key for failure messages: printable ASCII as is,
// everything else as \xNN.
std::string Printable(std::string_view s);

// Number of lines of the file at `path` that contain `needle`.
int CountLinesContaining(const std::filesystem::path& path, std::string_view needle);

// Number of getter log lines for exactly `key`: lines whose text after the
// first "looking up " is `key` (so key "red" does not count "looking up
// reddish", and the empty key's line is "... looking up ").
int CountLookups(const std::filesystem::path& path, std::string_view key);

// The numbers of one kv or gcpeer /stats document (Go kv's JSON layout).
struct KvStats {
  std::map<std::string, int64_t> stats;       // "Stats": Gets, PeerErrors, ...
  std::map<std::string, int64_t> main_cache;  // "MainCache": Bytes, Items, ...
  std::map<std::string, int64_t> hot_cache;   // "HotCache"
  // stats[name], or -1 when absent (so a missing field fails comparisons).
  int64_t Stat(const std::string& name) const;
};
// Parses `json`; nullopt if the "Stats" object is missing.
std::optional<KvStats> ParseKvStats(std::string_view json);

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_TEXT_H_
