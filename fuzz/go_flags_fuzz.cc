// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes the Go-compatible flag parser of the example programs
// (examples/common/go_flags.h). The input is split at NUL bytes into
// command-line arguments for a FlagSet with one flag of each kind, and each
// argument is also read as an integer and a duration. Invariants: no crash
// or exception; a duration that parses prints (FormatGoDuration) as text
// that parses back to it; an integer that parses prints back to itself.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "examples/common/go_flags.h"
#include "fuzz_check.h"

namespace {

using groupcache::examples::FlagSet;
using groupcache::examples::FormatGoDuration;
using groupcache::examples::ParseGoDuration;
using groupcache::examples::ParseGoInt;
using groupcache::examples::SplitGo;
using groupcache::fuzz::Printable;

void CheckValue(std::string_view text) {
  std::chrono::nanoseconds d{};
  if (ParseGoDuration(text, &d)) {
    const std::string printed = FormatGoDuration(d);
    std::chrono::nanoseconds back{};
    FUZZ_CHECK(ParseGoDuration(printed, &back) && back == d,
               "duration \"" + Printable(text) + "\" = " + std::to_string(d.count()) + "ns prints as \"" +
                   Printable(printed) + "\", which does not parse back");
  }
  int64_t n = 0;
  if (ParseGoInt(text, &n).empty()) {
    int64_t back = 0;
    FUZZ_CHECK(ParseGoInt(std::to_string(n), &back).empty() && back == n,
               "integer \"" + Printable(text) + "\" = " + std::to_string(n) + " does not print back");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = groupcache::fuzz::AsView(data, size);
  try {
    const std::vector<std::string> args = SplitGo(input, '\0');
    for (const std::string& arg : args) CheckValue(arg);
    FlagSet flags("fuzz");
    flags.String("addr", ":8080", "listen on `address`");
    flags.Int("size", 64, "cache size");
    flags.Bool("v", false, "verbose");
    flags.Duration("timeout", std::chrono::seconds(2), "peer `timeout`");
    std::string error;
    const FlagSet::Outcome outcome = flags.TryParse(args, &error);
    FUZZ_CHECK(outcome != FlagSet::Outcome::kError || !error.empty(), "an error without a message");
    FUZZ_CHECK(flags.args().size() <= args.size(), "more arguments left than given");
    (void)flags.Usage();
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, "an exception escaped for \"" + Printable(input) + "\": " + e.what());
  }
  return 0;
}
