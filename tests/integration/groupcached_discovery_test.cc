// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// groupcached nodes that find each other through DNS ([discovery] type =
// "dns"), answered by a real dnsmasq: a cluster forms, a node joins and one
// leaves while a client keeps asking, keys are loaded once each whatever the
// ring, SRV records work, and a DNS server that stops answering (or answers
// nothing) leaves the ring as it was. The join and leave times are printed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dnsmasq.h"
#include "groupcache/dns_peers.h"
#include "groupcached_fixture.h"
#include "net.h"
#include "origin_server.h"
#include "process.h"
#include "text.h"

namespace groupcache::integration {
namespace {

using Clock = std::chrono::steady_clock;
using ::testing::HasSubstr;

constexpr const char* kName = "peers.test";
constexpr const char* kInterval = "200ms";

std::string Value(std::string_view key) { return "value of " + std::string(key); }

// A client that asks the live nodes for a fixed set of keys, round robin,
// until stopped, and counts what went wrong: any answer that is not 200
// with the key's value. Nodes are taken out before they are stopped, as a
// load balancer does once /readyz answers 503.
class ClientLoop {
 public:
  explicit ClientLoop(std::vector<uint16_t> ports) : ports_(std::move(ports)) {
    thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
  }
  ~ClientLoop() { Stop(); }

  void Add(uint16_t port) {
    std::lock_guard<std::mutex> lock(mu_);
    ports_.push_back(port);
  }
  void Remove(uint16_t port) {
    std::lock_guard<std::mutex> lock(mu_);
    ports_.erase(std::remove(ports_.begin(), ports_.end(), port), ports_.end());
  }
  void Stop() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
  }
  int requests() const { return requests_.load(); }
  int failures() const { return failures_.load(); }
  std::vector<std::string> problems() const {
    std::lock_guard<std::mutex> lock(mu_);
    return problems_;
  }

 private:
  void Run(std::stop_token stop) {
    for (int i = 0; !stop.stop_requested(); ++i) {
      uint16_t port;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (ports_.empty()) continue;
        port = ports_[i % ports_.size()];
      }
      const std::string key = "steady-" + std::to_string(i % 16);
      auto reply = HttpGet(port, ValuePath("objects", key), std::chrono::seconds(10));
      ++requests_;
      std::string problem;
      if (!reply.ok()) {
        problem = reply.status().message();
      } else if (reply->status != 200 || reply->body != Value(key)) {
        problem = "status " + std::to_string(reply->status) + " body \"" + reply->body + "\"";
      }
      if (problem.empty()) continue;
      ++failures_;
      std::lock_guard<std::mutex> lock(mu_);
      if (problems_.size() < 10)
        problems_.push_back("port " + std::to_string(port) + " " + key + ": " + problem);
    }
  }

  mutable std::mutex mu_;
  std::vector<uint16_t> ports_;        // guarded by mu_
  std::vector<std::string> problems_;  // guarded by mu_
  std::atomic<int> requests_{0};
  std::atomic<int> failures_{0};
  std::jthread thread_;
};

class GroupcachedDiscoveryTest : public GroupcachedTest {
 protected:
  void SetUp() override {
    GroupcachedTest::SetUp();
    std::string error;
    dns_ = groupcache::testing::Dnsmasq::Start(&error);
    ASSERT_NE(dns_, nullptr) << error;
    origin_ = std::make_unique<OriginServer>([](std::string_view target) {
      const std::string_view prefix = "/objects/";
      if (!target.starts_with(prefix)) return OriginReply::Status(404, "no");
      return OriginReply::Status(200, Value(target.substr(prefix.size())));
    });
    peer_port_ = PickFreePort();
  }

  // Node i listens for peers on 127.0.0.(i+2) at the port every node shares
  // (A records carry no port), and for clients on 127.0.0.1.
  std::string Address(int i) const { return "127.0.0." + std::to_string(i + 2); }
  std::string Url(int i) const { return "https://" + Address(i) + ":" + std::to_string(peer_port_); }

