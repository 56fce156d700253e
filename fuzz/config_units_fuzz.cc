// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes groupcached's size and duration parsers (daemon/config_units.cc):
// ParseSize ("64MiB") and ParseDuration ("10s"). Invariants: no exception
// escapes; an accepted size is never negative and equals number x unit
// without overflow; an accepted duration is within 0..365 days and equals
// number x unit; what they print (plain bytes, milliseconds) parses back;
// and a well-formed value of moderate size is accepted.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/config.h"
#include "fuzz_check.h"

namespace {

using groupcache::Result;
using groupcache::fuzz::Printable;
using groupcached::ParseDuration;
using groupcached::ParseSize;

constexpr std::pair<std::string_view, int64_t> kSizeUnits[] = {
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
constexpr std::pair<std::string_view, int64_t> kDurationUnits[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 60 * 60 * 1000}};
constexpr int64_t kMaxMilliseconds = int64_t{365} * 24 * 60 * 60 * 1000;

// "123 MiB" as {123, multiplier of MiB} when the text is digits, at most one
// space and a unit of `units`, with at most 20 digits (so that the product
// fits in 128 bits); else nullopt.
template <size_t N>
std::optional<std::pair<__int128, int64_t>> Reference(
    std::string_view text, const std::pair<std::string_view, int64_t> (&units)[N]) {
  size_t digits = 0;
  __int128 number = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    if (digits == 20) return std::nullopt;
    number = number * 10 + (text[digits] - '0');
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  std::string_view unit = text.substr(digits);
  if (unit.starts_with(' ')) unit.remove_prefix(1);
  for (const auto& [name, multiplier] : units) {
    if (unit == name) return std::make_pair(number, multiplier);
  }
  return std::nullopt;
}

void CheckSize(std::string_view text) {
  Result<int64_t> got = ParseSize(text);
  const auto context = [&] { return "ParseSize(\"" + Printable(text) + "\")"; };
  const auto want = Reference(text, kSizeUnits);
  if (got.ok()) {
    FUZZ_CHECK(*got >= 0, context() + " is negative");
    if (want) {
      FUZZ_CHECK(want->first * want->second == *got,
                 context() + " = " + std::to_string(*got) + ", wrong value");
    }
    Result<int64_t> again = ParseSize(std::to_string(*got));
    FUZZ_CHECK(again.ok() && *again == *got, context() + ": its value printed in bytes does not parse back");
  } else {
    FUZZ_CHECK(got.status().code() == groupcache::StatusCode::kInvalidArgument,
               context() + " must fail with InvalidArgument");
    FUZZ_CHECK(!want || want->first * want->second > (__int128{1} << 40),
               context() + " refused a well-formed size: " + got.status().message());
  }
}

void CheckDuration(std::string_view text) {
  Result<std::chrono::milliseconds> got = ParseDuration(text);
  const auto context = [&] { return "ParseDuration(\"" + Printable(text) + "\")"; };
  const auto want = Reference(text, kDurationUnits);
  if (got.ok()) {
    FUZZ_CHECK(got->count() >= 0 && got->count() <= kMaxMilliseconds, context() + " is outside 0..365 days");
    if (want) {
      FUZZ_CHECK(want->first * want->second == got->count(),
                 context() + " = " + std::to_string(got->count()) + "ms, wrong value");
    }
    Result<std::chrono::milliseconds> again = ParseDuration(std::to_string(got->count()) + "ms");
    FUZZ_CHECK(again.ok() && *again == *got, context() + ": its value printed in ms does not parse back");
  } else {
    FUZZ_CHECK(got.status().code() == groupcache::StatusCode::kInvalidArgument,
               context() + " must fail with InvalidArgument");
    FUZZ_CHECK(!want || want->first * want->second > kMaxMilliseconds,
               context() + " refused a well-formed duration: " + got.status().message());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = groupcache::fuzz::AsView(data, size);
  try {
    CheckSize(input);
    CheckDuration(input);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, "an exception escaped for \"" + Printable(input) + "\": " + e.what());
  }
  return 0;
}
