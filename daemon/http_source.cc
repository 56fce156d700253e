// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The http source: the daemon's policy for loading values from an origin (a
// URL template with {key}, which keys are allowed, which statuses mean what)
// over the library's bounded client, groupcache/http_fetch.h. A 200's
// freshness headers set the value's expiry (http_freshness.h).
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "groupcache/http_fetch.h"
#include "http_freshness.h"
#include "origin_url.h"
#include "sources.h"

namespace groupcached {
namespace {

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

class HttpSource final : public Getter {
 public:
  HttpSource(std::unique_ptr<HttpFetcher> fetcher, Url base, std::vector<std::string> pieces)
      : fetcher_(std::move(fetcher)), base_(std::move(base)), pieces_(std::move(pieces)) {}

  Status Get(std::string_view key, Sink& dest) override {
    if (Status valid = CheckKey(key); !valid.ok()) return valid;
    HttpFetchRequest request;
    request.url = base_.origin() + pieces_[0];
    for (size_t i = 1; i < pieces_.size(); ++i) {
      internal::AppendKeyEscaped(request.url, key);
      request.url += pieces_[i];
    }
    Result<HttpFetchResponse> response = fetcher_->FetchAndWait(std::move(request));
    if (!response.ok()) return response.status();
    const int code = response->status_code;
    const std::string where = "origin " + response->url.origin();
    switch (code) {
      case 200:
        dest.SetString(response->body);
        SetExpiryFromHeaders(response->headers, dest);
        return Status::Ok();
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
        return Status::Unavailable(where + ": origin answered " + std::to_string(code));
    }
  }

 private:
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
  return std::shared_ptr<Getter>(
      std::make_shared<HttpSource>(std::move(fetcher).value(), std::move(base).value(), std::move(pieces)));
}

}  // namespace groupcached
