// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Private to the config loader: a pre-scan of TOML text that bounds what the
// TOML library (toml11 v3) would otherwise do without limit on hostile input:
//   - recurse once per nested array or inline table, until the stack
//     overflows (a 20 KB file of 10,000 '[' crashes the process);
//   - build value trees as deep as dotted keys and table names are long,
//     which its recursive destructor and copies then walk;
//   - copy the whole line for every key and value on it, and re-read the
//     block of comment lines above some values, so that work grows with the
//     square of a line's length (a 64 KB line of short strings takes seconds);
//   - read binary integers of 63 or more digits with signed overflow;
//   - report invalid UTF-8 in a literal string through an iterator into
//     another buffer (undefined behaviour).
// The scanner lexes just enough TOML (strings of the four kinds with their
// escapes, comments, table headers, dotted and quoted keys, arrays and inline
// tables) to see the real structure: brackets inside strings and comments do
// not count.
#ifndef GROUPCACHED_CONFIG_SCAN_H_
#define GROUPCACHED_CONFIG_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace groupcached::internal {

// Arrays and inline tables inside one another; toml11 recurses once per level.
inline constexpr int kMaxTomlNesting = 32;
// Levels of the value tree: table names and dotted keys count one level per
// part, [[array tables]], arrays and inline tables one each.
inline constexpr int kMaxTomlDepth = 64;
// toml11's work beyond linear, in bytes re-read: each key and value costs the
// length of its line plus the comment lines right above it. 16 Mi keeps the
// worst case near a tenth of a second; real configs stay far below a million.
inline constexpr uint64_t kMaxTomlParseWork = uint64_t{1} << 24;
// Binary integers with more digits overflow inside toml11 whatever their value.
inline constexpr int kMaxTomlBinaryDigits = 62;

// What ScanToml found.
struct TomlScan {
  enum class Outcome {
    kOk,             // within every bound: the whole text may be parsed
    kRefused,        // over a bound at `line`: do not parse; `message` says which
    kNotUnderstood,  // malformed at `line`: only the first `understood` bytes may be parsed
  };
  Outcome outcome = Outcome::kOk;
  uint32_t line = 0;
  std::string message;  // e.g. "arrays and inline tables nested deeper than 32 levels"
  // Bytes of the text checked: all of it unless kNotUnderstood. A malformed
  // text is still handed to toml11 up to here, for its (better) syntax
  // message; whatever follows was not checked and must not be parsed.
  size_t understood = 0;
};

// Scans `text` (the whole file; a leading UTF-8 BOM is skipped as toml11
// does). Linear in the size of the text; never recurses deeper than
// kMaxTomlNesting.
TomlScan ScanToml(std::string_view text);

}  // namespace groupcached::internal

#endif  // GROUPCACHED_CONFIG_SCAN_H_
