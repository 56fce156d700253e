// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The http source: the daemon's policy for loading values from an origin (a
// URL template with {key}, which keys are allowed, which statuses mean what)
// over the library's bounded client, groupcache/http_fetch.h. A 200's
// freshness headers set the value's expiry (http_freshness.h); the value
// is an envelope (http_envelope.h) keeping the Content-Type and validators,
// so that an expired value is revalidated (a 304 keeps its body) and may be
// served for a while when the origin fails (stale_if_error).
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "groupcache/http_fetch.h"
#include "http_envelope.h"
#include "http_freshness.h"
#include "origin_url.h"
#include "sources.h"

namespace groupcached {
namespace {

using groupcache::ByteView;
using groupcache::Getter;
using groupcache::HttpFetcher;
using groupcache::HttpFetchRequest;
using groupcache::HttpFetchResponse;
using groupcache::Result;
using groupcache::Sink;
using groupcache::Status;

constexpr std::string_view kKeyPlaceholder = "{key}";

using internal::ParseUrl;
using internal::Url;

// Asynchronous: a load holds no thread while the origin answers. The
// fetcher's I/O thread runs the outcome (it copies the body once into the
// envelope) and ends the load.
class HttpSource final : public groupcache::AsyncGetter {
 public:
  HttpSource(std::unique_ptr<HttpFetcher> fetcher, Url base, std::vector<std::string> pieces,
             std::chrono::milliseconds stale_if_error)
      : fetcher_(std::move(fetcher)),
        base_(std::move(base)),
        pieces_(std::move(pieces)),
        stale_if_error_(stale_if_error) {}

  void GetAsync(std::string_view key, Sink& dest, Done done) override {
    if (Status valid = CheckKey(key); !valid.ok()) return done(std::move(valid));
    HttpFetchRequest request;
    request.url = base_.origin() + pieces_[0];
    for (size_t i = 1; i < pieces_.size(); ++i) {
      internal::AppendKeyEscaped(request.url, key);
      request.url += pieces_[i];
    }
    // The expired value this node held, if any: its validators make the
    // request conditional. A value from an older peer (no envelope) has
    // none and is fetched whole.
    std::optional<HttpEnvelope> previous;
    if (const ByteView* held = dest.previous()) previous = DecodeHttpEnvelope(*held);
    if (previous && !previous->meta.etag.empty()) {
      request.headers.push_back({"If-None-Match", previous->meta.etag});
    }
    if (previous && !previous->meta.last_modified.empty()) {
      request.headers.push_back({"If-Modified-Since", previous->meta.last_modified});
    }
    // Captures no member: the fetcher, destroyed with this source, answers
    // the fetches still in flight then.
    fetcher_->Fetch(std::move(request),
                    [&dest, done = std::move(done), previous = std::move(previous),
                     stale_if_error = stale_if_error_](Result<HttpFetchResponse> response) mutable {
                      done(Outcome(std::move(response), previous, stale_if_error, dest));
                    });
  }

 private:
  // What the origin's answer (or failure) means for the load.
  static Status Outcome(Result<HttpFetchResponse> response, std::optional<HttpEnvelope>& previous,
                        std::chrono::milliseconds stale_if_error, Sink& dest) {
    if (!response.ok()) return ServeStaleOr(response.status(), previous, stale_if_error, dest);
    const int code = response->status_code;
    const std::string where = "origin " + response->url.origin();
    switch (code) {
      case 200:
        dest.SetView(EncodeHttpEnvelope(MetaFromHeaders(*response), response->body));
        SetExpiryFromHeaders(response->headers, dest);
        return Status::Ok();
      case 304: {
        // Only a conditional request may be answered 304.
        if (!previous)
          return Status::Unavailable(where + ": origin answered 304 to an unconditional request");
        // Still valid: the stored body again, with the 304's headers and
        // freshness, and nothing read from the network. The same buffer
        // when those headers change nothing (the old expiry dropped: the
        // 304's, or the group's ttl, applies); else a new envelope.
        const HttpMeta before = previous->meta;
        UpdateMetaFrom304(*response, previous->meta);
        if (previous->meta == before) {
          dest.SetView(dest.previous()->WithExpiry(0));
        } else {
          dest.SetView(EncodeHttpEnvelope(previous->meta, previous->body.view()));
        }
        SetExpiryFromHeaders(response->headers, dest);
        return Status::Ok();
      }
      case 404:
      case 410:
        return Status::NotFound(where + ": origin answered " + std::to_string(code));
      case 301:
      case 302:
      case 303:
      case 307:
      case 308:
        // Only returned when the fetcher follows no redirects.
        return Status::Unavailable(where + ": origin redirected (" + std::to_string(code) + ")");
      default:
        if (code >= 500) {
          return ServeStaleOr(Status::Unavailable(where + ": origin answered " + std::to_string(code)),
                              previous, stale_if_error, dest);
        }
        return Status::Unavailable(where + ": origin answered " + std::to_string(code));
    }
  }

