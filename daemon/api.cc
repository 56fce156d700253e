// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "api.h"

#include <openssl/crypto.h>

#include <chrono>
#include <memory>
#include <utility>

#include "daemon/etag.h"
#include "daemon/http_envelope.h"
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
// request arrived. Move-only, like the Responder it wraps. It shares the Api:
// a load may finish, and answer, after the server that asked has stopped.
class Reply {
 public:
  Reply(std::shared_ptr<const Api> api, Responder responder)
      : api_(std::move(api)), responder_(std::move(responder)), start_(Clock::now()) {}

  // `group` labels the request: a configured group's name, or "".
  void Send(HttpResponse response, std::string_view group = {}) && {
    api_->metrics.ObserveClientRequest(group, response.status, Clock::now() - start_);
    std::move(responder_).Send(std::move(response));
  }

  const Api& api() const { return *api_; }

 private:
  std::shared_ptr<const Api> api_;
  Responder responder_;
  Clock::time_point start_;
};

bool IsGetOrHead(const HttpRequest& request) { return request.method == "GET" || request.method == "HEAD"; }

HttpResponse MethodNotAllowed(bool deletes) {
  HttpResponse response = TextResponse(405, "method not allowed");
  response.headers.emplace_back("Allow", deletes ? "GET, HEAD, DELETE" : "GET, HEAD");
  return response;
}

// True when `authorization` is "Bearer <token>". The comparison takes the
// same time wherever the first difference is (CRYPTO_memcmp), so the token
// cannot be found byte by byte from response times; only its length shows.
bool BearerMatches(std::string_view authorization, const std::string& token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() != kScheme.size() + token.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i < kScheme.size(); ++i) {  // the scheme is case-insensitive (RFC 9110 11.1)
    if (lower(authorization[i]) != lower(kScheme[i])) return false;
  }
  return CRYPTO_memcmp(authorization.data() + kScheme.size(), token.data(), token.size()) == 0;
}

// DELETE /groups/{group}/{key}: Group::Remove, once the token is checked.
void RemoveValue(Reply reply, Group& group, std::string key) {
  group.RemoveAsync(key, [reply = std::move(reply), &group, key](groupcache::Status status) mutable {
    const Api& api = reply.api();
    if (!status.ok()) {
      api.logger.Warn(
          "remove incomplete",
          {{"group", group.name()}, {"key", api.logger.KeyRef(key)}, {"error", status.message()}});
      return std::move(reply).Send(TextResponse(502, "remove incomplete: a peer could not be reached"),
                                   group.name());
    }
    api.logger.Info("key removed", {{"group", group.name()}, {"key", api.logger.KeyRef(key)}});
    std::move(reply).Send(TextResponse(200, "removed"), group.name());
  });
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
  ByteView body = std::move(result).value();
  HttpMeta meta;
  if (api.options.http_groups.contains(group.name())) {
    // An envelope; a value that is not one (a peer running an older
    // groupcached sent the body alone) is that body.
    if (std::optional<HttpEnvelope> envelope = DecodeHttpEnvelope(body)) {
      meta = std::move(envelope->meta);
      body = std::move(envelope->body);  // a slice of the cached buffer
    }
  }
  // Of the body alone: a revalidated or stale value keeps its ETag.
  const std::string etag = ETagOf(body);
  if (!if_none_match.empty() && IfNoneMatchMatches(if_none_match, etag)) {
    HttpResponse not_modified;
    not_modified.status = 304;
    not_modified.headers.emplace_back("ETag", etag);
    return std::move(reply).Send(std::move(not_modified), group.name());
  }
  HttpResponse response;
  response.content_type = meta.content_type.empty() ? "application/octet-stream" : meta.content_type;
  response.headers.emplace_back("ETag", etag);
  if (meta.stale_until_unix_nanos != 0) {
    response.headers.emplace_back("Warning", "110 groupcached \"Response is Stale\"");
  }
  response.body = std::move(body);  // shares the cached buffer: no copy
  std::move(reply).Send(std::move(response), group.name());
}

// DELETE /groups/{group}: Group::Purge, once the token is checked.
void PurgeGroup(Reply reply, Group& group) {
  group.PurgeAsync([reply = std::move(reply), &group](groupcache::Status status) mutable {
    const Api& api = reply.api();
    if (!status.ok()) {
      api.logger.Warn("purge incomplete", {{"group", group.name()}, {"error", status.message()}});
      return std::move(reply).Send(TextResponse(502, "purge incomplete: a peer could not be reached"),
                                   group.name());
    }
    api.logger.Info("group purged", {{"group", group.name()}});
    std::move(reply).Send(TextResponse(200, "purged"), group.name());
  });
}

