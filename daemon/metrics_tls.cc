// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The TLS and connection families of Metrics (see metrics.h).
#include "daemon/metrics_tls.h"

#include <chrono>
#include <string>
#include <string_view>

#include "daemon/metrics.h"

namespace groupcached {
namespace {

int64_t UnixSeconds(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// One sample; `labels` is name="value",... of fixed words (no escaping
// needed), or empty.
template <typename Number>
void Sample(std::string& out, std::string_view name, std::string_view labels, Number value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(std::to_string(value)).append("\n");
}

std::string Label(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + std::string(value) + "\"";
}

}  // namespace

void Metrics::ObserveTlsReload(bool ok, std::chrono::system_clock::time_point at) {
  (ok ? tls_->reloads_ok : tls_->reloads_error).fetch_add(1, std::memory_order_relaxed);
  if (ok) tls_->last_success_seconds.store(UnixSeconds(at), std::memory_order_relaxed);
}

void Metrics::SetCertificateNotAfter(std::chrono::system_clock::time_point not_after) {
  tls_->not_after_seconds.store(UnixSeconds(not_after), std::memory_order_relaxed);
  tls_->has_certificate.store(true, std::memory_order_relaxed);
}

void Metrics::ObserveTlsHandshakeFailure(std::string_view listener, std::string_view reason) {
  std::lock_guard<std::mutex> lock(tls_->failures_mu);
  ++tls_->failures[{std::string(listener), std::string(reason)}];
}

void Metrics::SetListenerProbes(std::vector<ListenerProbe> listeners) {
  tls_->listeners = std::move(listeners);
}

void Metrics::RenderTls(std::string& out) const {
  Header(out, "groupcache_tls_reloads_total", "counter",
         "Reloads of the TLS files (SIGHUP or a change seen), by result: ok, or error (the old material "
         "stayed).");
  Sample(out, "groupcache_tls_reloads_total", Label("result", "ok"),
         tls_->reloads_ok.load(std::memory_order_relaxed));
  Sample(out, "groupcache_tls_reloads_total", Label("result", "error"),
         tls_->reloads_error.load(std::memory_order_relaxed));
  Header(out, "groupcache_tls_last_reload_success_timestamp_seconds", "gauge",
         "Unix time of the last TLS reload that took effect; 0 if none yet.");
  Sample(out, "groupcache_tls_last_reload_success_timestamp_seconds", "",
         tls_->last_success_seconds.load(std::memory_order_relaxed));
  Header(out, "groupcache_tls_certificate_not_after_seconds", "gauge",
         "Unix time at which the certificate in use expires.");
  if (tls_->has_certificate.load(std::memory_order_relaxed)) {
    Sample(out, "groupcache_tls_certificate_not_after_seconds", "",
           tls_->not_after_seconds.load(std::memory_order_relaxed));
  }
  Header(out, "groupcache_tls_handshake_failures_total", "counter",
         "Failed TLS handshakes, by listener and reason (no_client_certificate, unknown_ca, expired, "
         "not_yet_valid, bad_certificate, protocol, timeout, closed, other).");
  {
    std::lock_guard<std::mutex> lock(tls_->failures_mu);
    for (const auto& [key, count] : tls_->failures) {
      Sample(out, "groupcache_tls_handshake_failures_total",
             Label("listener", key.first) + "," + Label("reason", key.second), count);
    }
  }
  std::vector<std::pair<std::string_view, groupcache::HttpServerStats>> stats;
  for (const ListenerProbe& probe : tls_->listeners) {
    if (probe.stats) stats.emplace_back(probe.listener, probe.stats());
  }
  Header(out, "groupcache_connections_open", "gauge", "Connections open now, by listener.");
  for (const auto& [listener, s] : stats)
    Sample(out, "groupcache_connections_open", Label("listener", listener), s.open);
  Header(out, "groupcache_connections_accepted_total", "counter", "Connections accepted, by listener.");
  for (const auto& [listener, s] : stats) {
    Sample(out, "groupcache_connections_accepted_total", Label("listener", listener), s.accepted);
  }
  Header(out, "groupcache_connections_refused_total", "counter",
         "Connections closed at once, unserved, at limits.max_connections, by listener.");
  for (const auto& [listener, s] : stats) {
    Sample(out, "groupcache_connections_refused_total", Label("listener", listener), s.refused);
  }
}

}  // namespace groupcached
