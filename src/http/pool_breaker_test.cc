// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Per-peer circuit breaking: the state machine on its own (explicit times,
// no clock), then through an HttpPool against failing fake peers on
// 127.0.0.1.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <thread>

#include "fake_server.h"
#include "groupcache/groupcache.h"
#include "groupcache/http_pool.h"
#include "http/client.h"
#include "http/peer_breaker.h"
#include "peer_replies.h"
#include "scripted_peer.h"

namespace groupcache {
namespace {

using internal::BreakerOptions;
using internal::PeerBreaker;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Admission = PeerBreaker::Admission;
using Outcome = PeerBreaker::Outcome;
using Clock = std::chrono::steady_clock;

const Status kRefused = Status::Unavailable("connecting: Connection refused");

TEST(PeerBreakerTest, EjectsAfterConsecutiveFailuresOnly) {
  PeerBreaker breaker(BreakerOptions{3, milliseconds(100), milliseconds(1000)}, 1);
  const Clock::time_point t0 = Clock::now();
  EXPECT_EQ(breaker.Record(Outcome::kFailure, false, kRefused), std::nullopt);
  EXPECT_EQ(breaker.Record(Outcome::kFailure, false, kRefused), std::nullopt);
  // An answer resets the count: two more failures do not eject.
  EXPECT_EQ(breaker.Record(Outcome::kAlive, false, Status::Ok()), std::nullopt);
  EXPECT_EQ(breaker.Record(Outcome::kFailure, false, kRefused), std::nullopt);
  EXPECT_EQ(breaker.RecordAt(Outcome::kFailure, false, kRefused, t0), std::nullopt);
  EXPECT_EQ(breaker.AdmitAt(t0), Admission::kSend);
  EXPECT_EQ(breaker.RecordAt(Outcome::kFailure, false, kRefused, t0), std::optional<bool>(true));
  PeerHealth health = breaker.Health("http://p");
  EXPECT_TRUE(health.ejected);
  EXPECT_EQ(health.consecutive_failures, 3u);
  EXPECT_EQ(health.ejections, 1u);
  EXPECT_EQ(health.last_error, kRefused.message());
  EXPECT_EQ(breaker.backoff(), milliseconds(100));
  EXPECT_EQ(breaker.Admit(), Admission::kReject);
  // Neutral outcomes (shutdown) count for nothing.
  PeerBreaker other(BreakerOptions{1, milliseconds(100), milliseconds(1000)}, 1);
  EXPECT_EQ(other.Record(Outcome::kNeutral, false, kRefused), std::nullopt);
  EXPECT_EQ(other.Admit(), Admission::kSend);
}

TEST(PeerBreakerTest, ZeroDisablesEjection) {
  PeerBreaker breaker(BreakerOptions{0, milliseconds(100), milliseconds(1000)}, 1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(breaker.Record(Outcome::kFailure, false, kRefused), std::nullopt);
  EXPECT_EQ(breaker.Admit(), Admission::kSend);
  EXPECT_EQ(breaker.Health("p").consecutive_failures, 100u);
}

TEST(PeerBreakerTest, OneProbeAtATimeAndBackoffDoublesUpToTheCap) {
  PeerBreaker breaker(BreakerOptions{1, milliseconds(100), milliseconds(350)}, 7);
  Clock::time_point now = Clock::now();
  ASSERT_EQ(breaker.RecordAt(Outcome::kFailure, false, kRefused, now), std::optional<bool>(true));
  const std::vector<milliseconds> expected = {milliseconds(100), milliseconds(200), milliseconds(350),
                                              milliseconds(350)};
  for (size_t round = 0; round < expected.size(); ++round) {
    EXPECT_EQ(breaker.backoff(), expected[round]) << round;
    const Clock::time_point until = breaker.ejected_until();
    EXPECT_GE(until - now, expected[round] * 8 / 10) << round;
    EXPECT_LE(until - now, expected[round] * 12 / 10) << round;
    EXPECT_EQ(breaker.AdmitAt(until - milliseconds(1)), Admission::kReject);
    now = until;
    EXPECT_EQ(breaker.AdmitAt(now), Admission::kProbe);
    // While the probe is out, everyone else fails fast.
    EXPECT_EQ(breaker.AdmitAt(now + seconds(10)), Admission::kReject);
    EXPECT_EQ(breaker.RecordAt(Outcome::kFailure, true, kRefused, now), std::nullopt);
  }
  EXPECT_EQ(breaker.Health("p").ejections, 1u);
  // A probe that says nothing (shutdown) frees the slot for the next fetch.
  now = breaker.ejected_until();
  ASSERT_EQ(breaker.AdmitAt(now), Admission::kProbe);
  EXPECT_EQ(breaker.RecordAt(Outcome::kNeutral, true, Status::Unavailable("shutting down"), now),
            std::nullopt);
  ASSERT_EQ(breaker.AdmitAt(now), Admission::kProbe);
  // A successful probe brings the peer back with the backoff reset.
  EXPECT_EQ(breaker.RecordAt(Outcome::kAlive, true, Status::Ok(), now), std::optional<bool>(false));
  EXPECT_EQ(breaker.Admit(), Admission::kSend);
  EXPECT_EQ(breaker.Health("p").consecutive_failures, 0u);
  EXPECT_FALSE(breaker.Health("p").ejected);
  ASSERT_EQ(breaker.RecordAt(Outcome::kFailure, false, kRefused, now), std::optional<bool>(true));
  EXPECT_EQ(breaker.backoff(), milliseconds(100));
  EXPECT_EQ(breaker.Health("p").ejections, 2u);
}

TEST(PeerBreakerTest, AnAnswerToAnOldFetchDoesNotEndTheEjection) {
  PeerBreaker breaker(BreakerOptions{1, milliseconds(100), milliseconds(1000)}, 1);
  ASSERT_EQ(breaker.Record(Outcome::kFailure, false, kRefused), std::optional<bool>(true));
  EXPECT_EQ(breaker.Record(Outcome::kAlive, false, Status::Ok()), std::nullopt);
  EXPECT_TRUE(breaker.Health("p").ejected);
}

TEST(PeerBreakerTest, JitterStaysWithinTwentyPercent) {
  const Clock::duration base = seconds(1);
  Clock::duration low = base, high = base;
  uint64_t x = 12345;
  for (int i = 0; i < 10000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const Clock::duration d = PeerBreaker::Jitter(base, x);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_GE(low, milliseconds(800));
  EXPECT_LE(high, milliseconds(1200));
  EXPECT_LT(low, milliseconds(820));  // and it does spread
  EXPECT_GT(high, milliseconds(1180));
  EXPECT_EQ(PeerBreaker::Jitter(base, 0), milliseconds(800));
}

// A node whose getter counts loads, with a pool set up for ejection tests.
struct Node {
  Node(Runtime& runtime, HttpPoolOptions options) : registry(&runtime.workers()) {
    group = registry
                .NewGroup("g", 1 << 20, MakeGetter([this](std::string_view key, Sink& dest) {
                            ++loads;
                            dest.SetString("v:" + std::string(key));
                            return Status::Ok();
                          }))
                .value();
    server = HttpServer::Listen(runtime, {}).value();
    url = "http://127.0.0.1:" + std::to_string(server->port());
    // The counters last: a test that has seen them count may destroy the
    // Node, so nothing here may touch it after they do.
    options.on_fetch = [this](std::string_view, std::chrono::nanoseconds, const Status& status,
                              PeerFailure failure) {
      EXPECT_EQ(status.ok(), failure == PeerFailure::kNone) << status.ToString();
      {
        std::lock_guard<std::mutex> lock(mu);
        failures.push_back(failure);
      }
      ++(status.message().find(" ejected after ") == std::string::npos ? fetches : rejected);
    };
    options.on_peer_state_change = [this](std::string_view peer, bool ejected, const Status& reason,
                                          PeerFailure failure, milliseconds backoff) {
      std::lock_guard<std::mutex> lock(mu);
      changes.push_back(std::string(peer) + (ejected ? " ejected: " : " back: ") + reason.message());
      change_failures.push_back(failure);
      backoffs.push_back(backoff);
    };
    pool = HttpPool::Create(runtime, registry, url, options).value();
    server->Handle(pool->base_path(), pool->handler());
    registry.SetPeerPicker(pool);
    server->Start();
  }
  ~Node() { server->Stop(); }

  std::vector<std::string> Changes() {
    std::lock_guard<std::mutex> lock(mu);
    return changes;
  }
  std::vector<PeerFailure> Failures() {
    std::lock_guard<std::mutex> lock(mu);
    return failures;
  }

  GroupRegistry registry;
  Group* group;
  std::atomic<int> loads{0};
  std::atomic<int> fetches{0};   // network fetches (on_fetch)
  std::atomic<int> rejected{0};  // fetches failed at once, peer ejected (on_fetch)
  std::mutex mu;
  std::vector<std::string> changes;
  std::vector<PeerFailure> failures;         // on_fetch's, in order
  std::vector<PeerFailure> change_failures;  // on_peer_state_change's
  std::vector<milliseconds> backoffs;        // on_peer_state_change's
  std::unique_ptr<HttpServer> server;
  std::shared_ptr<HttpPool> pool;
  std::string url;
};

// The keys of `prefix`<n> that `owner` owns in the ring of `peers`.
std::vector<std::string> KeysOwnedBy(const std::vector<std::string>& peers, const std::string& owner,
                                     const std::string& prefix, size_t count) {
  HashRing ring;
  ring.Add(peers);
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < count; ++i) {
    std::string key = prefix + std::to_string(i);
    if (ring.Get(key) == owner) keys.push_back(key);
  }
  return keys;
}

HttpPoolOptions EjectionOptions(milliseconds request_timeout, milliseconds backoff) {
  HttpPoolOptions options;
  options.request_timeout = request_timeout;
  options.eject_backoff_min = backoff;
  options.eject_backoff_max = backoff * 4;
  return options;
}

class PoolBreakerTest : public ::testing::Test {
 protected:
  void TearDown() override { runtime_.Shutdown(); }

  // Three failing fetches, each classified `reason`, eject `peer`; the
  // fourth fails at once without the network (kEjected), and every key
  // still loads, here.
  void ExpectEjection(const std::string& peer, milliseconds request_timeout,
                      const std::function<int()>& connections, PeerFailure reason) {
    Node a(runtime_, EjectionOptions(request_timeout, seconds(60)));
    const std::vector<std::string> peers = {a.url, peer};
    ASSERT_TRUE(a.pool->Set(peers).ok());
    const std::vector<std::string> keys = KeysOwnedBy(peers, peer, "k", 4);
    for (int i = 0; i < 3; ++i) {
      Result<ByteView> value = a.group->Get(keys[i]);
      ASSERT_TRUE(value.ok()) << value.status().ToString();
      EXPECT_EQ(value->view(), "v:" + keys[i]);
    }
    EXPECT_EQ(a.fetches, 3);
    std::vector<PeerHealth> health = a.pool->peer_health();
    ASSERT_EQ(health.size(), 1u);
    EXPECT_EQ(health[0].url, peer);
    EXPECT_TRUE(health[0].ejected);
    EXPECT_EQ(health[0].consecutive_failures, 3u);
    EXPECT_EQ(health[0].ejections, 1u);
    EXPECT_FALSE(health[0].last_error.empty());
    EXPECT_GT(health[0].ejected_until, std::chrono::system_clock::now() + seconds(30));
    EXPECT_EQ(health[0].last_failure, reason) << PeerFailureName(health[0].last_failure);
    ASSERT_EQ(a.Changes().size(), 1u);
    EXPECT_EQ(a.Changes()[0].rfind(peer + " ejected: ", 0), 0u) << a.Changes()[0];
    {
      std::lock_guard<std::mutex> lock(a.mu);
      EXPECT_EQ(a.change_failures, std::vector<PeerFailure>{reason});
      // The 60 s backoff, jittered by at most 20%.
      ASSERT_EQ(a.backoffs.size(), 1u);
      EXPECT_GE(a.backoffs[0], seconds(47));
      EXPECT_LE(a.backoffs[0], seconds(72));
    }

    const int connections_before = connections();
    const auto start = Clock::now();
    Result<ByteView> value = a.group->Get(keys[3]);
    const auto took = Clock::now() - start;
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(value->view(), "v:" + keys[3]);
    EXPECT_EQ(a.fetches, 3) << "an ejected peer was fetched from";
    EXPECT_EQ(a.rejected, 1);
    EXPECT_LE(connections(), std::max(connections_before, 3));
    EXPECT_LT(took, seconds(2)) << "not failing fast";
    EXPECT_EQ(a.loads, 4);
    EXPECT_EQ(a.group->stats().peer_errors, 4);
    EXPECT_EQ(a.group->stats().local_loads, 4);
    EXPECT_EQ(a.Failures(), (std::vector<PeerFailure>{reason, reason, reason, PeerFailure::kEjected}));
  }

  Runtime runtime_{RuntimeOptions{.io_threads = 2, .worker_threads = 2}};
};

TEST_F(PoolBreakerTest, RefusingPeerIsEjected) {
  uint16_t closed_port;
  {
    testing::FakeServer fake("x");
    closed_port = fake.port();
  }
  ExpectEjection(
      "http://127.0.0.1:" + std::to_string(closed_port), seconds(5), [] { return 0; }, PeerFailure::kRefused);
}

TEST_F(PoolBreakerTest, ServiceUnavailablePeerIsEjected) {
  testing::FakeServer fake("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  ExpectEjection(
      fake.url(), seconds(5), [&] { return fake.connections(); }, PeerFailure::kHttpStatus);
}

TEST_F(PoolBreakerTest, GarbageAnsweringPeerIsEjected) {
  testing::FakeServer fake("this is not HTTP at all\r\n\r\n");
  ExpectEjection(
      fake.url(), seconds(5), [&] { return fake.connections(); }, PeerFailure::kMalformed);
}

TEST_F(PoolBreakerTest, SilentPeerIsEjected) {
  testing::FakeServer fake("");  // accepts, reads nothing, never answers
  ExpectEjection(
      fake.url(), milliseconds(200), [&] { return fake.connections(); }, PeerFailure::kTimeout);
}

TEST_F(PoolBreakerTest, PeerClosingWithoutAnAnswerIsEjected) {
  // Reads the request, then closes the connection without a byte.
  testing::ScriptedPeer fake([](testing::ScriptedConnection& c) { c.ReadRequest(); });
  ExpectEjection(
      fake.url(), seconds(5), [&] { return fake.connections(); }, PeerFailure::kReset);
}

TEST_F(PoolBreakerTest, InternalServerErrorDoesNotEject) {
  // What a peer answers when its getter fails: the peer itself is fine.
  testing::FakeServer fake("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nnope");
  Node a(runtime_, EjectionOptions(seconds(5), seconds(60)));
  const std::vector<std::string> peers = {a.url, fake.url()};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  for (const std::string& key : KeysOwnedBy(peers, fake.url(), "k", 6)) {
    ASSERT_TRUE(a.group->Get(key).ok());
  }
  EXPECT_EQ(a.fetches, 6);
  std::vector<PeerHealth> health = a.pool->peer_health();
  ASSERT_EQ(health.size(), 1u);
  EXPECT_FALSE(health[0].ejected);
  EXPECT_EQ(health[0].consecutive_failures, 0u);
  EXPECT_TRUE(a.Changes().empty());
  // Still a failed fetch, with its reason.
  EXPECT_EQ(a.Failures(), std::vector<PeerFailure>(6, PeerFailure::kHttpStatus));
}

// A peer answering 503 until told otherwise; then each request waits for
// `gate` and is answered with a value. Counts requests and the most seen
// at once.
struct RecoveringPeer {
  RecoveringPeer()
      : peer([this](testing::ScriptedConnection& c) {
          for (std::string target = c.ReadRequest(); !target.empty(); target = c.ReadRequest()) {
            if (!healthy) {
              if (!c.Write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")) return;
              continue;
            }
            const int now = ++in_flight;
            for (int seen = max_in_flight; now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {
            }
            ++requests;
            gate.wait();
            --in_flight;
            if (!c.Write(testing::GetResponseReply("peer:" + target))) return;
          }
        }) {}
  ~RecoveringPeer() { Open(); }
  void Open() {
    if (!opened.exchange(true)) gate.count_down();
  }

  std::atomic<bool> healthy{false};
  std::atomic<int> in_flight{0}, max_in_flight{0}, requests{0};
  std::atomic<bool> opened{false};
  std::latch gate{1};
  testing::ScriptedPeer peer;  // last: its scripts use the members above
};

TEST_F(PoolBreakerTest, OneProbeBringsThePeerBack) {
  RecoveringPeer fake;
  Node a(runtime_, EjectionOptions(seconds(5), milliseconds(50)));
  const std::vector<std::string> peers = {a.url, fake.peer.url()};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  const std::vector<std::string> keys = KeysOwnedBy(peers, fake.peer.url(), "k", 14);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.group->Get(keys[i]).ok());
  ASSERT_TRUE(a.pool->peer_health()[0].ejected);
  fake.healthy = true;
  // Past the longest first backoff (50 ms + 20%): waiting for time, not
  // for another thread.
  std::this_thread::sleep_for(milliseconds(150));

  // Ten concurrent loads: the first sends the probe, held at the peer, in
  // the background; all ten fail fast and load here meanwhile, none waits
  // on the probe.
  std::latch all(10);
  std::vector<std::string> values(10);
  for (int i = 0; i < 10; ++i) {
    a.group->GetAsync(keys[3 + i], [&, i](Result<ByteView> result) {
      values[i] = result.ok() ? std::string(result->view()) : result.status().ToString();
      all.count_down();
    });
  }
  all.wait();  // all ten answered while the probe is still held
  for (const std::string& v : values) EXPECT_EQ(v.rfind("v:", 0), 0u) << v;
  EXPECT_EQ(a.loads, 3 + 10);
  EXPECT_EQ(a.rejected, 10);
  // The probe may still be on its way to the peer (slow under sanitizers).
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (fake.requests == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_EQ(fake.requests, 1);
  EXPECT_TRUE(a.pool->peer_health()[0].ejected);
  fake.Open();
  // The pool marks the peer healthy, then reports the change, then the
  // fetch (on_fetch): wait for all three.
  while ((a.pool->peer_health()[0].ejected || a.Changes().size() < 2 || a.fetches < 4) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_EQ(fake.max_in_flight, 1);
  EXPECT_EQ(fake.requests, 1);

  std::vector<PeerHealth> health = a.pool->peer_health();
  EXPECT_FALSE(health[0].ejected);
  EXPECT_EQ(health[0].consecutive_failures, 0u);
  const std::vector<std::string> changes = a.Changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1], fake.peer.url() + " back: ");
  {
    std::lock_guard<std::mutex> lock(a.mu);
    EXPECT_EQ(a.change_failures, (std::vector<PeerFailure>{PeerFailure::kHttpStatus, PeerFailure::kNone}));
    EXPECT_EQ(a.backoffs[1], milliseconds(0));
  }
  // Back in the ring's service: the next key goes to the peer.
  Result<ByteView> value = a.group->Get(keys[13]);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->view().substr(0, 5), "peer:");
  EXPECT_EQ(fake.requests, 2);
}

TEST_F(PoolBreakerTest, FailedProbeEjectsAgain) {
  testing::FakeServer fake("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
  // A first backoff of 500 ms (at most 600 ms with jitter), so the doubled
  // one leaves at least 800 ms for the last Get to find the peer ejected,
  // even on a slow machine.
  Node a(runtime_, EjectionOptions(seconds(5), milliseconds(500)));
  const std::vector<std::string> peers = {a.url, fake.url()};
  ASSERT_TRUE(a.pool->Set(peers).ok());
  const std::vector<std::string> keys = KeysOwnedBy(peers, fake.url(), "k", 5);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.group->Get(keys[i]).ok());
  ASSERT_TRUE(a.pool->peer_health()[0].ejected);
  std::this_thread::sleep_for(milliseconds(700));
  // Sends the probe, answered 503, and loads here without waiting for it.
  ASSERT_TRUE(a.group->Get(keys[3]).ok());
  EXPECT_EQ(a.rejected, 1);
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (a.fetches < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_EQ(a.fetches, 4);
  std::vector<PeerHealth> health = a.pool->peer_health();
  EXPECT_TRUE(health[0].ejected);
  EXPECT_EQ(health[0].consecutive_failures, 4u);
  EXPECT_EQ(health[0].ejections, 1u);
  EXPECT_EQ(a.Changes().size(), 1u);
  ASSERT_TRUE(a.group->Get(keys[4]).ok());  // within the doubled backoff: fails fast
  EXPECT_EQ(a.fetches, 4);
  EXPECT_EQ(a.rejected, 2);
}

TEST(PeerFailureTest, EveryReasonHasItsName) {
  const std::vector<std::pair<PeerFailure, std::string_view>> names = {
      {PeerFailure::kNone, "none"},
      {PeerFailure::kRefused, "refused"},
      {PeerFailure::kReset, "reset"},
      {PeerFailure::kResolve, "resolve"},
      {PeerFailure::kConnectTimeout, "connect_timeout"},
      {PeerFailure::kTimeout, "timeout"},
      {PeerFailure::kTls, "tls"},
      {PeerFailure::kHttpStatus, "http_status"},
      {PeerFailure::kMalformed, "malformed"},
      {PeerFailure::kEjected, "ejected"},
      {PeerFailure::kOther, "other"}};
  for (const auto& [failure, name] : names) EXPECT_EQ(PeerFailureName(failure), name);
}

TEST_F(PoolBreakerTest, CreateValidatesTheOptions) {
  GroupRegistry registry;
  auto create = [&](auto edit) {
    HttpPoolOptions options;
    edit(options);
    return HttpPool::Create(runtime_, registry, "http://127.0.0.1:8080", options).status();
  };
  EXPECT_TRUE(create([](HttpPoolOptions& o) { o.eject_after_failures = 0; }).ok());
  Status status = create([](HttpPoolOptions& o) { o.connect_timeout = milliseconds(0); });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("connect timeout"), std::string::npos) << status.ToString();
  status = create([](HttpPoolOptions& o) { o.eject_backoff_min = milliseconds(0); });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("eject backoff min"), std::string::npos) << status.ToString();
  status = create([](HttpPoolOptions& o) {
    o.eject_backoff_min = seconds(10);
    o.eject_backoff_max = seconds(5);
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("eject backoff max (5000 ms)"), std::string::npos) << status.ToString();
}

}  // namespace
}  // namespace groupcache
