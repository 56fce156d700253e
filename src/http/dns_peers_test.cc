// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// DnsPeers against a real dnsmasq on 127.0.0.1 (tests/unit_support/dnsmasq.h):
// what it applies, what it keeps when DNS fails, and how it stops. Lookups
// run every 100 ms; tests wait for convergence with generous deadlines and
// never assert a timing.
#include "groupcache/dns_peers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "dnsmasq.h"
#include "groupcache/groupcache.h"
#include "http/dns_resolver.h"

namespace groupcache {
namespace {

using testing::Dnsmasq;
using namespace std::chrono_literals;

constexpr auto kConverge = std::chrono::seconds(20);

// What the callbacks saw, and a wait for a condition on it.
class Recorder {
 public:
  void OnChange(const PeerSetChange& change) {
    std::lock_guard<std::mutex> lock(mu_);
    changes_.push_back(change);
    cv_.notify_all();
  }
  void OnError(const Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    errors_.push_back(status);
    cv_.notify_all();
  }
  std::vector<PeerSetChange> changes() {
    std::lock_guard<std::mutex> lock(mu_);
    return changes_;
  }
  std::vector<Status> errors() {
    std::lock_guard<std::mutex> lock(mu_);
    return errors_;
  }
  // Waits until `done` holds, at most kConverge. It is checked on every
  // callback and every 20 ms: a condition on the counters changes with no
  // callback to announce it.
  bool WaitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + kConverge;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      lock.unlock();
      const bool ok = done();
      lock.lock();
      if (ok) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      cv_.wait_for(lock, std::chrono::milliseconds(20));
    }
  }
  // The first error that is an answer, not a lookup that timed out or could
  // not reach the server (one may, while dnsmasq restarts on a loaded
  // machine). Waits for it at most kConverge; OK if none came.
  Status FirstAnswerError() {
    auto transient = [](const Status& status) {
      return status.code() == StatusCode::kDeadlineExceeded || status.code() == StatusCode::kUnavailable;
    };
    Status answer;
    WaitFor([&] {
      for (const Status& status : errors()) {
        if (!transient(status)) {
          answer = status;
          return true;
        }
      }
      return false;
    });
    return answer;
  }
  void Options(DnsPeersOptions& options) {
    options.on_change = [this](const PeerSetChange& change) { OnChange(change); };
    options.on_lookup_error = [this](const Status& status) { OnError(status); };
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<PeerSetChange> changes_;
  std::vector<Status> errors_;
};

class DnsPeersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    dns_ = Dnsmasq::Start(&error);
    ASSERT_NE(dns_, nullptr) << error;
  }
  void TearDown() override { runtime_.Shutdown(); }

  std::shared_ptr<HttpPool> MakePool(const std::string& self) {
    Result<std::shared_ptr<HttpPool>> pool = HttpPool::Create(runtime_, registry_, self);
    EXPECT_TRUE(pool.ok()) << pool.status().ToString();
    return pool.ok() ? *pool : nullptr;
  }

  DnsPeersOptions Options(const std::string& name, Recorder& recorder) {
    DnsPeersOptions options;
    options.name = name;
    options.servers = {dns_->server()};
    options.interval = 100ms;
    options.timeout = 2000ms;
    recorder.Options(options);
    return options;
  }

  std::unique_ptr<DnsPeers> StartDns(std::shared_ptr<HttpPool> pool, DnsPeersOptions options) {
    Result<std::unique_ptr<DnsPeers>> started =
        DnsPeers::Start(runtime_, std::move(pool), std::move(options));
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    return started.ok() ? std::move(started).value() : nullptr;
  }

  Runtime runtime_{RuntimeOptions{.io_threads = 2, .worker_threads = 2}};
  GroupRegistry registry_{&runtime_.workers()};
  std::unique_ptr<Dnsmasq> dns_;
};

std::string KeyOwnedBy(const std::vector<std::string>& peers, const std::string& owner) {
  HashRing ring;
  ring.Add(peers);
  for (int i = 0;; ++i) {
    std::string key = "key-" + std::to_string(i);
    if (ring.Get(key) == owner) return key;
  }
}

