// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The TLS and connection families of Metrics.
#include <chrono>
#include <string>

#include "daemon/metrics.h"
#include "gmock/gmock.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTlsTest, ReloadsCertificateAndHandshakeFailuresAreRendered) {
  Metrics metrics;
  groupcache::GroupRegistry registry;
  std::string text = metrics.Render(registry);
  EXPECT_THAT(text, HasSubstr("groupcache_tls_reloads_total{result=\"ok\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("groupcache_tls_last_reload_success_timestamp_seconds 0\n"));
  EXPECT_THAT(text, Not(HasSubstr("groupcache_tls_certificate_not_after_seconds 0")));

  const std::chrono::system_clock::time_point at{std::chrono::seconds(1700000000)};
  metrics.ObserveTlsReload(true, at);
  metrics.ObserveTlsReload(false, at + std::chrono::seconds(5));
  metrics.SetCertificateNotAfter(at + std::chrono::hours(24));
  metrics.ObserveTlsHandshakeFailure("peer", "unknown_ca");
  metrics.ObserveTlsHandshakeFailure("peer", "unknown_ca");
  metrics.ObserveTlsHandshakeFailure("peer", "protocol");
  text = metrics.Render(registry);
  EXPECT_THAT(text, HasSubstr("groupcache_tls_reloads_total{result=\"ok\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("groupcache_tls_reloads_total{result=\"error\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("groupcache_tls_last_reload_success_timestamp_seconds 1700000000\n"));
  EXPECT_THAT(text, HasSubstr("groupcache_tls_certificate_not_after_seconds 1700086400\n"));
  EXPECT_THAT(
      text,
      HasSubstr("groupcache_tls_handshake_failures_total{listener=\"peer\",reason=\"unknown_ca\"} 2\n"));
  EXPECT_THAT(
      text, HasSubstr("groupcache_tls_handshake_failures_total{listener=\"peer\",reason=\"protocol\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE groupcache_tls_handshake_failures_total counter\n"));
}

TEST(MetricsTlsTest, ListenerCountersAreReadAtEachRender) {
  Metrics metrics;
  groupcache::GroupRegistry registry;
  groupcache::HttpServerStats peer{.accepted = 7, .refused = 2, .open = 3};
  metrics.SetListenerProbes(
      {{"peer", [&peer] { return peer; }},
       {"api", [] { return groupcache::HttpServerStats{.accepted = 1, .refused = 0, .open = 1}; }}});
  std::string text = metrics.Render(registry);
  EXPECT_THAT(text, HasSubstr("groupcache_connections_open{listener=\"peer\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("groupcache_connections_open{listener=\"api\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("groupcache_connections_accepted_total{listener=\"peer\"} 7\n"));
  EXPECT_THAT(text, HasSubstr("groupcache_connections_refused_total{listener=\"peer\"} 2\n"));
  peer.accepted = 9;
  text = metrics.Render(registry);
  EXPECT_THAT(text, HasSubstr("groupcache_connections_accepted_total{listener=\"peer\"} 9\n"));
}

}  // namespace
}  // namespace groupcached
