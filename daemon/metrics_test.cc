// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "metrics.h"

#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "groupcache/group.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using groupcache::GroupRegistry;
using groupcache::PeerFailure;
using groupcache::Sink;
using groupcache::Status;
using namespace std::chrono_literals;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool Contains(const std::string& text, const std::string& line) {
  for (const std::string& l : Lines(text)) {
    if (l == line) return true;
  }
  return false;
}

std::shared_ptr<groupcache::Getter> Values() {
  return groupcache::MakeGetter([](std::string_view key, Sink& dest) {
    if (key == "missing") return Status::NotFound("no");
    if (key == "broken") return Status::Unavailable("down");
    if (key == "throws") throw std::runtime_error("boom");
    dest.SetString("v");
    return Status::Ok();
  });
}

TEST(Metrics, RendersEveryStatsAndCacheStatsFieldPerGroup) {
  GroupRegistry registry;  // getters run inline
  Metrics metrics;
  groupcache::Group* a = *registry.NewGroup("a", 1 << 20, Values());
  ASSERT_TRUE(registry.NewGroup("b", 1 << 20, Values()).ok());
  ASSERT_TRUE(a->Get("k").ok());
  ASSERT_TRUE(a->Get("k").ok());
  ASSERT_FALSE(a->Get("missing").ok());

  const std::string out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "groupcache_gets_total{group=\"a\"} 3")) << out;
  EXPECT_TRUE(Contains(out, "groupcache_gets_total{group=\"b\"} 0"));
  EXPECT_TRUE(Contains(out, "groupcache_cache_hits_total{group=\"a\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_loads_total{group=\"a\"} 2"));
  EXPECT_TRUE(Contains(out, "groupcache_loads_deduped_total{group=\"a\"} 2"));
  EXPECT_TRUE(Contains(out, "groupcache_local_loads_total{group=\"a\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_local_load_errs_total{group=\"a\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_peer_loads_total{group=\"a\"} 0"));
  EXPECT_TRUE(Contains(out, "groupcache_peer_errors_total{group=\"a\"} 0"));
  EXPECT_TRUE(Contains(out, "groupcache_server_requests_total{group=\"a\"} 0"));
  EXPECT_TRUE(Contains(out, "groupcache_cache_items{group=\"a\",cache=\"main\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_cache_items{group=\"a\",cache=\"hot\"} 0"));
  EXPECT_TRUE(Contains(out, "groupcache_cache_bytes{group=\"a\",cache=\"main\"} " +
                                std::to_string(a->cache_stats(groupcache::CacheType::kMain).bytes)));
  EXPECT_TRUE(Contains(out, "groupcache_cache_gets_total{group=\"a\",cache=\"main\"} " +
                                std::to_string(a->cache_stats(groupcache::CacheType::kMain).gets)));
  EXPECT_TRUE(Contains(out, "groupcache_cache_get_hits_total{group=\"a\",cache=\"main\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_cache_evictions_total{group=\"b\",cache=\"hot\"} 0"));
}

