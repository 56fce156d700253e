// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/membership.h"

#include <optional>
#include <utility>

namespace groupcached {

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

}  // namespace

Membership::Membership(Logger& logger, Metrics& metrics, Clock now)
    : logger_(logger), metrics_(metrics), failure_warnings_(kFailureWarningInterval, 1, std::move(now)) {}

void Membership::Start(size_t peers, std::string_view fingerprint) { metrics_.SetRing(peers, fingerprint); }

void Membership::Changed(const MembershipChange& change, std::string_view source) {
  metrics_.ObserveMembershipChange();
  metrics_.SetRing(change.peers.size(), change.fingerprint);
  logger_.Info("membership changed", {{"source", std::string(source)},
                                      {"peers", change.peers.size()},
                                      {"added", Join(change.added)},
                                      {"removed", Join(change.removed)},
                                      {"fingerprint", change.fingerprint}});
}

void Membership::LookupFailed(const groupcache::Status& status) {
  metrics_.ObserveDnsLookupFailure();
  const std::optional<WarnLimiter::Admitted> admitted = failure_warnings_.Admit("dns", "lookup_failed");
  if (!admitted) return;  // counted for the next warning
  logger_.Warn("DNS lookup of the peers failed; the peer set stays as it was",
               {{"error", status.message()},
                {"unlogged_failures", admitted->suppressed},
                {"next_warning_after", std::to_string(kFailureWarningInterval.count()) + "s"}});
}

}  // namespace groupcached
