// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A Node in this process: started on ports the OS chooses, asked for values
// through its registry and its API, reloaded, stopped, and destroyed with a
// peer fetch still pending.
#include "daemon/node.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dnsmasq.h"
#include "gmock/gmock.h"
#include "groupcache/dns_peers.h"
#include "groupcache/hash_ring.h"
#include "gtest/gtest.h"
#include "test_http.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A listening TCP socket on 127.0.0.1 and a port the OS chose; closed when
// destroyed. Accepted connections are kept open, unanswered.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), size) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() {
    for (int fd : accepted_) ::close(fd);
    if (fd_ >= 0) ::close(fd_);
  }

  uint16_t port() const { return port_; }

  // Waits, at most 30 s, for one connection and keeps it; false if none came.
  bool AcceptOne() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 30000) != 1) return false;
    const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return false;
    accepted_.push_back(fd);
    return true;
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::vector<int> accepted_;
};

using groupcache::testing::HttpGet;  // GET with Connection: close; status 0 when nothing came

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_node_test.XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A plain-HTTP node on 127.0.0.1 ports the OS chooses, logging to
  // <dir>/node.log, with the static group "colors".
  std::string Toml(const std::vector<std::string>& peers, const std::string& api_listen = "127.0.0.1:0",
                   const std::string& self = kSelf) const {
    std::string list;
    for (const std::string& peer : peers) list += (list.empty() ? "\"" : ", \"") + peer + "\"";
    return "[node]\nself = \"" + self + "\"\napi_listen = \"" + api_listen +
           "\"\npeer_listen = \"127.0.0.1:0\"\npeers = [" + list +
           "]\n"
           "[tls]\ninsecure_plaintext = true\n"
           "[log]\nlevel = \"debug\"\nfile = \"node.log\"\n"
           "[limits]\nrequest_timeout = \"60s\"\n"
           "[[group]]\nname = \"colors\"\ncache_bytes = \"1MiB\"\n"
           "source = { type = \"static\", values = { red = \"#FF0000\", green = \"#00FF00\" } }\n";
  }

  Config Parse(const std::string& toml) const {
    auto config = LoadConfigFromString(toml, "node_test.toml", dir_.string());
    EXPECT_TRUE(config.ok()) << config.status().message();
    return config.ok() ? std::move(config).value() : Config{};
  }

  groupcache::Result<std::unique_ptr<Node>> Create(const std::string& toml) {
    NodeSettings settings{Parse(toml), "", "", "", {}};
    auto logger = Logger::Create(LogOptionsFor(settings));
    if (!logger.ok()) return logger.status();
    return Node::Create(std::move(settings), std::move(logger).value());
  }

  std::string Log() const {
    std::ifstream in(dir_ / "node.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The peer URL of the node under test; no one listens there, and no key
  // it owns is fetched from it (a node loads its own keys).
  static constexpr const char* kSelf = "http://127.0.0.1:1";
  std::filesystem::path dir_;
};

TEST_F(NodeTest, ServesItsGroupsThroughTheRegistryAndTheApi) {
  auto created = Create(Toml({kSelf}));
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  ASSERT_NE(node->api_port(), 0);
  ASSERT_NE(node->peer_port(), 0);
  EXPECT_NE(node->api_port(), node->peer_port());

  groupcache::Group* colors = node->registry().GetGroup("colors");
  ASSERT_NE(colors, nullptr);
  auto red = colors->Get("red");
  ASSERT_TRUE(red.ok()) << red.status().message();
  EXPECT_EQ(red->view(), "#FF0000");

  const auto green = HttpGet(node->api_port(), "/groups/colors/green");
  EXPECT_EQ(green.status, 200);
  EXPECT_EQ(green.body, "#00FF00");
  EXPECT_EQ(HttpGet(node->api_port(), "/groups/colors/blue").status, 404);
  EXPECT_EQ(HttpGet(node->api_port(), "/readyz").status, 200);
  const auto metrics = HttpGet(node->api_port(), "/metrics");
  EXPECT_THAT(metrics.body, HasSubstr("groupcached_build_info{version=\"" + ThisBuild().version + "\""));
  EXPECT_THAT(metrics.body, HasSubstr("groupcache_gets_total{group=\"colors\"} 3"));

  const uint16_t api_port = node->api_port();
  node->Stop();
  EXPECT_EQ(HttpGet(api_port, "/healthz").status, 0) << "still answering after Stop";
  node->Stop();  // a second Stop does nothing
  node.reset();
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr(" level=info msg=\"listening\" api=127.0.0.1:" + std::to_string(api_port)));
  EXPECT_THAT(log, HasSubstr(" level=info msg=\"stopped\""));
  EXPECT_THAT(log, Not(HasSubstr("#FF0000"))) << "a value was logged";
}