  // The origin's word on how long a shared cache may keep the value. Nothing
  // is logged: the headers may echo the key.
  static void SetExpiryFromHeaders(const std::vector<groupcache::HttpHeader>& headers, Sink& dest) {
    const Freshness freshness = ParseFreshness(headers, std::chrono::system_clock::now());
    switch (freshness.kind) {
      case Freshness::Kind::kStoreUntil:
        dest.SetExpiry(freshness.expiry);
        break;
      case Freshness::Kind::kDoNotStore:
        // Any time in the past: the callers waiting for this load get the
        // value, and no cache (here or at a peer) keeps it.
        dest.SetExpiry(kAlreadyExpired);
        break;
      case Freshness::Kind::kNoInfo:
        break;  // the group's ttl, if any, applies
    }
  }

  // The origin failed (`failure`: no answer, or a 5xx). Within
  // stale_if_error of the expiry of the value this node held, that value
  // is served again, marked stale (the API says so in a Warning header),
  // and kept for at most kStaleRetry so the origin is asked again soon;
  // past it, or with nothing held, the failure. `previous` is the held
  // value's envelope, decoded when the request was made.
  static Status ServeStaleOr(Status failure, std::optional<HttpEnvelope>& previous,
                             std::chrono::milliseconds stale_if_error, Sink& dest) {
    const ByteView* held = dest.previous();
    if (stale_if_error.count() <= 0 || !previous || held == nullptr || !held->expires()) return failure;
    const int64_t now = ByteView::ToUnixNanos(std::chrono::system_clock::now());
    int64_t until = previous->meta.stale_until_unix_nanos;
    if (until == 0) {  // stale from now on: the window starts at its expiry
      const int64_t window = std::chrono::duration_cast<std::chrono::nanoseconds>(stale_if_error).count();
      until = held->expire_unix_nanos() > INT64_MAX - window ? INT64_MAX : held->expire_unix_nanos() + window;
    }
    if (now >= until) return failure;
    previous->meta.stale_until_unix_nanos = until;
    dest.SetView(EncodeHttpEnvelope(previous->meta, previous->body.view()));
    const int64_t retry = std::chrono::duration_cast<std::chrono::nanoseconds>(kStaleRetry).count();
    dest.SetExpiry(
        std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(std::min(until, now + retry)))));
    return Status::Ok();
  }

  // How long a stale copy is kept before the origin is asked again.
  static constexpr std::chrono::seconds kStaleRetry{1};

  static constexpr std::chrono::system_clock::time_point kAlreadyExpired{
      std::chrono::system_clock::duration{1}};

  static Status CheckKey(std::string_view key) {
    if (key.empty()) return Status::InvalidArgument("empty key");
    for (size_t start = 0; start <= key.size();) {
      size_t slash = key.find('/', start);
      if (slash == std::string_view::npos) slash = key.size();
      const std::string_view segment = key.substr(start, slash - start);
      if (segment.empty() || segment == "." || segment == "..") {
        return Status::InvalidArgument("empty, \".\" or \"..\" path segment in key");
      }
      start = slash + 1;
    }
    return Status::Ok();
  }

  const std::unique_ptr<HttpFetcher> fetcher_;
  const Url base_;                         // the template's origin; target unused
  const std::vector<std::string> pieces_;  // the template's target split at each {key}
  const std::chrono::milliseconds stale_if_error_;
};

}  // namespace

namespace internal {

void AppendKeyEscaped(std::string& out, std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : key) {
    const unsigned char b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '.' ||
        b == '_' || b == '~' || b == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
}

}  // namespace internal

Result<std::shared_ptr<Getter>> MakeHttpSource(HttpSourceOptions options) {
  const std::string where = "http source \"" + options.url_template + "\"";
  Result<Url> base = ParseUrl(options.url_template);
  if (!base.ok()) return Status::InvalidArgument(where + ": " + base.status().message());
  if (options.timeout.count() <= 0) return Status::InvalidArgument(where + ": timeout must be positive");
  if (options.max_bytes == 0) return Status::InvalidArgument(where + ": max_bytes must be positive");
  if (options.stale_if_error.count() < 0)
    return Status::InvalidArgument(where + ": stale_if_error must not be negative");
  if (options.max_redirects < 0)
    return Status::InvalidArgument(where + ": max_redirects must not be negative");
  std::vector<std::string> pieces;
  const std::string& target = base->target;
  for (size_t start = 0;;) {
    const size_t at = target.find(kKeyPlaceholder, start);
    pieces.push_back(target.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + kKeyPlaceholder.size();
  }
  if (pieces.size() < 2) return Status::InvalidArgument(where + ": the URL must contain {key}");
  groupcache::HttpFetcherOptions fetch;
  fetch.timeout = options.timeout;
  fetch.max_body_bytes = options.max_bytes;
  fetch.max_redirects = options.max_redirects;
  fetch.ca_file = options.ca_file;
  fetch.budget = options.budget;
  fetch.user_agent = "groupcached/0.1";
  Result<std::unique_ptr<HttpFetcher>> fetcher = HttpFetcher::Create(std::move(fetch));
  if (!fetcher.ok()) return Status::InvalidArgument(where + ": " + fetcher.status().message());
  return std::shared_ptr<Getter>(std::make_shared<HttpSource>(
      std::move(fetcher).value(), std::move(base).value(), std::move(pieces), options.stale_if_error));
}

}  // namespace groupcached
