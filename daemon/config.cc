// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "daemon/config_discovery.h"
#include "daemon/config_peers.h"
#include "daemon/config_scan.h"
#include "daemon/origin_url.h"
#include "daemon/toml_reader.h"
#include "groupcache/http_server.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

const std::string_view kDefaultConfigToml =
    R"(# groupcached's built-in configuration, used when no --config is given: one
# node on 127.0.0.1 serving the demo group "colors". Try
#   curl http://127.0.0.1:8080/groups/colors/red
[node]
self = "http://127.0.0.1:8443"
api_listen = "127.0.0.1:8080"
peer_listen = "127.0.0.1:8443"
peers = ["http://127.0.0.1:8443"]
# No load balancer or peer waits for this one node to leave: stop at once.
drain = "0s"

[tls]
# A single node on loopback has no peer traffic to protect. A real deployment
# sets ca, cert and key instead (see docs/configuration.md); plain HTTP between
# peers lets anyone on the network read and forge cache traffic.
insecure_plaintext = true

[log]
level = "info"
format = "text"

[[group]]
name = "colors"
cache_bytes = "64MiB"
source = { type = "static", values = { red = "#FF0000", green = "#00FF00", blue = "#0000FF" } }
)";

namespace {

using Value = internal::TomlValue;
using internal::BytesText;
using internal::ParsePeerEndpoint;
using internal::PeerEndpoint;
using internal::Quote;
using internal::SyntaxMessage;
using internal::TypeName;

// Far more than any real configuration needs, and small enough to bound
// toml11's linear costs too: the slowest 256 KiB text we could build within
// the scan's bounds (32 nested arrays on every line) takes it about a second
// and 50 MB; 1 MiB would take four times that.
constexpr size_t kMaxConfigBytes = 256 << 10;
constexpr const char* kTooLarge = "larger than 256 KiB; is this the config file?";
constexpr int kMaxRedirectsLimit = 10;
// As sources.h's kMaxPostgresPoolSize: a pool per group per node, and
// PostgreSQL's max_connections is 100 by default.
constexpr int64_t kPostgresPoolSizeLimit = 64;
// Keys travel in request-targets; beyond this no HTTP server takes them.
constexpr int64_t kMaxKeyBytesLimit = int64_t{1} << 20;
// A value is held whole in memory, in the cache and while it is received;
// beyond 1 GiB a cache of whole values is the wrong tool.
constexpr int64_t kMaxValueBytesLimit = int64_t{1} << 30;
constexpr int64_t kMaxInflightBytesLimit = int64_t{64} << 30;
// Far beyond any machine's cores: a typo (10000) rather than a choice.
constexpr int64_t kMaxIoThreads = 1024;
constexpr int64_t kMaxWorkerThreads = 4096;
// What a GetResponse adds around a value (pool_options.max_response_bytes).
constexpr size_t kGetResponseFraming = 64;

bool IsUrlSafeName(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
  });
}

// Walks a parsed document, collecting every problem with its line.
class Parser : private internal::TomlReader {
 public:
  Parser(std::string name, std::string base_dir, Environment env)
      : TomlReader(name, std::move(base_dir), std::move(env)), name_(std::move(name)) {}

  Result<Config> Parse(const Value& root);

 private:
  void ParseTls(const Value& root, TlsConfig& tls);
  // Records in lines_ the line of `prefix.key` in `table`, if it is there.
  void NoteLine(const Value& table, std::string_view prefix, std::string_view key);
  // Returns the endpoint of node.self, if it parsed.
  std::optional<PeerEndpoint> ParseNode(const Value& root, bool tls, NodeConfig& node);
  void ParseLog(const Value& root, LogConfig& log);
  void ParseApi(const Value& root, ApiConfig& api);
  void ParseLimits(const Value& root, LimitsConfig& limits);
  // limits.connect_timeout and limits.eject_*: how failing peers are handled.
  void ParsePeerFailureLimits(const Value& l, LimitsConfig& limits);
  void ParseRuntime(const Value& root, RuntimeConfig& runtime);
  void ParseGroups(const Value& root, const LimitsConfig& limits, std::vector<GroupConfig>& groups);
  std::optional<SourceConfig> ParseSource(const Value& source, const std::string& prefix,
                                          const LimitsConfig& limits);
  std::optional<SourceConfig> ParsePostgresSource(const Value& source, const std::string& prefix);