// The exposition format: every family has one HELP and one TYPE line before
// its samples, and a family's samples are contiguous.
TEST(Metrics, FamiliesAreWellFormed) {
  GroupRegistry registry;
  Metrics metrics;
  ASSERT_TRUE(registry.NewGroup("a", 1 << 20, Values()).ok());
  ASSERT_TRUE(registry.NewGroup("b", 1 << 20, Values()).ok());
  metrics.ObserveClientRequest("a", 200, 1ms);
  metrics.ObserveClientRequest("b", 404, 1ms);
  metrics.ObserveClientRequest("a", 502, 1ms);
  metrics.ObservePeerFetch("http://p1:1", 1ms, PeerFailure::kNone);
  metrics.ObservePeerFetch("http://p2:1", 1ms, PeerFailure::kRefused);
  metrics.SetPeerHealthProbe([] {
    std::vector<groupcache::PeerHealth> health(1);
    health[0].url = "http://p2:1";
    return health;
  });
  metrics.ObserveSourceLoad("a", 1ms, true);
  metrics.ObserveSourceLoad("b", 1ms, Status::NotFound("x"));
  metrics.SetRing(3, "0123456789abcdef");

  std::map<std::string, std::string> types;
  std::set<std::string> finished;
  std::string current;
  for (const std::string& line : Lines(metrics.Render(registry))) {
    ASSERT_FALSE(line.empty());
    if (line.starts_with("# HELP ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      ASSERT_EQ(types.count(name), 0u) << "two HELP lines for " << name;
      if (!current.empty()) finished.insert(current);
      current = name;
      types[name] = "";
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream in(line.substr(7));
      std::string name, type;
      in >> name >> type;
      ASSERT_EQ(name, current);
      types[name] = type;
      continue;
    }
    const std::string series = line.substr(0, line.find_first_of("{ "));
    std::string family = series;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (types[current] == "histogram" && family == current + suffix) family = current;
    }
    ASSERT_EQ(family, current) << line;
    ASSERT_FALSE(types[current].empty()) << line;
    ASSERT_EQ(finished.count(family), 0u) << line;
    const std::string value = line.substr(line.rfind(' ') + 1);
    ASSERT_NO_THROW((void)std::stod(value)) << line;
  }
  EXPECT_EQ(types["groupcache_client_request_duration_seconds"], "histogram");
  EXPECT_EQ(types["groupcache_peer_fetch_duration_seconds"], "histogram");
  EXPECT_EQ(types["groupcache_source_load_duration_seconds"], "histogram");
  EXPECT_EQ(types["groupcache_peer_fetch_errors_total"], "counter");
  EXPECT_EQ(types["groupcache_cache_bytes"], "gauge");
  EXPECT_EQ(types["groupcache_gets_total"], "counter");
  EXPECT_EQ(types["groupcached_build_info"], "gauge");
  EXPECT_EQ(types["groupcache_peers"], "gauge");
  EXPECT_EQ(types["groupcache_ring_info"], "gauge");
  EXPECT_EQ(types["groupcache_membership_changes_total"], "counter");
  EXPECT_EQ(types["groupcache_dns_lookups_total"], "counter");
  EXPECT_EQ(types["groupcache_dns_lookup_failures_total"], "counter");
  EXPECT_EQ(types["groupcache_ring_mismatches_total"], "counter");
  EXPECT_EQ(types["groupcache_peer_state"], "gauge");
  EXPECT_EQ(types["groupcache_peer_ejections_total"], "counter");
}

