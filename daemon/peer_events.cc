// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/peer_events.h"

#include <string>

namespace groupcached {

using groupcache::PeerFailure;
using groupcache::PeerFailureName;
using groupcache::Status;

PeerEvents::PeerEvents(Metrics& metrics, Logger& logger, WarnLimiter::Clock clock)
    : metrics_(metrics),
      logger_(logger),
      limiter_(WarnLimiter::kDefaultInterval, WarnLimiter::kDefaultMaxSubjects, std::move(clock)) {}

void PeerEvents::Install(groupcache::HttpPoolOptions& options) {
  options.on_fetch = [this](std::string_view peer, std::chrono::nanoseconds elapsed, const Status& status,
                            PeerFailure failure) { OnFetch(peer, elapsed, status, failure); };
  options.on_peer_state_change = [this](std::string_view peer, bool ejected, const Status& reason,
                                        PeerFailure failure, std::chrono::milliseconds backoff) {
    OnStateChange(peer, ejected, reason, failure, backoff);
  };
}

void PeerEvents::OnFetch(std::string_view peer, std::chrono::nanoseconds elapsed, const Status& status,
                         PeerFailure failure) {
  metrics_.ObservePeerFetch(peer, elapsed, failure);
  if (failure == PeerFailure::kNone || !logger_.enabled(LogLevel::kWarn)) return;
  const std::string_view reason = PeerFailureName(failure);
  const std::optional<WarnLimiter::Admitted> admitted = limiter_.Admit(peer, reason);
  if (!admitted) return;
  logger_.Warn("peer fetch failed", {{"peer", admitted->subject},
                                     {"reason", std::string(reason)},
                                     {"error", status.message()},
                                     {"suppressed", admitted->suppressed}});
}

void PeerEvents::OnStateChange(std::string_view peer, bool ejected, const Status& reason, PeerFailure failure,
                               std::chrono::milliseconds backoff) {
  if (!ejected) {
    logger_.Info("peer back", {{"peer", std::string(peer)}});
    return;
  }
  logger_.Warn("peer ejected", {{"peer", std::string(peer)},
                                {"reason", std::string(PeerFailureName(failure))},
                                {"error", reason.message()},
                                {"backoff_ms", backoff.count()}});
}

}  // namespace groupcached