TEST_F(DnsPeersTest, AddressRecordsBecomeMembersWithSelfAdded) {
  // DNS does not list this node (it may not be ready yet): it is kept anyway.
  dns_->SetHosts({{"peers.test", {"127.0.0.3", "127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  const std::string before = pool->fingerprint();
  EXPECT_EQ(before, RingFingerprint({}));
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("peers.test", recorder));
  ASSERT_NE(peers, nullptr);
  const std::vector<std::string> expected = {"http://127.0.0.1:8080", "http://127.0.0.2:8080",
                                             "http://127.0.0.3:8080"};
  // The peers change before the change is reported: wait for the report too.
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers() == expected && !recorder.changes().empty(); }))
      << dns_->Log();
  EXPECT_EQ(pool->fingerprint(), RingFingerprint(expected));
  EXPECT_NE(pool->fingerprint(), before);
  // The ring is the pool's now: a key of 127.0.0.2 goes there, one of self
  // stays here.
  EXPECT_NE(pool->PickPeer(KeyOwnedBy(expected, "http://127.0.0.2:8080")), nullptr);
  EXPECT_EQ(pool->PickPeer(KeyOwnedBy(expected, "http://127.0.0.1:8080")), nullptr);

  std::vector<PeerSetChange> changes = recorder.changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].peers, expected);
  EXPECT_EQ(changes[0].added, expected);  // the first answer: everything is new
  EXPECT_TRUE(changes[0].removed.empty());
  EXPECT_EQ(changes[0].fingerprint, RingFingerprint(expected));
  EXPECT_EQ(peers->changes(), 1u);
  EXPECT_GE(peers->lookups(), 1u);
}

TEST_F(DnsPeersTest, AaaaRecordsAreBracketedAndMixWithA) {
  dns_->SetHosts({{"mixed.test", {"127.0.0.2", "::1", "fd00::7"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://[::1]:9000");
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("mixed.test", recorder));
  ASSERT_NE(peers, nullptr);
  // ::1 is this node, spelled as DNS spells it: listed once.
  const std::vector<std::string> expected = {"http://127.0.0.2:9000", "http://[::1]:9000",
                                             "http://[fd00::7]:9000"};
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers() == expected; })) << dns_->Log();
  EXPECT_EQ(pool->fingerprint(), RingFingerprint(expected));
}

TEST_F(DnsPeersTest, ExplicitPortOverridesSelfPort) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  Recorder recorder;
  DnsPeersOptions options = Options("peers.test", recorder);
  options.port = 7000;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, std::move(options));
  ASSERT_NE(peers, nullptr);
  const std::vector<std::string> expected = {"http://127.0.0.1:8080", "http://127.0.0.2:7000"};
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers() == expected; }));
}

TEST_F(DnsPeersTest, SrvTargetsAndPorts) {
  dns_->SetSrv("_groupcache._tcp.peers.test",
               {{"node-b.test", 9001, 0, 0}, {"node-a.test", 9002, 10, 5}, {"node-c.test", 9001, 20, 0}});
  std::string error;
  ASSERT_TRUE(dns_->Restart(&error)) << error;
  std::shared_ptr<HttpPool> pool = MakePool("http://node-a.test:9002");
  Recorder recorder;
  DnsPeersOptions options = Options("_groupcache._tcp.peers.test", recorder);
  options.record = DnsRecord::kSrv;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, std::move(options));
  ASSERT_NE(peers, nullptr);
  // Every target is a member whatever its priority; no trailing dots.
  const std::vector<std::string> expected = {"http://node-a.test:9002", "http://node-b.test:9001",
                                             "http://node-c.test:9001"};
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers() == expected; })) << dns_->Log();
  EXPECT_EQ(pool->fingerprint(), RingFingerprint(expected));
}

TEST_F(DnsPeersTest, ChangeAppliesAndReportsAddedAndRemoved) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2", "127.0.0.3"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("peers.test", recorder));
  ASSERT_NE(peers, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->changes() == 1; }));

  dns_->SetHosts({{"peers.test", {"127.0.0.3", "127.0.0.4"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  const std::vector<std::string> expected = {"http://127.0.0.1:8080", "http://127.0.0.3:8080",
                                             "http://127.0.0.4:8080"};
  // The peers change before the change is reported: wait for the report too.
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers() == expected && recorder.changes().size() >= 2; }))
      << dns_->Log();
  std::vector<PeerSetChange> changes = recorder.changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].peers, expected);
  EXPECT_EQ(changes[1].added, std::vector<std::string>{"http://127.0.0.4:8080"});
  EXPECT_EQ(changes[1].removed, std::vector<std::string>{"http://127.0.0.2:8080"});
  EXPECT_EQ(changes[1].fingerprint, pool->fingerprint());
}