TEST(Metrics, RingAndMembership) {
  GroupRegistry registry;
  Metrics metrics;
  std::string out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "groupcache_peers 0")) << out;
  EXPECT_TRUE(Contains(out, "groupcache_membership_changes_total 0"));
  EXPECT_TRUE(Contains(out, "groupcache_dns_lookups_total 0")) << "no probe renders 0";
  EXPECT_TRUE(Contains(out, "groupcache_dns_lookup_failures_total 0"));
  EXPECT_TRUE(Contains(out, "groupcache_ring_mismatches_total 0"));
  EXPECT_EQ(out.find("groupcache_ring_info{"), std::string::npos) << "a fingerprint before one is known";

  uint64_t lookups = 7;
  metrics.SetProbes({[&lookups] { return lookups; }, [] { return uint64_t{2}; }});
  metrics.SetRing(4, "00ff00ff00ff00ff");
  metrics.ObserveMembershipChange();
  metrics.ObserveMembershipChange();
  metrics.ObserveDnsLookupFailure();
  lookups = 9;
  out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "groupcache_peers 4")) << out;
  EXPECT_TRUE(Contains(out, "groupcache_ring_info{fingerprint=\"00ff00ff00ff00ff\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_membership_changes_total 2"));
  EXPECT_TRUE(Contains(out, "groupcache_dns_lookups_total 9"));
  EXPECT_TRUE(Contains(out, "groupcache_dns_lookup_failures_total 1"));
  EXPECT_TRUE(Contains(out, "groupcache_ring_mismatches_total 2"));

  // One ring at a time: the old fingerprint's series goes.
  metrics.SetRing(3, "1111222233334444");
  out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "groupcache_ring_info{fingerprint=\"1111222233334444\"} 1"));
  EXPECT_EQ(out.find("00ff00ff00ff00ff"), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  GroupRegistry registry;
  Metrics metrics;
  metrics.ObserveClientRequest("g", 200, 300us);  // le=0.0005
  metrics.ObserveClientRequest("g", 200, 500us);  // le=0.0005 (bounds are inclusive)
  metrics.ObserveClientRequest("g", 200, 2ms);    // le=0.0025
  metrics.ObserveClientRequest("g", 200, 60s);    // +Inf only
  const std::string out = metrics.Render(registry);
  const std::string name = "groupcache_client_request_duration_seconds";
  const std::string labels = "group=\"g\",code=\"200\"";
  EXPECT_TRUE(Contains(out, name + "_bucket{" + labels + ",le=\"0.0001\"} 0")) << out;
  EXPECT_TRUE(Contains(out, name + "_bucket{" + labels + ",le=\"0.0005\"} 2"));
  EXPECT_TRUE(Contains(out, name + "_bucket{" + labels + ",le=\"0.001\"} 2"));
  EXPECT_TRUE(Contains(out, name + "_bucket{" + labels + ",le=\"0.0025\"} 3"));
  EXPECT_TRUE(Contains(out, name + "_bucket{" + labels + ",le=\"10\"} 3"));
  EXPECT_TRUE(Contains(out, name + "_bucket{" + labels + ",le=\"+Inf\"} 4"));
  EXPECT_TRUE(Contains(out, name + "_count{" + labels + "} 4"));
  EXPECT_TRUE(Contains(out, name + "_sum{" + labels + "} 60.0028"));
}

TEST(Metrics, PeerErrorsAndSourceResults) {
  GroupRegistry registry;
  Metrics metrics;
  metrics.ObservePeerFetch("http://10.0.0.2:8443", 1ms, PeerFailure::kNone);
  metrics.ObservePeerFetch("http://10.0.0.2:8443", 1ms, PeerFailure::kTimeout);
  metrics.ObservePeerFetch("http://10.0.0.3:8443", 1ms, PeerFailure::kNone);
  metrics.ObserveSourceLoad("g", 1ms, true);
  metrics.ObserveSourceLoad("g", 1ms, false);
  metrics.ObserveSourceLoad("g", 1ms, Status::NotFound("x"));
  metrics.ObserveSourceLoad("g", 1ms, Status::Ok());
  const std::string out = metrics.Render(registry);
  EXPECT_TRUE(
      Contains(out, "groupcache_peer_fetch_errors_total{peer=\"http://10.0.0.2:8443\",reason=\"timeout\"} 1"))
      << out;
  // A reason appears once it has happened.
  EXPECT_FALSE(Contains(out, "groupcache_peer_fetch_errors_total{peer=\"http://10.0.0.3:8443\""));
  EXPECT_TRUE(Contains(out, "groupcache_peer_fetch_duration_seconds_count{peer=\"http://10.0.0.2:8443\"} 2"));
  EXPECT_TRUE(Contains(out, "groupcache_source_load_duration_seconds_count{group=\"g\",result=\"ok\"} 2"));
  EXPECT_TRUE(
      Contains(out, "groupcache_source_load_duration_seconds_count{group=\"g\",result=\"not_found\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_source_load_duration_seconds_count{group=\"g\",result=\"error\"} 1"));
}

