// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_METRICS_H_
#define GROUPCACHED_METRICS_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/build_info.h"
#include "groupcache/getter.h"
#include "groupcache/http_pool.h"
#include "groupcache/http_server.h"
#include "groupcache/registry.h"
#include "groupcache/status.h"

namespace groupcached {

// The upper bounds, in seconds, of every latency histogram's buckets: from
// a cache hit on loopback (100 us) to an origin at its timeout (10 s).
inline constexpr std::array<double, 15> kLatencyBucketsSeconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

// Metrics counts what the server does and renders it, together with every
// group's Stats and CacheStats, in the Prometheus text format 0.0.4:
//
//   groupcached_build_info{version,commit,build_type,compiler}  gauge, always
//       1: the BuildInfo given at construction, as Prometheus' own
//       prometheus_build_info is
//   groupcache_<stats field>_total{group}     counter, one per Stats field:
//       gets, cache_hits, peer_loads, peer_errors, loads, loads_deduped,
//       local_loads, local_load_errs, server_requests, not_found_hits
//   groupcache_cache_bytes{group,cache}       gauge; cache is "main" or "hot"
//   groupcache_cache_items{group,cache}       gauge
//   groupcache_cache_gets_total{group,cache}  counter
//   groupcache_cache_get_hits_total{group,cache}  counter (CacheStats.hits; the
//       name groupcache_cache_hits_total is Stats.cache_hits, per group)
//   groupcache_cache_evictions_total{group,cache}  counter
//   groupcache_peer_fetch_errors_total{peer,reason}  counter: failed peer
//       fetches by groupcache::PeerFailureName (refused, reset, resolve,
//       connect_timeout, timeout, tls, http_status, malformed, ejected,
//       other); a reason appears once it has happened
//   groupcache_peer_fetch_duration_seconds{peer}  histogram: fetches that
//       went to the network, failures included; not those failed at once
//       because the peer is ejected (reason="ejected" counts them)
//   groupcache_peer_state{peer,state}         gauge: for each peer in the
//       ring but this node, 1 for its current state ("healthy" or
//       "ejected") and 0 for the other
//   groupcache_peer_ejections_total{peer}     counter: times the peer went
//       from healthy to ejected
//   groupcache_client_request_duration_seconds{group,code}  histogram
//   groupcache_source_load_duration_seconds{group,result}  histogram
//   groupcache_peers                          gauge: peers in the ring, this
//       node included
//   groupcache_ring_info{fingerprint}         gauge, always 1: the fingerprint
//       of the ring in use (absent until known); nodes that agree on the
//       peers show the same one
//   groupcache_membership_changes_total       counter: peer set changes
//       applied (from DNS or SIGHUP)
//   groupcache_dns_lookups_total              counter (0 without DNS discovery)
//   groupcache_dns_lookup_failures_total      counter: failed, timed-out or
//       empty lookups, each leaving the peer set as it was
//   groupcache_ring_mismatches_total          counter: peer exchanges whose
//       X-Groupcache-Ring fingerprint differed from this node's
//   process_cpu_seconds_total                 counter: user + system CPU time
//   process_start_time_seconds                gauge: since the Unix epoch
//   process_resident_memory_bytes             gauge
//   process_virtual_memory_bytes              gauge
//   process_open_fds, process_max_fds         gauge: open descriptors, and
//       the soft limit (+Inf when unlimited)
//   (Prometheus' standard names, read from /proc/self at each Render
//   (process_stats.h); a value that cannot be read is left out.)
//
// TLS and connections (metrics_tls.cc):
//   groupcache_tls_reloads_total{result}      counter: result "ok" or "error"
//   groupcache_tls_last_reload_success_timestamp_seconds  gauge (0: none yet)
//   groupcache_tls_certificate_not_after_seconds  gauge: the end of validity
//       of the certificate in use, Unix time (absent without TLS)
//   groupcache_tls_handshake_failures_total{listener,reason}  counter; the
//       reasons of HttpServerOptions::on_tls_handshake_failure
//   groupcache_connections_open{listener}     gauge; listener "peer" or "api"
//   groupcache_connections_accepted_total{listener}  counter
//   groupcache_connections_refused_total{listener}   counter: closed at once,
//       at max_connections
//
// Labels are group names, peer URLs, HTTP status codes and fixed words:
// never a key. The caller keeps label values bounded (a group label should
// be a configured group, not whatever a client asked for).
// Thread-safety: safe for concurrent use. Observations are relaxed atomic
// increments; a label set seen for the first time takes a lock once.
class Metrics {
 public:
  // `build` is what groupcached_build_info reports.
  explicit Metrics(BuildInfo build = ThisBuild());
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One request to the client API: the group it named ("" for none or an
  // unknown one), the HTTP status answered, and the time to answer.
  void ObserveClientRequest(std::string_view group, int status, std::chrono::nanoseconds elapsed);
  // One fetch from a peer (HttpPoolOptions::on_fetch): its duration, and
  // why it failed (kNone: it did not). A failure is counted per peer and
  // reason in groupcache_peer_fetch_errors_total; the duration goes to the
  // histogram unless the fetch was failed at once (kEjected).
  void ObservePeerFetch(std::string_view peer, std::chrono::nanoseconds elapsed,
                        groupcache::PeerFailure failure);
  // One getter call: result="ok" or "error".
  void ObserveSourceLoad(std::string_view group, std::chrono::nanoseconds elapsed, bool ok);
  // The same with result="ok", "not_found" or "error" from the getter's status.
  void ObserveSourceLoad(std::string_view group, std::chrono::nanoseconds elapsed,
                         const groupcache::Status& status);

  // The ring in use: how many peers it has (this node included) and its
  // fingerprint ("" when not known).
  void SetRing(size_t peers, std::string_view fingerprint);
  // One change of the peer set, applied to the ring.
  void ObserveMembershipChange();
  // One DNS lookup that failed, timed out or came back empty.
  void ObserveDnsLookupFailure();

  // Counters kept elsewhere (the DNS lookups, the pool), read at each
  // Render; an unset one renders 0. Each must be cheap and thread-safe.
  struct Probes {
    std::function<uint64_t()> dns_lookups;
    std::function<uint64_t()> ring_mismatches;
  };
  // REQUIRES: no Render runs yet (set them before the API serves).
  void SetProbes(Probes probes);
  // The health of the ring's peers (HttpPool::peer_health), read at each
  // Render for groupcache_peer_state and groupcache_peer_ejections_total;
  // unset: neither family has samples. Must be thread-safe.
  // REQUIRES: no Render runs yet.
  void SetPeerHealthProbe(std::function<std::vector<groupcache::PeerHealth>()> probe);

  // Returns the exposition: the build information, every Stats counter and
  // CacheStats field of every group in `registry`, then the peer and latency series observed so
  // far, the ring and membership series, and the process_* series, each
  // family with its HELP and TYPE lines.
  std::string Render(const groupcache::GroupRegistry& registry) const;

  // --- TLS and connections (metrics_tls.cc) ---
  // One TLS reload, at `at`: whether it took effect.
  void ObserveTlsReload(bool ok, std::chrono::system_clock::time_point at);
  // The certificate in use now ends its validity at `not_after`.
  void SetCertificateNotAfter(std::chrono::system_clock::time_point not_after);
  // One failed TLS handshake on `listener` ("peer"), for `reason` (one of
  // the fixed words of HttpServerOptions::on_tls_handshake_failure).
  void ObserveTlsHandshakeFailure(std::string_view listener, std::string_view reason);
  // A listener whose connection counters are read at each Render. `stats`
  // must be cheap and thread-safe.
  struct ListenerProbe {
    std::string listener;  // "peer", "api"
    std::function<groupcache::HttpServerStats()> stats;
  };
  // REQUIRES: no Render runs yet (set them before the API serves).
  void SetListenerProbes(std::vector<ListenerProbe> listeners);

 private:
  // Appends the ring and membership families.
  void RenderMembership(std::string& out) const;
  // Appends the per-peer fetch and health families.
  void RenderPeers(std::string& out) const;
  // Appends the TLS and connection families (metrics_tls.cc).
  void RenderTls(std::string& out) const;

  class Impl;
  std::unique_ptr<Impl> impl_;
  class TlsSeries;
  std::unique_ptr<TlsSeries> tls_;
};

// Returns a getter that calls `getter` and observes each call in `metrics`
// as a source load of `group`. `metrics` must outlive the returned getter.
std::shared_ptr<groupcache::Getter> InstrumentSource(std::shared_ptr<groupcache::Getter> getter,
                                                     std::string group, Metrics& metrics);

}  // namespace groupcached

#endif  // GROUPCACHED_METRICS_H_