  const std::string name_;
  std::map<std::string, uint32_t> lines_;
};

Result<Config> Parser::Parse(const Value& root) {
  Config config;
  config.source_name = name_;
  if (!root.is_table()) return Status::InvalidArgument(name_ + ": the document is not a TOML table");
  CheckKeys(root, "", {"node", "discovery", "tls", "api", "log", "limits", "runtime", "group"});
  ParseTls(root, config.tls);
  const std::optional<PeerEndpoint> self = ParseNode(root, config.tls.enabled(), config.node);
  internal::ParseDiscovery(*this, root, self, config.node, config.discovery);
  ParseApi(root, config.api);
  ParseLog(root, config.log);
  ParseLimits(root, config.limits);
  ParseRuntime(root, config.runtime);
  ParseGroups(root, config.limits, config.groups);
  config.lines = std::move(lines_);
  std::string errors = Errors();
  if (errors.empty()) return config;
  return Status::InvalidArgument(std::move(errors));
}

void Parser::ParseTls(const Value& root, TlsConfig& tls) {
  const Value* t =
      Section(root, "", "tls", true,
              ": set ca, cert and key for mutual TLS between peers, or insecure_plaintext = true "
              "to run peers over plain HTTP");
  if (t == nullptr) return;
  CheckKeys(*t, "tls", {"ca", "cert", "key", "key_passphrase_file", "insecure_plaintext", "reload_interval"});
  tls.insecure_plaintext = Bool(*t, "tls", "insecure_plaintext").value_or(false);
  if (tls.insecure_plaintext) {
    // A certificate next to insecure_plaintext would read as "TLS is on".
    for (std::string_view key : {"ca", "cert", "key", "key_passphrase_file"}) {
      if (const Value* v = Find(*t, key)) {
        Error(v, Join("tls", key), "must not be set when insecure_plaintext = true (remove one of them)");
      }
    }
    return;
  }
  tls.ca = Path(*t, "tls", "ca", true).value_or("");
  tls.cert = Path(*t, "tls", "cert", true).value_or("");
  tls.key = Path(*t, "tls", "key", true).value_or("");
  tls.key_passphrase_file = Path(*t, "tls", "key_passphrase_file", false).value_or("");
  for (std::string_view key : {"ca", "cert", "key", "key_passphrase_file"}) NoteLine(*t, "tls", key);
  if (auto interval = Duration(*t, "tls", "reload_interval", /*allow_zero=*/true))
    tls.reload_interval = *interval;
}

void Parser::NoteLine(const Value& table, std::string_view prefix, std::string_view key) {
  if (const Value* v = Find(table, key)) lines_[Join(prefix, key)] = v->location().line();
}

