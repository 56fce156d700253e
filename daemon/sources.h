// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The getters groupcached can be configured with: a fixed map, files below a
// root directory, an HTTP(S) origin, and a PostgreSQL query.
//
// Every source's error messages name what failed (the origin, the errno) but
// never the key, so the server may log them next to a keyed hash of the key
// without revealing it.
#ifndef GROUPCACHED_SOURCES_H_
#define GROUPCACHED_SOURCES_H_

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "groupcache/byte_budget.h"
#include "groupcache/getter.h"
#include "groupcache/status.h"

namespace groupcached {

// Returns a getter answering from `values`; any other key is NotFound.
groupcache::Result<std::shared_ptr<groupcache::Getter>> MakeStaticSource(
    const std::map<std::string, std::string>& values);

// Returns a getter whose key is a relative path below `root` and whose value
// is that file's content. Keys are refused with InvalidArgument, without any
// file-system access outside the root, when they are empty, absolute, contain
// a NUL byte or a ".." component, or lead through a symbolic link that
// resolves outside the root (an absolute symbolic link is refused even when
// it points inside). Only regular files are served: a directory or a device
// is InvalidArgument. A missing file is NotFound; a file over `max_bytes` is
// ResourceExhausted. The root is opened once, here: InvalidArgument when it
// is missing or not a directory. Safe for concurrent use.
groupcache::Result<std::shared_ptr<groupcache::Getter>> MakeFilesSource(const std::string& root,
                                                                        size_t max_bytes);

struct HttpSourceOptions {
  // "http://host[:port]/path" or "https://...", where every "{key}" in the
  // path or query is replaced by the key, percent-encoded: every byte except
  // A-Z a-z 0-9 - . _ ~ and '/' becomes %XX. '/' is kept so a key can be a
  // path below the template's prefix; for that reason a key with an empty,
  // "." or ".." path segment is refused (InvalidArgument), as the origin
  // could otherwise normalise it out of the prefix.
  std::string url_template;
  // One deadline for the whole fetch: resolve, connect, TLS handshake,
  // request, response, and every redirect hop. When it passes the fetch is
  // cancelled and its socket closed, however the origin is sending.
  std::chrono::milliseconds timeout{5000};
  // A larger response body is ResourceExhausted, and is not read.
  size_t max_bytes = 64 * 1024 * 1024;
  // Redirects (301, 302, 303, 307, 308) followed to other http(s) URLs; 0
  // follows none. A redirect from https to http is never followed.
  int max_redirects = 0;
  // stale-if-error: when the origin fails (no answer, or a 5xx) this long
  // after the value this node held expired, that value is served again,
  // marked stale (HttpMeta::stale_until_unix_nanos), and the origin asked
  // again a second later. 0: never; the failure is the answer.
  std::chrono::milliseconds stale_if_error{0};
  // PEM file of the CAs that may sign the origin's certificate; empty means
  // the system's CAs. The certificate must also match the URL's host.
  std::string ca_file;
  // Response bodies being received are leased from this budget (shared with
  // the peer client: the runtime's response_budget()); a fetch that would go
  // over it is ResourceExhausted. Null: no aggregate cap. Not owned; must
  // outlive the source.
  groupcache::ByteBudget* budget = nullptr;
};

// Returns a getter that fetches GET <url_template with the key> from an
// origin. 200 is the value, an envelope (http_envelope.h) of the body with
// its Content-Type and validators, with the expiry its Cache-Control,
// Expires and Age headers give (ParseFreshness in http_freshness.h; a
// response that may not be stored gets an expiry in the past). An expired
// value still held is revalidated (If-None-Match, If-Modified-Since), and a
// 304 keeps its body with the new expiry; see stale_if_error for failures.
// 404 and 410 are NotFound; a redirect that is not
// followed is Unavailable("origin redirected ..."); any other status is
// Unavailable with the status code (the body is not read). The deadline
// passing is DeadlineExceeded; network and TLS failures are Unavailable.
// Errors: InvalidArgument for a malformed template or options, or an
// unreadable ca_file. Safe for concurrent use. The getter is an AsyncGetter:
// a group starts its fetch on the asking thread and no thread waits for the
// origin; each source owns one I/O thread, which ends the loads. (Get, the
// blocking form, waits for the fetch.)
groupcache::Result<std::shared_ptr<groupcache::Getter>> MakeHttpSource(HttpSourceOptions options);

struct PostgresSourceOptions {
  // A libpq connection string ("host=... dbname=... user=... password=...")
  // or URI. A secret: it appears in no message, and neither does any value
  // parsed from it other than host, port and dbname.
  std::string conninfo;
  // A query with one parameter, $1, bound to the key as text (never
  // interpolated). See MakePostgresSource for what its result must be.
  std::string query;
  // One deadline per Get: waiting for a pooled connection, connecting, and
  // the query. When it passes the connection is closed.
  std::chrono::milliseconds timeout{2000};
  // Connections opened at most, each on first need and kept while healthy.
  int pool_size = 4;
  // A larger value is ResourceExhausted.
  size_t max_bytes = 64 * 1024 * 1024;
};

// Returns a getter that runs `query` with the key as $1 on a PostgreSQL
// server, through a pool of at most pool_size connections opened lazily
// (nothing is contacted here) with asynchronous libpq, so that every wait is
// bounded by the deadline (except a host name's resolution, which libpq does
// blocking: use an IP address or a socket directory to bound it too). The
// result must be one column of type bytea, text, varchar, char, name or
// json, fetched in binary format so that the value is its raw bytes (cast
// any other type in the query). One row is the value; no row, or a NULL, is
// NotFound; more than one row or column, another column type or a statement
// that returns no rows is Internal, with a message saying so. A key with a
// NUL byte is InvalidArgument, as is one the server cannot take as $1's type
// (SQLSTATE class 22). Connection and server failures are Unavailable, a
// reused connection found broken being retried once on a new one; the
// deadline passing is DeadlineExceeded, and closes the connection (the
// server may still finish the query); a value over max_bytes is
// ResourceExhausted (after it was received); other SQL errors are Internal.
// Messages name the server (host, port, dbname) and the SQLSTATE, never the
// key or the password: a server message quoting either is withheld. Errors
// here: InvalidArgument for a conninfo libpq cannot parse (without echoing
// it), a query without $1, a non-positive timeout, or a pool_size outside
// 1..kMaxPostgresPoolSize. Safe for concurrent use; Get blocks the calling
// (worker) thread, in poll(), until the deadline at most.
groupcache::Result<std::shared_ptr<groupcache::Getter>> MakePostgresSource(PostgresSourceOptions options);

inline constexpr int kMaxPostgresPoolSize = 64;

namespace internal {

// Opens `path` (relative, already checked for "..", NUL and emptiness) for
// reading below the directory `root_fd`, following symbolic links only while
// they stay below it. With use_openat2 the kernel's openat2(RESOLVE_BENEATH)
// does the work; without it (or when the kernel lacks openat2) the path is
// walked one component at a time with O_NOFOLLOW, as it is when openat2 asks
// for a retry (EAGAIN) more than `openat2_attempts` times in a row: a lookup
// that climbs with ".." restarts whenever anything on the machine is renamed.
// Returns the descriptor or -errno (EXDEV for an escape). Exposed for tests
// of both paths.
inline constexpr int kOpenat2Attempts = 8;
int OpenBeneath(int root_fd, std::string_view path, bool use_openat2,
                int openat2_attempts = kOpenat2Attempts);

// Appends `key` to `out` percent-encoded as described at url_template.
void AppendKeyEscaped(std::string& out, std::string_view key);

}  // namespace internal

}  // namespace groupcached

#endif  // GROUPCACHED_SOURCES_H_
