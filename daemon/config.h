// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_CONFIG_H_
#define GROUPCACHED_CONFIG_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "daemon/log.h"
#include "groupcache/status.h"

// groupcached's configuration: the TOML schema of docs/configuration.md, read
// into plain structs and validated as a whole. Every error names the file, the
// line and the key ("/etc/groupcached.toml:12: limits.max_value_bytes: ...").
namespace groupcached {

struct NodeConfig {
  std::string self;  // this node's peer URL, as the other peers know it
  std::string api_listen = "127.0.0.1:8080";
  std::string peer_listen;         // required
  std::vector<std::string> peers;  // default: [self]; empty with DNS discovery
  // After SIGTERM, how long /readyz answers 503 while the node keeps
  // serving, before it stops (0: stop at once).
  std::chrono::milliseconds drain{5000};
  // Remove (the API's DELETE) reaches the other peers as groupcache-go v3's
  // DELETE (HttpPoolOptions::mutations). Turn off only in a pool that also
  // has Go groupcache (v1) peers, which would take a DELETE for a GET.
  bool peer_mutations = true;
  bool operator==(const NodeConfig&) const = default;
};

// Where the peer list comes from: node.peers, or DNS ([discovery]).
struct DiscoveryConfig {
  enum class Type { kStatic, kDns };
  enum class Record { kAddress, kSrv };  // "A" (A and AAAA records), "SRV"
  Type type = Type::kStatic;
  // The rest is for kDns only.
  std::string name;  // the name looked up, e.g. "groupcached.cache.svc.cluster.local"
  Record record = Record::kAddress;
  // kAddress: the peers' port (discovery.port, else the port of node.self);
  // kSrv: 0 (the ports come from the records).
  uint16_t port = 0;
  std::chrono::milliseconds interval{5000};
  // DNS servers as "host:port" with a numeric host; empty: the system's
  // resolver configuration.
  std::vector<std::string> servers;
  bool dns() const { return type == Type::kDns; }
  bool operator==(const DiscoveryConfig&) const = default;
};

struct TlsConfig {
  // Absolute paths (relative ones in the file are resolved against the
  // config file's directory). Empty when insecure_plaintext.
  std::string ca;
  std::string cert;
  std::string key;
  std::string key_passphrase_file;  // optional: for an encrypted key
  bool insecure_plaintext = false;
  // How often the files above are checked for a change, which reloads them
  // (SIGHUP does too). Zero: never, only SIGHUP.
  std::chrono::milliseconds reload_interval{5000};
  bool enabled() const { return !insecure_plaintext; }
  bool operator==(const TlsConfig&) const = default;
};

// The client API's settings beyond its address (node.api_listen).
struct ApiConfig {
  // A file holding the bearer token that DELETE requests must carry; empty:
  // DELETE is not served (405). A secret: mode 0600 or stricter.
  std::string delete_token_file;
  bool operator==(const ApiConfig&) const = default;
};

struct LogConfig {
  LogLevel level = LogLevel::kInfo;
  bool json = false;  // format = "json"
  std::string file;   // empty: stderr
  bool reveal_keys = false;
  std::string key_hash_secret_file;  // empty: a random per-process secret
  bool operator==(const LogConfig&) const = default;
};

struct LimitsConfig {
  size_t max_key_bytes = 4096;                // at most 1 MiB
  size_t max_value_bytes = size_t{64} << 20;  // at most 1 GiB
  size_t max_connections = 10000;             // per listener
  std::chrono::milliseconds request_timeout{10000};
  // Time a connection has to send a complete request head: from accept for a
  // new connection, from the first byte of its next request for a kept-alive one.
  std::chrono::milliseconds header_timeout{10000};
  // Time to complete a TLS handshake on the peer port.
  std::chrono::milliseconds handshake_timeout{5000};
  // TLS handshakes in progress at once, per listener (1 to 100,000).
  size_t max_handshakes = 256;
  // Process-wide cap on response bytes being received at once, peer fetches
  // and the http source together; at least max_value_bytes + 64, at most 64 GiB.
  size_t max_inflight_bytes = size_t{256} << 20;
  // Failing peers (HttpPoolOptions): the bound on opening a connection to a
  // peer; failures in a row that eject a peer (0: never); the backoff of an
  // ejected peer, doubling from min to max.
  std::chrono::milliseconds connect_timeout{1000};
  uint32_t eject_after_failures = 3;
  std::chrono::milliseconds eject_backoff_min{1000};
  std::chrono::milliseconds eject_backoff_max{30000};
  bool operator==(const LimitsConfig&) const = default;
};

// [runtime]: the threads. 0 for each means automatic: io_threads one per
// usable CPU, worker_threads two per usable CPU, where usable CPUs are the
// affinity mask capped by the cgroup CPU quota (groupcache::DetectUsableCpus).
struct RuntimeConfig {
  int io_threads = 0;      // 0 to 1024
  int worker_threads = 0;  // 0 to 4096
  bool operator==(const RuntimeConfig&) const = default;
};

struct StaticSourceConfig {
  std::map<std::string, std::string> values;
  bool operator==(const StaticSourceConfig&) const = default;
};

struct FilesSourceConfig {
  std::string root;  // absolute
  bool operator==(const FilesSourceConfig&) const = default;
};

struct HttpSourceConfig {
  std::string url;  // contains "{key}"
  std::chrono::milliseconds timeout{5000};
  int max_redirects = 0;
  std::string ca_file;  // CAs for an https origin; empty: the system's
  // How long after its expiry a value may be served while the origin fails
  // (HttpSourceOptions::stale_if_error); 0: never.
  std::chrono::milliseconds stale_if_error{0};
  bool operator==(const HttpSourceConfig&) const = default;
};

struct PostgresSourceConfig {
  // Absolute path of the file holding the libpq connection string: a
  // secret (mode 0600 or stricter), read at start.
  std::string conninfo_file;
  std::string query;  // contains "$1", where the key is bound
  std::chrono::milliseconds timeout{2000};
  int pool_size = 4;  // 1 to 64
  bool operator==(const PostgresSourceConfig&) const = default;
};

using SourceConfig =
    std::variant<StaticSourceConfig, FilesSourceConfig, HttpSourceConfig, PostgresSourceConfig>;

struct GroupConfig {
  std::string name;
  int64_t cache_bytes = 0;
  // The longest any value is kept (0: no cap), and how much of it is taken
  // off at random per value so that keys loaded together do not expire
  // together (at most ttl).
  std::chrono::milliseconds ttl{0};
  std::chrono::milliseconds ttl_jitter{0};
  // How long a "not found" from the source is remembered (0: never).
  std::chrono::milliseconds not_found_ttl{0};
  SourceConfig source;
  bool operator==(const GroupConfig&) const = default;
};

struct Config {
  // Where it came from: a path, or a display name such as "<embedded default>".
  std::string source_name;
  // True when read from a file (LoadConfig); false for strings.
  bool from_file = false;
  NodeConfig node;
  DiscoveryConfig discovery;
  TlsConfig tls;
  ApiConfig api;
  LogConfig log;
  LimitsConfig limits;
  RuntimeConfig runtime;
  std::vector<GroupConfig> groups;
  // The line each of the keys checked after loading (tls.*, node.self,
  // node.api_listen, node.peer_listen, log.file, log.key_hash_secret_file,
  // group[N].source.conninfo_file) was written on; absent for a key not in
  // the file.
  std::map<std::string, uint32_t> lines;

