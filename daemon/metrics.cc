// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "metrics.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "daemon/process_stats.h"
#include "metrics_tls.h"

namespace groupcached {
namespace {

using groupcache::CacheStats;
using groupcache::CacheType;
using groupcache::Group;
using groupcache::Stats;
using groupcache::Status;
using std::chrono::nanoseconds;

constexpr size_t kBuckets = kLatencyBucketsSeconds.size();

// The bucket bounds in nanoseconds, so an observation compares integers.
constexpr std::array<int64_t, kBuckets> kBucketBoundsNs = [] {
  std::array<int64_t, kBuckets> out{};
  for (size_t i = 0; i < kBuckets; ++i) {
    // The bounds are positive, so adding 0.5 rounds to nearest (std::llround
    // is not constexpr in C++20).
    // NOLINTNEXTLINE(bugprone-incorrect-roundings)
    out[i] = static_cast<int64_t>(kLatencyBucketsSeconds[i] * 1e9 + 0.5);
  }
  return out;
}();

// A latency histogram: one counter per bucket (not cumulative; Render adds
// them up), one for beyond the last bound, and the sum in nanoseconds.
class Histogram {
 public:
  void Observe(nanoseconds elapsed) {
    const int64_t ns = std::max<int64_t>(elapsed.count(), 0);
    const size_t bucket =
        std::lower_bound(kBucketBoundsNs.begin(), kBucketBoundsNs.end(), ns) - kBucketBoundsNs.begin();
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<uint64_t>(ns), std::memory_order_relaxed);
  }

  // Appends the _bucket, _sum and _count lines; `labels` is the rendered
  // label list without braces (may be empty).
  void Render(std::string& out, std::string_view name, std::string_view labels) const {
    const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBuckets; ++i) {
      cumulative += counts_[i].load(std::memory_order_relaxed);
      out.append(name).append("_bucket{").append(prefix).append("le=\"");
      if (i < kBuckets) {
        AppendDouble(out, kLatencyBucketsSeconds[i]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      out += std::to_string(cumulative);
      out += '\n';
    }
    const std::string braced = labels.empty() ? std::string() : "{" + std::string(labels) + "}";
    out.append(name).append("_sum").append(braced).append(" ");
    AppendDouble(out, static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
    out.append("\n").append(name).append("_count").append(braced).append(" ");
    out += std::to_string(cumulative);
    out += '\n';
  }

  static void AppendDouble(std::string& out, double value) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    out.append(buf, ec == std::errc() ? end : buf);
  }

 private:
  std::array<std::atomic<uint64_t>, kBuckets + 1> counts_{};
  std::atomic<uint64_t> sum_ns_{0};
};

// Every PeerFailure but kNone has a counter, indexed by its value.
constexpr size_t kPeerFailures = static_cast<size_t>(groupcache::PeerFailure::kOther) + 1;

struct PeerSeries {
  Histogram latency;
  std::array<std::atomic<uint64_t>, kPeerFailures> errors{};  // by PeerFailure
};

// Orders (label, number) keys whichever string type holds the label, so a
// lookup by string_view allocates nothing. std::less<> would compare the
// tuples themselves, which clang 14 cannot do with libstdc++ 12 (the clang
// thread-safety build compiles this file).
struct LabelNumberLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const std::string_view label_a = std::get<0>(a), label_b = std::get<0>(b);
    return label_a != label_b ? label_a < label_b : std::get<1>(a) < std::get<1>(b);
  }
};

// Series by label values. Lookups of existing series share the lock; a new
// label set takes it exclusively, once. Series are never removed, so the
// references handed out stay valid.
template <typename Key, typename Series, typename Less = std::less<>>
class SeriesMap {
 public:
  template <typename LookupKey>
  Series& Get(const LookupKey& key) {
    {
      std::shared_lock<std::shared_mutex> lock(mu_);
      auto it = map_.find(key);
      if (it != map_.end()) return *it->second;
    }
    std::unique_lock<std::shared_mutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(Key(key), std::make_unique<Series>()).first;
    return *it->second;
  }

  void ForEach(const std::function<void(const Key&, const Series&)>& fn) const {
    std::shared_lock<std::shared_mutex> lock(mu_);
    for (const auto& [key, series] : map_) fn(key, *series);
  }

  bool empty() const {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return map_.empty();
  }

 private:
  // The daemon is built against the public headers only, so its locks are
  // plain std:: ones (the annotated wrapper is internal to the library).
  mutable std::shared_mutex mu_;
  std::map<Key, std::unique_ptr<Series>, Less> map_;  // guarded by mu_
};

