// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <string>
#include <utility>
#include <variant>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kName = "/etc/groupcached.toml";

// A complete, valid configuration with TLS, one group of each source type
// but postgres (whose tests use PostgresConfig below).
const std::string kGood = R"([node]
self = "https://10.0.0.1:8443"
api_listen = "127.0.0.1:8080"
peer_listen = "0.0.0.0:8443"
peers = ["https://10.0.0.1:8443", "https://10.0.0.2:8443", "https://10.0.0.3:8443"]

[tls]
ca = "/etc/groupcached/ca.pem"
cert = "/etc/groupcached/node.pem"
key = "node.key"
key_passphrase_file = "/etc/groupcached/node.pass"

[log]
level = "debug"
format = "json"
file = "/var/log/groupcached/groupcached.log"
reveal_keys = false

[limits]
max_key_bytes = 4096
max_value_bytes = "64MiB"
max_connections = 10000
request_timeout = "10s"

[[group]]
name = "colors"
cache_bytes = "64MiB"
source = { type = "static", values = { red = "#FF0000", green = "#00FF00", blue = "#0000FF" } }

[[group]]
name = "assets"
cache_bytes = "1GiB"
source = { type = "files", root = "/srv/assets" }

[[group]]
name = "origin"
cache_bytes = "2GiB"
source = { type = "http", url = "https://origin.internal/objects/{key}", timeout = "5s", max_redirects = 2 }
)";

// kGood with `from` replaced by `to` (which must occur).
std::string Edit(const std::string& from, const std::string& to) {
  std::string text = kGood;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string ErrorOf(const std::string& text) {
  auto config = LoadConfigFromString(text, kName);
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.status().message();
}

TEST(ConfigTest, GoodConfigParses) {
  auto config = LoadConfigFromString(kGood, kName, "/etc/groupcached");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->node.self, "https://10.0.0.1:8443");
  EXPECT_EQ(config->node.api_listen, "127.0.0.1:8080");
  EXPECT_EQ(config->node.peer_listen, "0.0.0.0:8443");
  EXPECT_EQ(config->node.peers.size(), 3u);
  EXPECT_TRUE(config->tls.enabled());
  EXPECT_EQ(config->tls.ca, "/etc/groupcached/ca.pem");
  EXPECT_EQ(config->tls.key, "/etc/groupcached/node.key");  // relative to the config's directory
  EXPECT_EQ(config->tls.key_passphrase_file, "/etc/groupcached/node.pass");
  EXPECT_EQ(config->log.level, LogLevel::kDebug);
  EXPECT_TRUE(config->log.json);
  EXPECT_EQ(config->log.file, "/var/log/groupcached/groupcached.log");
  EXPECT_FALSE(config->log.reveal_keys);
  EXPECT_EQ(config->limits.max_key_bytes, 4096u);
  EXPECT_EQ(config->limits.max_value_bytes, size_t{64} << 20);
  EXPECT_EQ(config->limits.max_connections, 10000u);
  EXPECT_EQ(config->limits.request_timeout, std::chrono::seconds(10));
  ASSERT_EQ(config->groups.size(), 3u);
  EXPECT_EQ(config->groups[0].name, "colors");
  EXPECT_EQ(config->groups[0].cache_bytes, int64_t{64} << 20);
  const auto& colors = std::get<StaticSourceConfig>(config->groups[0].source);
  EXPECT_EQ(colors.values.at("red"), "#FF0000");
  EXPECT_EQ(std::get<FilesSourceConfig>(config->groups[1].source).root, "/srv/assets");
  EXPECT_EQ(config->groups[1].cache_bytes, int64_t{1} << 30);
  const auto& origin = std::get<HttpSourceConfig>(config->groups[2].source);
  EXPECT_EQ(origin.url, "https://origin.internal/objects/{key}");
  EXPECT_EQ(origin.timeout, std::chrono::seconds(5));
  EXPECT_EQ(origin.max_redirects, 2);
}

TEST(ConfigTest, EmbeddedDefaultParses) {
  auto config = LoadConfigFromString(kDefaultConfigToml, std::string(kDefaultConfigName));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_FALSE(config->tls.enabled());
  EXPECT_EQ(config->node.api_listen, "127.0.0.1:8080");
  EXPECT_EQ(config->node.peer_listen, "127.0.0.1:8443");
  ASSERT_EQ(config->groups.size(), 1u);
  EXPECT_EQ(config->groups[0].name, "colors");
}

TEST(ConfigTest, DefaultsApplyWhenOptionalSectionsAreAbsent) {
  auto config = LoadConfigFromString(R"([node]
self = "http://127.0.0.1:9000"
peer_listen = "127.0.0.1:9000"
[tls]
insecure_plaintext = true
[[group]]
name = "g"
cache_bytes = 0
source = { type = "static", values = {} }
)",
                                     kName);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->node.peers, std::vector<std::string>{"http://127.0.0.1:9000"});
  EXPECT_EQ(config->node.api_listen, "127.0.0.1:8080");
  EXPECT_EQ(config->log.level, LogLevel::kInfo);
  EXPECT_FALSE(config->log.json);
  EXPECT_EQ(config->limits, LimitsConfig{});
  EXPECT_EQ(config->limits.max_value_bytes, size_t{64} << 20);
}

TEST(ConfigTest, BadSizeNamesFileLineAndKey) {
  EXPECT_THAT(
      ErrorOf(Edit(R"(max_value_bytes = "64MiB")", R"(max_value_bytes = "64XB")")),
      HasSubstr(
          R"(/etc/groupcached.toml:21: limits.max_value_bytes: "64XB" is not a size (use e.g. "64MiB")"));
}

TEST(ConfigTest, BadDurationNamesFileLineAndKey) {
  EXPECT_THAT(ErrorOf(Edit(R"(request_timeout = "10s")", R"(request_timeout = "10")")),
              HasSubstr(R"(/etc/groupcached.toml:23: limits.request_timeout: "10" is not a duration)"));
  EXPECT_THAT(ErrorOf(Edit(R"(request_timeout = "10s")", R"(request_timeout = 10)")),
              HasSubstr("/etc/groupcached.toml:23: limits.request_timeout: expected a duration string"));
}

