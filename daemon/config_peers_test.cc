// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/config_peers.h"

#include <atomic>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using groupcache::Result;
using groupcache::Status;
using internal::CanonicalAddress;
using internal::ParsePeerEndpoint;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Normalized(std::string_view url, std::string_view scheme = "http") {
  Result<internal::PeerEndpoint> endpoint = ParsePeerEndpoint(url, scheme);
  return endpoint.ok() ? endpoint->ToString() : "error: " + endpoint.status().message();
}

TEST(ConfigPeersTest, EndpointsAreSpelledOneWay) {
  EXPECT_EQ(Normalized("http://127.0.0.1:9474"), "http://127.0.0.1:9474");
  EXPECT_EQ(Normalized("http://127.0.0.1:09474"), "http://127.0.0.1:9474");
  EXPECT_EQ(Normalized("http://127.1:9474"), "http://127.0.0.1:9474");
  EXPECT_EQ(Normalized("http://0x7f.0.0.1:9474"), "http://127.0.0.1:9474");
  EXPECT_EQ(Normalized("http://127.0.0.1"), "http://127.0.0.1:80");
  EXPECT_EQ(Normalized("https://10.0.0.1", "https"), "https://10.0.0.1:443");
  EXPECT_EQ(Normalized("http://Node-A.Example:1"), "http://node-a.example:1");
  EXPECT_EQ(Normalized("http://[::1]:9474"), "http://[::1]:9474");
  EXPECT_EQ(Normalized("http://[0:0:0:0:0:0:0:1]:9474"), "http://[::1]:9474");
  EXPECT_EQ(Normalized("http://[::0001]:9474"), "http://[::1]:9474");
  EXPECT_EQ(Normalized("http://[FE80::A]:1"), "http://[fe80::a]:1");
  EXPECT_EQ(Normalized("http://[::ffff:127.0.0.1]:9474"), "http://127.0.0.1:9474");
}

TEST(ConfigPeersTest, MalformedUrlsAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://::1:9474", "must put an IPv6 address in brackets"},
      {"http://[abc]:1", "brackets around something that is not an IPv6 address"},
      {"http://a\r\nHost: evil:1", "a character that cannot be in a host name"},
      {"http://h\xC3\xA9:1", "a character that cannot be in a host name"},
      {"http://h:0", "invalid port"},
      {"http://h:65536", "invalid port"},
      {"http://h:000080", "invalid port"},
      {"http://h:+80", "a character that cannot be"},
      {"http://h:", "empty port"},
      {"http://:80", "has no host"},
      {"http://[::1", "unclosed '['"},
      {"http://[::1]x", "junk after ']'"},
      {"http://h:80/", "remove the trailing slash"},
      {"http://u@h:80", "no path, query or user info"},
      {"ftp://h:80", "must start with http://"},
  };
  for (const auto& [url, problem] : cases) {
    EXPECT_THAT(Normalized(url), HasSubstr(problem)) << url;
  }
}

