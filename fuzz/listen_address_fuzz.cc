// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes groupcache::ParseListenAddress (include/groupcache/http_server.h),
// which reads -addr flags and the config's listen addresses. Invariants: no
// exception escapes; an accepted address has a port that was written as
// decimal digits only, and printing it back ("host:port", "[v6]:port")
// parses to the same pair.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_check.h"
#include "groupcache/http_server.h"

namespace {

using groupcache::Result;
using groupcache::fuzz::Printable;
using Address = std::pair<std::string, uint16_t>;

Result<Address> ParseOrDie(std::string_view text) {
  try {
    return groupcache::ParseListenAddress(text);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false,
               "ParseListenAddress threw " + std::string(e.what()) + " for \"" + Printable(text) + "\"");
  }
}

void Check(std::string_view input) {
  Result<Address> parsed = ParseOrDie(input);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == groupcache::StatusCode::kInvalidArgument,
               "a bad listen address must be InvalidArgument");
    return;
  }
  const std::string& host = parsed->first;
  const uint16_t port = parsed->second;
  const auto context = [&] {
    return "input: \"" + Printable(input) + "\" host \"" + Printable(host) + "\" port " +
           std::to_string(port);
  };
  const std::string_view port_text = input.substr(input.rfind(':') + 1);
  FUZZ_CHECK(!port_text.empty() && port_text.find_first_not_of("0123456789") == std::string_view::npos,
             "the port was not written in decimal digits\n" + context());
  unsigned value = 0;
  std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  FUZZ_CHECK(value == port, "the port does not match its text\n" + context());
  const std::string printed =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  Result<Address> reparsed = ParseOrDie(printed);
  FUZZ_CHECK(reparsed.ok() && *reparsed == *parsed,
             "\"" + Printable(printed) + "\" parses differently\n" + context());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Check(groupcache::fuzz::AsView(data, size));
  return 0;
}
