// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Sizes and durations as config values: "64MiB", "10s".
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/config.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

// "64 MiB" as 64 and "MiB".
struct Number {
  int64_t value = 0;
  std::string_view unit;
  bool too_large = false;  // more than 64 bits
};

// Splits off the leading digits; nullopt if there are none.
std::optional<Number> SplitNumber(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  Number number;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number.value);
  number.too_large = ec != std::errc();
  number.unit = text.substr(digits);
  if (number.unit.starts_with(' ')) number.unit.remove_prefix(1);
  return number;
}

}  // namespace

Result<int64_t> ParseSize(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  const std::string hint = " is not a size (use e.g. \"64MiB\"; units B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)";
  const std::optional<Number> split = SplitNumber(text);
  if (!split) return Status::InvalidArgument(quoted + hint);
  const auto [number, unit, too_large] = *split;
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
      {"", 1},
      {"B", 1},
      {"KiB", int64_t{1} << 10},
      {"MiB", int64_t{1} << 20},
      {"GiB", int64_t{1} << 30},
      {"TiB", int64_t{1} << 40},
      {"KB", 1000},
      {"MB", 1000 * 1000},
      {"GB", int64_t{1000} * 1000 * 1000},
      {"TB", int64_t{1000} * 1000 * 1000 * 1000},
  };
  for (const auto& [name, multiplier] : kUnits) {
    if (unit != name) continue;
    if (too_large || number > std::numeric_limits<int64_t>::max() / multiplier) {
      return Status::InvalidArgument(quoted + " is too large");
    }
    return number * multiplier;
  }
  return Status::InvalidArgument(quoted + hint);
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  const std::string hint = " is not a duration (use e.g. \"500ms\", \"10s\", \"1m\" or \"1h\")";
  const std::optional<Number> split = SplitNumber(text);
  if (!split) return Status::InvalidArgument(quoted + hint);
  const auto [number, unit, too_large] = *split;
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 60 * 60 * 1000}};
  for (const auto& [name, multiplier] : kUnits) {
    if (unit != name) continue;
    // Far beyond any sensible timeout, and safe from overflow in chrono sums.
    constexpr int64_t kMaxMilliseconds = int64_t{365} * 24 * 60 * 60 * 1000;
    if (too_large || number > kMaxMilliseconds / multiplier) {
      return Status::InvalidArgument(quoted + " is too large (at most 365 days)");
    }
    return std::chrono::milliseconds(number * multiplier);
  }
  return Status::InvalidArgument(quoted + hint);
}

}  // namespace groupcached