  NodeConfig DnsNodeConfig(int i, const std::string& drain = "0s") {
    NodeConfig config;
    config.api_port = PickFreePort();
    config.peer_port = peer_port_;
    config.peer_host = Address(i);
    config.self = Url(i);
    config.tls = IssueNode("node" + std::to_string(i), "IP:" + Address(i));
    config.drain = drain;
    config.discovery_toml = "type = \"dns\"\nname = \"" + std::string(kName) + "\"\ninterval = \"" +
                            kInterval + "\"\nservers = [\"" + dns_->server() + "\"]\n";
    config.groups_toml = HttpGroup("objects", origin_->url() + "/objects/{key}", "5s");
    return config;
  }

  // Puts nodes `members` (and only them) in the A records of kName.
  void SetMembers(const std::vector<int>& members) {
    std::vector<std::string> addresses;
    for (int i : members) addresses.push_back(Address(i));
    dns_->SetHosts({{kName, addresses}});
    ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  }

  std::string FingerprintOf(const std::vector<int>& members) const {
    std::vector<std::string> urls;
    for (int i : members) urls.push_back(Url(i));
    return RingFingerprint(urls);
  }

  // Whether `node` uses the ring of `members`.
  bool UsesRing(const Server& node, const std::vector<int>& members) {
    const MetricsDoc m = MetricsOf(node);
    return m.Get("groupcache_peers") == static_cast<double>(members.size()) &&
           m.Get("groupcache_ring_info{fingerprint=\"" + FingerprintOf(members) + "\"}") == 1;
  }

  // Polls until every node of `nodes` uses the ring of `members`; returns
  // how long that took from `since`, or nullopt after 20 s.
  std::optional<std::chrono::milliseconds> WaitForRing(const std::vector<Server*>& nodes,
                                                       const std::vector<int>& members,
                                                       Clock::time_point since) {
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline) {
      if (std::all_of(nodes.begin(), nodes.end(), [&](Server* node) { return UsesRing(*node, members); })) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return std::nullopt;
  }

  // How many times the origin was asked for `key`: its loads, cluster-wide.
  int LoadsOf(const std::string& key) const {
    const std::vector<std::string> targets = origin_->targets();
    return static_cast<int>(std::count(targets.begin(), targets.end(), "/objects/" + key));
  }

  // Asks every node for each key (the values must be right), then expects
  // each key loaded exactly once in the cluster. Returns the loads each
  // node made (groupcache_local_loads_total before and after).
  std::vector<double> ExpectLoadedOnce(const std::vector<Server*>& nodes,
                                       const std::vector<std::string>& keys) {
    std::vector<double> before;
    for (Server* node : nodes)
      before.push_back(MetricsOf(*node).Get(GroupSeries("groupcache_local_loads_total", "objects")));
    for (const std::string& key : keys) {
      for (Server* node : nodes) {
        auto reply = HttpGet(node->port, ValuePath("objects", key));
        EXPECT_TRUE(reply.ok() && reply->status == 200 && reply->body == Value(key))
            << key << " at " << node->url << ": " << (reply.ok() ? reply->body : reply.status().message());
      }
      EXPECT_EQ(LoadsOf(key), 1) << key << " was not loaded exactly once in the cluster";
    }
    std::vector<double> loads;
    for (size_t i = 0; i < nodes.size(); ++i) {
      loads.push_back(MetricsOf(*nodes[i]).Get(GroupSeries("groupcache_local_loads_total", "objects")) -
                      before[i]);
    }
    return loads;
  }

  static std::vector<std::string> Keys(const std::string& prefix, int n) {
    std::vector<std::string> keys;
    for (int i = 0; i < n; ++i) keys.push_back(prefix + std::to_string(i));
    return keys;
  }

  std::unique_ptr<groupcache::testing::Dnsmasq> dns_;
  std::unique_ptr<OriginServer> origin_;
  uint16_t peer_port_ = 0;
};

