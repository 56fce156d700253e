// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Private to the config loader: typed access to a parsed TOML document that
// records every problem as "FILE:LINE: KEY: message" instead of throwing.
#ifndef GROUPCACHED_TOML_READER_H_
#define GROUPCACHED_TOML_READER_H_

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <toml.hpp>
#include <utility>
#include <vector>

#include "daemon/config.h"

namespace groupcached::internal {

using TomlValue = toml::value;

// Returns "\"text\"".
std::string Quote(std::string_view text);
// Returns "a string", "an integer", ... for messages.
std::string TypeName(const TomlValue& v);
// Levenshtein distance, for "did you mean" hints.
size_t EditDistance(std::string_view a, std::string_view b);
// Turns toml11's multi-line syntax error text into one clause.
std::string SyntaxMessage(const std::string& what);
// A size for people: "64MiB", "1GiB", "1000B".
std::string BytesText(int64_t n);

// A TomlReader reads values of one document by key path and collects the
// problems it finds, each with the line of the offending value (or of the
// table missing a key). Keys are named as "prefix.key". String values have
// their ${VAR} references expanded (config_env.h) unless read with
// Expand::kNo. Not thread-safe.
class TomlReader {
 public:
  enum class Expand { kYes, kNo };

  // `name` stands for the file in messages; relative paths read with Path
  // are resolved against `base_dir` (empty: left relative); ${VAR} is looked
  // up in `env`.
  TomlReader(std::string name, std::string base_dir, Environment env)
      : name_(std::move(name)), base_dir_(std::move(base_dir)), env_(std::move(env)) {}

  // At most this many problems are kept: finding a value's line costs toml11
  // a pass over the whole text, so 24,000 unknown keys took 26 s.
  static constexpr size_t kMaxErrors = 100;

  // Records a problem; `at` null means no line (a missing section). Beyond
  // kMaxErrors, problems are only counted (which are kept follows the walk,
  // and tables are unordered).
  void Error(const TomlValue* at, std::string_view key, const std::string& message);
  // The problems recorded so far, sorted by line, one per line, then how
  // many more were found; empty if none.
  std::string Errors() const;

  static std::string Join(std::string_view prefix, std::string_view key);
  // REQUIRES: table.is_table(). The value at `key`, or null.
  static const TomlValue* Find(const TomlValue& table, std::string_view key);

  // Every key of `table` must be one of `allowed`: typos are errors.
  void CheckKeys(const TomlValue& table, std::string_view prefix,
                 std::initializer_list<std::string_view> allowed);
  // The sub-table `key` of `parent`, or null (with an error when it is
  // required or of the wrong type).
  const TomlValue* Section(const TomlValue& parent, std::string_view prefix, std::string_view key,
                           bool required, std::string_view missing_hint = "");
  // The value of `key` if present and of type `type`; errors otherwise.
  const TomlValue* Typed(const TomlValue& table, std::string_view prefix, std::string_view key,
                         toml::value_t type, bool required, std::string_view expected);
  std::optional<std::string> String(const TomlValue& table, std::string_view prefix, std::string_view key,
                                    bool required, Expand expand = Expand::kYes);
  // REQUIRES: v.is_string(). Its text with ${VAR} expanded, or nullopt (and
  // an error naming `key`) when a reference cannot be.
  std::optional<std::string> Expanded(const TomlValue& v, std::string_view key);
  std::optional<bool> Bool(const TomlValue& table, std::string_view prefix, std::string_view key);
  // An integer in [min, max]. One written beyond 64 bits (which toml11
  // silently reads as the nearest 64-bit bound) is out of range too.
  std::optional<int64_t> Integer(const TomlValue& table, std::string_view prefix, std::string_view key,
                                 int64_t min, int64_t max);
  // A size: an integer of bytes or a string such as "64MiB", in [min, max].
  std::optional<int64_t> Size(const TomlValue& table, std::string_view prefix, std::string_view key,
                              bool required, int64_t min, int64_t max = std::numeric_limits<int64_t>::max());
  // A positive duration string such as "10s" ("0s" too when `allow_zero`).
  std::optional<std::chrono::milliseconds> Duration(const TomlValue& table, std::string_view prefix,
                                                    std::string_view key, bool allow_zero = false);
  // A file path; relative ones are taken from base_dir.
  std::optional<std::string> Path(const TomlValue& table, std::string_view prefix, std::string_view key,
                                  bool required);

 private:
  const std::string name_;
  const std::string base_dir_;
  const Environment env_;
  std::vector<std::pair<uint32_t, std::string>> errors_;
  size_t more_errors_ = 0;  // found beyond kMaxErrors
};

}  // namespace groupcached::internal

#endif  // GROUPCACHED_TOML_READER_H_