  // "FILE:LINE: KEY: ", the way LoadConfig's errors begin ("FILE: KEY: "
  // when the line of `key` is not known).
  std::string Where(const std::string& key) const;
};

// The configuration used when groupcached starts without --config: one node
// on 127.0.0.1 (API on 8080, peer listener on 8443, plain HTTP) serving the
// static demo group "colors".
extern const std::string_view kDefaultConfigToml;
inline constexpr std::string_view kDefaultConfigName = "<embedded default config>";

// Looks up an environment variable: its value, or nullopt when it is unset.
// Called on the thread that loads the config.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process's environment (getenv).
Environment ProcessEnvironment();

// Reads and validates the TOML file at `path` (at most 256 KiB). Does not check
// file permissions (see file_security.h). String values may refer to
// environment variables, looked up in `env`, as ${NAME} (docs/configuration.md
// says where; "$${" is a literal "${"); an unset or empty one is an error
// naming the key and the variable. Errors: InvalidArgument whose message
// lists every problem found, one per line, each as "FILE:LINE: KEY: what is
// wrong" (the line is omitted for a missing section).
groupcache::Result<Config> LoadConfig(const std::string& path, const Environment& env = ProcessEnvironment());

// Same, for TOML text; `display_name` stands for the file in messages and
// relative paths are resolved against `base_dir` (empty: left relative).
// Touches neither the file system nor the network, and is bounded in time,
// memory and stack for any text (see config_scan.h).
groupcache::Result<Config> LoadConfigFromString(std::string_view text, const std::string& display_name,
                                                const std::string& base_dir = "",
                                                const Environment& env = ProcessEnvironment());

// Parses a size: an integer number of bytes, or "64MiB" (B, KiB, MiB, GiB,
// TiB as powers of 1024; KB, MB, GB, TB as powers of 1000).
groupcache::Result<int64_t> ParseSize(std::string_view text);
// Parses a duration: "500ms", "10s", "1m", "1h".
groupcache::Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// Resolves a host name to the numeric addresses it stands for ("10.0.0.1",
// "::1"); called on threads of its own, concurrently, which may outlive the
// PeerAliasWarnings call that started them: it must own what it uses.
using PeerHostResolver = std::function<groupcache::Result<std::vector<std::string>>(const std::string& host)>;

// getaddrinfo (stream sockets, any family), numeric results only.
PeerHostResolver SystemPeerHostResolver();

// Warnings about node.peers of a validated `config` (which already refuses
// two spellings of one endpoint): entries with the same port whose hosts
// resolve to a common address ("http://localhost:9474" and
// "http://127.0.0.1:9474") may be one node listed twice; a host that cannot
// be resolved is reported too. Resolves at most 64 names, 8 at a time; a
// name not resolved within `timeout` is reported as such (its lookup ends in
// the background). Each warning reads "FILE: node.peers[1] \"...\" ...".
std::vector<std::string> PeerAliasWarnings(const Config& config,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(2),
                                           PeerHostResolver resolver = SystemPeerHostResolver());

// A human-readable summary for --check-config: listeners, peers, TLS on or
// off and its files, log settings, limits, groups and their sources. Never
// contains secrets (no passphrases, static values, or URL credentials).
std::string DescribeConfig(const Config& config);

// The configuration as key/value pairs for the status page ("node.self",
// "tls.cert", "limits.request_timeout", "group.colors", ...): file paths and
// settings, never a secret (no passphrase, key contents or key hash secret;
// a static source shows its key count only, an http source its origin
// without credentials, path or query).
std::vector<std::pair<std::string, std::string>> SummarizeConfig(const Config& config);

// The settings that differ between `before` and `after` other than
// node.peers, which SIGHUP applies; these need a restart. E.g. {"[tls]",
// "[discovery]", "node.drain"}. Empty when only the peers (or nothing) changed.
std::vector<std::string> ChangesNeedingRestart(const Config& before, const Config& after);

}  // namespace groupcached

#endif  // GROUPCACHED_CONFIG_H_
