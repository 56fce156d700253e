// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Sizes and durations as config values: "64MiB", "10s".
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/config.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

// Splits "64 MiB" into 64 and "MiB". Fails on a missing or huge number.
Result<std::pair<int64_t, std::string_view>> SplitNumber(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return Status::InvalidArgument("no number");
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
  if (ec != std::errc() || end != text.data() + digits) return Status::InvalidArgument("number too large");
  std::string_view unit = text.substr(digits);
  if (unit.starts_with(' ')) unit.remove_prefix(1);
  return std::make_pair(number, unit);
}

}  // namespace

Result<int64_t> ParseSize(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  const std::string hint = " is not a size (use e.g. \"64MiB\"; units B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)";
  auto split = SplitNumber(text);
  if (!split.ok()) return Status::InvalidArgument(quoted + hint);
  const auto [number, unit] = *split;
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
    if (number > std::numeric_limits<int64_t>::max() / multiplier) {
      return Status::InvalidArgument(quoted + " is too large");
    }
    return number * multiplier;
  }
  return Status::InvalidArgument(quoted + hint);
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  const std::string hint = " is not a duration (use e.g. \"500ms\", \"10s\", \"1m\" or \"1h\")";
  auto split = SplitNumber(text);
  if (!split.ok()) return Status::InvalidArgument(quoted + hint);
  const auto [number, unit] = *split;
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 60 * 60 * 1000}};
  for (const auto& [name, multiplier] : kUnits) {
    if (unit != name) continue;
    // Far beyond any sensible timeout, and safe from overflow in chrono sums.
    constexpr int64_t kMaxMilliseconds = int64_t{365} * 24 * 60 * 60 * 1000;
    if (number > kMaxMilliseconds / multiplier) return Status::InvalidArgument(quoted + " is too large");
    return std::chrono::milliseconds(number * multiplier);
  }
  return Status::InvalidArgument(quoted + hint);
}

}  // namespace groupcached
