// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// [discovery] and node.drain: what is read, what is refused, and how
// --check-config and SIGHUP see them.
#include "daemon/config_discovery.h"

#include <string>
#include <vector>

#include "daemon/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kName = "/etc/groupcached.toml";

// A node found through DNS; `discovery` is the body of [discovery] and
// `node_extra` lines added to [node] (line 4 on).
std::string DnsNode(const std::string& discovery, const std::string& node_extra = "",
                    const std::string& self = "https://10.0.0.1:8443") {
  return "[node]\nself = \"" + self + "\"\npeer_listen = \"0.0.0.0:8443\"\n" + node_extra + "[discovery]\n" +
         discovery +
         "[tls]\nca = \"/etc/groupcached/ca.pem\"\ncert = \"/etc/groupcached/node.pem\"\n"
         "key = \"/etc/groupcached/node.key\"\n"
         "[[group]]\nname = \"colors\"\ncache_bytes = \"64MiB\"\n"
         "source = { type = \"static\", values = { red = \"#FF0000\" } }\n";
}

Config Load(const std::string& text) {
  auto config = LoadConfigFromString(text, kName);
  EXPECT_TRUE(config.ok()) << config.status().message();
  return config.ok() ? *config : Config{};
}

std::string ErrorOf(const std::string& text) {
  auto config = LoadConfigFromString(text, kName);
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.status().message();
}

TEST(DiscoveryConfigTest, StaticIsTheDefault) {
  const std::string without = DnsNode("");
  std::string text = without;
  text.erase(text.find("[discovery]\n"), 12);
  Config config = Load(text);
  EXPECT_FALSE(config.discovery.dns());
  EXPECT_EQ(config.discovery, DiscoveryConfig{});
  EXPECT_EQ(config.node.peers, std::vector<std::string>{"https://10.0.0.1:8443"});
  // An empty section and an explicit type are the same.
  EXPECT_EQ(Load(without).discovery, DiscoveryConfig{});
  EXPECT_EQ(Load(DnsNode("type = \"static\"\n")).discovery, DiscoveryConfig{});
}

TEST(DiscoveryConfigTest, DnsWithAddressRecords) {
  Config config = Load(DnsNode("type = \"dns\"\nname = \"groupcached.cache.svc.cluster.local\"\n"));
  ASSERT_TRUE(config.discovery.dns());
  EXPECT_EQ(config.discovery.name, "groupcached.cache.svc.cluster.local");
  EXPECT_EQ(config.discovery.record, DiscoveryConfig::Record::kAddress);
  EXPECT_EQ(config.discovery.port, 8443) << "the port of node.self";
  EXPECT_EQ(config.discovery.interval, std::chrono::seconds(5));
  EXPECT_TRUE(config.discovery.servers.empty());
  EXPECT_TRUE(config.node.peers.empty()) << "the peers come from DNS";

  config = Load(
      DnsNode("type = \"dns\"\nname = \"peers.example.\"\nrecord = \"A\"\nport = 8443\ninterval = \"200ms\"\n"
              "servers = [\"127.0.0.1:5353\", \"[::1]:53\"]\n"));
  EXPECT_EQ(config.discovery.name, "peers.example.");
  EXPECT_EQ(config.discovery.interval, std::chrono::milliseconds(200));
  EXPECT_EQ(config.discovery.servers, (std::vector<std::string>{"127.0.0.1:5353", "[::1]:53"}));
  // IPv6: the canonical form in brackets, as a peer URL spells it.
  config = Load(DnsNode("type = \"dns\"\nname = \"peers.example\"\n", "", "https://[fd00::1]:8443"));
  EXPECT_EQ(config.discovery.port, 8443);
}