TEST_F(DnsPeersTest, SameAnswerInAnyOrderChangesNothing) {
  // dnsmasq rotates the order of its answers; the set is sorted, so lookups
  // after the first apply nothing.
  dns_->SetHosts({{"peers.test", {"127.0.0.5", "127.0.0.2", "127.0.0.4", "127.0.0.3", "127.0.0.6"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("peers.test", recorder));
  ASSERT_NE(peers, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->changes() == 1 && peers->lookups() >= 8; }));
  EXPECT_EQ(peers->changes(), 1u);
  EXPECT_EQ(peers->lookup_failures(), 0u);
  std::vector<std::string> applied = peers->peers();
  EXPECT_TRUE(std::is_sorted(applied.begin(), applied.end()));
  EXPECT_EQ(applied.size(), 6u);
}

TEST_F(DnsPeersTest, ServerDownKeepsTheSetAndRecovers) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("peers.test", recorder));
  ASSERT_NE(peers, nullptr);
  const std::vector<std::string> first = {"http://127.0.0.1:8080", "http://127.0.0.2:8080"};
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers() == first; }));
  const std::string fingerprint = pool->fingerprint();

  dns_->Stop();
  ASSERT_TRUE(
      recorder.WaitFor([&] { return peers->lookup_failures() >= 3 && recorder.errors().size() >= 3; }));
  EXPECT_EQ(peers->peers(), first);
  EXPECT_EQ(pool->fingerprint(), fingerprint);
  EXPECT_EQ(peers->changes(), 1u);
  EXPECT_NE(recorder.errors()[0].message().find("peers.test"), std::string::npos)
      << recorder.errors()[0].ToString();

  dns_->SetHosts({{"peers.test", {"127.0.0.2", "127.0.0.3"}}});
  std::string error;
  ASSERT_TRUE(dns_->Restart(&error)) << error;
  const std::vector<std::string> second = {"http://127.0.0.1:8080", "http://127.0.0.2:8080",
                                           "http://127.0.0.3:8080"};
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers() == second; })) << dns_->Log();
  EXPECT_EQ(pool->fingerprint(), RingFingerprint(second));
}

TEST_F(DnsPeersTest, UnansweredLookupHitsItsDeadlineAndKeepsTheSet) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  Recorder recorder;
  DnsPeersOptions options = Options("peers.test", recorder);
  options.timeout = 300ms;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, std::move(options));
  ASSERT_NE(peers, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->changes() == 1; }));

  dns_->Pause();
  ASSERT_TRUE(recorder.WaitFor([&] { return !recorder.errors().empty(); }));
  dns_->Resume();
  const Status error = recorder.errors()[0];
  EXPECT_EQ(error.code(), StatusCode::kDeadlineExceeded) << error.ToString();
  EXPECT_EQ(peers->peers(), (std::vector<std::string>{"http://127.0.0.1:8080", "http://127.0.0.2:8080"}));
  // Answered again once the server is back.
  dns_->SetHosts({{"peers.test", {"127.0.0.2", "127.0.0.3"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->peers().size() == 3; }));
}

TEST_F(DnsPeersTest, NxdomainKeepsTheSet) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("peers.test", recorder));
  ASSERT_NE(peers, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->changes() == 1; }));
  const std::vector<std::string> applied = peers->peers();

  dns_->SetHosts({{"other.test", {"127.0.0.9"}}});  // peers.test is gone: NXDOMAIN
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  ASSERT_TRUE(recorder.WaitFor([&] { return recorder.errors().size() >= 2; })) << dns_->Log();
  const Status answer = recorder.FirstAnswerError();
  EXPECT_EQ(answer.code(), StatusCode::kNotFound) << answer.ToString();
  EXPECT_EQ(peers->peers(), applied);
  EXPECT_EQ(pool->fingerprint(), RingFingerprint(applied));
  EXPECT_EQ(peers->changes(), 1u);
}