// Appends `value` escaped for a label value: backslash, double quote and
// line feed as \\, \" and \n.
void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// Renders name1="value1",name2="value2".
std::string Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += ',';
    out.append(name).append("=\"");
    AppendLabelValue(out, value);
    out += '"';
  }
  return out;
}

void AppendFamilyHeader(std::string& out, std::string_view name, std::string_view type,
                        std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void AppendSample(std::string& out, std::string_view name, std::string_view labels, uint64_t value) {
  out.append(name).append("{").append(labels).append("} ").append(std::to_string(value)).append("\n");
}

// A family of one sample without labels.
void AppendSingle(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                  uint64_t value) {
  AppendFamilyHeader(out, name, type, help);
  out.append(name).append(" ").append(std::to_string(value)).append("\n");
}

constexpr std::array<std::string_view, 3> kSourceResults = {"ok", "not_found", "error"};

}  // namespace

class Metrics::Impl {
 public:
  explicit Impl(BuildInfo build_info) : build(std::move(build_info)) {}

  const BuildInfo build;
  SeriesMap<std::tuple<std::string, int>, Histogram, LabelNumberLess> client_requests;  // (group, status)
  SeriesMap<std::string, PeerSeries> peers;                                             // peer URL
  // (group, index in kSourceResults)
  SeriesMap<std::tuple<std::string, int>, Histogram, LabelNumberLess> source_loads;

  // Relaxed atomics, as every counter here.
  std::atomic<uint64_t> ring_peers{0};
  std::atomic<uint64_t> membership_changes{0};
  std::atomic<uint64_t> dns_lookup_failures{0};
  Probes probes;                                                     // set before any Render
  std::function<std::vector<groupcache::PeerHealth>()> peer_health;  // set before any Render
  mutable std::mutex fingerprint_mu;
  std::string fingerprint;  // guarded by fingerprint_mu
};

Metrics::Metrics(BuildInfo build)
    : impl_(std::make_unique<Impl>(std::move(build))), tls_(std::make_unique<TlsSeries>()) {}
Metrics::~Metrics() = default;

void Metrics::ObserveClientRequest(std::string_view group, int status, nanoseconds elapsed) {
  impl_->client_requests.Get(std::make_tuple(group, status)).Observe(elapsed);
}

void Metrics::ObservePeerFetch(std::string_view peer, nanoseconds elapsed, groupcache::PeerFailure failure) {
  PeerSeries& series = impl_->peers.Get(peer);
  // A fetch failed without the network takes no time worth measuring: it
  // would pull the latency towards zero exactly when the peer is down.
  if (failure != groupcache::PeerFailure::kEjected) series.latency.Observe(elapsed);
  if (failure != groupcache::PeerFailure::kNone) {
    series.errors[static_cast<size_t>(failure)].fetch_add(1, std::memory_order_relaxed);
  }
}

void Metrics::SetPeerHealthProbe(std::function<std::vector<groupcache::PeerHealth>()> probe) {
  impl_->peer_health = std::move(probe);
}

void Metrics::RenderPeers(std::string& out) const {
  AppendFamilyHeader(out, "groupcache_peer_fetch_errors_total", "counter",
                     "Failed fetches from each peer, by reason.");
  impl_->peers.ForEach([&](const std::string& peer, const PeerSeries& series) {
    for (size_t i = 1; i < kPeerFailures; ++i) {
      const uint64_t count = series.errors[i].load(std::memory_order_relaxed);
      if (count == 0) continue;
      AppendSample(
          out, "groupcache_peer_fetch_errors_total",
          Labels({{"peer", peer}, {"reason", PeerFailureName(static_cast<groupcache::PeerFailure>(i))}}),
          count);
    }
  });
  AppendFamilyHeader(out, "groupcache_peer_fetch_duration_seconds", "histogram",
                     "Time to fetch a value from a peer, failures included (not fetches skipped while the "
                     "peer is ejected).");
  impl_->peers.ForEach([&](const std::string& peer, const PeerSeries& series) {
    series.latency.Render(out, "groupcache_peer_fetch_duration_seconds", Labels({{"peer", peer}}));
  });
  const std::vector<groupcache::PeerHealth> health =
      impl_->peer_health ? impl_->peer_health() : std::vector<groupcache::PeerHealth>();
  AppendFamilyHeader(out, "groupcache_peer_state", "gauge",
                     "1 for each ring peer's current state (healthy or ejected), 0 for the other.");
  for (const groupcache::PeerHealth& peer : health) {
    AppendSample(out, "groupcache_peer_state", Labels({{"peer", peer.url}, {"state", "healthy"}}),
                 peer.ejected ? 0 : 1);
    AppendSample(out, "groupcache_peer_state", Labels({{"peer", peer.url}, {"state", "ejected"}}),
                 peer.ejected ? 1 : 0);
  }
  AppendFamilyHeader(out, "groupcache_peer_ejections_total", "counter",
                     "Times each ring peer went from healthy to ejected.");
  for (const groupcache::PeerHealth& peer : health) {
    AppendSample(out, "groupcache_peer_ejections_total", Labels({{"peer", peer.url}}), peer.ejections);
  }
}