TEST(DiscoveryConfigTest, DnsWithSrvRecords) {
  Config config =
      Load(DnsNode("type = \"dns\"\nname = \"_peer._tcp.groupcached.cache.svc.cluster.local\"\n"
                   "record = \"SRV\"\n",
                   "", "https://groupcached-0.groupcached.cache.svc.cluster.local:8443"));
  ASSERT_TRUE(config.discovery.dns());
  EXPECT_EQ(config.discovery.record, DiscoveryConfig::Record::kSrv);
  EXPECT_EQ(config.discovery.port, 0) << "the ports come from the records";
  EXPECT_THAT(ErrorOf(DnsNode("type = \"dns\"\nname = \"_p._tcp.x\"\nrecord = \"SRV\"\nport = 8443\n")),
              HasSubstr(":8: discovery.port: must not be set with record = \"SRV\" (the ports come from "
                        "the SRV records)"));
}

TEST(DiscoveryConfigTest, DnsRefusesNodePeers) {
  const std::string error =
      ErrorOf(DnsNode("type = \"dns\"\nname = \"peers.example\"\n", "peers = [\"https://10.0.0.1:8443\"]\n"));
  EXPECT_THAT(error, HasSubstr("/etc/groupcached.toml:4: node.peers: must not be set with discovery.type = "
                               "\"dns\": the peers come from DNS"));
}

TEST(DiscoveryConfigTest, AddressRecordsNeedSelfSpelledAsThePeersWillSpellIt) {
  const std::string discovery = "type = \"dns\"\nname = \"peers.example\"\n";
  EXPECT_THAT(ErrorOf(DnsNode(discovery, "", "https://node-a.example:8443")),
              HasSubstr(":2: node.self: with discovery.record = \"A\" the peers know this node by its IP "
                        "address and port, so node.self must be its IP address, e.g. "
                        "\"https://${POD_IP}:8443\""));
  EXPECT_THAT(
      ErrorOf(DnsNode(discovery + "port = 9443\n")),
      HasSubstr(":2: node.self: with discovery.record = \"A\" the peers know this node by its IP "
                "address and discovery.port, so node.self must be \"https://10.0.0.1:9443\" exactly"));
  EXPECT_THAT(ErrorOf(DnsNode(discovery, "", "https://10.0.0.01:8443")),
              HasSubstr("node.self must be \"https://10.0.0.1:8443\" exactly"));
  EXPECT_THAT(ErrorOf(DnsNode(discovery, "", "https://[FD00:0::1]:8443")),
              HasSubstr("node.self must be \"https://[fd00::1]:8443\" exactly"));
  EXPECT_THAT(ErrorOf(DnsNode(discovery, "", "https://10.0.0.1")),
              HasSubstr("node.self must be \"https://10.0.0.1:443\" exactly"));
}

TEST(DiscoveryConfigTest, EveryBadValueIsNamedWithItsLine) {
  const auto dns = [](const std::string& more) {
    return DnsNode("type = \"dns\"\nname = \"peers.example\"\n" + more);
  };
  EXPECT_THAT(ErrorOf(DnsNode("type = \"consul\"\n")),
              HasSubstr(":5: discovery.type: \"consul\" is not a discovery type (use \"static\" for "
                        "node.peers, or \"dns\")"));
  EXPECT_THAT(ErrorOf(DnsNode("type = \"dns\"\n")), HasSubstr(":4: discovery.name: required key is missing"));
  EXPECT_THAT(ErrorOf(DnsNode("name = \"peers.example\"\ninterval = \"1s\"\n")),
              HasSubstr(":5: discovery.name: is only for type = \"dns\""));
  EXPECT_THAT(ErrorOf(DnsNode("type = \"static\"\nservers = []\n")),
              HasSubstr(":6: discovery.servers: is only for type = \"dns\""));
  EXPECT_THAT(ErrorOf(dns("record = \"AAAA\"\n")),
              HasSubstr(":7: discovery.record: \"AAAA\" is not a record type (use \"A\", which looks up A "
                        "and AAAA records, or \"SRV\")"));
  EXPECT_THAT(ErrorOf(dns("record = \"srv\"\n")), HasSubstr(":7: discovery.record: \"srv\" is not"));
  EXPECT_THAT(ErrorOf(dns("port = 0\n")), HasSubstr(":7: discovery.port: 0 is out of range (1 to 65535)"));
  EXPECT_THAT(ErrorOf(dns("port = 65536\n")), HasSubstr(":7: discovery.port: 65536 is out of range"));
  EXPECT_THAT(ErrorOf(dns("port = \"8443\"\n")),
              HasSubstr(":7: discovery.port: expected an integer, got a string"));
  EXPECT_THAT(ErrorOf(dns("interval = \"0s\"\n")), HasSubstr(":7: discovery.interval: must be longer"));
  EXPECT_THAT(ErrorOf(dns("interval = 5\n")), HasSubstr(":7: discovery.interval: expected a duration"));
  EXPECT_THAT(ErrorOf(dns("servers = \"10.0.0.10:53\"\n")),
              HasSubstr(":7: discovery.servers: expected an array of \"host:port\" strings"));
  EXPECT_THAT(ErrorOf(dns("servers = [53]\n")),
              HasSubstr(":7: discovery.servers[0]: expected a \"host:port\" string, got an integer"));
  EXPECT_THAT(ErrorOf(dns("intervall = \"1s\"\n")),
              HasSubstr(":7: discovery.intervall: unknown key (did you mean \"interval\"?)"));
}