TEST_F(NodeTest, DrainingAnswersNotReadyAndKeepsServing) {
  auto created = Create(Toml({kSelf}));
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  EXPECT_EQ(HttpGet(node->api_port(), "/readyz").status, 200);
  node->BeginDrain();
  const auto readyz = HttpGet(node->api_port(), "/readyz");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(readyz.body, "not ready\n");
  EXPECT_EQ(HttpGet(node->api_port(), "/healthz").status, 200);
  EXPECT_EQ(HttpGet(node->api_port(), "/groups/colors/red").body, "#FF0000");
  EXPECT_EQ(HttpGet(node->peer_port(), "/_groupcache/colors/green").status, 200) << "peers are still served";
  EXPECT_THAT(Log(),
              HasSubstr(" level=info msg=\"draining: /readyz answers 503 while serving continues\" for=5s"));
  node->Stop();
  EXPECT_THAT(Log(), HasSubstr(" level=info msg=\"stopped\""));
}

TEST_F(NodeTest, ARefusingPeerIsLoggedCountedAndEjected) {
  const std::string dead = "http://127.0.0.1:2";  // nothing listens: connections are refused
  std::string toml = Toml({kSelf, dead});
  toml.replace(toml.find("[limits]\n"), 9, "[limits]\neject_after_failures = 2\n");
  auto created = Create(toml);
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  groupcache::HashRing ring;
  ring.Add(std::vector<std::string>{kSelf, dead});
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < 4; ++i) {
    const std::string key = "secret-key-" + std::to_string(i);
    if (ring.Get(key) == dead) keys.push_back(key);
  }
  // Each loads here after the failed fetch (and is not found in the source).
  for (const std::string& key : keys)
    EXPECT_EQ(HttpGet(node->api_port(), "/groups/colors/" + key).status, 404);

  const std::string metrics = HttpGet(node->api_port(), "/metrics").body;
  EXPECT_THAT(metrics,
              HasSubstr("groupcache_peer_fetch_errors_total{peer=\"" + dead + "\",reason=\"refused\"} 2\n"));
  EXPECT_THAT(metrics,
              HasSubstr("groupcache_peer_fetch_errors_total{peer=\"" + dead + "\",reason=\"ejected\"} 2\n"));
  EXPECT_THAT(metrics, HasSubstr("groupcache_peer_state{peer=\"" + dead + "\",state=\"ejected\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("groupcache_peer_ejections_total{peer=\"" + dead + "\"} 1\n"));
  // Only the two fetches that went out are timed.
  EXPECT_THAT(metrics, HasSubstr("groupcache_peer_fetch_duration_seconds_count{peer=\"" + dead + "\"} 2\n"));
  node->Stop();
  const std::string log = Log();
  EXPECT_THAT(log, HasSubstr(" level=warn msg=\"peer fetch failed\" peer=" + dead +
                             " reason=refused error=\"fetching from peer " + dead +
                             ": connecting: Connection refused\" suppressed=0\n"));
  EXPECT_THAT(log, HasSubstr(" level=warn msg=\"peer ejected\" peer=" + dead + " reason=refused "));
  EXPECT_THAT(log, HasSubstr(" level=warn msg=\"peer fetch failed\" peer=" + dead + " reason=ejected "));
  EXPECT_THAT(log, Not(HasSubstr("secret-key"))) << "a key reached the log";
}

