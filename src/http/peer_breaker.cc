// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/peer_breaker.h"

#include <algorithm>

namespace groupcache::internal {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

PeerBreaker::PeerBreaker(BreakerOptions options, uint64_t seed) : options_(options), rng_(seed) {}

PeerBreaker::Clock::duration PeerBreaker::Jitter(Clock::duration backoff, uint64_t random) {
  const int64_t base = backoff.count();
  const int64_t low = base - base / 5;
  const int64_t span = base / 5 * 2;
  return Clock::duration(low + static_cast<int64_t>(random % static_cast<uint64_t>(span + 1)));
}

PeerBreaker::Admission PeerBreaker::AdmitAt(Clock::time_point now) {
  MutexLock lock(mu_);
  if (!ejected_.load(std::memory_order_relaxed)) return Admission::kSend;
  if (probing_ || now < until_) return Admission::kReject;
  probing_ = true;
  return Admission::kProbe;
}

void PeerBreaker::EjectLocked(Clock::time_point now) { until_ = now + Jitter(backoff_, SplitMix64(rng_)); }

std::optional<bool> PeerBreaker::RecordAt(Outcome outcome, bool probe, const Status& status,
                                          Clock::time_point now, PeerFailure failure) {
  MutexLock lock(mu_);
  if (probe) probing_ = false;
  switch (outcome) {
    case Outcome::kNeutral:
      // A probe that says nothing leaves until_ passed: the next fetch probes.
      return std::nullopt;
    case Outcome::kAlive:
      failures_.store(0, std::memory_order_relaxed);
      // Only the probe brings a peer back: an answer to a fetch sent before
      // the ejection is older news than the failures that caused it.
      if (!probe || !ejected_.load(std::memory_order_relaxed)) return std::nullopt;
      ejected_.store(false, std::memory_order_relaxed);
      backoff_ = {};
      until_ = {};
      return false;
    case Outcome::kFailure:
      break;
  }
  const uint32_t failures = failures_.load(std::memory_order_relaxed) + 1;
  failures_.store(failures, std::memory_order_relaxed);
  last_error_ = status.message();
  last_failure_ = failure;
  last_error_at_ = std::chrono::system_clock::now();
  if (options_.eject_after == 0) return std::nullopt;
  if (ejected_.load(std::memory_order_relaxed)) {
    if (probe) {
      backoff_ = std::min<Clock::duration>(backoff_ * 2, options_.backoff_max);
      EjectLocked(now);
    }
    return std::nullopt;
  }
  if (failures < options_.eject_after) return std::nullopt;
  ejected_.store(true, std::memory_order_relaxed);
  ++ejections_;
  backoff_ = options_.backoff_min;
  EjectLocked(now);
  return true;
}

PeerHealth PeerBreaker::Health(std::string url) const {
  PeerHealth health;
  health.url = std::move(url);
  MutexLock lock(mu_);
  health.ejected = ejected_.load(std::memory_order_relaxed);
  health.consecutive_failures = failures_.load(std::memory_order_relaxed);
  if (health.ejected) {
    health.ejected_until =
        std::chrono::system_clock::now() +
        std::chrono::duration_cast<std::chrono::system_clock::duration>(until_ - Clock::now());
  }
  health.last_error = last_error_;
  health.last_failure = last_failure_;
  health.last_error_at = last_error_at_;
  health.ejections = ejections_;
  return health;
}

PeerBreaker::Clock::duration PeerBreaker::backoff() const {
  MutexLock lock(mu_);
  return backoff_;
}

PeerBreaker::Clock::time_point PeerBreaker::ejected_until() const {
  MutexLock lock(mu_);
  return until_;
}

}  // namespace groupcache::internal