TEST(DiscoveryConfigTest, DnsNames) {
  for (const char* good : {"peers.example", "peers.example.", "_groupcache._tcp.svc.cluster.local", "a",
                           "xn--bcher-kva.example", "a-b.c_d.E9"}) {
    EXPECT_TRUE(internal::CheckDnsName(good).ok()) << good;
  }
  const std::string label63(63, 'a');
  EXPECT_TRUE(internal::CheckDnsName(label63 + ".example").ok());
  EXPECT_THAT(internal::CheckDnsName(std::string(64, 'a')).message(), HasSubstr("longer than 63"));
  std::string long_name;
  while (long_name.size() < 254) long_name += "abcdefg.";
  EXPECT_THAT(internal::CheckDnsName(long_name.substr(0, 254)).message(), HasSubstr("longer than 253"));
  EXPECT_THAT(internal::CheckDnsName("").message(), HasSubstr("is empty"));
  EXPECT_THAT(internal::CheckDnsName(".").message(), HasSubstr("is empty"));
  for (const char* empty_label : {"a..b", ".a", "a.."}) {
    EXPECT_THAT(internal::CheckDnsName(empty_label).message(), HasSubstr("empty label")) << empty_label;
  }
  for (const char* bad : {"a b", "peers.example:53", "http://peers", "a/b",
                          "p\xC3\xA9"
                          "ers"}) {
    EXPECT_THAT(internal::CheckDnsName(bad).message(), HasSubstr("cannot be in a DNS name")) << bad;
  }
  EXPECT_THAT(ErrorOf(DnsNode("type = \"dns\"\nname = \"peers..example\"\n")),
              HasSubstr(":6: discovery.name: \"peers..example\" has an empty label"));
}

TEST(DiscoveryConfigTest, DnsServers) {
  for (const char* good : {"10.0.0.10:53", "127.0.0.1:5353", "[::1]:53", "[fd00::a]:65535"}) {
    EXPECT_TRUE(internal::CheckDnsServer(good).ok()) << good;
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"10.0.0.10", "has no port"},
      {"[::1]", "has no port"},
      {"10.0.0.10:", "invalid port"},
      {"10.0.0.10:0", "invalid port"},
      {"10.0.0.10:65536", "invalid port"},
      {"10.0.0.10:53x", "invalid port"},
      {"10.0.0.10:+53", "invalid port"},
      {"dns.example:53", "by its IP address, not a host name"},
      {"127.1:53", "by its IP address"},
      {"10.0.0.256:53", "by its IP address"},
      {":53", "by its IP address"},
      {"::1:53", "must put an IPv6 address in brackets"},
      {"[10.0.0.1]:53", "not an IPv6 address"},
      {"[::1:53", "unclosed '['"},
  };
  for (const auto& [server, problem] : bad) {
    const groupcache::Status status = internal::CheckDnsServer(server);
    EXPECT_THAT(status.message(), HasSubstr(problem)) << server;
    EXPECT_THAT(status.message(), HasSubstr("\"10.0.0.10:53\"")) << server << ": no example given";
  }
  EXPECT_THAT(ErrorOf(DnsNode("type = \"dns\"\nname = \"peers.example\"\nservers = [\"10.0.0.10:53\", "
                              "\"dns.example:53\"]\n")),
              HasSubstr(":7: discovery.servers[1]: \"dns.example:53\" must name the server by its IP"));
}

