// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/membership.h"

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
    : logger_(logger), metrics_(metrics), now_(std::move(now)) {}

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
  uint64_t unlogged = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = now_();
    if (warned_ && now - last_warning_ < kFailureWarningInterval) {
      ++unlogged_failures_;
      return;
    }
    warned_ = true;
    last_warning_ = now;
    unlogged = std::exchange(unlogged_failures_, 0);
  }
  logger_.Warn("DNS lookup of the peers failed; the peer set stays as it was",
               {{"error", status.message()},
                {"unlogged_failures", unlogged},
                {"next_warning_after", std::to_string(kFailureWarningInterval.count()) + "s"}});
}

}  // namespace groupcached