TEST(ConfigTest, GroupExpirySettings) {
  auto config = LoadConfigFromString(
      Edit(R"(cache_bytes = "1GiB")",
           "cache_bytes = \"1GiB\"\nttl = \"10m\"\nttl_jitter = \"30s\"\nnot_found_ttl = \"1m\""),
      kName);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->groups[0].ttl.count(), 0);
  EXPECT_EQ(config->groups[0].not_found_ttl.count(), 0);
  EXPECT_EQ(config->groups[1].ttl, std::chrono::minutes(10));
  EXPECT_EQ(config->groups[1].ttl_jitter, std::chrono::seconds(30));
  EXPECT_EQ(config->groups[1].not_found_ttl, std::chrono::minutes(1));
  EXPECT_THAT(ErrorOf(Edit(R"(cache_bytes = "1GiB")", "cache_bytes = \"1GiB\"\nttl_jitter = \"30s\"")),
              HasSubstr(":33: group[1].ttl_jitter: needs a ttl"));
  EXPECT_THAT(
      ErrorOf(Edit(R"(cache_bytes = "1GiB")", "cache_bytes = \"1GiB\"\nttl = \"10s\"\nttl_jitter = \"30s\"")),
      HasSubstr(":34: group[1].ttl_jitter: must not be longer than ttl"));
  EXPECT_THAT(ErrorOf(Edit(R"(cache_bytes = "1GiB")", "cache_bytes = \"1GiB\"\nnot_found_ttl = \"soon\"")),
              HasSubstr(":33: group[1].not_found_ttl: \"soon\" is not a duration"));
}

TEST(ConfigTest, HttpSourceStaleIfError) {
  auto config =
      LoadConfigFromString(Edit("max_redirects = 2", "max_redirects = 2, stale_if_error = \"45s\""), kName);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(std::get<HttpSourceConfig>(config->groups[2].source).stale_if_error, std::chrono::seconds(45));
  auto defaults = LoadConfigFromString(Edit("", ""), kName);
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(std::get<HttpSourceConfig>(defaults->groups[2].source).stale_if_error.count(), 0);
  EXPECT_THAT(ErrorOf(Edit("max_redirects = 2", "max_redirects = 2, stale_if_error = \"later\"")),
              HasSubstr("group[2].source.stale_if_error: \"later\" is not a duration"));
}

TEST(ConfigTest, UnknownKeysAreErrorsWithLineAndSuggestion) {
  const std::string error = ErrorOf(Edit("reveal_keys = false", "reveal_key = false"));
  EXPECT_THAT(
      error,
      HasSubstr("/etc/groupcached.toml:17: log.reveal_key: unknown key (did you mean \"reveal_keys\"?)"));
  EXPECT_THAT(ErrorOf(kGood + "\n[nodes]\nx = 1\n"),
              HasSubstr("/etc/groupcached.toml:40: nodes: unknown key"));
  EXPECT_THAT(ErrorOf(Edit("timeout = \"5s\"", "timeout = \"5s\", retries = 3")),
              HasSubstr(":38: group[2].source.retries: unknown key"));
  EXPECT_THAT(ErrorOf(Edit("cache_bytes = \"1GiB\"", "cache_bytes = \"1GiB\"\ncache_byte = 1")),
              HasSubstr(":33: group[1].cache_byte: unknown key"));
}

TEST(ConfigTest, SyntaxErrorNamesFileAndLine) {
  const std::string error = ErrorOf(Edit("max_connections = 10000", "max_connections = "));
  EXPECT_THAT(error, HasSubstr("/etc/groupcached.toml:22: syntax error:"));
  EXPECT_THAT(ErrorOf(kGood + "\n[node]\n"), HasSubstr("/etc/groupcached.toml:40: syntax error:"));
}

TEST(ConfigTest, WrongTypeIsReported) {
  EXPECT_THAT(ErrorOf(Edit("max_connections = 10000", "max_connections = \"many\"")),
              HasSubstr(":22: limits.max_connections: expected an integer, got a string"));
  EXPECT_THAT(ErrorOf(Edit("reveal_keys = false", "reveal_keys = \"no\"")),
              HasSubstr(":17: log.reveal_keys: expected true or false, got a string"));
  EXPECT_THAT(ErrorOf(Edit("max_connections = 10000", "max_connections = 0")),
              HasSubstr(":22: limits.max_connections: 0 is out of range"));
}

