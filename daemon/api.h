// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The client API of groupcached:
//
//   GET|HEAD /groups/{group}/{key}  the value: 200 with an ETag (etag.h;
//                                   304 for a matching If-None-Match), as
//                                   application/octet-stream, or for a group
//                                   whose source is http the origin's
//                                   Content-Type, and a Warning header
//                                   (110, "Response is Stale") when served
//                                   stale while the origin fails; 400
//                                   invalid key; 404 unknown group or key;
//                                   502 source failed
//   DELETE /groups/{group}/{key}    removes the key from every node's caches
//                                   (Group::Remove): 200 "removed"; 401
//                                   without "Authorization: Bearer <token>"
//                                   (api.delete_token_file); 405 when no
//                                   token is configured; 502 when a peer
//                                   could not be reached (the owner first:
//                                   then nothing changed)
//   DELETE /groups/{group}          empties the group's caches on every node
//                                   (Group::Purge): 200 "purged"; the same
//                                   token rules; 502 when a node could not
//                                   be reached (the others are purged)
//   GET|HEAD /metrics               Prometheus text format 0.0.4
//   GET|HEAD /healthz               200 "ok" while the process serves
//   GET|HEAD /readyz                200 "ready", or 503 "not ready"
//   GET|HEAD /status                the status page (status_page.h): HTML,
//                                   self-contained, no script
//   GET|HEAD /status.json           the same as one JSON object
//
// {group} and {key} are percent-decoded as a URL path is ('+' stays '+'); the
// key is the whole rest of the path, so it may contain '/'. Error bodies are
// fixed words: never a key, a value or a source's error message, which go
// only to the log, the key as Logger::KeyRef.
#ifndef GROUPCACHED_API_H_
#define GROUPCACHED_API_H_

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "groupcache/http_server.h"
#include "groupcache/registry.h"
#include "log.h"
#include "metrics.h"
#include "status_page.h"

namespace groupcached {

struct ApiOptions {
  size_t max_key_bytes = 4096;  // decoded; longer keys get 400
  // The bearer token DELETE requests must carry; empty: DELETE gets 405.
  std::string delete_token;
  // Groups whose values are http envelopes (http_envelope.h): their body,
  // Content-Type and staleness are answered.
  std::set<std::string, std::less<>> http_groups;
  // What /status and /status.json show, gathered for each request on an I/O
  // thread (so it must be thread-safe, and quick). Unset: both answer 404.
  std::function<StatusData()> status;
};

// Registers the client API's handlers on `server` (before its Start), and a
// catch-all "/" answering 404, so every request is counted in `metrics`.
// `registry`, `metrics` and `logger` must outlive the server and every load
// it started (a value answered after the server stopped still reaches them:
// shut the runtime down first); `ready` is called on I/O threads for each
// /readyz and must be cheap and thread-safe.
void RegisterApi(groupcache::HttpServer& server, groupcache::GroupRegistry& registry, Metrics& metrics,
                 Logger& logger, ApiOptions options, std::function<bool()> ready);

}  // namespace groupcached

#endif  // GROUPCACHED_API_H_