TEST(Metrics, PeerFetchesFailedWhileEjectedAreCountedNotTimed) {
  GroupRegistry registry;
  Metrics metrics;
  const std::string peer = "http://10.0.0.2:8443";
  metrics.ObservePeerFetch(peer, 2s, PeerFailure::kTimeout);
  for (int i = 0; i < 5; ++i) metrics.ObservePeerFetch(peer, 1us, PeerFailure::kEjected);
  const std::string out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "groupcache_peer_fetch_errors_total{peer=\"" + peer + "\",reason=\"timeout\"} 1"))
      << out;
  EXPECT_TRUE(Contains(out, "groupcache_peer_fetch_errors_total{peer=\"" + peer + "\",reason=\"ejected\"} 5"))
      << out;
  // Only the fetch that went out is in the histogram, above the 1 s bucket.
  EXPECT_TRUE(Contains(out, "groupcache_peer_fetch_duration_seconds_count{peer=\"" + peer + "\"} 1")) << out;
  EXPECT_TRUE(
      Contains(out, "groupcache_peer_fetch_duration_seconds_bucket{peer=\"" + peer + "\",le=\"1\"} 0"))
      << out;
}

TEST(Metrics, PeerStateIsOneForTheCurrentState) {
  GroupRegistry registry;
  Metrics metrics;
  // Without a probe the families are there, empty.
  std::string out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "# TYPE groupcache_peer_state gauge")) << out;
  EXPECT_FALSE(Contains(out, "groupcache_peer_state{")) << out;

  std::vector<groupcache::PeerHealth> health(2);
  health[0].url = "http://a:1";
  health[1].url = "http://b:1";
  health[1].ejected = true;
  health[1].ejections = 2;
  metrics.SetPeerHealthProbe([&] { return health; });
  out = metrics.Render(registry);
  // In ring order, each peer's two states together.
  EXPECT_NE(out.find("groupcache_peer_state{peer=\"http://a:1\",state=\"healthy\"} 1\n"
                     "groupcache_peer_state{peer=\"http://a:1\",state=\"ejected\"} 0\n"
                     "groupcache_peer_state{peer=\"http://b:1\",state=\"healthy\"} 0\n"
                     "groupcache_peer_state{peer=\"http://b:1\",state=\"ejected\"} 1\n"),
            std::string::npos)
      << out;
  EXPECT_TRUE(Contains(out, "groupcache_peer_ejections_total{peer=\"http://a:1\"} 0")) << out;
  EXPECT_TRUE(Contains(out, "groupcache_peer_ejections_total{peer=\"http://b:1\"} 2")) << out;
}

TEST(Metrics, EscapesLabelValues) {
  GroupRegistry registry;
  Metrics metrics;
  ASSERT_TRUE(registry.NewGroup("we\"ird\\name\nx", 1 << 20, Values()).ok());
  metrics.ObservePeerFetch("p\"\\\n", 1ms, PeerFailure::kMalformed);
  const std::string out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "groupcache_gets_total{group=\"we\\\"ird\\\\name\\nx\"} 0")) << out;
  EXPECT_TRUE(
      Contains(out, "groupcache_peer_fetch_errors_total{peer=\"p\\\"\\\\\\n\",reason=\"malformed\"} 1"))
      << out;
}

TEST(Metrics, BuildInfoIsOneGaugeWithItsLabelsEscaped) {
  GroupRegistry registry;
  Metrics metrics(BuildInfo{"1.2.3", "0123456789ab", "Release", "GNU 12.2.0"});
  const std::string out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "# TYPE groupcached_build_info gauge")) << out;
  EXPECT_TRUE(Contains(out,
                       "groupcached_build_info{version=\"1.2.3\",commit=\"0123456789ab\","
                       "build_type=\"Release\",compiler=\"GNU 12.2.0\"} 1"))
      << out;

  // A compiler id is free text as far as the format is concerned.
  Metrics odd(BuildInfo{"1\n2", "un\"known", "a\\b", "Clang \"x\"\n"});
  EXPECT_TRUE(
      Contains(odd.Render(registry),
               "groupcached_build_info{version=\"1\\n2\",commit=\"un\\\"known\",build_type=\"a\\\\b\","
               "compiler=\"Clang \\\"x\\\"\\n\"} 1"));
}