TEST(ConfigTest, SelfMustBeInPeersExactlyOnce) {
  EXPECT_THAT(ErrorOf(Edit(R"(peers = ["https://10.0.0.1:8443", )", R"(peers = [)")),
              HasSubstr(":5: node.peers: must contain node.self (\"https://10.0.0.1:8443\") exactly once"));
  EXPECT_THAT(ErrorOf(Edit(R"(peers = ["https://10.0.0.1:8443", )",
                           R"(peers = ["https://10.0.0.1:8443", "https://10.0.0.1:8443", )")),
              HasSubstr(":5: node.peers[1]: \"https://10.0.0.1:8443\" is listed twice"));
}

// A plain-HTTP node on 127.0.0.1:9474 with these peers.
std::string InsecureNode(const std::string& peers) {
  return R"([node]
self = "http://127.0.0.1:9474"
peer_listen = "127.0.0.1:9474"
peers = [)" +
         peers + R"(]
[tls]
insecure_plaintext = true
[[group]]
name = "g"
cache_bytes = 0
source = { type = "static", values = {} }
)";
}

TEST(ConfigTest, TwoSpellingsOfOnePeerAreRefused) {
  const std::string self = R"("http://127.0.0.1:9474", )";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("http://127.0.0.1:09474")",
       R"("http://127.0.0.1:09474" is the same endpoint as node.peers[0] ("http://127.0.0.1:9474"))"},
      {R"("http://127.1:9474")", "is the same endpoint as node.peers[0]"},
      {R"("http://[::ffff:127.0.0.1]:9474")", "is the same endpoint as node.peers[0]"},
      {R"("http://node-b:9474", "http://NODE-B:9474")",
       R"(node.peers[2]: "http://NODE-B:9474" is the same endpoint as node.peers[1])"},
      {R"("http://[::1]:9474", "http://[0:0::1]:9474")",
       "node.peers[2]: \"http://[0:0::1]:9474\" is the same endpoint"},
      {R"("http://10.0.0.2:80", "http://10.0.0.2")",
       "node.peers[2]: \"http://10.0.0.2\" is the same endpoint"},
  };
  for (const auto& [more, problem] : cases) {
    EXPECT_THAT(ErrorOf(InsecureNode(self + more)), HasSubstr("/etc/groupcached.toml:4: node.peers["))
        << more;
    EXPECT_THAT(ErrorOf(InsecureNode(self + more)), HasSubstr(problem)) << more;
  }
  // Names that may resolve to a listed address are only warned about
  // (PeerAliasWarnings), since resolving is not the loader's business.
  auto aliases = LoadConfigFromString(InsecureNode(self + R"("http://localhost:9474")"), kName);
  EXPECT_TRUE(aliases.ok()) << aliases.status().message();
}

TEST(ConfigTest, SelfMustBeListedWithTheSameSpelling) {
  EXPECT_THAT(
      ErrorOf(InsecureNode(R"("http://127.0.0.1:09474")")),
      HasSubstr(R"(:4: node.peers: must contain node.self ("http://127.0.0.1:9474") exactly once, spelled )"
                R"(the same: node.peers[0] ("http://127.0.0.1:09474") names it differently)"));
}

TEST(ConfigTest, PeersMustBeHttpsUnlessInsecure) {
  EXPECT_THAT(ErrorOf(Edit(R"("https://10.0.0.2:8443")", R"("http://10.0.0.2:8443")")),
              HasSubstr(":5: node.peers[1]: \"http://10.0.0.2:8443\" must use https://"));
  EXPECT_THAT(ErrorOf(Edit(R"(self = "https://10.0.0.1:8443")", R"(self = "https://10.0.0.1:8443/")")),
              HasSubstr(":2: node.self: \"https://10.0.0.1:8443/\": remove the trailing slash"));
  EXPECT_THAT(ErrorOf(Edit(R"("https://10.0.0.3:8443")", R"("https://10.0.0.3:8443/x")")),
              HasSubstr("node.peers[2]: \"https://10.0.0.3:8443/x\" must be https://host:port"));

  const std::string insecure = R"([node]
self = "https://127.0.0.1:9000"
peer_listen = "127.0.0.1:9000"
[tls]
insecure_plaintext = true
[[group]]
name = "g"
cache_bytes = 0
source = { type = "static", values = {} }
)";
  EXPECT_THAT(ErrorOf(insecure),
              HasSubstr(":2: node.self: \"https://127.0.0.1:9000\" must use http:// because "
                        "tls.insecure_plaintext = true"));
}

TEST(ConfigTest, TlsFilesRequiredUnlessInsecure) {
  std::string text = Edit("ca = \"/etc/groupcached/ca.pem\"\n", "");
  EXPECT_THAT(ErrorOf(text), HasSubstr("/etc/groupcached.toml:7: tls.ca: required key is missing"));
  text = kGood;
  text.erase(text.find("[tls]"), text.find("[log]") - text.find("[tls]"));
  EXPECT_THAT(ErrorOf(text), HasSubstr("/etc/groupcached.toml: tls: required section is missing"));
  EXPECT_THAT(ErrorOf(Edit("[tls]\n", "[tls]\ninsecure_plaintext = true\n")),
              HasSubstr("tls.ca: must not be set when insecure_plaintext = true"));
}

TEST(ConfigTest, GroupNamesUniqueNonEmptyUrlSafe) {
  EXPECT_THAT(ErrorOf(Edit("name = \"assets\"", "name = \"colors\"")),
              HasSubstr(":31: group[1].name: group \"colors\" is defined twice"));
  EXPECT_THAT(ErrorOf(Edit("name = \"assets\"", "name = \"\"")),
              HasSubstr(":31: group[1].name: \"\" is not a valid group name"));
  EXPECT_THAT(ErrorOf(Edit("name = \"assets\"", "name = \"a/b\"")),
              HasSubstr(":31: group[1].name: \"a/b\" is not a valid group name"));
  EXPECT_THAT(ErrorOf(Edit("name = \"assets\"", "name = \"a b\"")), HasSubstr("is not a valid group name"));
  EXPECT_THAT(ErrorOf(Edit("name = \"assets\"\n", "")),
              HasSubstr(":30: group[1].name: required key is missing"));
}

TEST(ConfigTest, SourceValidation) {
  EXPECT_THAT(ErrorOf(Edit("objects/{key}", "objects/")),
              HasSubstr(":38: group[2].source.url: \"https://origin.internal/objects/\" must contain {key}"));
  EXPECT_THAT(ErrorOf(Edit("\"https://origin.internal/objects/{key}\"", "\"ftp://x/{key}\"")),
              HasSubstr("group[2].source.url: \"ftp://x/{key}\" must be an http:// or https:// URL"));
  EXPECT_THAT(ErrorOf(Edit("root = \"/srv/assets\"", "root = \"srv/assets\"")),
              HasSubstr(":33: group[1].source.root: \"srv/assets\" must be an absolute path"));
  EXPECT_THAT(ErrorOf(Edit("type = \"files\"", "type = \"ftp\"")),
              HasSubstr(":33: group[1].source.type: \"ftp\" is not a source type"));
  EXPECT_THAT(ErrorOf(Edit("max_redirects = 2", "max_redirects = -1")),
              HasSubstr("group[2].source.max_redirects: -1 is out of range"));
  EXPECT_THAT(ErrorOf(Edit("red = \"#FF0000\"", "red = 1")),
              HasSubstr(":28: group[0].source.values.red: expected a string, got an integer"));
  EXPECT_THAT(ErrorOf(Edit("source = { type = \"files\", root = \"/srv/assets\" }", "")),
              HasSubstr(":30: group[1].source: required section is missing"));
}

TEST(ConfigTest, BadListenAddress) {
  EXPECT_THAT(ErrorOf(Edit("api_listen = \"127.0.0.1:8080\"", "api_listen = \"127.0.0.1\"")),
              HasSubstr(":3: node.api_listen: listen address \"127.0.0.1\": missing port"));
}

TEST(ConfigTest, BadLogSettings) {
  EXPECT_THAT(ErrorOf(Edit("level = \"debug\"", "level = \"verbose\"")),
              HasSubstr(":14: log.level: \"verbose\" is not a log level"));
  EXPECT_THAT(ErrorOf(Edit("format = \"json\"", "format = \"xml\"")),
              HasSubstr(":15: log.format: \"xml\" is not a log format"));
}

TEST(ConfigTest, ReportsEveryErrorSortedByLine) {
  std::string text = Edit("level = \"debug\"", "level = \"loud\"");
  text.replace(text.find("\"10s\""), 5, "\"ten\"");
  const std::string error = ErrorOf(text);
  const size_t first = error.find(":14: log.level");
  const size_t second = error.find(":23: limits.request_timeout");
  ASSERT_NE(first, std::string::npos) << error;
  ASSERT_NE(second, std::string::npos) << error;
  EXPECT_LT(first, second);
}

TEST(ConfigTest, AtMostAHundredProblemsAreListed) {
  // Each problem's line costs toml11 a pass over the text: 24,000 unknown
  // keys took 26 s to report.
  std::string keys;
  for (int i = 0; i < 5000; ++i) keys += "k" + std::to_string(i) + " = 1\n";
  const std::string error = ErrorOf(keys + kGood);
  EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 100);
  EXPECT_THAT(error, HasSubstr(": unknown key\n/etc/groupcached.toml: and 4900 more problems"));
}

TEST(ConfigTest, ApiAndPeerListenersMustDiffer) {
  EXPECT_THAT(ErrorOf(Edit("api_listen = \"127.0.0.1:8080\"", "api_listen = \"0.0.0.0:8443\"")),
              HasSubstr(std::string(kName) +
                        ":4: node.peer_listen: \"0.0.0.0:8443\" is the address of node.api_listen too"));
  // Port 0 is a port of the system's choosing for each.
  auto config = LoadConfigFromString(Edit("api_listen = \"127.0.0.1:8080\"\npeer_listen = \"0.0.0.0:8443\"",
                                          "api_listen = \"127.0.0.1:0\"\npeer_listen = \"127.0.0.1:0\""),
                                     kName);
  EXPECT_TRUE(config.ok()) << config.status().message();
}

TEST(ConfigTest, LinesOfTheFileKeysAreKept) {
  auto config = LoadConfigFromString(kGood, kName);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->Where("node.self"), std::string(kName) + ":2: node.self: ");
  EXPECT_EQ(config->Where("tls.cert"), std::string(kName) + ":9: tls.cert: ");
  EXPECT_EQ(config->Where("log.key_hash_secret_file"),
            std::string(kName) + ": log.key_hash_secret_file: ");  // not in the file
}

TEST(ConfigTest, NoGroupIsAnError) {
  std::string text = kGood.substr(0, kGood.find("[[group]]"));
  EXPECT_THAT(ErrorOf(text), HasSubstr("group: no [[group]] is configured"));
  EXPECT_THAT(
      ErrorOf("group = 3\n" + text),
      HasSubstr("/etc/groupcached.toml:1: group: expected an array of tables ([[group]]), got an integer"));
}

// The line of the last line of `text` (which ends with a newline).
int LastLine(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(ConfigTest, DeeplyNestedArraysAreRefusedWithFileAndLine) {
  // 10,000 nested arrays (20 KB) overflowed the stack inside toml11.
  const std::string text = kGood + "[extra]\nx = " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  EXPECT_THAT(ErrorOf(text), HasSubstr(std::string(kName) + ":" + std::to_string(LastLine(text)) +
                                       ": arrays and inline tables nested deeper than 32 levels"));
  std::string tables = kGood + "[extra]\nx = ";
  for (int i = 0; i < 10000; ++i) tables += "{a = ";
  EXPECT_THAT(ErrorOf(tables + "1\n"), HasSubstr(": arrays and inline tables nested deeper than 32 levels"));
}

TEST(ConfigTest, NestingAtTheLimitIsParsed) {
  // Parsed, so the only problem is the unknown key.
  const std::string arrays = kGood + "[extra]\nx = " + std::string(32, '[') + std::string(32, ']') + "\n";
  EXPECT_THAT(ErrorOf(arrays), HasSubstr(":39: extra: unknown key"));
  // [extra] is one level, the key 63 more.
  std::string key = "a";
  for (int i = 1; i < 63; ++i) key += ".a";
  EXPECT_THAT(ErrorOf(kGood + "[extra]\n" + key + " = 1\n"), HasSubstr(":39: extra: unknown key"));
}

TEST(ConfigTest, LongDottedKeysAreRefused) {
  std::string key = "a";
  for (int i = 1; i < 100000; ++i) key += ".a";
  EXPECT_THAT(ErrorOf(kGood + key + " = 1\n"),
              HasSubstr(":39: tables, dotted keys, arrays and inline tables nested deeper than 64 levels"));
  EXPECT_THAT(ErrorOf(kGood + "[" + key + "]\n"), HasSubstr(":39: tables, dotted keys"));
}

TEST(ConfigTest, SyntaxErrorBeforeDeepNestingIsReportedWithoutParsingIt) {
  const std::string junk = kGood + "x = 1 " + std::string(10000, '[') + "\n";
  EXPECT_THAT(ErrorOf(junk), HasSubstr(":39: syntax error: expected the end of the line"));
  const std::string unclosed = kGood + "x = \"abc\n" + std::string(10000, '[') + "\n";
  EXPECT_THAT(ErrorOf(unclosed), HasSubstr(":39: syntax error:"));
}

TEST(ConfigTest, InvalidUtf8InALiteralStringIsRefusedBeforeParsing) {
  // toml11 read out of another buffer to report it (an assertion in debug
  // builds, a 2^64-byte string or worse in release ones).
  EXPECT_THAT(ErrorOf(kGood + "x = 'C:\\p\xFF\xFF\xFF<path'\n"),
              HasSubstr("/etc/groupcached.toml:39: invalid UTF-8 in a literal string"));
  EXPECT_THAT(ErrorOf(kGood + "x = \"C:p\xFF\"\n"), HasSubstr("/etc/groupcached.toml:39: syntax error:"));
}

TEST(ConfigTest, ManyValuesOnOneLongLineAreRefused) {
  std::string line = "x = [";
  for (int i = 0; i < 20000; ++i) line += "\"x\",";
  EXPECT_THAT(ErrorOf(kGood + line + "]\n"), HasSubstr(":39: too many keys and values on long lines"));
}

TEST(ConfigTest, TextOver256KiBIsRefused) {
  std::string text = kGood;
  text.resize(256 << 10, '\n');
  auto fits = LoadConfigFromString(text, kName);
  EXPECT_TRUE(fits.ok()) << fits.status().message();
  text += "\n";
  EXPECT_THAT(ErrorOf(text), HasSubstr("/etc/groupcached.toml: larger than 256 KiB"));
}

TEST(ConfigTest, IntegersBeyond64BitsAreOutOfRange) {
  // toml11 read these as INT64_MAX or INT64_MIN without a word.
  EXPECT_THAT(ErrorOf(Edit("max_connections = 10000", "max_connections = 99999999999999999999")),
              HasSubstr("/etc/groupcached.toml:22: limits.max_connections: 99999999999999999999 is out of "
                        "range (1 to 1000000)"));
  EXPECT_THAT(ErrorOf(Edit("max_redirects = 2", "max_redirects = -99_999_999_999_999_999_999")),
              HasSubstr(":38: group[2].source.max_redirects: -99_999_999_999_999_999_999 is out of range"));
  EXPECT_THAT(ErrorOf(Edit("cache_bytes = \"1GiB\"", "cache_bytes = 99999999999999999999")),
              HasSubstr(":32: group[1].cache_bytes: 99999999999999999999 is out of range"));
  EXPECT_THAT(ErrorOf(Edit("cache_bytes = \"1GiB\"", "cache_bytes = 0x1_0000_0000_0000_0000")),
              HasSubstr(":32: group[1].cache_bytes: 0x1_0000_0000_0000_0000 is out of range"));
  EXPECT_THAT(ErrorOf(Edit("cache_bytes = \"1GiB\"", "cache_bytes = 0o7777777777777777777777777")),
              HasSubstr(":32: group[1].cache_bytes: 0o7777777777777777777777777 is out of range"));
  EXPECT_THAT(ErrorOf(Edit("cache_bytes = \"1GiB\"", "cache_bytes = -99999999999999999999")),
              HasSubstr(":32: group[1].cache_bytes: -99999999999999999999 is out of range"));
  EXPECT_THAT(ErrorOf(Edit("cache_bytes = \"1GiB\"", "cache_bytes = \"99999999999999999999TiB\"")),
              HasSubstr(":32: group[1].cache_bytes: \"99999999999999999999TiB\" is too large"));

  // The 64-bit bounds themselves are what they say.
  auto largest =
      LoadConfigFromString(Edit("cache_bytes = \"1GiB\"", "cache_bytes = 9223372036854775807"), kName);
  ASSERT_TRUE(largest.ok()) << largest.status().message();
  EXPECT_EQ(largest->groups[1].cache_bytes, INT64_MAX);
  EXPECT_THAT(ErrorOf(Edit("max_redirects = 2", "max_redirects = -9223372036854775808")),
              HasSubstr("max_redirects: -9223372036854775808 is out of range (0 to 10)"));
}

TEST(ConfigTest, MaxValueBytesIsAtMostOneGiB) {
  EXPECT_THAT(
      ErrorOf(Edit(R"(max_value_bytes = "64MiB")", R"(max_value_bytes = "1TiB")")),
      HasSubstr(
          R"(/etc/groupcached.toml:21: limits.max_value_bytes: "1TiB" is out of range (at most 1GiB))"));
  EXPECT_THAT(ErrorOf(Edit(R"(max_value_bytes = "64MiB")", "max_value_bytes = 1073741825")),
              HasSubstr(":21: limits.max_value_bytes: 1073741825 is out of range (at most 1GiB)"));
  EXPECT_THAT(ErrorOf(Edit("max_key_bytes = 4096", R"(max_key_bytes = "2MiB")")),
              HasSubstr(R"(:20: limits.max_key_bytes: "2MiB" is out of range (at most 1MiB))"));

  // 1 GiB is allowed, with an in-flight budget that holds such a response.
  auto largest = LoadConfigFromString(
      Edit(R"(max_value_bytes = "64MiB")", "max_value_bytes = \"1GiB\"\nmax_inflight_bytes = \"2GiB\""),
      kName);
  ASSERT_TRUE(largest.ok()) << largest.status().message();
  EXPECT_EQ(largest->limits.max_value_bytes, size_t{1} << 30);
  // The default budget (256 MiB) does not: the error says what to raise.
  EXPECT_THAT(ErrorOf(Edit(R"(max_value_bytes = "64MiB")", R"(max_value_bytes = "1GiB")")),
              HasSubstr(":21: limits.max_inflight_bytes: 256MiB (the default) must be at least "
                        "limits.max_value_bytes + 64 bytes of framing (1073741888 bytes)"));
}

TEST(ConfigTest, PeerFailureLimits) {
  auto defaults = LoadConfigFromString(kGood, kName);
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->limits.connect_timeout, std::chrono::seconds(1));
  EXPECT_EQ(defaults->limits.eject_after_failures, 3u);
  EXPECT_EQ(defaults->limits.eject_backoff_min, std::chrono::seconds(1));
  EXPECT_EQ(defaults->limits.eject_backoff_max, std::chrono::seconds(30));

  const auto with = [](const std::string& lines) {
    return Edit("request_timeout = \"10s\"", "request_timeout = \"10s\"\n" + lines);
  };
  auto set = LoadConfigFromString(with("connect_timeout = \"250ms\"\neject_after_failures = 0\n"
                                       "eject_backoff_min = \"2s\"\neject_backoff_max = \"2s\""),
                                  kName);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->limits.connect_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(set->limits.eject_after_failures, 0u);
  EXPECT_EQ(set->limits.eject_backoff_min, std::chrono::seconds(2));
  EXPECT_EQ(set->limits.eject_backoff_max, std::chrono::seconds(2));
  EXPECT_THAT(DescribeConfig(*set), HasSubstr("peers: connect_timeout 250ms, eject_after_failures 0 (never), "
                                              "eject_backoff 2s to 2s"));

  EXPECT_THAT(ErrorOf(with("connect_timeout = \"0s\"")),
              HasSubstr(":24: limits.connect_timeout: must be longer"));
  EXPECT_THAT(ErrorOf(with("eject_after_failures = -1")),
              HasSubstr(":24: limits.eject_after_failures: -1 is out of range (0 to 1000)"));
  EXPECT_THAT(ErrorOf(with("eject_after_failures = \"3\"")),
              HasSubstr(":24: limits.eject_after_failures: expected an integer, got a string"));
  EXPECT_THAT(ErrorOf(with("eject_backoff_min = \"1s\"\neject_backoff_max = \"500ms\"")),
              HasSubstr(":25: limits.eject_backoff_max: 500ms must not be shorter than "
                        "limits.eject_backoff_min (1000ms)"));
  // A min above the default max names the min's line, and says the max is the default.
  EXPECT_THAT(ErrorOf(with("eject_backoff_min = \"1m\"")),
              HasSubstr(":24: limits.eject_backoff_max: 30000ms (the default) must not be shorter than "
                        "limits.eject_backoff_min (60000ms)"));
}

TEST(ConfigTest, ConnectionAndBudgetLimits) {
  auto defaults = LoadConfigFromString(kGood, kName);
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->limits.header_timeout, std::chrono::seconds(10));
  EXPECT_EQ(defaults->limits.handshake_timeout, std::chrono::seconds(5));
  EXPECT_EQ(defaults->limits.max_handshakes, 256u);
  EXPECT_EQ(defaults->limits.max_inflight_bytes, size_t{256} << 20);

  const auto with = [](const std::string& lines) {
    return Edit("request_timeout = \"10s\"", "request_timeout = \"10s\"\n" + lines);
  };
  auto set = LoadConfigFromString(with("header_timeout = \"2s\"\nhandshake_timeout = \"1500ms\"\n"
                                       "max_handshakes = 100000\nmax_inflight_bytes = \"64GiB\""),
                                  kName);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->limits.header_timeout, std::chrono::seconds(2));
  EXPECT_EQ(set->limits.handshake_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(set->limits.max_handshakes, 100000u);
  EXPECT_EQ(set->limits.max_inflight_bytes, size_t{64} << 30);
  // Exactly one largest response.
  auto exact = LoadConfigFromString(with("max_inflight_bytes = 67108928"), kName);
  ASSERT_TRUE(exact.ok()) << exact.status().message();

  EXPECT_THAT(ErrorOf(with("header_timeout = \"0s\"")),
              HasSubstr(":24: limits.header_timeout: must be longer"));
  EXPECT_THAT(ErrorOf(with("handshake_timeout = 5")),
              HasSubstr(":24: limits.handshake_timeout: expected a duration string"));
  EXPECT_THAT(ErrorOf(with("max_handshakes = 0")),
              HasSubstr(":24: limits.max_handshakes: 0 is out of range (1 to 100000)"));
  EXPECT_THAT(ErrorOf(with("max_handshakes = 100001")), HasSubstr("100001 is out of range (1 to 100000)"));
  EXPECT_THAT(ErrorOf(with("max_inflight_bytes = \"65GiB\"")),
              HasSubstr(R"(:24: limits.max_inflight_bytes: "65GiB" is out of range (at most 64GiB))"));
  EXPECT_THAT(
      ErrorOf(with("max_inflight_bytes = 67108927")),
      HasSubstr(":24: limits.max_inflight_bytes: 67108927B must be at least limits.max_value_bytes + 64"));
  EXPECT_THAT(ErrorOf(with("max_handshake = 1")),
              HasSubstr(":24: limits.max_handshake: unknown key (did you mean \"max_handshakes\"?)"));
}

TEST(ConfigTest, RuntimeThreadCounts) {
  auto defaults = LoadConfigFromString(kGood, kName);
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->runtime.io_threads, 0) << "automatic";
  EXPECT_EQ(defaults->runtime.worker_threads, 0) << "automatic";
  EXPECT_THAT(DescribeConfig(*defaults), HasSubstr("runtime: io_threads automatic (one per usable CPU), "
                                                   "worker_threads automatic (two per usable CPU)"));

  // The keys go on line 26, after [runtime] on line 25.
  const auto with = [](const std::string& lines) {
    return Edit("request_timeout = \"10s\"\n", "request_timeout = \"10s\"\n\n[runtime]\n" + lines + "\n");
  };
  auto set = LoadConfigFromString(with("io_threads = 3\nworker_threads = 16"), kName);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->runtime.io_threads, 3);
  EXPECT_EQ(set->runtime.worker_threads, 16);
  EXPECT_THAT(DescribeConfig(*set), HasSubstr("runtime: io_threads 3, worker_threads 16\n"));
  EXPECT_EQ(ChangesNeedingRestart(*defaults, *set), std::vector<std::string>{"[runtime]"});
  auto zero = LoadConfigFromString(with("io_threads = 0\nworker_threads = 0"), kName);
  ASSERT_TRUE(zero.ok()) << zero.status().message();
  EXPECT_EQ(zero->runtime, RuntimeConfig{});

  EXPECT_THAT(ErrorOf(with("io_threads = -1")),
              HasSubstr("/etc/groupcached.toml:26: runtime.io_threads: -1 is out of range (0 to 1024)"));
  EXPECT_THAT(ErrorOf(with("worker_threads = 4097")),
              HasSubstr(":26: runtime.worker_threads: 4097 is out of range (0 to 4096)"));
  EXPECT_THAT(ErrorOf(with("io_threads = \"4\"")), HasSubstr(":26: runtime.io_threads: expected an integer"));
  EXPECT_THAT(ErrorOf(with("io_thread = 4")),
              HasSubstr(":26: runtime.io_thread: unknown key (did you mean \"io_threads\"?)"));
}

TEST(ConfigTest, ParseSize) {
  EXPECT_EQ(*ParseSize("0"), 0);
  EXPECT_EQ(*ParseSize("4096"), 4096);
  EXPECT_EQ(*ParseSize("12B"), 12);
  EXPECT_EQ(*ParseSize("1KiB"), 1024);
  EXPECT_EQ(*ParseSize("64MiB"), int64_t{64} << 20);
  EXPECT_EQ(*ParseSize("64 MiB"), int64_t{64} << 20);
  EXPECT_EQ(*ParseSize("2GiB"), int64_t{2} << 30);
  EXPECT_EQ(*ParseSize("1TiB"), int64_t{1} << 40);
  EXPECT_EQ(*ParseSize("1KB"), 1000);
  EXPECT_EQ(*ParseSize("5MB"), 5000000);
  EXPECT_EQ(*ParseSize("3GB"), 3000000000);
  for (const char* bad :
       {"", "MiB", "64XB", "64mib", "-1", "1.5GiB", "64MiBs", "9999999999TiB", "99999999999999999999"}) {
    EXPECT_FALSE(ParseSize(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseSize("99999999999999999999").status().message(), HasSubstr("is too large"));
  EXPECT_THAT(ParseSize("99999999999PiB").status().message(), HasSubstr("is not a size"));
  EXPECT_EQ(*ParseSize("8388607TiB"), int64_t{8388607} << 40);
}

TEST(ConfigTest, ParseDuration) {
  EXPECT_EQ(*ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(*ParseDuration("10s"), std::chrono::seconds(10));
  EXPECT_EQ(*ParseDuration("1m"), std::chrono::minutes(1));
  EXPECT_EQ(*ParseDuration("2h"), std::chrono::hours(2));
  for (const char* bad : {"", "10", "s", "1.5s", "10 sec", "-1s", "1d", "99999999999h"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseDuration("99999999999999999999999ms").status().message(), HasSubstr("is too large"));
  EXPECT_THAT(ParseDuration("8761h").status().message(), HasSubstr("is too large (at most 365 days)"));
  EXPECT_EQ(*ParseDuration("8760h"), std::chrono::hours(8760));
  EXPECT_THAT(ErrorOf(Edit("request_timeout = \"10s\"", "request_timeout = \"0s\"")),
              HasSubstr("limits.request_timeout: must be longer than 0ms"));
}

TEST(ConfigTest, LoadConfigReadsFileAndResolvesRelativePaths) {
  char dir_template[] = "/tmp/groupcached_config_test.XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string path = dir + "/g.toml";
  {
    std::ofstream out(path);
    out << kGood;
  }
  auto config = LoadConfig(path);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_TRUE(config->from_file);
  EXPECT_EQ(config->source_name, path);
  EXPECT_EQ(config->tls.key, dir + "/node.key");

  {
    std::ofstream out(path);
    out << Edit(R"(max_value_bytes = "64MiB")", R"(max_value_bytes = "64XB")");
  }
  auto bad = LoadConfig(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr(path + ":21: limits.max_value_bytes:"));

  auto missing = LoadConfig(dir + "/missing.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr(dir + "/missing.toml: cannot open"));
  unlink(path.c_str());
  rmdir(dir.c_str());
}

TEST(ConfigTest, LoadConfigRefusesAFifoWithoutWaitingForAWriter) {
  char dir_template[] = "/tmp/groupcached_config_test.XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string fifo = std::string(dir_template) + "/fifo.toml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  // Opening the FIFO blocked until a writer came; the guard supplies one if
  // the load is still waiting after a bound, so that the test ends.
  auto load = std::async(std::launch::async, [&fifo] { return LoadConfig(fifo); });
  if (load.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    ADD_FAILURE() << "LoadConfig waited for a writer on a FIFO";
    const int writer = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0) close(writer);
  }
  auto config = load.get();
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr(fifo + ": is not a regular file"));
  unlink(fifo.c_str());
  rmdir(dir_template);
}

TEST(ConfigTest, ExampleConfigParses) {
  auto config = LoadConfig(std::string(GROUPCACHED_SOURCE_DIR) + "/groupcached.example.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->groups.size(), 3u);
  EXPECT_TRUE(config->tls.enabled());
}

// What --check-config accepts, the source accepts at start (found by
// fuzz_config: the check used to take URLs the source's parser refuses).
TEST(ConfigTest, HttpSourceUrlsAreCheckedByTheSourcesOwnParser) {
  for (const char* url : {"http://[::1]:9000o/objects/{key}", "https://user:pw@origin.internal/o/{key}",
                          "http://a:b:80/{key}"}) {
    auto config = LoadConfigFromString(Edit("https://origin.internal/objects/{key}", url), kName);
    ASSERT_FALSE(config.ok()) << url;
    EXPECT_THAT(config.status().message(), HasSubstr("source.url")) << url;
  }
}

TEST(ConfigTest, DescribeNeverShowsSecretsOrValues) {
  auto config = LoadConfigFromString(
      Edit("https://origin.internal/objects/{key}", "https://origin.internal/hunter2/{key}?token=abc"),
      kName);
  ASSERT_TRUE(config.ok()) << config.status().message();
  const std::string summary = DescribeConfig(*config);
  EXPECT_THAT(summary, HasSubstr("https://10.0.0.2:8443"));
  EXPECT_THAT(summary, HasSubstr("mutual TLS"));
  EXPECT_THAT(summary, HasSubstr("colors: cache 64MiB, static, 3 keys"));
  EXPECT_THAT(summary, HasSubstr("http origin https://origin.internal"));
  EXPECT_THAT(summary, Not(HasSubstr("hunter2")));  // only the origin is shown
  EXPECT_THAT(summary, Not(HasSubstr("token")));
  EXPECT_THAT(summary, Not(HasSubstr("#FF0000")));
  EXPECT_THAT(summary, HasSubstr("max_value_bytes 64MiB, max_inflight_bytes 256MiB"));
  EXPECT_THAT(summary, HasSubstr("max_connections 10000, max_handshakes 256"));
  EXPECT_THAT(summary, HasSubstr("request_timeout 10s, header_timeout 10s, handshake_timeout 5s"));
}

TEST(ConfigTest, ChangesNeedingRestart) {
  auto before = LoadConfigFromString(kGood, kName);
  auto peers_only = LoadConfigFromString(Edit(R"(, "https://10.0.0.3:8443"])", "]"), kName);
  std::string more_text = Edit(R"(, "https://10.0.0.3:8443"])", "]");
  more_text.replace(more_text.find("level = \"debug\""), 15, "level = \"info\"");
  auto more = LoadConfigFromString(more_text, kName);
  ASSERT_TRUE(before.ok() && peers_only.ok() && more.ok());
  EXPECT_TRUE(ChangesNeedingRestart(*before, *before).empty());
  EXPECT_TRUE(ChangesNeedingRestart(*before, *peers_only).empty());
  EXPECT_EQ(ChangesNeedingRestart(*before, *more), std::vector<std::string>{"[log]"});
  for (const char* limit : {"header_timeout = \"1s\"", "handshake_timeout = \"1s\"", "max_handshakes = 1",
                            "max_inflight_bytes = \"1GiB\""}) {
    auto changed = LoadConfigFromString(Edit("[limits]\n", std::string("[limits]\n") + limit + "\n"), kName);
    ASSERT_TRUE(changed.ok()) << changed.status().message();
    EXPECT_EQ(ChangesNeedingRestart(*before, *changed), std::vector<std::string>{"[limits]"}) << limit;
  }
}

// A one-node config whose only group has `source` (line 10).
std::string PostgresConfig(const std::string& source) {
  return "[node]\n"
         "self = \"http://127.0.0.1:9000\"\n"
         "peer_listen = \"127.0.0.1:9000\"\n"
         "[tls]\n"
         "insecure_plaintext = true\n"
         "\n"
         "[[group]]\n"
         "name = \"rows\"\n"
         "cache_bytes = \"1MiB\"\n"
         "source = " +
         source + "\n";
}

TEST(ConfigTest, PostgresSourceParses) {
  auto config = LoadConfigFromString(
      PostgresConfig(R"({ type = "postgres", conninfo_file = "/etc/groupcached/pg.conninfo", )"
                     R"(query = "SELECT v FROM t WHERE k = $1", timeout = "1500ms", pool_size = 8 })"),
      kName);
  ASSERT_TRUE(config.ok()) << config.status().message();
  const auto& source = std::get<PostgresSourceConfig>(config->groups[0].source);
  EXPECT_EQ(source.conninfo_file, "/etc/groupcached/pg.conninfo");
  EXPECT_EQ(source.query, "SELECT v FROM t WHERE k = $1");
  EXPECT_EQ(source.timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(source.pool_size, 8);
  EXPECT_EQ(config->lines.at("group[0].source.conninfo_file"), 10u);
  // --check-config shows the file, never what it holds.
  EXPECT_THAT(DescribeConfig(*config),
              HasSubstr("rows: cache 1MiB, postgres, conninfo_file /etc/groupcached/pg.conninfo, timeout "
                        "1500ms, pool_size 8"));
}

TEST(ConfigTest, PostgresSourceDefaultsAndRelativeFile) {
  auto config = LoadConfigFromString(
      PostgresConfig(R"({ type = "postgres", conninfo_file = "pg.conninfo", query = "SELECT $1::text" })"),
      kName, "/etc/groupcached");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const auto& source = std::get<PostgresSourceConfig>(config->groups[0].source);
  EXPECT_EQ(source.conninfo_file, "/etc/groupcached/pg.conninfo");
  EXPECT_EQ(source.timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(source.pool_size, 4);
}

TEST(ConfigTest, PostgresSourceValidation) {
  const std::string file = R"(conninfo_file = "/etc/pg", )";
  const std::string query = R"(query = "SELECT v FROM t WHERE k = $1")";
  const std::pair<std::string, std::string> cases[] = {
      {"{ type = \"postgres\", " + query + " }",
       ":10: group[0].source.conninfo_file: required key is missing"},
      {R"({ type = "postgres", conninfo_file = "/etc/pg" })",
       ":10: group[0].source.query: required key is missing"},
      {"{ type = \"postgres\", " + file + R"(query = "SELECT v FROM t WHERE k = 'x'" })",
       ":10: group[0].source.query: must contain $1"},
      {"{ type = \"postgres\", " + file + query + R"(, timeout = "0s" })", "group[0].source.timeout"},
      {"{ type = \"postgres\", " + file + query + R"(, timeout = "soon" })", "group[0].source.timeout"},
      {"{ type = \"postgres\", " + file + query + ", pool_size = 0 }",
       "group[0].source.pool_size: 0 is out of range"},
      {"{ type = \"postgres\", " + file + query + ", pool_size = 65 }",
       "group[0].source.pool_size: 65 is out of range"},
      {"{ type = \"postgres\", " + file + query + R"(, conninfo = "host=db password=x" })",
       "group[0].source.conninfo"},
      {"{ type = \"postgres\", " + file + query + R"(, url = "x" })", "group[0].source.url"},
      {"{ type = \"postgres\", conninfo_file = 1, " + query + " }", "group[0].source.conninfo_file"},
  };
  for (const auto& [source, want] : cases) {
    EXPECT_THAT(ErrorOf(PostgresConfig(source)), HasSubstr(want)) << source;
  }
  // A password written into the config (the refused key) is not echoed.
  EXPECT_THAT(ErrorOf(PostgresConfig("{ type = \"postgres\", " + file + query +
                                     R"(, conninfo = "host=db password=hunter2" })")),
              Not(HasSubstr("hunter2")));
  EXPECT_THAT(ErrorOf(Edit("type = \"files\"", "type = \"mysql\"")),
              HasSubstr(R"(is not a source type (use "static", "files", "http" or "postgres"))"));
}

}  // namespace
}  // namespace groupcached