TEST_F(DnsPeersTest, EmptyAnswerKeepsTheSet) {
  dns_->SetSrv("_groupcache._tcp.peers.test", {{"node-b.test", 9001}});
  dns_->SetHosts({{"_groupcache._tcp.peers.test", {"127.0.0.9"}}});
  std::string error;
  ASSERT_TRUE(dns_->Restart(&error)) << error;
  std::shared_ptr<HttpPool> pool = MakePool("http://node-a.test:9001");
  Recorder recorder;
  DnsPeersOptions options = Options("_groupcache._tcp.peers.test", recorder);
  options.record = DnsRecord::kSrv;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, std::move(options));
  ASSERT_NE(peers, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->changes() == 1; }));
  const std::vector<std::string> applied = peers->peers();

  // The name still exists (an A record) but has no SRV record: NODATA.
  // While dnsmasq restarts, lookups may fail otherwise (refused, timed out)
  // first; the empty answer comes after.
  dns_->SetSrv("_groupcache._tcp.peers.test", {});
  ASSERT_TRUE(dns_->Restart(&error)) << error;
  Status empty;
  auto found_empty = [&] {
    for (const Status& status : recorder.errors()) {
      if (status.code() == StatusCode::kNotFound) {
        empty = status;
        return true;
      }
    }
    return false;
  };
  ASSERT_TRUE(recorder.WaitFor(found_empty)) << dns_->Log();
  EXPECT_NE(empty.message().find("names no peer"), std::string::npos) << empty.ToString();
  EXPECT_EQ(peers->peers(), applied);
  EXPECT_EQ(pool->fingerprint(), RingFingerprint(applied));
}

TEST_F(DnsPeersTest, SrvNoServiceTargetIsAnEmptyAnswer) {
  dns_->SetSrv("_groupcache._tcp.peers.test", {{"", 0}});
  std::string error;
  ASSERT_TRUE(dns_->Restart(&error)) << error;
  Recorder recorder;
  DnsPeersOptions options = Options("_groupcache._tcp.peers.test", recorder);
  options.record = DnsRecord::kSrv;
  std::unique_ptr<DnsPeers> peers = StartDns(MakePool("http://node-a.test:9001"), std::move(options));
  ASSERT_NE(peers, nullptr);
  const Status answer = recorder.FirstAnswerError();
  EXPECT_EQ(answer.code(), StatusCode::kNotFound) << answer.ToString() << dns_->Log();
  EXPECT_NE(answer.message().find("names no peer"), std::string::npos) << answer.ToString();
  EXPECT_TRUE(peers->peers().empty());
}

TEST_F(DnsPeersTest, SrvTargetThatIsNoHostNameIsRefused) {
  // A name no URL can hold: the whole answer is refused, not just the record.
  dns_->SetSrv("_groupcache._tcp.peers.test", {{"node-b.test", 9001}, {"bad!name.test", 9001}});
  std::string error;
  ASSERT_TRUE(dns_->Restart(&error)) << error;
  Recorder recorder;
  DnsPeersOptions options = Options("_groupcache._tcp.peers.test", recorder);
  options.record = DnsRecord::kSrv;
  std::unique_ptr<DnsPeers> peers = StartDns(MakePool("http://node-a.test:9001"), std::move(options));
  ASSERT_NE(peers, nullptr);
  const Status answer = recorder.FirstAnswerError();
  EXPECT_EQ(answer.code(), StatusCode::kInvalidArgument) << answer.ToString() << dns_->Log();
  EXPECT_NE(answer.message().find("is not a valid host name"), std::string::npos) << answer.ToString();
  EXPECT_TRUE(peers->peers().empty());
}

TEST_F(DnsPeersTest, NoGoodAnswerYetLeavesThePoolAsCreated) {
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  const std::vector<std::string> given = {"http://127.0.0.1:8080", "http://127.0.0.7:8080"};
  ASSERT_TRUE(pool->Set(given).ok());
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("nothing.test", recorder));
  ASSERT_NE(peers, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return recorder.errors().size() >= 2; }));
  EXPECT_TRUE(peers->peers().empty());
  EXPECT_EQ(pool->fingerprint(), RingFingerprint(given));
  EXPECT_EQ(peers->changes(), 0u);
}