TEST_F(GroupcachedDiscoveryTest, NodesJoinAndLeaveThroughDnsWithoutAFailedRequest) {
  SetMembers({0, 1, 2});
  std::vector<Server*> nodes;
  for (int i = 0; i < 3; ++i) {
    nodes.push_back(StartNode("node" + std::to_string(i), DnsNodeConfig(i, i == 1 ? "1s" : "0s")));
    ASSERT_NE(nodes.back(), nullptr);
  }
  ASSERT_TRUE(WaitForRing(nodes, {0, 1, 2}, Clock::now())) << "the three nodes never agreed on their ring";
  ClientLoop client({nodes[0]->port, nodes[1]->port, nodes[2]->port});

  // Three nodes: every key answered at every node, loaded once.
  const std::vector<double> three = ExpectLoadedOnce(nodes, Keys("three-", 30));
  for (int i = 0; i < 3; ++i) EXPECT_GT(three[i], 0) << "node" << i << " owns none of 30 keys";

  // A fourth node starts (alone, then with whatever DNS lists), becomes
  // ready, and then enters DNS, as a pod does.
  Server* fourth = StartNode("node3", DnsNodeConfig(3));
  ASSERT_NE(fourth, nullptr);
  client.Add(fourth->port);
  const auto joined_at = Clock::now();
  SetMembers({0, 1, 2, 3});
  nodes.push_back(fourth);
  const auto join = WaitForRing(nodes, {0, 1, 2, 3}, joined_at);
  ASSERT_TRUE(join) << "the four nodes never agreed on their ring";
  const std::vector<double> four = ExpectLoadedOnce(nodes, Keys("four-", 40));
  EXPECT_GT(four[3], 0) << "the new node loaded none of 40 fresh keys";

  // node1 leaves: out of DNS, out of the client's list, SIGTERM (a 1 s
  // drain, during which it still serves the peers that ask it).
  const auto left_at = Clock::now();
  SetMembers({0, 2, 3});
  client.Remove(nodes[1]->port);
  ASSERT_EQ(::kill(nodes[1]->process->pid(), SIGTERM), 0);
  const std::vector<Server*> survivors = {nodes[0], nodes[2], nodes[3]};
  const auto leave = WaitForRing(survivors, {0, 2, 3}, left_at);
  ASSERT_TRUE(leave) << "the survivors never agreed on their ring";
  const std::optional<int> status = nodes[1]->process->WaitForExit(std::chrono::seconds(15));
  ASSERT_TRUE(status.has_value()) << "node1 still runs";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "wait status " << *status;
  const std::vector<double> after = ExpectLoadedOnce(survivors, Keys("after-", 30));
  for (size_t i = 0; i < survivors.size(); ++i) EXPECT_GT(after[i], 0) << survivors[i]->url;

  // Once the rings agree, peers see no more mismatched fingerprints.
  const auto mismatches = [&] {
    double sum = 0;
    for (Server* node : survivors) sum += MetricsOf(*node).Get("groupcache_ring_mismatches_total");
    return sum;
  };
  const double settled = mismatches();
  ExpectLoadedOnce(survivors, Keys("settled-", 20));
  EXPECT_EQ(mismatches(), settled) << "ring fingerprints still differ after the rings agreed";

  client.Stop();
  EXPECT_EQ(client.failures(), 0) << "e.g. " << ::testing::PrintToString(client.problems());
  EXPECT_GT(client.requests(), 0);
  for (Server* node : survivors) {
    EXPECT_EQ(MetricsOf(*node).Get("groupcache_membership_changes_total"), node == nodes[3] ? 2 : 3)
        << node->url;
  }
  EXPECT_EQ(CountLinesContaining(nodes[0]->log(), "membership changed\" source=dns peers=4 added=" + Url(3)),
            1);
  EXPECT_EQ(CountLinesContaining(nodes[0]->log(),
                                 "membership changed\" source=dns peers=3 added=\"\" removed=" + Url(1)),
            1);
  std::printf(
      "[ converge ] interval %s: join %lld ms, leave %lld ms; client: %d requests, %d failed; ring "
      "mismatches until the survivors agreed: %.0f\n",
      kInterval, static_cast<long long>(join->count()), static_cast<long long>(leave->count()),
      client.requests(), client.failures(), settled);
}

