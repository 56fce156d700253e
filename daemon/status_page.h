// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The status page of the client API (GET /status, GET /status.json): what
// an operator looks at first. The node fills a StatusData; rendering it is a
// pure function, so what the page shows (and never shows) is tested without
// a server.
#ifndef GROUPCACHED_STATUS_PAGE_H_
#define GROUPCACHED_STATUS_PAGE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/build_info.h"
#include "groupcache/stats.h"

namespace groupcached {

using SystemTime = std::chrono::system_clock::time_point;

// One member of the ring as this node sees it.
struct StatusMember {
  std::string url;
  bool self = false;     // this node (never ejected; the fields below stay empty)
  bool ejected = false;  // skipped until a probe succeeds
  uint32_t consecutive_failures = 0;
  uint64_t ejections = 0;
  std::string last_error;  // empty: none yet
  std::optional<SystemTime> last_error_at;
  std::optional<SystemTime> ejected_until;  // while ejected: the next probe
};

// One group: its counters and how full its caches are against its budget.
struct StatusGroup {
  std::string name;
  int64_t cache_bytes = 0;  // the configured budget, main and hot caches together
  groupcache::Stats stats;
  groupcache::CacheStats main;
  groupcache::CacheStats hot;
};

// The node's certificate (tls.cert): its not-after time, or why it is not known.
struct StatusCertificate {
  std::string file;
  std::optional<SystemTime> not_after;
  std::string error;  // set when not_after is not
};

// Returns the certificate in use now, or nullopt when TLS is off. Called for
// each request of the page, on an I/O thread: must be thread-safe.
using CertificateLookup = std::function<std::optional<StatusCertificate>()>;

// Everything the page shows. Holds no cache key or value, and no secret.
struct StatusData {
  BuildInfo build;
  std::string self;  // node.self
  std::string api_address;
  std::string peer_address;
  bool ready = false;  // what /readyz answers
  SystemTime now{};
  SystemTime started{};
  std::string fingerprint;            // of the ring in use
  std::vector<StatusMember> members;  // self first, then the remote peers in ring-list order
  std::vector<StatusGroup> groups;
  std::optional<StatusCertificate> certificate;  // nullopt: TLS off
  // The configuration summary (SummarizeConfig in config.h): key, value.
  std::vector<std::pair<std::string, std::string>> config;
};

// Returns a complete HTML document for `data`: self-contained (inline
// style, no script, no external resource), every text HTML-escaped.
std::string RenderStatusHtml(const StatusData& data);

// Returns `data` as one JSON object (docs/configuration.md, "Status page"),
// every string JSON-escaped (invalid UTF-8 bytes become U+FFFD); times are
// RFC 3339 UTC strings, or null when absent.
std::string RenderStatusJson(const StatusData& data);

// `text` with & < > " ' replaced by their HTML character references.
std::string HtmlEscape(std::string_view text);

}  // namespace groupcached

#endif  // GROUPCACHED_STATUS_PAGE_H_