std::optional<PeerEndpoint> Parser::ParseNode(const Value& root, bool tls, NodeConfig& node) {
  const Value* n = Section(root, "", "node", true);
  if (n == nullptr) return std::nullopt;
  CheckKeys(*n, "node", {"self", "api_listen", "peer_listen", "peers", "drain", "peer_mutations"});
  if (auto mutations = Bool(*n, "node", "peer_mutations")) node.peer_mutations = *mutations;
  for (std::string_view key : {"self", "api_listen", "peer_listen"}) NoteLine(*n, "node", key);
  const std::string_view scheme = tls ? "https" : "http";
  const std::optional<std::string> self_text = String(*n, "node", "self", true);
  node.self = self_text.value_or("");
  std::optional<PeerEndpoint> self_endpoint;
  if (const Value* self = Find(*n, "self"); self_text && self != nullptr) {
    Result<PeerEndpoint> parsed = ParsePeerEndpoint(node.self, scheme);
    if (parsed.ok()) {
      self_endpoint = *parsed;
    } else {
      Error(self, "node.self", parsed.status().message());
    }
  }
  std::optional<std::pair<std::string, uint16_t>> listeners[2];
  for (int i = 0; i < 2; ++i) {
    const std::string_view key = i == 0 ? "api_listen" : "peer_listen";
    std::optional<std::string> address = String(*n, "node", key, key == "peer_listen");
    if (!address) continue;
    if (auto parsed = groupcache::ParseListenAddress(*address); !parsed.ok()) {
      Error(Find(*n, key), Join("node", key), parsed.status().message());
    } else {
      listeners[i] = *parsed;
    }
    (key == "api_listen" ? node.api_listen : node.peer_listen) = *address;
  }
  // Port 0 lets the system choose, so two of those never collide.
  if (listeners[0] && listeners[1] && *listeners[0] == *listeners[1] && listeners[1]->second != 0) {
    Error(Find(*n, "peer_listen"), "node.peer_listen",
          Quote(node.peer_listen) + " is the address of node.api_listen too; the client API and the " +
              "peers need a port each");
  }
  if (auto drain = Duration(*n, "node", "drain", /*allow_zero=*/true)) node.drain = *drain;

  const Value* peers = Typed(*n, "node", "peers", toml::value_t::array, false, "an array of peer URLs");
  if (peers == nullptr) {
    if (Find(*n, "peers") == nullptr && !node.self.empty()) node.peers = {node.self};
    return self_endpoint;
  }
  // Spellings of one endpoint (":09474" and ":9474", "LOCALHOST" and
  // "localhost", "[::1]" and "[0::1]") are the same peer twice: each by its
  // endpoint, with the index of the entry that named it first.
  std::map<std::string, size_t> seen;
  std::optional<size_t> self_spelled_otherwise;
  const auto& array = peers->as_array();
  std::vector<std::string> urls(array.size());  // by index in the array, expanded
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string key = "node.peers[" + std::to_string(i) + "]";
    if (!array[i].is_string()) {
      Error(&array[i], key, "expected a peer URL string, got " + TypeName(array[i]));
      continue;
    }
    std::optional<std::string> expanded = Expanded(array[i], key);
    if (!expanded) continue;
    const std::string& url = urls[i] = std::move(*expanded);
    node.peers.push_back(url);
    Result<PeerEndpoint> endpoint = ParsePeerEndpoint(url, scheme);
    if (!endpoint.ok()) {
      Error(&array[i], key, endpoint.status().message());
      continue;
    }
    const auto [first, inserted] = seen.emplace(endpoint->ToString(), i);
    if (!inserted) {
      const std::string& earlier = urls[first->second];
      Error(&array[i], key,
            earlier == url ? Quote(url) + " is listed twice"
                           : Quote(url) + " is the same endpoint as node.peers[" +
                                 std::to_string(first->second) + "] (" + Quote(earlier) + ")");
    } else if (self_endpoint && *endpoint == *self_endpoint && url != node.self) {
      self_spelled_otherwise = i;
    }
  }
  if (array.empty()) {
    Error(peers, "node.peers", "must list at least this node (node.self)");
  } else if (!node.self.empty() && std::count(node.peers.begin(), node.peers.end(), node.self) == 0) {
    std::string message = "must contain node.self (" + Quote(node.self) + ") exactly once";
    if (self_spelled_otherwise) {
      message += ", spelled the same: node.peers[" + std::to_string(*self_spelled_otherwise) + "] (" +
                 Quote(urls[*self_spelled_otherwise]) + ") names it differently";
    }
    Error(peers, "node.peers", message);
  }
  return self_endpoint;
}