TEST_F(GroupcachedDiscoveryTest, SrvRecordsGiveTargetsAndPorts) {
  // Every node on 127.0.0.1 at a port of its own, named "localhost" (which
  // the nodes resolve through /etc/hosts when they connect); the SRV records
  // carry the ports.
  const std::string srv = std::string("_peer._tcp.") + kName;
  const std::vector<uint16_t> ports = PickFreePorts(3);
  std::vector<groupcache::testing::Dnsmasq::SrvRecord> records;
  std::vector<std::string> urls;
  for (uint16_t port : ports) {
    records.push_back({"localhost", port, 0, 0});
    urls.push_back("https://localhost:" + std::to_string(port));
  }
  dns_->SetSrv(srv, records);
  std::string error;
  ASSERT_TRUE(dns_->Restart(&error)) << error;
  std::vector<Server*> nodes;
  for (int i = 0; i < 3; ++i) {
    NodeConfig config = DnsNodeConfig(i);
    config.peer_host = "127.0.0.1";
    config.peer_port = ports[i];
    config.self = urls[i];
    config.tls = IssueNode("srv" + std::to_string(i), "DNS:localhost");
    config.discovery_toml = "type = \"dns\"\nname = \"" + srv + "\"\nrecord = \"SRV\"\ninterval = \"" +
                            kInterval + "\"\nservers = [\"" + dns_->server() + "\"]\n";
    nodes.push_back(StartNode("srv" + std::to_string(i), config));
    ASSERT_NE(nodes.back(), nullptr);
  }
  const std::string fingerprint = RingFingerprint(urls);
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  const auto agreed = [&] {
    return std::all_of(nodes.begin(), nodes.end(), [&](Server* node) {
      return MetricsOf(*node).Get("groupcache_ring_info{fingerprint=\"" + fingerprint + "\"}") == 1;
    });
  };
  while (!agreed() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(agreed()) << "the nodes never built the ring of the SRV records";
  const std::vector<double> loads = ExpectLoadedOnce(nodes, Keys("srv-", 30));
  for (int i = 0; i < 3; ++i) EXPECT_GT(loads[i], 0) << "node" << i;
  for (Server* node : nodes)
    EXPECT_EQ(MetricsOf(*node).Sum("groupcache_peer_fetch_errors_total"), 0) << node->url;
}

TEST_F(GroupcachedDiscoveryTest, RingStaysWhenDnsStopsAnsweringOrAnswersNothing) {
  SetMembers({0, 1});
  std::vector<Server*> nodes;
  for (int i = 0; i < 2; ++i) {
    nodes.push_back(StartNode("node" + std::to_string(i), DnsNodeConfig(i)));
    ASSERT_NE(nodes.back(), nullptr);
  }
  ASSERT_TRUE(WaitForRing(nodes, {0, 1}, Clock::now()));
  const auto failures = [&](Server* node) {
    return MetricsOf(*node).Get("groupcache_dns_lookup_failures_total");
  };
  const auto failing_everywhere = [&](std::vector<double> before) {
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline) {
      if (failures(nodes[0]) > before[0] && failures(nodes[1]) > before[1]) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  };

  // A server that stops answering: lookups time out, the ring stays.
  dns_->Pause();
  ASSERT_TRUE(failing_everywhere({failures(nodes[0]), failures(nodes[1])}))
      << "no lookup failed while paused";
  for (Server* node : nodes) EXPECT_TRUE(UsesRing(*node, {0, 1})) << node->url;
  ExpectLoadedOnce(nodes, Keys("paused-", 20));
  dns_->Resume();

  // An answer with no record (the name is gone): the ring stays too.
  dns_->SetHosts({{"other.test", {"127.0.0.9"}}});
  ASSERT_TRUE(dns_->Reload());
  ASSERT_TRUE(failing_everywhere({failures(nodes[0]), failures(nodes[1])}))
      << "an empty answer was not a failure";
  for (Server* node : nodes) EXPECT_TRUE(UsesRing(*node, {0, 1})) << node->url;
  ExpectLoadedOnce(nodes, Keys("empty-", 20));
  for (Server* node : nodes) {
    EXPECT_EQ(MetricsOf(*node).Get("groupcache_membership_changes_total"), 1) << node->url;
    EXPECT_GE(
        CountLinesContaining(node->log(), "DNS lookup of the peers failed; the peer set stays as it was"), 1);
  }
}

}  // namespace
}  // namespace groupcache::integration
