// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fault injection on real groupcached processes (issue 11): three plain-HTTP
// nodes on 127.0.0.1, one of them frozen with SIGSTOP, thawed with SIGCONT
// or killed with SIGKILL, measured from the client side: every request still
// answered right, a frozen node costing only the first few timeouts, the
// node back in the ring after SIGCONT, and the failure loud in the asking
// node's log and /metrics.
//
// The bounds asserted are the functional targets (30 keys under 8 s
// with a 2 s request timeout; at least half the healthy throughput), far
// from what the breaker achieves, not micro-timings; each test prints what
// it measured.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/hash_ring.h"
#include "groupcached_fixture.h"
#include "net.h"
#include "process.h"

namespace groupcache::integration {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kNodes = 3;
constexpr int kFrozen = 2;  // the node frozen or killed; the clients never ask it

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string ValueOf(const std::string& key) { return "value of " + key; }

class GroupcachedFaultsTest : public GroupcachedTest {
 protected:
  // Starts three plain-HTTP nodes serving group "g" from files (keys
  // "k0000"... with ValueOf values) with `limits_toml` in [limits]. Fails the
  // test if one does not start.
  void StartCluster(const std::string& limits_toml, int keys = 3000) {
    const std::filesystem::path root = dir_ / "data";
    std::filesystem::create_directories(root);
    for (int i = 0; i < keys; ++i) {
      char key[16];
      std::snprintf(key, sizeof key, "k%04d", i);
      values_[key] = ValueOf(key);
      WriteFileWithMode(root / key, values_[key], 0644);
    }
    const std::vector<uint16_t> ports = PickFreePorts(2 * kNodes);
    for (int i = 0; i < kNodes; ++i) peers_.push_back(LocalUrl(ports[2 * i + 1]));
    ring_.Add(peers_);
    for (int i = 0; i < kNodes; ++i) {
      NodeConfig config;
      config.api_port = ports[2 * i];
      config.peer_port = ports[2 * i + 1];
      config.self = peers_[i];
      config.peers = peers_;
      config.limits_toml = limits_toml;
      config.groups_toml = FilesGroup("g", root);
      Server* node = StartNode("node" + std::to_string(i), config);
      ASSERT_NE(node, nullptr);
      nodes_.push_back(node);
    }
  }

  // The keys that node `owner` owns, in order, skipping the first `skip`.
  std::vector<std::string> KeysOwnedBy(int owner, size_t count, size_t skip = 0) const {
    std::vector<std::string> keys;
    for (const auto& [key, value] : values_) {
      if (ring_.GetIndex(key) != owner) continue;
      if (skip > 0) {
        --skip;
        continue;
      }
      keys.push_back(key);
      if (keys.size() == count) break;
    }
    return keys;
  }

  ChildProcess& Frozen() { return *nodes_[kFrozen]->process; }
  const std::string& FrozenUrl() const { return peers_[kFrozen]; }

  // node0's view of the frozen node, from its /metrics.
  double PeerState(const MetricsDoc& m, const std::string& state) const {
    return m.Get("groupcache_peer_state{peer=\"" + FrozenUrl() + "\",state=\"" + state + "\"}");
  }
  double PeerErrors(const MetricsDoc& m, const std::string& reason) const {
    return m.Get("groupcache_peer_fetch_errors_total{peer=\"" + FrozenUrl() + "\",reason=\"" + reason +
                 "\"}");
  }

  // The lines of `node`'s log (stderr) that contain every one of `parts`.
  std::vector<std::string> LogLines(const Server& node, const std::vector<std::string>& parts) const {
    std::vector<std::string> lines;
    std::istringstream in(ReadFile(node.log()));
    for (std::string line; std::getline(in, line);) {
      if (std::all_of(parts.begin(), parts.end(),
                      [&](const std::string& p) { return line.find(p) != std::string::npos; })) {
        lines.push_back(line);
      }
    }
    return lines;
  }

