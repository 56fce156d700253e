// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/warn_limiter.h"

#include <algorithm>

namespace groupcached {

WarnLimiter::WarnLimiter(std::chrono::steady_clock::duration interval, size_t max_subjects, Clock clock)
    : interval_(interval),
      max_subjects_(std::max<size_t>(max_subjects, 1)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {}

std::optional<WarnLimiter::Admitted> WarnLimiter::Admit(std::string_view subject, std::string_view reason) {
  const auto now = clock_();
  std::lock_guard lock(mu_);
  Entry* entry = nullptr;
  std::string_view logged_subject = subject;
  if (auto it = entries_.find(std::pair(subject, reason)); it != entries_.end()) {
    entry = &it->second;
  } else {
    if (entries_.size() >= max_subjects_) ExpireLocked(now);
    if (entries_.size() < max_subjects_) {
      // A new pair: logged at once.
      entries_.emplace(Key(subject, reason), Entry{now, 0});
      return Admitted{std::string(subject), 0};
    }
    // Full: the reason's overflow entry (at most one per reason, a handful).
    // A new one has last_logged at the epoch, so it logs at once.
    entry = &overflow_.try_emplace(std::string(reason)).first->second;
    logged_subject = kOverflowSubject;
  }
  if (now - entry->last_logged < interval_) {
    ++entry->suppressed;
    return std::nullopt;
  }
  Admitted admitted{std::string(logged_subject), entry->suppressed};
  *entry = Entry{now, 0};
  return admitted;
}

void WarnLimiter::ExpireLocked(std::chrono::steady_clock::time_point now) {
  // At most one scan per interval: a full table under a flood of new
  // subjects must not cost a scan per warning.
  if (last_expiry_ != std::chrono::steady_clock::time_point{} && now - last_expiry_ < interval_) return;
  last_expiry_ = now;
  // An entry whose interval has passed goes. The count it held back moves to
  // the overflow entry of its reason, reported with that entry's next line.
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (now - it->second.last_logged < interval_) {
      ++it;
      continue;
    }
    if (it->second.suppressed > 0) {
      overflow_.try_emplace(it->first.second).first->second.suppressed += it->second.suppressed;
    }
    it = entries_.erase(it);
  }
}

}  // namespace groupcached