TEST_F(NodeTest, ReloadAppliesANewPeerListButNotANewSelf) {
  auto created = Create(Toml({kSelf}));
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  const std::vector<std::string> two = {kSelf, "http://127.0.0.1:2"};

  EXPECT_TRUE(node->Reload(Parse(Toml({kSelf}))).ok());
  EXPECT_THAT(Log(), HasSubstr("reload: peer list unchanged"));

  EXPECT_TRUE(node->Reload(Parse(Toml(two))).ok());
  EXPECT_EQ(node->config().node.peers, two);
  EXPECT_THAT(Log(),
              HasSubstr("membership changed\" source=sighup peers=2 added=" + two[1] + " removed=\"\""));
  EXPECT_THAT(HttpGet(node->api_port(), "/metrics").body, HasSubstr("\ngroupcache_peers 2\n"));

  // Another self is another node: that takes a restart.
  const std::string other_self = "http://127.0.0.1:3";
  groupcache::Status refused = node->Reload(Parse(Toml({other_self}, "127.0.0.1:0", other_self)));
  EXPECT_EQ(refused.code(), groupcache::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("until a restart"));
  EXPECT_EQ(node->config().node.peers, two) << "a refused peer list was applied";

  // Other changes are reported, not applied; the peers still are.
  const Config with_other_api = Parse(Toml({kSelf}, "127.0.0.1:1"));
  EXPECT_TRUE(node->Reload(with_other_api).ok());
  EXPECT_EQ(node->config().node.peers, std::vector<std::string>{kSelf});
  EXPECT_THAT(Log(), HasSubstr("membership changed\" source=sighup peers=1 added=\"\" removed=" + two[1]));
  const std::string metrics = HttpGet(node->api_port(), "/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("\ngroupcache_peers 1\n"));
  EXPECT_THAT(metrics, HasSubstr("\ngroupcache_membership_changes_total 2\n"));
  EXPECT_NE(node->config().node.api_listen, with_other_api.node.api_listen);
  EXPECT_THAT(Log(), HasSubstr("reload: these changes need a restart"));
  EXPECT_EQ(HttpGet(node->api_port(), "/groups/colors/red").body, "#FF0000");
}

TEST_F(NodeTest, ReloadWithDnsDiscoveryAppliesNoPeerList) {
  // No DNS server listens on 127.0.0.1:1: lookups fail, and the ring stays
  // this node alone.
  const std::string dns =
      "[discovery]\ntype = \"dns\"\nname = \"peers.invalid\"\n"
      "servers = [\"127.0.0.1:1\"]\n";
  std::string toml = Toml({kSelf});
  toml.replace(toml.find("peers = ["), toml.find("[tls]") - toml.find("peers = ["), dns);
  auto created = Create(toml);
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  EXPECT_EQ(HttpGet(node->api_port(), "/groups/colors/red").body, "#FF0000");
  EXPECT_TRUE(node->Reload(Parse(toml)).ok());
  EXPECT_THAT(Log(), HasSubstr(" level=info msg=\"starting\" version="));
  EXPECT_THAT(Log(), HasSubstr(" peers=dns:peers.invalid"));
  EXPECT_THAT(Log(), HasSubstr("reload: the peers come from DNS discovery; nothing to apply"));
  EXPECT_THAT(Log(), Not(HasSubstr("need a restart")));
  // Back to static discovery takes a restart.
  EXPECT_TRUE(node->Reload(Parse(Toml({kSelf}))).ok());
  EXPECT_THAT(Log(), HasSubstr("reload: these changes need a restart to take effect\" changed=[discovery]"));
  EXPECT_TRUE(node->config().node.peers.empty());
  EXPECT_EQ(HttpGet(node->api_port(), "/readyz").status, 200);
}

// Polls (bounded) until `predicate` holds; returns whether it did.
template <typename Predicate>
bool PollUntil(Predicate predicate) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

TEST_F(NodeTest, DnsDiscoveryFeedsTheRingTheLogAndTheMetrics) {
  std::string error;
  auto dns = groupcache::testing::Dnsmasq::Start(&error);
  ASSERT_NE(dns, nullptr) << error;
  dns->SetHosts({{"peers.test", {"127.0.0.1", "127.0.0.2"}}});
  ASSERT_TRUE(dns->Reload());
  std::string toml = Toml({kSelf});
  toml.replace(toml.find("peers = ["), toml.find("[tls]") - toml.find("peers = ["),
               "[discovery]\ntype = \"dns\"\nname = \"peers.test\"\ninterval = \"50ms\"\nservers = [\"" +
                   dns->server() + "\"]\n");
  auto created = Create(toml);
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  const auto metrics = [&node] { return HttpGet(node->api_port(), "/metrics").body; };
  const std::string two = groupcache::RingFingerprint({kSelf, "http://127.0.0.2:1"});
  ASSERT_TRUE(PollUntil([&] { return metrics().find("\ngroupcache_peers 2\n") != std::string::npos; }))
      << metrics() << Log();
  EXPECT_THAT(metrics(), HasSubstr("groupcache_ring_info{fingerprint=\"" + two + "\"} 1"));
  EXPECT_THAT(metrics(), HasSubstr("\ngroupcache_membership_changes_total 1\n"));
  EXPECT_THAT(Log(), HasSubstr("membership changed\" source=dns peers=2 added=" + std::string(kSelf) +
                               ",http://127.0.0.2:1 removed=\"\" fingerprint=" + two));

  // A DNS server that stops answering: lookups fail, the ring stays.
  dns->Stop();
  ASSERT_TRUE(PollUntil([&] {
    return metrics().find("\ngroupcache_dns_lookup_failures_total 0\n") == std::string::npos;
  })) << metrics();
  EXPECT_THAT(metrics(), HasSubstr("\ngroupcache_peers 2\n"));
  EXPECT_THAT(Log(),
              HasSubstr(" level=warn msg=\"DNS lookup of the peers failed; the peer set stays as it was\""));
  EXPECT_EQ(HttpGet(node->api_port(), "/groups/colors/red").body, "#FF0000");
  node->Stop();
  EXPECT_THAT(Log(), HasSubstr(" level=info msg=\"stopped\""));
}

TEST_F(NodeTest, ReloadToDnsDiscoveryNeedsARestart) {
  auto created = Create(Toml({kSelf}));
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  std::string toml = Toml({kSelf});
  toml.replace(toml.find("peers = ["), toml.find("[tls]") - toml.find("peers = ["),
               "[discovery]\ntype = \"dns\"\nname = \"peers.invalid\"\n");
  const groupcache::Status status = node->Reload(Parse(toml));
  EXPECT_EQ(status.code(), groupcache::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("applies after a restart"));
  EXPECT_EQ(node->config().node.peers, std::vector<std::string>{kSelf});
  EXPECT_THAT(Log(), HasSubstr("changed=[discovery]"));
}

TEST_F(NodeTest, CreateFailsCleanlyWhenAPortIsTaken) {
  Listener taken;
  auto node = Create(Toml({kSelf}, "127.0.0.1:" + std::to_string(taken.port())));
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), groupcache::StatusCode::kUnavailable);
  EXPECT_THAT(node.status().message(), HasSubstr("cannot listen for the API: "));
  EXPECT_THAT(Log(), HasSubstr(" level=error msg=\"cannot listen for the API\" error="));
  EXPECT_THAT(Log(), Not(HasSubstr("stopped"))) << "a node that never started reported stopping";
}

