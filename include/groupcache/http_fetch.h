// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A bounded HTTP(S) client for reading values from an origin server: the
// network half of a getter that loads from another HTTP service. One
// deadline covers everything a fetch does, bodies are capped on their own
// and against a shared ByteBudget, and TLS always verifies the server.
//
//   groupcache::HttpFetcherOptions options;
//   options.timeout = std::chrono::seconds(2);
//   auto fetcher = groupcache::HttpFetcher::Create(options);  // Result<...>
//   // On a worker thread (a getter):
//   auto response = (*fetcher)->FetchAndWait({.url = "https://origin/v/k"});
//   if (response.ok() && response->status_code == 200) dest.SetString(response->body);
#ifndef GROUPCACHE_HTTP_FETCH_H_
#define GROUPCACHE_HTTP_FETCH_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "groupcache/byte_budget.h"
#include "groupcache/export.h"
#include "groupcache/function.h"
#include "groupcache/status.h"

namespace groupcache {

// An absolute http(s) URL, split for a request.
struct GROUPCACHE_API FetchUrl {
  bool tls = false;
  std::string host;         // without IPv6 brackets
  std::string port;         // always set: the scheme's default if the URL has none
  std::string host_header;  // host[:port] as the Host header spells it
  std::string target;       // "/path?query", never empty

  // "https://host:port": what error messages name. The target is left out,
  // as it may hold a key that must not reach a log.
  std::string origin() const;
};

// Parses "http://host[:port][/target]" or "https://...", an IPv6 host in
// brackets. User info, whitespace, control characters, braces in the host,
// an IPv6 host without brackets, stray brackets and a port outside 1..65535
// are InvalidArgument; a fragment is dropped.
GROUPCACHE_API Result<FetchUrl> ParseFetchUrl(std::string_view url);

// Resolves a Location header against the URL that answered it: absolute,
// scheme-relative ("//host/x"), absolute-path and relative references. Only
// http(s) targets are accepted, and an https base never resolves to http:
// InvalidArgument otherwise.
GROUPCACHE_API Result<FetchUrl> ResolveRedirect(const FetchUrl& base, std::string_view location);

// A header of a request or a response, as sent or received (names keep
// their case; compare them case-insensitively).
struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpFetchRequest {
  // An http:// or https:// URL (ParseFetchUrl's rules).
  std::string url;
  // Sent after Host and before Connection: close, which the fetcher sets
  // (a Host or Connection given here is InvalidArgument). A request without
  // a User-Agent gets HttpFetcherOptions::user_agent. Names must be tokens
  // and values must hold no CR, LF or NUL: InvalidArgument otherwise.
  std::vector<HttpHeader> headers;
};

struct GROUPCACHE_API HttpFetchResponse {
  int status_code = 0;
  // Every header field of the response, in order; repeated names repeat.
  std::vector<HttpHeader> headers;
  // The body of a 2xx response; empty (and never read from the network) for
  // any other status.
  std::string body;
  // The URL that answered, after any redirects followed.
  FetchUrl url;

  // The value of the first header named `name` (case-insensitive), or
  // nullopt. The view lives as long as this response.
  std::optional<std::string_view> Header(std::string_view name) const;
};

struct HttpFetcherOptions {
  // One deadline for the whole fetch: name lookup, connect, TLS handshake,
  // request, every byte of the response, and every redirect hop. When it
  // passes, the fetch fails with DeadlineExceeded and its socket is closed
  // at once, however the server is sending (1-byte chunks, endless chunk
  // extensions, a trickle).
  std::chrono::milliseconds timeout{5000};
  // A 2xx body over this is ResourceExhausted; a Content-Length over it is
  // refused before any of the body is read.
  size_t max_body_bytes = size_t{64} << 20;
  // Response heads over this are Unavailable.
  size_t max_header_bytes = 16 * 1024;
  // Redirects (301, 302, 303, 307, 308 with a Location) followed, each on a
  // new connection within the same deadline. With 0 a redirect is returned
  // as the response. A redirect from https to http, to another scheme or
  // without a Location, or one more than this, is Unavailable.
  int max_redirects = 0;
  // PEM file of the CAs that may sign an https server's certificate; empty
  // means the system's CAs. The certificate must also name the URL's host
  // (a DNS name, or an IP address for an IP literal). TLS 1.2 at least.
  std::string ca_file;
  // Bodies being received are leased from this budget (for instance the
  // Runtime's response_budget(), shared with the peer client); a fetch that
  // would take it over its limit is ResourceExhausted. Null: no aggregate
  // cap. Not owned; must outlive the fetcher.
  ByteBudget* budget = nullptr;
  // Sent as User-Agent unless the request has one.
  std::string user_agent = "groupcache";
};

namespace internal {
class HttpFetcherImpl;
}

// An HttpFetcher makes HTTP/1.1 GET requests, each on a new connection
// (Connection: close), on an I/O thread of its own that never blocks.
// Outcomes: a response with any status code (see HttpFetchResponse::body for
// which bodies are read), or DeadlineExceeded (the timeout passed),
// ResourceExhausted (a body over max_body_bytes or the budget), Unavailable
// (name lookup, connect, TLS or certificate failure, a malformed or
// oversized response head, a redirect not followed), InvalidArgument (a
// malformed URL or header). Error messages name the URL's origin but never
// its path or query.
// Thread-safety: safe for concurrent use.
class GROUPCACHE_API HttpFetcher {
 public:
  using Callback = MoveOnlyFunction<void(Result<HttpFetchResponse>)>;

  // Returns a fetcher with its I/O thread started. InvalidArgument for a
  // timeout or max_body_bytes that is not positive, a negative
  // max_redirects, or a ca_file (or system CA store) that cannot be loaded.
  static Result<std::unique_ptr<HttpFetcher>> Create(HttpFetcherOptions options);

  // Stops every fetch still in flight (each callback runs, with
  // Unavailable, before this returns) and joins the I/O thread. A name
  // lookup in progress cannot be interrupted: it is waited for.
  // REQUIRES: no FetchAndWait is in progress, and no callback is running.
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // Starts fetching `request` and returns at once. `done` runs exactly once,
  // on the fetcher's I/O thread (or on the thread destroying the fetcher),
  // with the outcome; it must not block.
  void Fetch(HttpFetchRequest request, Callback done);

  // Fetches `request` and blocks the calling thread until the outcome, and
  // never past the deadline: a name lookup stuck beyond it is abandoned and
  // reported as DeadlineExceeded. For worker threads (getters), never for an
  // event loop.
  Result<HttpFetchResponse> FetchAndWait(HttpFetchRequest request);

  const HttpFetcherOptions& options() const;

 private:
  explicit HttpFetcher(std::unique_ptr<internal::HttpFetcherImpl> impl);
  std::unique_ptr<internal::HttpFetcherImpl> impl_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_HTTP_FETCH_H_
