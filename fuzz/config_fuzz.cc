// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes groupcached's config loader (LoadConfigFromString, daemon/config.h:
// toml11, then the schema checks), which reads the file given with --config
// at start and on every SIGHUP. Invariants: no crash, hang or exception;
// a refusal is InvalidArgument and names the file; a config
// that loads can be described and compared with itself, and what the daemon
// parses from it later would parse too: each peer URL (ParsePeerUrl), each
// listen address, each http source URL (ParseUrl). A config that passes
// --check-config must not fail at start. ${VAR} references are looked up in
// a fixed environment (POD_IP, PORT, EMPTY), so that a run does not depend
// on the fuzzer's own environment.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "daemon/config.h"
#include "daemon/origin_url.h"
#include "fuzz_check.h"
#include "groupcache/http_server.h"
#include "groupcache/url.h"

namespace {

using groupcache::Result;
using groupcache::fuzz::Printable;
using groupcached::Config;

constexpr std::string_view kName = "fuzz.toml";

std::optional<std::string> FixedEnvironment(const std::string& name) {
  if (name == "POD_IP") return "10.0.0.7";
  if (name == "PORT") return "8443";
  if (name == "EMPTY") return "";
  return std::nullopt;
}

void CheckLoaded(const Config& config, const auto& context) {
  const std::string description = groupcached::DescribeConfig(config);
  FUZZ_CHECK(!description.empty(), "empty description\n" + context());
  FUZZ_CHECK(groupcached::ChangesNeedingRestart(config, config).empty(),
             "a config differs from itself\n" + context());
  for (const std::string& peer : config.node.peers) {
    Result<groupcache::PeerUrl> url = groupcache::ParsePeerUrl(peer);
    FUZZ_CHECK(url.ok(), "the config accepts peer \"" + Printable(peer) +
                             "\" but the pool refuses it: " + url.status().message() + "\n" + context());
  }
  for (const std::string& address : {config.node.api_listen, config.node.peer_listen}) {
    FUZZ_CHECK(groupcache::ParseListenAddress(address).ok(),
               "the config accepts listen address \"" + Printable(address) +
                   "\" but the server refuses it\n" + context());
  }
  for (const groupcached::GroupConfig& group : config.groups) {
    if (const auto* http = std::get_if<groupcached::HttpSourceConfig>(&group.source)) {
      Result<groupcached::internal::Url> url = groupcached::internal::ParseUrl(http->url);
      FUZZ_CHECK(url.ok(), "the config accepts http source URL \"" + Printable(http->url) +
                               "\" but the source refuses it: " + url.status().message() + "\n" + context());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = groupcache::fuzz::AsView(data, size);
  const auto context = [&] { return "config: \"" + Printable(text) + "\""; };
  try {
    Result<Config> loaded =
        groupcached::LoadConfigFromString(text, std::string(kName), "/etc/groupcached", FixedEnvironment);
    if (loaded.ok()) {
      CheckLoaded(*loaded, context);
      return 0;
    }
    FUZZ_CHECK(loaded.status().code() == groupcache::StatusCode::kInvalidArgument,
               "a bad config must be InvalidArgument\n" + context());
    // The report names the file ("fuzz.toml:LINE: ..." or "fuzz.toml: ...").
    // Only its first line is checked: a syntax error may quote the
    // offending text, and that may span lines.
    FUZZ_CHECK(
        loaded.status().message().starts_with(std::string(kName) + ":"),
        "the error does not name the file: \"" + Printable(loaded.status().message()) + "\"\n" + context());
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, "an exception escaped: " + std::string(e.what()) + "\n" + context());
  }
  return 0;
}