void Metrics::ObserveSourceLoad(std::string_view group, nanoseconds elapsed, bool ok) {
  impl_->source_loads.Get(std::make_tuple(group, ok ? 0 : 2)).Observe(elapsed);
}

void Metrics::ObserveSourceLoad(std::string_view group, nanoseconds elapsed, const Status& status) {
  const int result = status.ok() ? 0 : status.code() == groupcache::StatusCode::kNotFound ? 1 : 2;
  impl_->source_loads.Get(std::make_tuple(group, result)).Observe(elapsed);
}

void Metrics::SetRing(size_t peers, std::string_view fingerprint) {
  impl_->ring_peers.store(peers, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(impl_->fingerprint_mu);
  impl_->fingerprint = std::string(fingerprint);
}

void Metrics::ObserveMembershipChange() { impl_->membership_changes.fetch_add(1, std::memory_order_relaxed); }

void Metrics::ObserveDnsLookupFailure() {
  impl_->dns_lookup_failures.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::SetProbes(Probes probes) { impl_->probes = std::move(probes); }

std::string Metrics::Render(const groupcache::GroupRegistry& registry) const {
  std::string out;
  AppendFamilyHeader(out, "groupcached_build_info", "gauge",
                     "Always 1; the labels say which groupcached this is and how it was built.");
  const BuildInfo& build = impl_->build;
  AppendSample(out, "groupcached_build_info",
               Labels({{"version", build.version},
                       {"commit", build.commit},
                       {"build_type", build.build_type},
                       {"compiler", build.compiler}}),
               1);
  const std::vector<Group*> groups = registry.groups();
  std::vector<Stats> stats;
  std::vector<std::array<CacheStats, 2>> caches;
  for (const Group* group : groups) {
    stats.push_back(group->stats());
    caches.push_back({group->cache_stats(CacheType::kMain), group->cache_stats(CacheType::kHot)});
  }

  struct StatsField {
    std::string_view name;
    int64_t Stats::*field;
    std::string_view help;
  };
  static constexpr StatsField kStatsFields[] = {
      {"groupcache_gets_total", &Stats::gets, "Get calls, including those made for peers."},
      {"groupcache_cache_hits_total", &Stats::cache_hits, "Gets answered from the main or hot cache."},
      {"groupcache_peer_loads_total", &Stats::peer_loads, "Values fetched from a peer."},
      {"groupcache_peer_errors_total", &Stats::peer_errors,
       "Failed peer fetches, each followed by a local load."},
      {"groupcache_loads_total", &Stats::loads, "Gets that missed the cache."},
      {"groupcache_loads_deduped_total", &Stats::loads_deduped, "Loads that ran after singleflight."},
      {"groupcache_local_loads_total", &Stats::local_loads, "Successful getter calls."},
      {"groupcache_local_load_errs_total", &Stats::local_load_errs, "Failed getter calls."},
      {"groupcache_server_requests_total", &Stats::server_requests, "Requests from peers."},
      {"groupcache_not_found_hits_total", &Stats::not_found_hits,
       "Gets answered not found from a remembered not found (not_found_ttl)."},
  };
  for (const StatsField& f : kStatsFields) {
    AppendFamilyHeader(out, f.name, "counter", f.help);
    for (size_t i = 0; i < groups.size(); ++i) {
      AppendSample(out, f.name, Labels({{"group", groups[i]->name()}}),
                   static_cast<uint64_t>(stats[i].*f.field));
    }
  }

  struct CacheField {
    std::string_view name;
    std::string_view type;
    int64_t CacheStats::*field;
    std::string_view help;
  };
  static constexpr CacheField kCacheFields[] = {
      {"groupcache_cache_bytes", "gauge", &CacheStats::bytes, "Bytes charged to the cache."},
      {"groupcache_cache_items", "gauge", &CacheStats::items, "Entries in the cache."},
      {"groupcache_cache_gets_total", "counter", &CacheStats::gets, "Lookups in the cache."},
      // Not groupcache_cache_hits_total: that is Stats' cache_hits, per group.
      {"groupcache_cache_get_hits_total", "counter", &CacheStats::hits, "Lookups that found the key."},
      {"groupcache_cache_evictions_total", "counter", &CacheStats::evictions, "Entries evicted."},
  };
  static constexpr std::string_view kCacheNames[] = {"main", "hot"};
  for (const CacheField& f : kCacheFields) {
    AppendFamilyHeader(out, f.name, f.type, f.help);
    for (size_t i = 0; i < groups.size(); ++i) {
      for (size_t c = 0; c < 2; ++c) {
        AppendSample(out, f.name, Labels({{"group", groups[i]->name()}, {"cache", kCacheNames[c]}}),
                     static_cast<uint64_t>(caches[i][c].*f.field));
      }
    }
  }

  RenderPeers(out);

  AppendFamilyHeader(out, "groupcache_client_request_duration_seconds", "histogram",
                     "Time to answer a client API request, by group and HTTP status.");
  impl_->client_requests.ForEach([&](const std::tuple<std::string, int>& key, const Histogram& histogram) {
    const std::string code = std::to_string(std::get<1>(key));
    histogram.Render(out, "groupcache_client_request_duration_seconds",
                     Labels({{"group", std::get<0>(key)}, {"code", code}}));
  });

  AppendFamilyHeader(out, "groupcache_source_load_duration_seconds", "histogram",
                     "Time of a getter call, by group and result (ok, not_found, error).");
  impl_->source_loads.ForEach([&](const std::tuple<std::string, int>& key, const Histogram& histogram) {
    histogram.Render(out, "groupcache_source_load_duration_seconds",
                     Labels({{"group", std::get<0>(key)}, {"result", kSourceResults[std::get<1>(key)]}}));
  });
  RenderMembership(out);
  AppendProcessMetrics(out, ReadProcessStats());
  RenderTls(out);
  return out;
}

void Metrics::RenderMembership(std::string& out) const {
  const auto probe = [](const std::function<uint64_t()>& read) -> uint64_t { return read ? read() : 0; };
  AppendSingle(out, "groupcache_peers", "gauge", "Peers in this node's ring, this node included.",
               impl_->ring_peers.load(std::memory_order_relaxed));
  std::string fingerprint;
  {
    std::lock_guard<std::mutex> lock(impl_->fingerprint_mu);
    fingerprint = impl_->fingerprint;
  }
  AppendFamilyHeader(out, "groupcache_ring_info", "gauge",
                     "Always 1; fingerprint identifies the ring in use: nodes that agree on the peers show "
                     "the same.");
  if (!fingerprint.empty())
    AppendSample(out, "groupcache_ring_info", Labels({{"fingerprint", fingerprint}}), 1);
  AppendSingle(out, "groupcache_membership_changes_total", "counter",
               "Changes of the peer set applied to the ring (from DNS or SIGHUP).",
               impl_->membership_changes.load(std::memory_order_relaxed));
  AppendSingle(out, "groupcache_dns_lookups_total", "counter", "DNS lookups of the peers.",
               probe(impl_->probes.dns_lookups));
  AppendSingle(out, "groupcache_dns_lookup_failures_total", "counter",
               "DNS lookups that failed, timed out or were empty; each left the peer set as it was.",
               impl_->dns_lookup_failures.load(std::memory_order_relaxed));
  AppendSingle(out, "groupcache_ring_mismatches_total", "counter",
               "Peer requests and responses whose ring fingerprint (X-Groupcache-Ring) differed from this "
               "node's.",
               probe(impl_->probes.ring_mismatches));
}

namespace {

class InstrumentedSource final : public groupcache::Getter {
 public:
  InstrumentedSource(std::shared_ptr<groupcache::Getter> getter, std::string group, Metrics& metrics)
      : getter_(std::move(getter)), group_(std::move(group)), metrics_(metrics) {}

  Status Get(std::string_view key, groupcache::Sink& dest) override {
    const auto start = std::chrono::steady_clock::now();
    Status status;
    try {
      status = getter_->Get(key, dest);
    } catch (...) {
      metrics_.ObserveSourceLoad(group_, std::chrono::steady_clock::now() - start, false);
      throw;  // the group turns it into Internal
    }
    metrics_.ObserveSourceLoad(group_, std::chrono::steady_clock::now() - start, status);
    return status;
  }

 private:
  const std::shared_ptr<groupcache::Getter> getter_;
  const std::string group_;
  Metrics& metrics_;
};

}  // namespace

std::shared_ptr<groupcache::Getter> InstrumentSource(std::shared_ptr<groupcache::Getter> getter,
                                                     std::string group, Metrics& metrics) {
  return std::make_shared<InstrumentedSource>(std::move(getter), std::move(group), metrics);
}

}  // namespace groupcached
