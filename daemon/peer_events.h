// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_PEER_EVENTS_H_
#define GROUPCACHED_PEER_EVENTS_H_

#include <chrono>
#include <string_view>

#include "daemon/log.h"
#include "daemon/metrics.h"
#include "daemon/warn_limiter.h"
#include "groupcache/http_pool.h"
#include "groupcache/status.h"

namespace groupcached {

// PeerEvents makes the pool's peer failures loud: it counts every peer fetch
// in the metrics and logs each failed one at warn, rate-limited per peer and
// reason (WarnLimiter):
//
//   msg="peer fetch failed" peer=URL reason=timeout error="..." suppressed=N
//
// and logs each ejection ("peer ejected", warn, with the reason and the
// backoff) and return ("peer back", info) once. Lines name the peer URL and
// the pool's error text, which names the peer and never a key or a value.
// Thread-safety: safe for concurrent use (the pool calls it from its I/O
// threads). `metrics` and `logger` must outlive it and any pool it is
// installed in.
class PeerEvents {
 public:
  PeerEvents(Metrics& metrics, Logger& logger, WarnLimiter::Clock clock = nullptr);

  // Sets options.on_fetch and options.on_peer_state_change to this object's
  // handlers. The object must outlive the pool made with `options`.
  void Install(groupcache::HttpPoolOptions& options);

  // HttpPoolOptions::on_fetch.
  void OnFetch(std::string_view peer, std::chrono::nanoseconds elapsed, const groupcache::Status& status,
               groupcache::PeerFailure failure);
  // HttpPoolOptions::on_peer_state_change.
  void OnStateChange(std::string_view peer, bool ejected, const groupcache::Status& reason,
                     groupcache::PeerFailure failure, std::chrono::milliseconds backoff);

 private:
  Metrics& metrics_;
  Logger& logger_;
  WarnLimiter limiter_;
};

}  // namespace groupcached

#endif  // GROUPCACHED_PEER_EVENTS_H_