TEST_F(NodeTest, DestroyingItWithAPeerFetchPendingAnswersTheWaiter) {
  Listener frozen;  // accepts, and never answers
  const std::string frozen_url = "http://127.0.0.1:" + std::to_string(frozen.port());
  const std::vector<std::string> peers = {kSelf, frozen_url};
  groupcache::HashRing ring;  // as the pool's ring (default replicas and hash)
  ring.Add(peers);
  std::string key;
  for (int i = 0; key.empty() && i < 1000; ++i) {
    if (ring.Get("key-" + std::to_string(i)) == frozen_url) key = "key-" + std::to_string(i);
  }
  ASSERT_FALSE(key.empty()) << "no key of 1000 belongs to the frozen peer";

  auto created = Create(Toml(peers));
  ASSERT_TRUE(created.ok()) << created.status().message();
  std::unique_ptr<Node> node = std::move(created).value();
  node->Start();
  std::atomic<bool> answered{false};
  node->registry().GetGroup("colors")->GetAsync(
      key, [&answered](groupcache::Result<groupcache::ByteView>) { answered.store(true); });
  ASSERT_TRUE(frozen.AcceptOne()) << "the fetch never reached the frozen peer";
  EXPECT_FALSE(answered.load()) << "answered before the 60 s request timeout";

  node.reset();  // stops and frees everything; the fetch is cancelled
  EXPECT_TRUE(answered.load()) << "the node was destroyed with a waiter never answered";
  EXPECT_THAT(Log(), HasSubstr(" level=info msg=\"stopped\""));
}

}  // namespace
}  // namespace groupcached
