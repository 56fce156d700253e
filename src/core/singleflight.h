// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_CORE_SINGLEFLIGHT_H_
#define GROUPCACHE_SRC_CORE_SINGLEFLIGHT_H_

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/mutex.h"

namespace groupcache::internal {

// A Singleflight holds the loads in flight, one per key, as Go's
// singleflight.Group does: the first caller of a key leads and starts the
// load; callers that join before it finishes wait for the leader's result
// instead of starting loads of their own. It does not run loads itself, so
// it works the same for loads that finish on another thread (a peer fetch,
// a queued getter) as for loads that finish inline.
//
// `Callback` is any move-only callable taking the result by value or const
// reference (Group uses MoveOnlyFunction<void(Result<ByteView>)>).
//
// Thread-safety: safe for concurrent use. Callbacks run outside the lock, on
// the thread that calls Finish, so a callback may Join the same key again
// (it then leads a new load).
template <typename Callback>
class Singleflight {
 public:
  Singleflight() = default;
  Singleflight(const Singleflight&) = delete;
  Singleflight& operator=(const Singleflight&) = delete;

  // Adds `done` to key's waiters. Returns true if the caller is the leader:
  // it must start the load and later call Finish(key, ...) exactly once.
  bool Join(const std::string& key, Callback done) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    auto [it, inserted] = flights_.try_emplace(key);
    it->second.push_back(std::move(done));
    return inserted;
  }

  // Ends key's flight: every caller that joined it, leader included, gets
  // `result`, once. A later Join of the key starts a new flight. Returns the
  // number of callers delivered to (0 if key had no flight).
  template <typename Result>
  size_t Finish(const std::string& key, const Result& result) EXCLUDES(mu_) {
    std::vector<Callback> waiters;
    {
      MutexLock lock(mu_);
      auto it = flights_.find(key);
      if (it == flights_.end()) return 0;
      waiters = std::move(it->second);
      flights_.erase(it);
    }
    for (Callback& done : waiters) done(result);
    return waiters.size();
  }

 private:
  Mutex mu_;
  std::unordered_map<std::string, std::vector<Callback>> flights_ GUARDED_BY(mu_);
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_CORE_SINGLEFLIGHT_H_