TEST(Metrics, DefaultBuildInfoIsThisBinarys) {
  GroupRegistry registry;
  const BuildInfo& build = ThisBuild();
  EXPECT_FALSE(build.version.empty());
  EXPECT_FALSE(build.commit.empty());
  EXPECT_FALSE(build.build_type.empty());
  EXPECT_FALSE(build.compiler.empty());
  const std::string out = Metrics().Render(registry);
  EXPECT_NE(
      out.find("groupcached_build_info{version=\"" + build.version + "\",commit=\"" + build.commit + "\","),
      std::string::npos)
      << out;
}

TEST(Metrics, ConcurrentObservationsAreAllCounted) {
  GroupRegistry registry;
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 10000; ++i) {
        metrics.ObserveClientRequest(t % 2 ? "a" : "b", i % 2 ? 200 : 404, std::chrono::microseconds(i));
        metrics.ObservePeerFetch("p", 1us, i % 10 != 0 ? PeerFailure::kNone : PeerFailure::kReset);
      }
    });
  }
  std::string during = metrics.Render(registry);  // renders while observing: must not crash or tear
  for (std::thread& t : threads) t.join();
  const std::string out = metrics.Render(registry);
  EXPECT_TRUE(
      Contains(out, "groupcache_client_request_duration_seconds_count{group=\"a\",code=\"200\"} 10000"));
  EXPECT_TRUE(
      Contains(out, "groupcache_client_request_duration_seconds_count{group=\"b\",code=\"404\"} 10000"));
  EXPECT_TRUE(Contains(out, "groupcache_peer_fetch_duration_seconds_count{peer=\"p\"} 40000"));
  EXPECT_TRUE(Contains(out, "groupcache_peer_fetch_errors_total{peer=\"p\",reason=\"reset\"} 4000"));
}

TEST(Metrics, InstrumentSourceObservesEveryOutcome) {
  Metrics metrics;
  auto getter = InstrumentSource(Values(), "g", metrics);
  Sink sink;
  EXPECT_TRUE(getter->Get("k", sink).ok());
  EXPECT_EQ(sink.view(), "v");
  EXPECT_EQ(getter->Get("missing", sink).code(), groupcache::StatusCode::kNotFound);
  EXPECT_EQ(getter->Get("broken", sink).code(), groupcache::StatusCode::kUnavailable);
  EXPECT_THROW((void)getter->Get("throws", sink), std::runtime_error);
  GroupRegistry registry;
  const std::string out = metrics.Render(registry);
  EXPECT_TRUE(Contains(out, "groupcache_source_load_duration_seconds_count{group=\"g\",result=\"ok\"} 1"))
      << out;
  EXPECT_TRUE(
      Contains(out, "groupcache_source_load_duration_seconds_count{group=\"g\",result=\"not_found\"} 1"));
  EXPECT_TRUE(Contains(out, "groupcache_source_load_duration_seconds_count{group=\"g\",result=\"error\"} 2"));
}

TEST(Metrics, RendersTheProcessFamiliesOfThisProcess) {
  GroupRegistry registry;
  Metrics metrics;
  const std::string out = metrics.Render(registry);
  for (const char* family :
       {"process_cpu_seconds_total", "process_start_time_seconds", "process_resident_memory_bytes",
        "process_virtual_memory_bytes", "process_open_fds", "process_max_fds"}) {
    EXPECT_NE(out.find(std::string("\n") + family + " "), std::string::npos) << family << " missing:\n"
                                                                             << out;
  }
}

}  // namespace
}  // namespace groupcached
