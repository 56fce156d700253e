// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_MEMBERSHIP_H_
#define GROUPCACHED_MEMBERSHIP_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/log.h"
#include "daemon/metrics.h"
#include "daemon/warn_limiter.h"
#include "groupcache/status.h"

namespace groupcached {

// A change of the peer set, as applied to the ring: the whole new set, what
// it added and removed, and the new ring's fingerprint ("" when unknown).
struct MembershipChange {
  std::vector<std::string> peers;
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::string fingerprint;
};

// Membership reports the node's peer set as it changes: one log line and
// the metrics for each change, and DNS lookup failures, each counted and
// warned about at a bounded rate (a DNS server that stops answering fails
// every interval, for as long as it is down).
// Thread-safety: safe for concurrent use; the DNS lookups report on I/O
// threads, SIGHUP on the signal thread.
class Membership {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // After a warning about a failed lookup, further failures are only
  // counted for this long; the next warning says how many were not logged.
  static constexpr std::chrono::seconds kFailureWarningInterval{60};

  // `logger` and `metrics` must outlive the Membership; `now` is its clock.
  Membership(Logger& logger, Metrics& metrics, Clock now = std::chrono::steady_clock::now);

  // The peer set the node starts with: sets the gauges; not a change.
  void Start(size_t peers, std::string_view fingerprint);

  // A change applied to the ring, from `source` ("dns", "sighup"): logs
  // "membership changed" once with the source, the peers added and removed,
  // the new size and fingerprint; counts the change and sets the gauges.
  void Changed(const MembershipChange& change, std::string_view source);

  // A DNS lookup that failed, timed out or was empty (the peer set stays):
  // counted; the first is warned about, then at most one warning per
  // kFailureWarningInterval, saying how many failures went unlogged.
  void LookupFailed(const groupcache::Status& status);

 private:
  Logger& logger_;
  Metrics& metrics_;
  WarnLimiter failure_warnings_;  // one subject ("dns"), one reason
};

}  // namespace groupcached

#endif  // GROUPCACHED_MEMBERSHIP_H_