void Parser::ParseApi(const Value& root, ApiConfig& api) {
  const Value* a = Section(root, "", "api", false);
  if (a == nullptr) return;
  CheckKeys(*a, "api", {"delete_token_file"});
  NoteLine(*a, "api", "delete_token_file");
  api.delete_token_file = Path(*a, "api", "delete_token_file", false).value_or("");
}

void Parser::ParseLog(const Value& root, LogConfig& log) {
  const Value* l = Section(root, "", "log", false);
  if (l == nullptr) return;
  CheckKeys(*l, "log", {"level", "format", "file", "reveal_keys", "key_hash_secret_file"});
  for (std::string_view key : {"file", "key_hash_secret_file"}) NoteLine(*l, "log", key);
  if (std::optional<std::string> level = String(*l, "log", "level", false)) {
    Result<LogLevel> parsed = ParseLogLevel(*level);
    if (parsed.ok()) {
      log.level = *parsed;
    } else {
      Error(Find(*l, "level"), "log.level", parsed.status().message());
    }
  }
  if (std::optional<std::string> format = String(*l, "log", "format", false)) {
    if (*format == "json" || *format == "text") {
      log.json = *format == "json";
    } else {
      Error(Find(*l, "format"), "log.format", Quote(*format) + " is not a log format (use text or json)");
    }
  }
  log.file = Path(*l, "log", "file", false).value_or("");
  log.reveal_keys = Bool(*l, "log", "reveal_keys").value_or(false);
  log.key_hash_secret_file = Path(*l, "log", "key_hash_secret_file", false).value_or("");
}

void Parser::ParseLimits(const Value& root, LimitsConfig& limits) {
  const Value* l = Section(root, "", "limits", false);
  if (l == nullptr) return;
  CheckKeys(*l, "limits",
            {"max_key_bytes", "max_value_bytes", "max_connections", "request_timeout", "header_timeout",
             "handshake_timeout", "max_handshakes", "max_inflight_bytes", "connect_timeout",
             "eject_after_failures", "eject_backoff_min", "eject_backoff_max"});
  if (auto n = Size(*l, "limits", "max_key_bytes", false, 1, kMaxKeyBytesLimit)) {
    limits.max_key_bytes = static_cast<size_t>(*n);
  }
  if (auto n = Size(*l, "limits", "max_value_bytes", false, 1, kMaxValueBytesLimit)) {
    limits.max_value_bytes = static_cast<size_t>(*n);
  }
  if (auto n = Integer(*l, "limits", "max_connections", 1, 1000000)) {
    limits.max_connections = static_cast<size_t>(*n);
  }
  if (auto d = Duration(*l, "limits", "request_timeout")) limits.request_timeout = *d;
  if (auto d = Duration(*l, "limits", "header_timeout")) limits.header_timeout = *d;
  if (auto d = Duration(*l, "limits", "handshake_timeout")) limits.handshake_timeout = *d;
  if (auto n = Integer(*l, "limits", "max_handshakes", 1, 100000)) {
    limits.max_handshakes = static_cast<size_t>(*n);
  }
  ParsePeerFailureLimits(*l, limits);
  const Value* inflight = Find(*l, "max_inflight_bytes");
  if (auto n = Size(*l, "limits", "max_inflight_bytes", false, 1, kMaxInflightBytesLimit)) {
    limits.max_inflight_bytes = static_cast<size_t>(*n);
  }
  // One response carrying the largest value must fit in the budget.
  const size_t smallest_budget = limits.max_value_bytes + kGetResponseFraming;
  if (limits.max_inflight_bytes < smallest_budget) {
    Error(inflight != nullptr ? inflight : Find(*l, "max_value_bytes"), "limits.max_inflight_bytes",
          BytesText(static_cast<int64_t>(limits.max_inflight_bytes)) + (inflight ? "" : " (the default)") +
              " must be at least limits.max_value_bytes + 64 bytes of framing (" +
              std::to_string(smallest_budget) + " bytes), so that a response of the largest value fits");
  }
}

