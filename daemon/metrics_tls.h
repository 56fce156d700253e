// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Private to metrics.cc and metrics_tls.cc: the state of the TLS and
// connection families.
#ifndef GROUPCACHED_METRICS_TLS_H_
#define GROUPCACHED_METRICS_TLS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "daemon/metrics.h"

namespace groupcached {

// Relaxed atomics, but the handshake failures: they are rare and their
// labels few, so a map under a mutex.
class Metrics::TlsSeries {
 public:
  std::atomic<uint64_t> reloads_ok{0};
  std::atomic<uint64_t> reloads_error{0};
  std::atomic<int64_t> last_success_seconds{0};
  std::atomic<int64_t> not_after_seconds{0};
  std::atomic<bool> has_certificate{false};
  std::vector<ListenerProbe> listeners;  // set before any Render
  std::mutex failures_mu;
  std::map<std::pair<std::string, std::string>, uint64_t> failures;  // guarded by failures_mu
};

}  // namespace groupcached

#endif  // GROUPCACHED_METRICS_TLS_H_
