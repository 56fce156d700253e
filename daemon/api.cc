// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "api.h"

#include <chrono>
#include <cstring>
#include <memory>
#include <utility>

#include "groupcache/url.h"

namespace groupcached {
namespace {

using groupcache::ByteView;
using groupcache::Group;
using groupcache::HttpRequest;
using groupcache::HttpResponse;
using groupcache::Responder;
using groupcache::Result;
using groupcache::StatusCode;
using groupcache::TextResponse;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kGroupsPrefix = "/groups/";

struct Api {
  groupcache::GroupRegistry& registry;
  Metrics& metrics;
  Logger& logger;
  ApiOptions options;
  std::function<bool()> ready;
};

// Sends one response and counts it in the metrics, with the time since the
// request arrived. Move-only, like the Responder it wraps.
class Reply {
 public:
  Reply(const Api& api, Responder responder)
      : api_(&api), responder_(std::move(responder)), start_(Clock::now()) {}

  // `group` labels the request: a configured group's name, or "".
  void Send(HttpResponse response, std::string_view group = {}) && {
    api_->metrics.ObserveClientRequest(group, response.status, Clock::now() - start_);
    std::move(responder_).Send(std::move(response));
  }

  const Api& api() const { return *api_; }

 private:
  const Api* api_;
  Responder responder_;
  Clock::time_point start_;
};

bool IsGetOrHead(const HttpRequest& request) { return request.method == "GET" || request.method == "HEAD"; }

HttpResponse MethodNotAllowed() {
  HttpResponse response = TextResponse(405, "method not allowed");
  response.headers.emplace_back("Allow", "GET, HEAD");
  return response;
}

// Answers a value lookup once the group has the outcome; runs on an I/O
// thread for a cache hit, on the thread that finished the load otherwise.
void Answer(Reply reply, const Group& group, std::string_view key, std::string_view if_none_match,
            Result<ByteView> result) {
  const Api& api = reply.api();
  if (!result.ok()) {
    const groupcache::Status& status = result.status();
    if (status.code() == StatusCode::kNotFound) {
      if (api.logger.enabled(LogLevel::kDebug)) {
        api.logger.Debug("key not found", {{"group", group.name()}, {"key", api.logger.KeyRef(key)}});
      }
      return std::move(reply).Send(TextResponse(404, "not found"), group.name());
    }
    // Sources refuse keys they cannot name (a files source's "../"): the
    // client's fault, so 400 rather than "source failed".
    const bool invalid = status.code() == StatusCode::kInvalidArgument;
    api.logger.Log(invalid ? LogLevel::kInfo : LogLevel::kWarn,
                   invalid ? "key refused by source" : "source failed",
                   {{"group", group.name()},
                    {"key", api.logger.KeyRef(key)},
                    {"code", std::string(groupcache::StatusCodeName(status.code()))},
                    {"error", status.message()}});
    return std::move(reply).Send(
        invalid ? TextResponse(400, "invalid key") : TextResponse(502, "source failed"), group.name());
  }
  const std::string etag = internal::ETagOf(result->view());
  if (!if_none_match.empty() && internal::IfNoneMatchMatches(if_none_match, etag)) {
    HttpResponse not_modified;
    not_modified.status = 304;
    not_modified.headers.emplace_back("ETag", etag);
    return std::move(reply).Send(std::move(not_modified), group.name());
  }
  HttpResponse response;
  response.content_type = "application/octet-stream";
  response.headers.emplace_back("ETag", etag);
  response.body = std::move(result).value();  // shares the cached buffer: no copy
  std::move(reply).Send(std::move(response), group.name());
}

void ServeValue(const HttpRequest& request, Reply reply) {
  const Api& api = reply.api();
  if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed());
  const std::string_view rest = request.path.substr(kGroupsPrefix.size());
  const size_t slash = rest.find('/');
  groupcache::Result<std::string> group_name = groupcache::PathUnescape(rest.substr(0, slash));
  if (!group_name.ok()) return std::move(reply).Send(TextResponse(400, "invalid group name"));
  Group* group = api.registry.GetGroup(*group_name);
  if (group == nullptr) return std::move(reply).Send(TextResponse(404, "group not found"));