TEST(DrainConfigTest, DefaultZeroAndBadValues) {
  const std::string discovery = "type = \"static\"\n";
  EXPECT_EQ(Load(DnsNode(discovery)).node.drain, std::chrono::seconds(5));
  EXPECT_EQ(Load(DnsNode(discovery, "drain = \"0s\"\n")).node.drain, std::chrono::milliseconds(0));
  EXPECT_EQ(Load(DnsNode(discovery, "drain = \"1m\"\n")).node.drain, std::chrono::minutes(1));
  EXPECT_THAT(ErrorOf(DnsNode(discovery, "drain = \"-1s\"\n")), HasSubstr(":4: node.drain: \"-1s\" is not"));
  EXPECT_THAT(ErrorOf(DnsNode(discovery, "drain = 5\n")),
              HasSubstr(":4: node.drain: expected a duration string"));
  // The built-in one-node demo has nobody to drain for.
  auto demo = LoadConfigFromString(kDefaultConfigToml, std::string(kDefaultConfigName));
  ASSERT_TRUE(demo.ok()) << demo.status().message();
  EXPECT_EQ(demo->node.drain, std::chrono::milliseconds(0));
}

TEST(DiscoveryConfigTest, DescribeAndRestart) {
  const Config dns =
      Load(DnsNode("type = \"dns\"\nname = \"peers.example\"\ninterval = \"2s\"\n"
                   "servers = [\"10.0.0.10:53\"]\n",
                   "drain = \"15s\"\n"));
  const std::string summary = DescribeConfig(dns);
  EXPECT_THAT(summary, HasSubstr("drain: 15s"));
  EXPECT_THAT(summary, HasSubstr("peers: from DNS, A and AAAA records of peers.example, port 8443, every 2s\n"
                                 "    servers: 10.0.0.10:53\n"));
  const Config srv = Load(DnsNode("type = \"dns\"\nname = \"_p._tcp.peers.example\"\nrecord = \"SRV\"\n"));
  EXPECT_THAT(DescribeConfig(srv),
              HasSubstr("peers: from DNS, SRV records of _p._tcp.peers.example, every 5s\n"
                        "    servers: the system's resolver configuration\n"));
  const Config fixed = Load(DnsNode(""));
  EXPECT_THAT(DescribeConfig(fixed), HasSubstr("peers (1):\n    https://10.0.0.1:8443 (self)\n"));
  EXPECT_THAT(DescribeConfig(fixed), Not(HasSubstr("DNS")));

  EXPECT_TRUE(ChangesNeedingRestart(dns, dns).empty());
  EXPECT_EQ(ChangesNeedingRestart(fixed, dns), (std::vector<std::string>{"node.drain", "[discovery]"}));
  const Config other_interval =
      Load(DnsNode("type = \"dns\"\nname = \"peers.example\"\ninterval = \"3s\"\n"
                   "servers = [\"10.0.0.10:53\"]\n",
                   "drain = \"15s\"\n"));
  EXPECT_EQ(ChangesNeedingRestart(dns, other_interval), std::vector<std::string>{"[discovery]"});
}

}  // namespace
}  // namespace groupcached
