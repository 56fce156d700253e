// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Per-peer circuit breaking: when a peer is skipped, and when it is probed.
#ifndef GROUPCACHE_SRC_HTTP_PEER_BREAKER_H_
#define GROUPCACHE_SRC_HTTP_PEER_BREAKER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/mutex.h"
#include "groupcache/http_pool.h"
#include "groupcache/status.h"

namespace groupcache::internal {

struct BreakerOptions {
  uint32_t eject_after = 3;  // 0: never eject
  std::chrono::milliseconds backoff_min{1000};
  std::chrono::milliseconds backoff_max{30000};
};

// A PeerBreaker is the health state of one peer: healthy, ejected until a
// time, or ejected with one probe in flight (HttpPoolOptions says when each
// applies). Thread-safe. A healthy peer costs one relaxed load per fetch and
// one per successful answer; the rest takes a lock.
//
// Under concurrency "consecutive" is approximate: a success that races a
// failure may leave the failure counted. It only decides when to eject.
class PeerBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Admission { kSend, kProbe, kReject };
  enum class Outcome {
    kAlive,    // the peer answered (a value, 500, 4xx): resets the count
    kFailure,  // counted towards ejection
    kNeutral,  // says nothing of the peer (this process shutting down)
  };

  PeerBreaker(BreakerOptions options, uint64_t seed);

  // Whether a fetch may go out: kSend, kProbe (it goes out as the probe; its
  // outcome must be recorded with probe true), or kReject (fail it at once).
  Admission Admit() {
    if (!ejected_.load(std::memory_order_relaxed)) return Admission::kSend;
    return AdmitAt(Clock::now());
  }
  Admission AdmitAt(Clock::time_point now) EXCLUDES(mu_);

  // Records how an admitted fetch ended (`failure` classifies a kFailure's
  // status, for PeerHealth). Returns the new state when it changed (true:
  // just ejected, false: back), else nullopt.
  std::optional<bool> Record(Outcome outcome, bool probe, const Status& status,
                             PeerFailure failure = PeerFailure::kOther) {
    if (outcome == Outcome::kAlive && !probe && failures_.load(std::memory_order_relaxed) == 0) {
      return std::nullopt;
    }
    return RecordAt(outcome, probe, status, Clock::now(), failure);
  }
  std::optional<bool> RecordAt(Outcome outcome, bool probe, const Status& status, Clock::time_point now,
                               PeerFailure failure = PeerFailure::kOther) EXCLUDES(mu_);

  PeerHealth Health(std::string url) const EXCLUDES(mu_);
  // The backoff in force while ejected (zero when healthy); for tests.
  Clock::duration backoff() const EXCLUDES(mu_);
  Clock::time_point ejected_until() const EXCLUDES(mu_);

  // `backoff` scaled by a factor in [0.8, 1.2] drawn from `random`.
  static Clock::duration Jitter(Clock::duration backoff, uint64_t random);

 private:
  void EjectLocked(Clock::time_point now) REQUIRES(mu_);

  const BreakerOptions options_;
  // Written under mu_, read without it on the fast paths.
  std::atomic<bool> ejected_{false};
  std::atomic<uint32_t> failures_{0};
  mutable Mutex mu_;
  bool probing_ GUARDED_BY(mu_) = false;
  Clock::duration backoff_ GUARDED_BY(mu_){};
  Clock::time_point until_ GUARDED_BY(mu_){};
  std::string last_error_ GUARDED_BY(mu_);
  PeerFailure last_failure_ GUARDED_BY(mu_) = PeerFailure::kNone;
  std::chrono::system_clock::time_point last_error_at_ GUARDED_BY(mu_){};
  uint64_t ejections_ GUARDED_BY(mu_) = 0;
  uint64_t rng_ GUARDED_BY(mu_);  // splitmix64 state
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_PEER_BREAKER_H_