void Parser::ParsePeerFailureLimits(const Value& l, LimitsConfig& limits) {
  if (auto d = Duration(l, "limits", "connect_timeout")) limits.connect_timeout = *d;
  if (auto n = Integer(l, "limits", "eject_after_failures", 0, 1000)) {
    limits.eject_after_failures = static_cast<uint32_t>(*n);
  }
  if (auto d = Duration(l, "limits", "eject_backoff_min")) limits.eject_backoff_min = *d;
  if (auto d = Duration(l, "limits", "eject_backoff_max")) limits.eject_backoff_max = *d;
  if (limits.eject_backoff_max < limits.eject_backoff_min) {
    const Value* max = Find(l, "eject_backoff_max");
    Error(max != nullptr ? max : Find(l, "eject_backoff_min"), "limits.eject_backoff_max",
          std::to_string(limits.eject_backoff_max.count()) + "ms" + (max ? "" : " (the default)") +
              " must not be shorter than limits.eject_backoff_min (" +
              std::to_string(limits.eject_backoff_min.count()) + "ms)");
  }
}

void Parser::ParseRuntime(const Value& root, RuntimeConfig& runtime) {
  const Value* r = Section(root, "", "runtime", false);
  if (r == nullptr) return;
  CheckKeys(*r, "runtime", {"io_threads", "worker_threads"});
  if (auto n = Integer(*r, "runtime", "io_threads", 0, kMaxIoThreads))
    runtime.io_threads = static_cast<int>(*n);
  if (auto n = Integer(*r, "runtime", "worker_threads", 0, kMaxWorkerThreads)) {
    runtime.worker_threads = static_cast<int>(*n);
  }
}

void Parser::ParseGroups(const Value& root, const LimitsConfig& limits, std::vector<GroupConfig>& groups) {
  const Value* g = Find(root, "group");
  if (g == nullptr) {
    Error(nullptr, "group", "no [[group]] is configured; add at least one");
    return;
  }
  if (!g->is_array()) {
    Error(g, "group", "expected an array of tables ([[group]]), got " + TypeName(*g));
    return;
  }
  std::set<std::string> names;
  const auto& array = g->as_array();
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string prefix = "group[" + std::to_string(i) + "]";
    const Value& entry = array[i];
    if (!entry.is_table()) {
      Error(&entry, prefix, "expected a table, got " + TypeName(entry));
      continue;
    }
    CheckKeys(entry, prefix, {"name", "cache_bytes", "ttl", "ttl_jitter", "not_found_ttl", "source"});
    GroupConfig group;
    group.name = String(entry, prefix, "name", true).value_or("");
    if (const Value* name = Find(entry, "name"); name != nullptr && name->is_string()) {
      if (!IsUrlSafeName(group.name)) {
        Error(name, prefix + ".name",
              Quote(group.name) + " is not a valid group name (use letters, digits, '-', '_', '.', '~')");
      } else if (!names.insert(group.name).second) {
        Error(name, prefix + ".name", "group " + Quote(group.name) + " is defined twice");
      }
    }
    group.cache_bytes = Size(entry, prefix, "cache_bytes", true, 0).value_or(0);
    if (auto d = Duration(entry, prefix, "ttl", /*allow_zero=*/true)) group.ttl = *d;
    if (auto d = Duration(entry, prefix, "ttl_jitter", /*allow_zero=*/true)) group.ttl_jitter = *d;
    if (auto d = Duration(entry, prefix, "not_found_ttl", /*allow_zero=*/true)) group.not_found_ttl = *d;
    if (group.ttl_jitter > group.ttl) {
      Error(Find(entry, "ttl_jitter"), prefix + ".ttl_jitter",
            group.ttl.count() == 0 ? std::string("needs a ttl: the jitter is taken off each value's ttl")
                                   : std::string("must not be longer than ttl"));
    }
    if (const Value* source = Section(entry, prefix, "source", true)) {
      if (auto parsed = ParseSource(*source, prefix + ".source", limits)) group.source = std::move(*parsed);
    }
    groups.push_back(std::move(group));
  }
}