  std::map<std::string, std::string> values_;
  std::vector<std::string> peers_;
  HashRing ring_;
  std::vector<Server*> nodes_;
};

// Client threads asking the surviving nodes (never the frozen or killed one:
// a load balancer would have taken it out) with keep-alive GETs, over every
// key in a random order per thread, counting answers per phase.
class ClientLoad {
 public:
  ClientLoad(const std::vector<Server*>& nodes, const std::map<std::string, std::string>& values, int threads)
      : values_(values.begin(), values.end()) {
    for (int t = 0; t < threads; ++t) {
      const uint16_t port = nodes[t % kFrozen]->port;  // node0, node1, node0, ...
      threads_.emplace_back([this, port, t] { Run(port, t); });
    }
  }
  ~ClientLoad() { Stop(); }

  // Starts counting answers into a new phase; returns its index.
  int NextPhase() {
    const int phase = phase_.load() + 1;
    phase_.store(phase);
    return phase;
  }
  void Stop() {
    phase_.store(kStopped);
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  int64_t ok(int phase) const { return ok_[phase].load(); }
  // Client time spent in requests that took over a second (that waited on
  // a timeout), by the phase they started in, and how many there were.
  double blocked_seconds(int phase) const { return static_cast<double>(blocked_ms_[phase].load()) / 1000; }
  int64_t blocked(int phase) const { return blocked_[phase].load(); }
  int threads() const { return static_cast<int>(threads_.size()); }
  int64_t failed() const { return failed_.load(); }
  std::string first_failure() {
    std::lock_guard<std::mutex> lock(mu_);
    return first_failure_;
  }

 private:
  static constexpr int kPhases = 24;
  static constexpr int kStopped = -1;

  void Run(uint16_t port, int seed) {
    std::vector<size_t> order(values_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    KeepAliveClient client(port);
    for (size_t i = 0;; i = (i + 1) % order.size()) {
      const int phase = phase_.load();
      if (phase == kStopped) return;
      const auto& [key, value] = values_[order[i]];
      const auto asked = Clock::now();
      Result<HttpReply> reply = client.Get(ValuePath("g", key), seconds(20));
      const auto took = Clock::now() - asked;
      if (took > seconds(1) && phase >= 0 && phase < kPhases) {
        blocked_ms_[phase].fetch_add(std::chrono::duration_cast<milliseconds>(took).count());
        blocked_[phase].fetch_add(1);
      }
      if (reply.ok() && reply->status == 200 && reply->body == value) {
        if (phase >= 0 && phase < kPhases) ok_[phase].fetch_add(1);
        continue;
      }
      if (failed_.fetch_add(1) == 0) {
        std::lock_guard<std::mutex> lock(mu_);
        first_failure_ =
            key + " at port " + std::to_string(port) + ": " +
            (reply.ok() ? std::to_string(reply->status) + " " + reply->body : reply.status().message());
      }
    }
  }

  const std::vector<std::pair<std::string, std::string>> values_;
  std::atomic<int> phase_{0};
  std::array<std::atomic<int64_t>, kPhases> ok_{};
  std::array<std::atomic<int64_t>, kPhases> blocked_ms_{};
  std::array<std::atomic<int64_t>, kPhases> blocked_{};
  std::atomic<int64_t> failed_{0};
  std::mutex mu_;
  std::string first_failure_;
  std::vector<std::thread> threads_;
};

// (a) 30 keys of a frozen node asked one after another cost the timeouts
// that eject it, not one timeout each; (e) the asking node says so in its
// log and /metrics; (d) after SIGCONT the node is back within the backoff.
TEST_F(GroupcachedFaultsTest, FrozenNodeIsEjectedLoudlyAndComesBackAfterSigcont) {
  StartCluster(
      "request_timeout = \"2s\"\neject_after_failures = 3\neject_backoff_min = \"1s\"\n"
      "eject_backoff_max = \"2s\"\n");
  ASSERT_EQ(nodes_.size(), 3u);
  Server& asking = *nodes_[0];
  // One fetch from the frozen-to-be node first, so node0 has a kept-alive
  // connection to it: the frozen node's kernel then holds requests on an
  // open connection, the hardest case (no connect timeout applies).
  const std::vector<std::string> warm = KeysOwnedBy(kFrozen, 1);
  auto reply = HttpGet(asking.port, ValuePath("g", warm[0]));
  ASSERT_TRUE(reply.ok() && reply->status == 200) << (reply.ok() ? reply->body : reply.status().message());

  ASSERT_TRUE(Frozen().Freeze());
  const std::vector<std::string> keys = KeysOwnedBy(kFrozen, 30, 1);
  ASSERT_EQ(keys.size(), 30u);
  const auto start = Clock::now();
  Clock::duration slowest{};
  for (const std::string& key : keys) {
    const auto asked = Clock::now();
    auto value = HttpGet(asking.port, ValuePath("g", key), seconds(30));
    slowest = std::max(slowest, Clock::now() - asked);
    ASSERT_TRUE(value.ok()) << key << ": " << value.status().message();
    EXPECT_EQ(value->status, 200) << key << ": " << value->body;
    EXPECT_EQ(value->body, ValueOf(key));
  }
  const Clock::duration total = Clock::now() - start;
  std::printf(
      "[ figures  ] (a) 30 keys of the frozen node, one after another: %.2f s in all, slowest %.2f s\n",
      Seconds(total), Seconds(slowest));
  EXPECT_LT(total, seconds(8)) << "30 keys of a frozen node took " << Seconds(total)
                               << " s with request_timeout 2 s: the node was not ejected after its first "
                                  "failures (issue 11's target is under 8 s)";

  // (e) Loud: a rate-limited warning naming the peer and the reason, the
  // ejection, and the metrics.
  const std::vector<std::string> failed =
      LogLines(asking, {"level=warn", "msg=\"peer fetch failed\"", "peer=" + FrozenUrl(), "reason=timeout"});
  ASSERT_FALSE(failed.empty()) << ReadFile(asking.log());
  EXPECT_THAT(failed[0], HasSubstr("suppressed="));
  EXPECT_THAT(failed[0], HasSubstr("error=\"fetching from peer " + FrozenUrl()));
  // Three or more timeouts within 10 s, one line.
  EXPECT_EQ(failed.size(), 1u) << ReadFile(asking.log());
  EXPECT_EQ(LogLines(asking, {"level=warn", "msg=\"peer ejected\"", "peer=" + FrozenUrl(), "reason=timeout"})
                .size(),
            1u)
      << ReadFile(asking.log());
  for (const std::string& key : keys) {
    EXPECT_EQ(ReadFile(asking.log()).find(key), std::string::npos) << "a key reached the log";
  }
  MetricsDoc m = MetricsOf(asking);
  EXPECT_GE(PeerErrors(m, "timeout"), 3) << m.text();
  EXPECT_GE(PeerErrors(m, "ejected"), 20) << m.text();
  EXPECT_EQ(PeerState(m, "ejected"), 1) << m.text();
  EXPECT_EQ(PeerState(m, "healthy"), 0) << m.text();
  EXPECT_EQ(m.Get("groupcache_peer_ejections_total{peer=\"" + FrozenUrl() + "\"}"), 1) << m.text();

  // (d) SIGCONT: the next probe after the backoff (at most 2 s + 20%)
  // succeeds. A probe goes out only with a fetch, so keep asking for keys
  // the node owns, one at a time, as a client would.
  ASSERT_TRUE(Frozen().Thaw());
  const auto thawed = Clock::now();
  // Each key once: a key loaded locally is then in node0's cache. Paced
  // at 20 a second, as a light client would ask, so the keys last.
  const std::vector<std::string> later = KeysOwnedBy(kFrozen, 400, 31);
  ASSERT_GE(later.size(), 200u);
  bool back = false;
  size_t next = 0;
  for (auto at = Clock::now(); next < later.size() && !back && Clock::now() - thawed < seconds(20);
       ++next, at += milliseconds(50)) {
    std::this_thread::sleep_until(at);
    auto value = HttpGet(asking.port, ValuePath("g", later[next]), seconds(30));
    ASSERT_TRUE(value.ok() && value->status == 200) << later[next];
    back = PeerState(MetricsOf(asking), "healthy") == 1;
  }
  const Clock::duration back_after = Clock::now() - thawed;
  std::printf("[ figures  ] (d) back in the ring %.2f s after SIGCONT (eject_backoff_max 2 s)\n",
              Seconds(back_after));
  ASSERT_TRUE(back) << "node2 not back 20 s after SIGCONT";
  // The backoff (2 s + 20% jitter), the probe's own fetch, and a margin for
  // this loaded machine.
  EXPECT_LT(back_after, seconds(2) * 12 / 10 + seconds(3))
      << "not back within eject_backoff_max plus a margin";
  // Its keys are fetched from it again.
  const double loads_before = MetricsOf(asking).Get(GroupSeries("groupcache_peer_loads_total", "g"));
  ASSERT_LE(next + 3, later.size());
  for (size_t i = next; i < next + 3; ++i) {
    auto value = HttpGet(asking.port, ValuePath("g", later[i]));
    ASSERT_TRUE(value.ok() && value->status == 200) << later[i];
  }
  EXPECT_GE(MetricsOf(asking).Get(GroupSeries("groupcache_peer_loads_total", "g")), loads_before + 3);
  EXPECT_EQ(LogLines(asking, {"level=info", "msg=\"peer back\"", "peer=" + FrozenUrl()}).size(), 1u)
      << ReadFile(asking.log());
}

// (b) Under a steady load, a frozen node costs at most half the throughput:
// the clients wait for the timeouts that eject it, then its keys load
// locally until a probe finds it.
//
// The cost is measured as the share of the clients' time spent waiting on
// the frozen node (requests over a second; the rest take milliseconds).
// With closed-loop clients that share is the throughput lost, and unlike a
// comparison of requests per second before and after the freeze it does
// not move with whatever else this shared machine is running (CI runs other
// tests beside this one). Requests per second are printed as figures.
TEST_F(GroupcachedFaultsTest, FrozenNodeCostsAtMostHalfTheThroughput) {
  StartCluster("request_timeout = \"2s\"\n");
  ASSERT_EQ(nodes_.size(), 3u);
  // Three clients per asking node: the first timeouts of each node's fetches
  // to the frozen node, taken together, eject it.
  ClientLoad load(nodes_, values_, 6);
  std::this_thread::sleep_for(milliseconds(500));  // connections open, caches warm
  // One phase per second, to print the shape: the timeouts that eject the
  // node, then the probes (each holds one client for the timeout).
  constexpr int kHealthySeconds = 3, kFrozenSeconds = 15;
  const int first = load.NextPhase();
  for (int i = 1; i < kHealthySeconds + kFrozenSeconds + 1; ++i) {
    std::this_thread::sleep_for(seconds(1));
    load.NextPhase();  // before the freeze: no healthy phase's request waits on it
    if (i == kHealthySeconds) {
      ASSERT_TRUE(Frozen().Freeze());
    }
  }
  load.Stop();
  int64_t healthy = 0, frozen = 0, waits = 0, healthy_waits = 0;
  double waited = 0;
  std::string shape;
  for (int i = 0; i < kHealthySeconds + kFrozenSeconds; ++i) {
    (i < kHealthySeconds ? healthy : frozen) += load.ok(first + i);
    (i < kHealthySeconds ? healthy_waits : waits) += load.blocked(first + i);
    if (i >= kHealthySeconds) waited += load.blocked_seconds(first + i);
    shape += (i == kHealthySeconds ? " | " : " ") + std::to_string(load.ok(first + i));
    if (load.blocked(first + i) > 0) shape += "(" + std::to_string(load.blocked(first + i)) + " waited)";
  }
  const double healthy_rate = static_cast<double>(healthy) / kHealthySeconds;
  const double frozen_rate = static_cast<double>(frozen) / kFrozenSeconds;
  // Requests that started in the last second may still have been waiting
  // when the load stopped: counted whole, so the share errs high.
  const double waiting_share = waited / (load.threads() * kFrozenSeconds);
  std::printf(
      "[ figures  ] (b) healthy %.0f requests/s, one node frozen %.0f requests/s (%.0f%%), %lld failed; "
      "clients waited on the frozen node %.1f s of %d s (%.0f%%, %lld requests; %lld before the freeze); "
      "per second:%s\n",
      healthy_rate, frozen_rate, 100 * frozen_rate / healthy_rate, static_cast<long long>(load.failed()),
      waited, load.threads() * kFrozenSeconds, 100 * waiting_share, static_cast<long long>(waits),
      static_cast<long long>(healthy_waits), shape.c_str());
  EXPECT_EQ(load.failed(), 0) << load.first_failure();
  EXPECT_GT(healthy, 0);
  EXPECT_GT(frozen, 0);
  // What it costs is the ejection: three timeouts per asking node, each
  // holding every client that singleflight joins to its key. A fetch that
  // slips out between a node's first timeout and its third can cost a
  // second round. Probes go out in the background and hold no client.
  EXPECT_GE(waits, 1);
  EXPECT_LE(waiting_share, 0.5) << "a frozen node cost more than half the throughput";
  EXPECT_EQ(PeerState(MetricsOf(*nodes_[0]), "ejected"), 1);
}

// (c) A node killed under load: not one client request fails at the others.
TEST_F(GroupcachedFaultsTest, KilledNodeFailsNoRequestAtTheOthers) {
  StartCluster("request_timeout = \"2s\"\n");
  ASSERT_EQ(nodes_.size(), 3u);
  ClientLoad load(nodes_, values_, 4);
  std::this_thread::sleep_for(milliseconds(1500));
  const int killed = load.NextPhase();
  Frozen().Kill();
  std::this_thread::sleep_for(milliseconds(2500));
  load.Stop();
  std::printf("[ figures  ] (c) %lld requests answered after SIGKILL, %lld failed\n",
              static_cast<long long>(load.ok(killed)), static_cast<long long>(load.failed()));
  EXPECT_EQ(load.failed(), 0) << load.first_failure();
  EXPECT_GT(load.ok(killed), 0);
  // (e) for a dead node, the reason is what the kernel made of the kill:
  // refused (a new connection), reset (a kept-alive one), or, when tearing
  // the process down takes the kernel longer than request_timeout (seen on
  // a loaded machine), timeout: its listener still queues connections that
  // nobody accepts. Each reason counted is also logged. Which socket error
  // is which reason is checked deterministically in http_client_test.
  for (int i = 0; i < kFrozen; ++i) {
    const MetricsDoc m = MetricsOf(*nodes_[i]);
    double counted = 0;
    for (const std::string reason : {"refused", "reset", "timeout"}) {
      const double errors = PeerErrors(m, reason);
      if (errors < 1) continue;
      counted += errors;
      EXPECT_FALSE(LogLines(*nodes_[i], {"level=warn", "msg=\"peer fetch failed\"", "peer=" + FrozenUrl(),
                                         "reason=" + reason})
                       .empty())
          << reason << "\n"
          << ReadFile(nodes_[i]->log());
    }
    EXPECT_GE(counted, 1) << m.text();
    EXPECT_EQ(PeerState(m, "ejected"), 1) << m.text();
  }
}

}  // namespace
}  // namespace groupcache::integration
