// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// groupcached configuration files and /metrics documents for the
// integration tests.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_GROUPCACHED_CONFIG_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_GROUPCACHED_CONFIG_H_

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace groupcache::integration {

// The [tls] files of one node.
struct NodeTlsFiles {
  std::string ca;
  std::string cert;
  std::string key;
};

// One groupcached node's configuration, as the tests vary it.
struct NodeConfig {
  uint16_t api_port = 0;
  uint16_t peer_port = 0;
  std::string self;                     // this node's peer URL
  std::string peer_host = "127.0.0.1";  // where the peer listener binds (the API: 127.0.0.1)
  std::vector<std::string> peers;       // empty: [self]
  // The body of [discovery] (e.g. "type = \"dns\"\n..."); when set, the
  // config has no node.peers.
  std::string discovery_toml;
  // node.drain. The tests stop nodes with SIGTERM and expect them gone
  // within the grace period, so none drains unless a test asks.
  std::string drain = "0s";
  std::optional<NodeTlsFiles> tls;  // nullopt: insecure_plaintext = true
  std::string tls_reload_interval;  // tls.reload_interval; empty: the default
  std::string log_level = "info";
  std::string log_format = "text";
  std::string log_file;     // empty: stderr
  std::string limits_toml;  // lines for [limits], e.g. "max_value_bytes = \"1KiB\"\n"
  std::string api_toml;     // lines for [api]; empty: no [api] table
  std::string groups_toml;  // [[group]] entries (see the *Group helpers)
};

// The TOML text of `config`.
std::string ConfigToml(const NodeConfig& config);

// A TOML basic string: "text" with quotes, backslashes and control
// characters escaped.
std::string TomlString(std::string_view text);

// One [[group]] entry each.
std::string StaticGroup(std::string_view name, const std::map<std::string, std::string>& values);
std::string FilesGroup(std::string_view name, const std::filesystem::path& root);
// `more_source` goes inside the source's table: ", stale_if_error = \"30s\"".
std::string HttpGroup(std::string_view name, std::string_view url_template, std::string_view timeout,
                      std::string_view more_source = "");

// Writes `text` to `path` and sets its mode (e.g. 0644, or 0664 to make a
// group-writable file). Throws std::runtime_error on failure.
void WriteFileWithMode(const std::filesystem::path& path, std::string_view text, mode_t mode);

// A parsed Prometheus text exposition: each sample by its series as
// rendered, e.g. `groupcache_gets_total{group="colors"}`.
class MetricsDoc {
 public:
  static MetricsDoc Parse(std::string_view text);
  // The sample of `series`, or -1 when there is none (so comparisons fail).
  double Get(const std::string& series) const;
  // Sum of the samples of family `name` whose labels contain every one of
  // `label_filters` (each `key="value"`).
  double Sum(std::string_view name, const std::vector<std::string>& label_filters = {}) const;
  const std::string& text() const { return text_; }

 private:
  std::map<std::string, double> samples_;
  std::string text_;
};

// `name{group="<group>"}`, as groupcached renders per-group counters.
std::string GroupSeries(std::string_view name, std::string_view group);

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_GROUPCACHED_CONFIG_H_