std::optional<SourceConfig> Parser::ParseSource(const Value& source, const std::string& prefix,
                                                const LimitsConfig& limits) {
  std::optional<std::string> type = String(source, prefix, "type", true);
  if (!type) return std::nullopt;
  if (*type == "static") {
    CheckKeys(source, prefix, {"type", "values"});
    StaticSourceConfig out;
    const Value* values =
        Typed(source, prefix, "values", toml::value_t::table, true, "a table of key = \"value\"");
    if (values == nullptr) return std::nullopt;
    for (const auto& [key, value] : values->as_table()) {
      const std::string path = prefix + ".values." + key;
      if (!value.is_string()) {
        Error(&value, path, "expected a string, got " + TypeName(value));
      } else if (key.empty() || key.size() > limits.max_key_bytes) {
        Error(&value, path, "the key must be 1 to limits.max_key_bytes bytes long");
      } else if (value.as_string().str.size() > limits.max_value_bytes) {
        Error(&value, path, "the value is longer than limits.max_value_bytes");
      } else {
        out.values.emplace(key, value.as_string().str);
      }
    }
    return out;
  }
  if (*type == "files") {
    CheckKeys(source, prefix, {"type", "root"});
    FilesSourceConfig out;
    std::optional<std::string> root = String(source, prefix, "root", true);
    if (!root) return std::nullopt;
    if (root->empty() || root->front() != '/') {
      Error(Find(source, "root"), prefix + ".root", Quote(*root) + " must be an absolute path");
      return std::nullopt;
    }
    out.root = *root;
    return out;
  }
  if (*type == "http") {
    CheckKeys(source, prefix, {"type", "url", "timeout", "max_redirects", "ca_file", "stale_if_error"});
    HttpSourceConfig out;
    // Not expanded: a URL may carry credentials, and secrets come only from
    // files, never from the environment.
    std::optional<std::string> url = String(source, prefix, "url", true, Expand::kNo);
    if (!url) return std::nullopt;
    const Value* at = Find(source, "url");
    // The source's own parser, so that what the check accepts the source
    // accepts at start.
    if (Result<internal::Url> parsed = internal::ParseUrl(*url); !parsed.ok()) {
      Error(at, prefix + ".url",
            Quote(*url) + " must be an http:// or https:// URL with a host: " + parsed.status().message());
      return std::nullopt;
    }
    if (url->find("{key}") == std::string::npos) {
      Error(at, prefix + ".url", Quote(*url) + " must contain {key}, where the escaped key goes");
      return std::nullopt;
    }
    out.url = *url;
    if (auto timeout = Duration(source, prefix, "timeout")) out.timeout = *timeout;
    if (auto redirects = Integer(source, prefix, "max_redirects", 0, kMaxRedirectsLimit)) {
      out.max_redirects = static_cast<int>(*redirects);
    }
    out.ca_file = Path(source, prefix, "ca_file", false).value_or("");
    if (auto stale = Duration(source, prefix, "stale_if_error", /*allow_zero=*/true))
      out.stale_if_error = *stale;
    return out;
  }
  if (*type == "postgres") return ParsePostgresSource(source, prefix);
  Error(Find(source, "type"), prefix + ".type",
        Quote(*type) + " is not a source type (use \"static\", \"files\", \"http\" or \"postgres\")");
  return std::nullopt;
}