  groupcache::Result<std::string> key = slash == std::string_view::npos
                                            ? groupcache::Result<std::string>(std::string())
                                            : groupcache::PathUnescape(rest.substr(slash + 1));
  if (!key.ok() || key->empty() || key->size() > api.options.max_key_bytes ||
      key->find('\0') != std::string::npos) {
    return std::move(reply).Send(TextResponse(400, "invalid key"), group->name());
  }
  std::string if_none_match(request.header("If-None-Match"));
  // The callback keeps a copy of the key (for the log, should the load
  // fail): moving it would leave the view GetAsync reads pointing at a
  // moved-from string.
  group->GetAsync(*key, [reply = std::move(reply), group, key = *key,
                         if_none_match = std::move(if_none_match)](Result<ByteView> result) mutable {
    Answer(std::move(reply), *group, key, if_none_match, std::move(result));
  });
}

uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t Read64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only, as the daemon targets (x86-64, arm64)
}

uint32_t Read32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

namespace internal {

// XXH64 (github.com/Cyan4973/xxHash, "XXH64 algorithm description"): fast
// enough (several GB/s) to hash every value answered, on the I/O thread.
uint64_t Hash64(std::string_view bytes) {
  constexpr uint64_t kP1 = 0x9E3779B185EBCA87ULL;
  constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
  constexpr uint64_t kP3 = 0x165667B19E3779F9ULL;
  constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ULL;
  constexpr uint64_t kP5 = 0x27D4EB2F165667C5ULL;
  auto round = [](uint64_t acc, uint64_t input) { return Rotl(acc + input * kP2, 31) * kP1; };
  auto merge = [&](uint64_t acc, uint64_t v) { return (acc ^ round(0, v)) * kP1 + kP4; };

  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  uint64_t h;
  if (bytes.size() >= 32) {
    uint64_t v1 = kP1 + kP2, v2 = kP2, v3 = 0, v4 = 0 - kP1;
    for (; end - p >= 32; p += 32) {
      v1 = round(v1, Read64(p));
      v2 = round(v2, Read64(p + 8));
      v3 = round(v3, Read64(p + 16));
      v4 = round(v4, Read64(p + 24));
    }
    h = Rotl(v1, 1) + Rotl(v2, 7) + Rotl(v3, 12) + Rotl(v4, 18);
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = kP5;
  }
  h += bytes.size();
  for (; end - p >= 8; p += 8) h = Rotl(h ^ round(0, Read64(p)), 27) * kP1 + kP4;
  if (end - p >= 4) {
    h = Rotl(h ^ (Read32(p) * kP1), 23) * kP2 + kP3;
    p += 4;
  }
  for (; p < end; ++p) h = Rotl(h ^ (static_cast<unsigned char>(*p) * kP5), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

std::string ETagOf(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t hash = Hash64(value);
  std::string etag(18, '"');
  for (int i = 16; i >= 1; --i, hash >>= 4) etag[i] = kHex[hash & 0xF];
  return etag;
}

bool IfNoneMatchMatches(std::string_view header, std::string_view etag) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  if (trim(header) == "*") return true;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace internal

void RegisterApi(groupcache::HttpServer& server, groupcache::GroupRegistry& registry, Metrics& metrics,
                 Logger& logger, ApiOptions options, std::function<bool()> ready) {
  auto api = std::make_shared<const Api>(Api{registry, metrics, logger, options, std::move(ready)});

  server.Handle(std::string(kGroupsPrefix), [api](const HttpRequest& request, Responder responder) {
    ServeValue(request, Reply(*api, std::move(responder)));
  });
  server.Handle("/metrics", [api](const HttpRequest& request, Responder responder) {
    Reply reply(*api, std::move(responder));
    if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed());
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = ByteView::CopyOf(api->metrics.Render(api->registry));
    std::move(reply).Send(std::move(response));
  });
  server.Handle("/healthz", [api](const HttpRequest& request, Responder responder) {
    Reply reply(*api, std::move(responder));
    if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed());
    std::move(reply).Send(TextResponse(200, "ok"));
  });
  server.Handle("/readyz", [api](const HttpRequest& request, Responder responder) {
    Reply reply(*api, std::move(responder));
    if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed());
    const bool is_ready = !api->ready || api->ready();
    std::move(reply).Send(is_ready ? TextResponse(200, "ready") : TextResponse(503, "not ready"));
  });
  server.Handle("/", [api](const HttpRequest&, Responder responder) {
    Reply(*api, std::move(responder)).Send(TextResponse(404, "not found"));
  });
}

}  // namespace groupcached