void ServeValue(const HttpRequest& request, Reply reply) {
  const Api& api = reply.api();
  const bool deletes = !api.options.delete_token.empty();
  const bool is_delete = request.method == "DELETE";
  if (!IsGetOrHead(request) && !(deletes && is_delete))
    return std::move(reply).Send(MethodNotAllowed(deletes));
  if (is_delete && !BearerMatches(request.header("Authorization"), api.options.delete_token)) {
    // Checked before the path is looked at: an unauthorised client learns
    // nothing about which groups exist.
    HttpResponse response = TextResponse(401, "unauthorized");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return std::move(reply).Send(std::move(response));
  }
  const std::string_view rest = request.path.substr(kGroupsPrefix.size());
  const size_t slash = rest.find('/');
  groupcache::Result<std::string> group_name = groupcache::PathUnescape(rest.substr(0, slash));
  if (!group_name.ok()) return std::move(reply).Send(TextResponse(400, "invalid group name"));
  Group* group = api.registry.GetGroup(*group_name);
  if (group == nullptr) return std::move(reply).Send(TextResponse(404, "group not found"));
  if (is_delete && slash == std::string_view::npos) return PurgeGroup(std::move(reply), *group);

  groupcache::Result<std::string> key = slash == std::string_view::npos
                                            ? groupcache::Result<std::string>(std::string())
                                            : groupcache::PathUnescape(rest.substr(slash + 1));
  if (!key.ok() || key->empty() || key->size() > api.options.max_key_bytes ||
      key->find('\0') != std::string::npos) {
    return std::move(reply).Send(TextResponse(400, "invalid key"), group->name());
  }
  if (is_delete) return RemoveValue(std::move(reply), *group, std::move(key).value());
  std::string if_none_match(request.header("If-None-Match"));
  // The callback keeps a copy of the key (for the log, should the load
  // fail): moving it would leave the view GetAsync reads pointing at a
  // moved-from string.
  group->GetAsync(*key, [reply = std::move(reply), group, key = *key,
                         if_none_match = std::move(if_none_match)](Result<ByteView> result) mutable {
    Answer(std::move(reply), *group, key, if_none_match, std::move(result));
  });
}

}  // namespace

void RegisterApi(groupcache::HttpServer& server, groupcache::GroupRegistry& registry, Metrics& metrics,
                 Logger& logger, ApiOptions options, std::function<bool()> ready) {
  auto api = std::make_shared<const Api>(Api{registry, metrics, logger, options, std::move(ready)});

  server.Handle(std::string(kGroupsPrefix), [api](const HttpRequest& request, Responder responder) {
    ServeValue(request, Reply(api, std::move(responder)));
  });
  server.Handle("/metrics", [api](const HttpRequest& request, Responder responder) {
    Reply reply(api, std::move(responder));
    if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed(false));
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = ByteView::CopyOf(api->metrics.Render(api->registry));
    std::move(reply).Send(std::move(response));
  });
  server.Handle("/healthz", [api](const HttpRequest& request, Responder responder) {
    Reply reply(api, std::move(responder));
    if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed(false));
    std::move(reply).Send(TextResponse(200, "ok"));
  });
  server.Handle("/readyz", [api](const HttpRequest& request, Responder responder) {
    Reply reply(api, std::move(responder));
    if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed(false));
    const bool is_ready = !api->ready || api->ready();
    std::move(reply).Send(is_ready ? TextResponse(200, "ready") : TextResponse(503, "not ready"));
  });
  const auto status_page = [api](bool json) {
    return [api, json](const HttpRequest& request, Responder responder) {
      Reply reply(api, std::move(responder));
      if (!IsGetOrHead(request)) return std::move(reply).Send(MethodNotAllowed(false));
      if (!api->options.status) return std::move(reply).Send(TextResponse(404, "not found"));
      const StatusData data = api->options.status();
      HttpResponse response;
      response.content_type = json ? "application/json" : "text/html; charset=utf-8";
      response.headers.emplace_back("Cache-Control", "no-store");
      response.body = ByteView::CopyOf(json ? RenderStatusJson(data) : RenderStatusHtml(data));
      std::move(reply).Send(std::move(response));
    };
  };
  server.Handle("/status", status_page(false));
  server.Handle("/status.json", status_page(true));
  server.Handle("/", [api](const HttpRequest&, Responder responder) {
    Reply(api, std::move(responder)).Send(TextResponse(404, "not found"));
  });
}

}  // namespace groupcached