std::optional<SourceConfig> Parser::ParsePostgresSource(const Value& source, const std::string& prefix) {
  CheckKeys(source, prefix, {"type", "conninfo_file", "query", "timeout", "pool_size"});
  PostgresSourceConfig out;
  // The connection string may hold a password, so it comes from a file
  // (checked and read at start), never from the config or the environment.
  NoteLine(source, prefix, "conninfo_file");
  std::optional<std::string> conninfo_file = Path(source, prefix, "conninfo_file", true);
  // Not expanded: "${" is no business of a query, and "$1" must stay.
  std::optional<std::string> query = String(source, prefix, "query", true, Expand::kNo);
  if (query && query->find("$1") == std::string::npos) {
    Error(Find(source, "query"), prefix + ".query",
          "must contain $1, where the key is bound as a parameter (e.g. \"SELECT v FROM t WHERE k = $1\")");
    query.reset();
  }
  if (auto timeout = Duration(source, prefix, "timeout")) out.timeout = *timeout;
  if (auto pool = Integer(source, prefix, "pool_size", 1, kPostgresPoolSizeLimit)) {
    out.pool_size = static_cast<int>(*pool);
  }
  if (!conninfo_file || !query) return std::nullopt;
  out.conninfo_file = std::move(*conninfo_file);
  out.query = std::move(*query);
  return out;
}

Result<Config> ParseText(std::string_view text, const std::string& display_name, const std::string& base_dir,
                         const Environment& env) {
  if (text.size() > kMaxConfigBytes) return Status::InvalidArgument(display_name + ": " + kTooLarge);
  // toml11 is not safe on hostile text (config_scan.h); it gets only what the
  // scan has checked.
  const internal::TomlScan scan = internal::ScanToml(text);
  const std::string at_line = display_name + ":" + std::to_string(scan.line) + ": ";
  if (scan.outcome == internal::TomlScan::Outcome::kRefused) {
    return Status::InvalidArgument(at_line + scan.message);
  }
  try {
    std::istringstream stream{std::string(text.substr(0, scan.understood))};
    const Value root = toml::parse(stream, display_name);
    // toml11 accepted the part before what the scan did not understand.
    if (scan.outcome == internal::TomlScan::Outcome::kNotUnderstood) {
      return Status::InvalidArgument(at_line + "syntax error: " + scan.message);
    }
    return Parser(display_name, base_dir, env).Parse(root);
  } catch (const toml::exception& e) {
    return Status::InvalidArgument(display_name + ":" + std::to_string(e.location().line()) +
                                   ": syntax error: " + SyntaxMessage(e.what()));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(display_name + ": " + e.what());
  } catch (...) {
    return Status::InvalidArgument(display_name + ": unreadable configuration");
  }
}

}  // namespace

std::string Config::Where(const std::string& key) const {
  const auto line = lines.find(key);
  if (line == lines.end()) return source_name + ": " + key + ": ";
  return source_name + ":" + std::to_string(line->second) + ": " + key + ": ";
}

Result<Config> LoadConfigFromString(std::string_view text, const std::string& display_name,
                                    const std::string& base_dir, const Environment& env) {
  return ParseText(text, display_name, base_dir, env);
}

Result<Config> LoadConfig(const std::string& path, const Environment& env) {
  // O_NONBLOCK: opening a FIFO for reading would wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return Status::InvalidArgument(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": is not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxConfigBytes) {
    ::close(fd);
    return Status::InvalidArgument(path + ": " + kTooLarge);
  }
  std::string text;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return Status::InvalidArgument(path + ": cannot read: " + std::strerror(error));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxConfigBytes) {
      ::close(fd);
      return Status::InvalidArgument(path + ": " + kTooLarge);
    }
  }
  ::close(fd);

  // Relative paths inside the file are relative to its directory, which is
  // made absolute so that they do not depend on the working directory.
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  if (dir.empty()) dir = "/";
  if (dir.front() != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd) != nullptr) dir = std::string(cwd) + (dir == "." ? "" : "/" + dir);
  }
  Result<Config> config = ParseText(text, path, dir, env);
  if (!config.ok()) return config;
  Config out = std::move(config).value();
  out.from_file = true;
  return out;
}

}  // namespace groupcached