TEST(ConfigPeersTest, CanonicalAddress) {
  EXPECT_EQ(CanonicalAddress("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(CanonicalAddress("0177.0.0.1"), "127.0.0.1");
  EXPECT_EQ(CanonicalAddress("::FFFF:10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(CanonicalAddress("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("localhost"), "");
  EXPECT_EQ(CanonicalAddress(""), "");
}

Config InsecureConfig(std::vector<std::string> peers) {
  auto config = LoadConfigFromString(R"([node]
self = "http://127.0.0.1:9474"
peer_listen = "127.0.0.1:9474"
[tls]
insecure_plaintext = true
[[group]]
name = "g"
cache_bytes = 0
source = { type = "static", values = {} }
)",
                                     "/etc/g.toml");
  EXPECT_TRUE(config.ok()) << config.status().message();
  Config out = config.ok() ? *config : Config{};
  out.node.peers = std::move(peers);
  return out;
}

// A resolver with fixed answers; unknown names fail.
PeerHostResolver FakeResolver(std::map<std::string, std::vector<std::string>> answers) {
  return [answers = std::move(answers)](const std::string& host) -> Result<std::vector<std::string>> {
    auto it = answers.find(host);
    if (it == answers.end()) return Status::Unavailable("Name or service not known");
    return it->second;
  };
}

TEST(ConfigPeersTest, NamesThatReachAListedAddressAreWarnedAbout) {
  const Config config = InsecureConfig({"http://127.0.0.1:9474", "http://localhost:9474", "http://[::1]:9475",
                                        "http://node-b:9475", "http://localhost:9476", "http://node-c:9474"});
  const std::vector<std::string> warnings = PeerAliasWarnings(
      config, std::chrono::seconds(10),
      FakeResolver(
          {{"localhost", {"127.0.0.1", "::1"}}, {"node-b", {"::1"}}, {"node-c", {"::ffff:127.0.0.1"}}}));
  EXPECT_THAT(
      warnings,
      ElementsAre("/etc/g.toml: node.peers[1] \"http://localhost:9474\" and node.peers[0] "
                  "\"http://127.0.0.1:9474\" may be the same node (both reach 127.0.0.1 port 9474); list "
                  "each node once, under one name",
                  HasSubstr("node.peers[3] \"http://node-b:9475\" and node.peers[2] \"http://[::1]:9475\" "
                            "may be the same node (both reach ::1 port 9475)"),
                  HasSubstr("node.peers[5] \"http://node-c:9474\" and node.peers[0]"),
                  HasSubstr("node.peers[5] \"http://node-c:9474\" and node.peers[1]")));
}

TEST(ConfigPeersTest, DistinctPeersGiveNoWarning) {
  const Config config =
      InsecureConfig({"http://127.0.0.1:9474", "http://127.0.0.2:9474", "http://node-b:9474"});
  EXPECT_THAT(PeerAliasWarnings(config, std::chrono::seconds(10), FakeResolver({{"node-b", {"10.0.0.2"}}})),
              IsEmpty());
}

TEST(ConfigPeersTest, UnresolvableAndSlowNamesAreReported) {
  // Answers "slow" only when the test lets it, after PeerAliasWarnings gave up.
  auto release = std::make_shared<std::latch>(1);
  PeerHostResolver resolver = [release](const std::string& host) -> Result<std::vector<std::string>> {
    if (host == "slow") release->wait();
    if (host == "missing") return Status::Unavailable("Name or service not known");
    return std::vector<std::string>{"10.0.0.9"};
  };
  const Config config = InsecureConfig({"http://127.0.0.1:9474", "http://missing:9474", "http://slow:9474"});
  const std::vector<std::string> warnings =
      PeerAliasWarnings(config, std::chrono::milliseconds(50), resolver);
  release->count_down();
  EXPECT_THAT(warnings,
              ElementsAre("/etc/g.toml: node.peers[1] \"http://missing:9474\": cannot resolve "
                          "\"missing\": Name or service not known",
                          "/etc/g.toml: node.peers[2] \"http://slow:9474\": \"slow\" was not resolved "
                          "within 50ms; not checked for aliases"));
}

TEST(ConfigPeersTest, AtMost64NamesAreResolved) {
  std::vector<std::string> peers = {"http://127.0.0.1:9474"};
  for (int i = 0; i < 100; ++i) peers.push_back("http://node-" + std::to_string(i) + ":9474");
  auto calls = std::make_shared<std::atomic<int>>(0);
  PeerHostResolver resolver = [calls](const std::string&) -> Result<std::vector<std::string>> {
    ++*calls;
    return std::vector<std::string>{};
  };
  const std::vector<std::string> warnings =
      PeerAliasWarnings(InsecureConfig(peers), std::chrono::seconds(10), resolver);
  EXPECT_EQ(calls->load(), 64);
  ASSERT_FALSE(warnings.empty());
  EXPECT_EQ(warnings[0],
            "/etc/g.toml: node.peers names 100 hosts; only the first 64 were checked for aliases");
}

TEST(ConfigPeersTest, SystemResolverFindsLocalhost) {
  Result<std::vector<std::string>> localhost = SystemPeerHostResolver()("localhost");
  if (!localhost.ok() || localhost->empty()) GTEST_SKIP() << "localhost does not resolve here";
  const Config config =
      InsecureConfig({"http://127.0.0.1:9474", "http://[::1]:9474", "http://localhost:9474"});
  const std::vector<std::string> warnings = PeerAliasWarnings(config);
  ASSERT_FALSE(warnings.empty());
  EXPECT_THAT(warnings[0], HasSubstr("node.peers[2] \"http://localhost:9474\" and node.peers["));
}

}  // namespace
}  // namespace groupcached
