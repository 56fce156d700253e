// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Summaries of a Config: for --check-config, and for what SIGHUP cannot apply.
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "daemon/config.h"
#include "daemon/toml_reader.h"

namespace groupcached {

namespace {

using internal::BytesText;

std::string Millis(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

// scheme://host of an origin URL: no user info, path or query, which may carry
// credentials.
std::string OriginOf(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "(invalid)";
  size_t host_begin = scheme_end + 3;
  const size_t host_end = std::min(url.find_first_of("/?#", host_begin), url.size());
  if (const size_t at = url.rfind('@', host_end); at != std::string::npos && at >= host_begin)
    host_begin = at + 1;
  return url.substr(0, scheme_end + 3) + url.substr(host_begin, host_end - host_begin);
}

std::string DescribeSource(const SourceConfig& source) {
  return std::visit(
      [](const auto& s) -> std::string {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, StaticSourceConfig>) {
          return "static, " + std::to_string(s.values.size()) + " keys";
        } else if constexpr (std::is_same_v<T, FilesSourceConfig>) {
          return "files below " + s.root;
        } else if constexpr (std::is_same_v<T, PostgresSourceConfig>) {
          // The file's path, never its content (the connection string).
          return "postgres, conninfo_file " + s.conninfo_file + ", timeout " + Millis(s.timeout) +
                 ", pool_size " + std::to_string(s.pool_size);
        } else {
          return "http origin " + OriginOf(s.url) + ", timeout " + Millis(s.timeout) + ", max_redirects " +
                 std::to_string(s.max_redirects) + (s.ca_file.empty() ? "" : ", ca_file " + s.ca_file) +
                 (s.stale_if_error.count() > 0 ? ", stale_if_error " + Millis(s.stale_if_error) : "");
        }
      },
      source);
}

}  // namespace

std::string DescribeConfig(const Config& config) {
  std::string out;
  out += "config: " + config.source_name + "\n";
  out += "node: self " + config.node.self + "\n";
  out += "  api listener:  " + config.node.api_listen + " (plain HTTP)\n";
  out += "  peer listener: " + config.node.peer_listen +
         (config.tls.enabled() ? " (HTTPS, mutual TLS)\n" : " (plain HTTP)\n");
  out += "  drain: " + Millis(config.node.drain) + " (after SIGTERM, /readyz answers 503 while serving)\n";
  const DiscoveryConfig& discovery = config.discovery;
  if (discovery.dns()) {
    const bool srv = discovery.record == DiscoveryConfig::Record::kSrv;
    out += "  peers: from DNS, " + std::string(srv ? "SRV" : "A and AAAA") + " records of " + discovery.name +
           (srv ? "" : ", port " + std::to_string(discovery.port)) + ", every " + Millis(discovery.interval) +
           "\n    servers: ";
    if (discovery.servers.empty()) out += "the system's resolver configuration";
    for (size_t i = 0; i < discovery.servers.size(); ++i) out += (i ? ", " : "") + discovery.servers[i];
    out += "\n";
  } else {
    out += "  peers (" + std::to_string(config.node.peers.size()) + "):\n";
    for (const std::string& peer : config.node.peers) {
      out += "    " + peer + (peer == config.node.self ? " (self)\n" : "\n");
    }
  }
  if (config.tls.enabled()) {
    out += "tls: on\n  ca:   " + config.tls.ca + "\n  cert: " + config.tls.cert +
           "\n  key:  " + config.tls.key +
           (config.tls.key_passphrase_file.empty()
                ? " (unencrypted)\n"
                : " (passphrase in " + config.tls.key_passphrase_file + ")\n");
  } else {
    out += "tls: OFF (insecure_plaintext = true): peer traffic can be read and forged on the network\n";
  }
  out += "log: level " + std::string(LogLevelName(config.log.level)) + ", format " +
         (config.log.json ? "json" : "text") + ", to " +
         (config.log.file.empty() ? "stderr" : config.log.file) + ", keys " +
         (config.log.reveal_keys ? "REVEALED" : "hashed") +
         (config.log.key_hash_secret_file.empty() ? ""
                                                  : " (secret in " + config.log.key_hash_secret_file + ")") +
         "\n";
  const LimitsConfig& limits = config.limits;
  out += "limits: max_key_bytes " + std::to_string(limits.max_key_bytes) + ", max_value_bytes " +
         BytesText(static_cast<int64_t>(limits.max_value_bytes)) + ", max_inflight_bytes " +
         BytesText(static_cast<int64_t>(limits.max_inflight_bytes)) + "\n  max_connections " +
         std::to_string(limits.max_connections) + ", max_handshakes " +
         std::to_string(limits.max_handshakes) + "\n  request_timeout " + Millis(limits.request_timeout) +
         ", header_timeout " + Millis(limits.header_timeout) + ", handshake_timeout " +
         Millis(limits.handshake_timeout) + "\n";
  out += "  peers: connect_timeout " + Millis(limits.connect_timeout) + ", eject_after_failures " +
         std::to_string(limits.eject_after_failures) + (limits.eject_after_failures == 0 ? " (never)" : "") +
         ", eject_backoff " + Millis(limits.eject_backoff_min) + " to " + Millis(limits.eject_backoff_max) +
         "\n";
  const auto threads = [](int n, const char* automatic) {
    return n > 0 ? std::to_string(n) : std::string(automatic);
  };
  out += "runtime: io_threads " + threads(config.runtime.io_threads, "automatic (one per usable CPU)") +
         ", worker_threads " + threads(config.runtime.worker_threads, "automatic (two per usable CPU)") +
         "\n";
  out += "groups (" + std::to_string(config.groups.size()) + "):\n";
  for (const GroupConfig& group : config.groups) {
    out +=
        "  " + group.name + ": cache " + BytesText(group.cache_bytes) + ", " + DescribeSource(group.source);
    if (group.ttl.count() > 0) {
      out += ", ttl " + Millis(group.ttl);
      if (group.ttl_jitter.count() > 0) out += " (jitter " + Millis(group.ttl_jitter) + ")";
    }
    if (group.not_found_ttl.count() > 0) out += ", not_found_ttl " + Millis(group.not_found_ttl);
    out += "\n";
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> SummarizeConfig(const Config& config) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto add = [&out](std::string key, std::string value) {
    out.emplace_back(std::move(key), std::move(value));
  };
  const auto number = [](auto n) { return std::to_string(n); };
  add("config", config.source_name);
  add("node.self", config.node.self);
  add("node.api_listen", config.node.api_listen);
  add("node.peer_listen", config.node.peer_listen);
  add("node.drain", Millis(config.node.drain));
  if (config.discovery.dns()) {
    const DiscoveryConfig& d = config.discovery;
    add("discovery", std::string("dns, ") + (d.record == DiscoveryConfig::Record::kSrv ? "SRV" : "A/AAAA") +
                         " records of " + d.name + ", every " + Millis(d.interval));
  } else {
    std::string peers;
    for (const std::string& peer : config.node.peers) peers += (peers.empty() ? "" : " ") + peer;
    add("node.peers", peers);
  }
  if (config.tls.enabled()) {
    add("tls", "mutual TLS on the peer listener");
    add("tls.ca", config.tls.ca);
    add("tls.cert", config.tls.cert);
    add("tls.key", config.tls.key);
    if (!config.tls.key_passphrase_file.empty())
      add("tls.key_passphrase_file", config.tls.key_passphrase_file);
  } else {
    add("tls", "OFF (insecure_plaintext = true)");
  }
  add("log.level", std::string(LogLevelName(config.log.level)));
  add("log.format", config.log.json ? "json" : "text");
  add("log.file", config.log.file.empty() ? "(stderr)" : config.log.file);
  add("log.reveal_keys", config.log.reveal_keys ? "true" : "false");
  if (!config.log.key_hash_secret_file.empty())
    add("log.key_hash_secret_file", config.log.key_hash_secret_file);
  const LimitsConfig& limits = config.limits;
  add("limits.max_key_bytes", number(limits.max_key_bytes));
  add("limits.max_value_bytes", BytesText(static_cast<int64_t>(limits.max_value_bytes)));
  add("limits.max_inflight_bytes", BytesText(static_cast<int64_t>(limits.max_inflight_bytes)));
  add("limits.max_connections", number(limits.max_connections));
  add("limits.max_handshakes", number(limits.max_handshakes));
  add("limits.request_timeout", Millis(limits.request_timeout));
  add("limits.header_timeout", Millis(limits.header_timeout));
  add("limits.handshake_timeout", Millis(limits.handshake_timeout));
  add("runtime.io_threads",
      config.runtime.io_threads > 0 ? number(config.runtime.io_threads) : "0 (automatic)");
  add("runtime.worker_threads",
      config.runtime.worker_threads > 0 ? number(config.runtime.worker_threads) : "0 (automatic)");
  for (const GroupConfig& group : config.groups) {
    add("group." + group.name, "cache " + BytesText(group.cache_bytes) + ", " + DescribeSource(group.source));
  }
  return out;
}

std::vector<std::string> ChangesNeedingRestart(const Config& before, const Config& after) {
  std::vector<std::string> changes;
  if (before.node.self != after.node.self) changes.push_back("node.self");
  if (before.node.api_listen != after.node.api_listen) changes.push_back("node.api_listen");
  if (before.node.peer_listen != after.node.peer_listen) changes.push_back("node.peer_listen");
  if (before.node.drain != after.node.drain) changes.push_back("node.drain");
  if (!(before.discovery == after.discovery)) changes.push_back("[discovery]");
  if (!(before.tls == after.tls)) changes.push_back("[tls]");
  if (!(before.log == after.log)) changes.push_back("[log]");
  if (!(before.limits == after.limits)) changes.push_back("[limits]");
  if (!(before.runtime == after.runtime)) changes.push_back("[runtime]");
  if (!(before.groups == after.groups)) changes.push_back("[[group]]");
  return changes;
}

}  // namespace groupcached
