// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_WARN_LIMITER_H_
#define GROUPCACHED_WARN_LIMITER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace groupcached {

// A WarnLimiter decides which of a stream of repeated warnings are logged: at
// most one per subject (a peer URL, a client address) and reason ("refused",
// "timeout", "tls_unknown_ca", ...) per interval. The first occurrence is
// logged at once; the ones after it within the interval are only counted,
// and the next one logged reports how many were held back, so a dead peer
// asked a thousand times a second costs one line per interval, not a
// thousand, and nothing is lost from the count.
//
// Memory is bounded: at most max_subjects (subject, reason) pairs are
// tracked. When that many are live (an attacker handshaking from many
// addresses), new pairs share one overflow entry per reason, with the
// subject "(other)", until old pairs age out; an aged-out pair's held-back
// count moves to that entry.
// Thread-safety: safe for concurrent use (one mutex; a warning is rare).
class WarnLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::chrono::seconds kDefaultInterval{10};
  static constexpr size_t kDefaultMaxSubjects = 1024;
  // The subject that a warning is logged under once the table is full.
  static constexpr std::string_view kOverflowSubject = "(other)";

  // What Admit decided for one warning that is to be logged.
  struct Admitted {
    std::string subject;  // the subject given, or kOverflowSubject
    uint64_t suppressed;  // warnings of this subject and reason held back since the last one logged
  };

  explicit WarnLimiter(std::chrono::steady_clock::duration interval = kDefaultInterval,
                       size_t max_subjects = kDefaultMaxSubjects, Clock clock = nullptr);

  // One occurrence of `reason` for `subject`. Returns what to log, or
  // nullopt when it is held back (counted for the next line).
  std::optional<Admitted> Admit(std::string_view subject, std::string_view reason);

 private:
  struct Entry {
    std::chrono::steady_clock::time_point last_logged;
    uint64_t suppressed = 0;
  };
  using Key = std::pair<std::string, std::string>;  // subject, reason
  // Orders Keys, and finds one by a pair of string_views without building it.
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      const std::string_view a1 = a.first, b1 = b.first;
      return a1 != b1 ? a1 < b1 : std::string_view(a.second) < std::string_view(b.second);
    }
  };

  // Drops the entries whose interval has passed (at most one scan per
  // interval); what they held back is added to the overflow entry of their
  // reason, so the count is still reported.
  void ExpireLocked(std::chrono::steady_clock::time_point now);

  const std::chrono::steady_clock::duration interval_;
  const size_t max_subjects_;
  const Clock clock_;
  std::mutex mu_;
  std::map<Key, Entry, KeyLess> entries_;               // at most max_subjects_
  std::map<std::string, Entry, std::less<>> overflow_;  // by reason
  std::chrono::steady_clock::time_point last_expiry_{};
};

}  // namespace groupcached

#endif  // GROUPCACHED_WARN_LIMITER_H_