TEST_F(DnsPeersTest, HugeAnswerIsRefusedWhole) {
  std::vector<std::string> many;
  for (int i = 0; i < 1100; ++i)
    many.push_back("10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1));
  dns_->SetHosts({{"big.test", many}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers = StartDns(pool, Options("big.test", recorder));
  ASSERT_NE(peers, nullptr);
  const Status answer = recorder.FirstAnswerError();
  EXPECT_EQ(answer.code(), StatusCode::kResourceExhausted) << answer.ToString() << dns_->Log();
  EXPECT_TRUE(peers->peers().empty());
  EXPECT_EQ(peers->changes(), 0u);
}

TEST_F(DnsPeersTest, StopWithALookupPendingReturnsAndNothingRunsAfter) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  dns_->Pause();  // the first lookup stays unanswered
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  std::atomic<bool> stopped{false};
  std::atomic<int> after_stop{0};
  DnsPeersOptions options;
  options.name = "peers.test";
  options.servers = {dns_->server()};
  options.interval = 100ms;
  options.timeout = std::chrono::minutes(5);
  options.on_change = [&](const PeerSetChange&) { after_stop += stopped ? 1 : 0; };
  options.on_lookup_error = [&](const Status&) { after_stop += stopped ? 1 : 0; };
  std::unique_ptr<DnsPeers> peers = StartDns(pool, std::move(options));
  ASSERT_NE(peers, nullptr);
  peers->Stop();  // well before the five minutes: the test would time out otherwise
  stopped = true;
  peers->Stop();  // idempotent
  dns_->Resume();

  // A second DnsPeers on the same runtime converging is time enough for a
  // stray callback of the first to have run.
  Recorder recorder;
  std::unique_ptr<DnsPeers> other =
      StartDns(MakePool("http://127.0.0.1:8081"), Options("peers.test", recorder));
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return other->changes() == 1 && other->lookups() >= 4; }));
  EXPECT_EQ(after_stop, 0);
  EXPECT_EQ(peers->changes(), 0u);
  EXPECT_LE(peers->lookups(), 1u);
}

TEST_F(DnsPeersTest, StopFromACallbackEndsTheLookups) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  DnsPeers* self = nullptr;
  std::mutex mu;
  std::atomic<int> calls{0};
  DnsPeersOptions options;
  options.name = "peers.test";
  options.servers = {dns_->server()};
  options.interval = 100ms;
  options.on_change = [&](const PeerSetChange&) {
    ++calls;
    std::lock_guard<std::mutex> lock(mu);
    self->Stop();
  };
  std::unique_lock<std::mutex> lock(mu);  // holds the callback until `self` is set
  std::unique_ptr<DnsPeers> peers = StartDns(pool, std::move(options));
  ASSERT_NE(peers, nullptr);
  self = peers.get();
  lock.unlock();

  Recorder recorder;
  std::unique_ptr<DnsPeers> other =
      StartDns(MakePool("http://127.0.0.1:8081"), Options("peers.test", recorder));
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return other->lookups() >= 5 && calls == 1; }));
  EXPECT_EQ(peers->lookups(), 1u);
  EXPECT_EQ(peers->changes(), 1u);
}

TEST_F(DnsPeersTest, RuntimeShutdownStopsIt) {
  dns_->SetHosts({{"peers.test", {"127.0.0.2"}}});
  ASSERT_TRUE(dns_->Reload()) << dns_->Log();
  Recorder recorder;
  std::unique_ptr<DnsPeers> peers =
      StartDns(MakePool("http://127.0.0.1:8080"), Options("peers.test", recorder));
  ASSERT_NE(peers, nullptr);
  ASSERT_TRUE(recorder.WaitFor([&] { return peers->changes() == 1; }));
  runtime_.Shutdown();
  const uint64_t lookups = peers->lookups();
  peers->Stop();  // returns at once: Shutdown stopped it
  EXPECT_EQ(peers->lookups(), lookups);
  EXPECT_FALSE(
      DnsPeers::Start(runtime_, MakePool("http://127.0.0.1:8082"), Options("peers.test", recorder)).ok());
}

