// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes ParsePeerUrl (src/http/peer_url.h), which reads every peer URL from the
// command line, the config file and SIGHUP reloads. Invariants: no exception
// escapes; an accepted URL has the scheme it starts with, a host free of
// characters that could break the Host header or the resolver, a decimal
// port in 1..65535, and re-parses from its parts to the same fields.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "groupcache/url.h"

namespace {

using groupcache::ParsePeerUrl;
using groupcache::PeerUrl;
using groupcache::Result;
using groupcache::fuzz::Printable;

Result<PeerUrl> ParseOrDie(std::string_view url) {
  try {
    return ParsePeerUrl(url);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, "ParsePeerUrl threw " + std::string(e.what()) + " for \"" + Printable(url) + "\"");
  }
}

bool IsPort(std::string_view port) {
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  const unsigned long n = std::stoul(std::string(port));
  return n >= 1 && n <= 65535;
}

void Check(std::string_view input) {
  Result<PeerUrl> parsed = ParseOrDie(input);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == groupcache::StatusCode::kInvalidArgument,
               "a bad peer URL must be InvalidArgument");
    return;
  }
  const PeerUrl& url = *parsed;
  const auto context = [&] {
    return "input: \"" + Printable(input) + "\" host \"" + Printable(url.host) + "\" port \"" +
           Printable(url.port) + "\" host_header \"" + Printable(url.host_header) + "\"";
  };
  FUZZ_CHECK(url.url == input, "url is not the input\n" + context());
  FUZZ_CHECK(url.tls == input.starts_with("https://"), "tls does not follow the scheme\n" + context());
  FUZZ_CHECK(!url.host.empty(), "empty host\n" + context());
  FUZZ_CHECK(IsPort(url.port), "port outside 1..65535\n" + context());
  // The host goes to the resolver and, inside host_header, into a request
  // header: no whitespace, control bytes or URL delimiters.
  for (unsigned char c : url.host_header) {
    FUZZ_CHECK(c > 0x20 && c != 0x7f &&
                   std::string_view("/?#@").find(static_cast<char>(c)) == std::string_view::npos,
               "host_header holds a byte a Host header must not\n" + context());
  }
  const std::string again = (url.tls ? "https://" : "http://") + url.host_header;
  Result<PeerUrl> reparsed = ParseOrDie(again);
  FUZZ_CHECK(reparsed.ok() && reparsed->tls == url.tls && reparsed->host == url.host &&
                 reparsed->port == url.port && reparsed->host_header == url.host_header,
             "the URL rebuilt from its parts parses differently\n" + context());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Check(groupcache::fuzz::AsView(data, size));
  return 0;
}