TEST_F(DnsPeersTest, InvalidOptionsAreRefusedWithAReason) {
  std::shared_ptr<HttpPool> pool = MakePool("http://127.0.0.1:8080");
  auto refused = [&](const std::function<void(DnsPeersOptions&)>& change, const std::string& expect) {
    DnsPeersOptions options;
    options.name = "peers.test";
    change(options);
    Result<std::unique_ptr<DnsPeers>> started = DnsPeers::Start(runtime_, pool, std::move(options));
    if (started.ok()) return ::testing::AssertionFailure() << "accepted, expected: " << expect;
    if (started.status().code() != StatusCode::kInvalidArgument ||
        started.status().message().find(expect) == std::string::npos) {
      return ::testing::AssertionFailure() << started.status().ToString() << ", expected: " << expect;
    }
    return ::testing::AssertionSuccess();
  };
  EXPECT_TRUE(refused([](auto& o) { o.name = ""; }, "name to resolve is empty"));
  EXPECT_TRUE(refused([](auto& o) { o.name = "a..b"; }, "is not a DNS name"));
  EXPECT_TRUE(refused([](auto& o) { o.name = "bad name.test"; }, "is not a DNS name"));
  EXPECT_TRUE(refused([](auto& o) { o.name = std::string(64, 'a') + ".test"; }, "is not a DNS name"));
  EXPECT_TRUE(refused([](auto& o) { o.interval = 0ms; }, "interval must be positive"));
  EXPECT_TRUE(refused([](auto& o) { o.timeout = -1ms; }, "timeout must be positive"));
  EXPECT_TRUE(refused([](auto& o) { o.servers = {"localhost:53"}; }, "is not an IPv4 address"));
  EXPECT_TRUE(refused([](auto& o) { o.servers = {"127.0.0.1"}; }, "no port"));
  EXPECT_TRUE(refused([](auto& o) { o.servers = {"::1:53"}; }, "needs brackets"));
  EXPECT_TRUE(refused([](auto& o) { o.servers = {"[::1]"}; }, "want [ipv6]:port"));
  EXPECT_TRUE(refused([](auto& o) { o.servers = {"127.0.0.1:0"}; }, "not in 1..65535"));
  EXPECT_TRUE(refused([](auto& o) { o.servers = {"127.0.0.1:70000"}; }, "not in 1..65535"));
  EXPECT_TRUE(refused([](auto& o) { o.servers = {"127.0.0.1:53", "[::1]:x"}; }, "not in 1..65535"));
  DnsPeersOptions no_pool_options;
  no_pool_options.name = "a.test";
  Result<std::unique_ptr<DnsPeers>> no_pool = DnsPeers::Start(runtime_, nullptr, std::move(no_pool_options));
  EXPECT_EQ(no_pool.status().code(), StatusCode::kInvalidArgument);
  // What is accepted: a trailing dot, IPv6 servers.
  DnsPeersOptions ok;
  ok.name = "peers.test.";
  ok.servers = {"[::1]:53", "127.0.0.1:5353"};
  EXPECT_TRUE(DnsPeers::Start(runtime_, pool, std::move(ok)).ok());
}

TEST(DnsNameTest, ChecksLabelsAndLength) {
  using internal::IsDnsName;
  EXPECT_TRUE(IsDnsName("a"));
  EXPECT_TRUE(IsDnsName("_groupcache._tcp.svc.cluster.local."));
  EXPECT_TRUE(IsDnsName("pod-0.x"));
  EXPECT_FALSE(IsDnsName(""));
  EXPECT_FALSE(IsDnsName("."));
  EXPECT_FALSE(IsDnsName(".a"));
  EXPECT_FALSE(IsDnsName("a..b"));
  EXPECT_FALSE(IsDnsName("a b"));
  EXPECT_FALSE(IsDnsName("a/b"));
  EXPECT_FALSE(IsDnsName("a\\.b"));
  EXPECT_TRUE(IsDnsName(std::string(63, 'a')));
  EXPECT_FALSE(IsDnsName(std::string(64, 'a')));
  std::string long_name;
  while (long_name.size() < 250) long_name += "abcdefghi.";
  EXPECT_FALSE(IsDnsName(long_name + "abcd"));
}

}  // namespace
}  // namespace groupcache
