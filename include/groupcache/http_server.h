// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_HTTP_SERVER_H_
#define GROUPCACHE_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "groupcache/byte_view.h"
#include "groupcache/export.h"
#include "groupcache/runtime.h"
#include "groupcache/status.h"
#include "groupcache/tls.h"

namespace groupcache {

namespace internal {
class HttpServerImpl;
struct ResponseSlot;
}  // namespace internal

// One HTTP request as a handler sees it. The views are valid only during the
// handler call: copy what must outlive it.
struct HttpRequest {
  std::string_view method;  // "GET", "HEAD", ...
  std::string_view target;  // the raw request-target, e.g. "/color?name=red"
  std::string_view path;    // the target before '?', still percent-encoded
  std::string_view query;   // the target after '?', or empty
  // The request body (empty for a request without one), at most
  // HttpServerOptions::max_body_bytes. Valid during the handler call only.
  std::string_view body;
  // Returns the value of header `name` (case-insensitive), or empty.
  std::function<std::string_view(std::string_view name)> header;
};

// A response. The body sent is body_prefix followed by body; the split lets a
// cached value be sent without being copied.
struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body_prefix;
  ByteView body;
};

// Returns a plain-text response as Go's http.Error writes it: the message plus
// "\n", text/plain; charset=utf-8, and X-Content-Type-Options: nosniff.
GROUPCACHE_API HttpResponse TextResponse(int status, std::string_view message);

// A Responder sends the response to one request, once, from any thread.
// Sending on the connection's own I/O thread (a cache hit) writes at once;
// from another thread it hands the response over to the I/O thread. A
// Responder dropped without Send answers 500. Move-only; not thread-safe.
class GROUPCACHE_API Responder {
 public:
  Responder() = default;
  explicit Responder(std::shared_ptr<internal::ResponseSlot> slot);
  Responder(Responder&&) noexcept;
  Responder& operator=(Responder&&) noexcept;
  ~Responder();

  void Send(HttpResponse response) &&;

 private:
  std::shared_ptr<internal::ResponseSlot> slot_;
};

using HttpHandler = std::function<void(const HttpRequest&, Responder)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";       // an IPv4 or IPv6 literal, or "" / "0.0.0.0" for all
  uint16_t port = 0;                    // 0: the OS chooses (see HttpServer::port)
  size_t max_target_bytes = 8 * 1024;   // longer request-targets get 414
  size_t max_header_bytes = 16 * 1024;  // request line plus headers; 431 beyond
  size_t max_body_bytes = 64 * 1024;    // request bodies; 413 beyond
  // Open connections. At the limit, a new connection is admitted by closing
  // the one idle longest (waiting for a request, partway through a request
  // head, or in or waiting for a TLS handshake), so that silent clients
  // cannot lock out real ones; only if every connection is serving a
  // request is the new one closed at once.
  size_t max_connections = 10000;
  // A new connection must send a complete request head within this time of
  // being accepted (TLS handshake included); a kept-alive connection within
  // this time of the first byte of its next request. Closed otherwise.
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds read_timeout{10000};  // to receive a body, from the end of its head
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive: waiting for the next request's first byte
  std::chrono::milliseconds write_timeout{30000};
  // TLS only: a handshake must finish within this time of its start.
  std::chrono::milliseconds handshake_timeout{5000};
  // TLS only: handshakes in progress at once, shared evenly by the I/O
  // threads (at least one each). A connection is given TLS state only when
  // it has sent its first bytes and a slot is free; until then it waits
  // (the newest first), costing little more than its socket.
  size_t max_handshakes = 256;
  // When set, the server speaks only HTTPS and refuses, during the
  // handshake and before reading any request, a client without a
  // certificate signed by tls->ca_file. HttpServer::ReloadTls replaces it
  // while serving.
  std::optional<TlsOptions> tls;
  // TLS only: called once for each connection whose handshake failed, on
  // that connection's I/O thread, so it must be cheap and must not block.
  // `remote_address` is the client's IP address (no port), `reason` one
  // fixed word: "no_client_certificate", "unknown_ca" (its certificate is
  // not signed by tls->ca_file, or it refused ours as unknown), "expired",
  // "not_yet_valid", "bad_certificate" (any other certificate failure, on
  // either side), "protocol" (not TLS, e.g. plain HTTP, or no common
  // version or cipher), "timeout" (no complete handshake within
  // handshake_timeout, or no first byte within header_timeout), "closed"
  // (the client hung up during the handshake) or "other". Connections that
  // close before their handshake starts (port probes), or that the server
  // closes itself (Stop, eviction at max_connections), are not reported.
  // `remote_address` is "unknown" if the socket could not tell it.
  std::function<void(std::string_view remote_address, std::string_view reason)> on_tls_handshake_failure;
};

// What an HttpServer has done with its connections (HttpServer::stats). A
// snapshot of relaxed counters: each is exact, but they are not read at one
// instant together.
struct HttpServerStats {
  uint64_t accepted = 0;  // connections accepted since Listen, refused ones included
  // Accepted connections closed at once, unserved: at max_connections with
  // every connection busy (see HttpServerOptions::max_connections).
  uint64_t refused = 0;
  size_t open = 0;  // connections open now, as connections() counts them
};

// An HttpServer is an HTTP/1.1 server with keep-alive on the runtime's I/O
// threads (plus one thread of its own that only accepts). Handlers are
// registered before Start, by path: a pattern ending in '/' matches every
// path below it, other patterns match exactly, and the longest pattern wins;
// unmatched paths get 404.
// Thread-safety: Handle must precede Start; Start, port, connections, stats,
// ReloadTls and Stop are safe to call from any thread. The runtime must outlive the server.
class GROUPCACHE_API HttpServer {
 public:
  // Binds the listening socket now, so address errors surface here
  // (Unavailable: "listen on 127.0.0.1:8080: address in use"; InvalidArgument
  // for a host that is not an IP literal, or a zero header_timeout,
  // handshake_timeout or max_handshakes).
  static Result<std::unique_ptr<HttpServer>> Listen(Runtime& runtime, HttpServerOptions options);
  ~HttpServer();  // Stop()

  void Handle(std::string pattern, HttpHandler handler);
  void Start();
  // The bound port (the OS's choice when options.port was 0).
  uint16_t port() const;
  // The number of connections open now. Each is admitted on its own I/O
  // thread, so one just accepted may not be counted yet.
  size_t connections() const;
  // Counts of accepted, refused and open connections; see HttpServerStats.
  HttpServerStats stats() const;
  // Loads `tls` (the CA, certificate and key files, as at Listen) and, only
  // if all of it loads and the key matches the certificate, makes it the
  // TLS material of every connection accepted from now on. Connections
  // already open, or in their handshake, keep the material they started
  // with until they close. Errors: InvalidArgument naming the file that
  // could not be used, or for a server that was not listening with TLS;
  // the material in use then stays.
  Status ReloadTls(const TlsOptions& tls);
  // Stops accepting, lets in-flight requests finish for up to `grace`, then
  // closes every connection. Idempotent.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

 private:
  explicit HttpServer(std::unique_ptr<internal::HttpServerImpl> impl);
  std::shared_ptr<internal::HttpServerImpl> impl_;
};

// Parses "host:port", ":port" or "[v6]:port" (Go's -addr syntax). An empty
// host means every interface. InvalidArgument for a port outside 0..65535,
// an unbracketed IPv6 host, or a host with whitespace, control characters or
// stray brackets.
GROUPCACHE_API Result<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view addr);

}  // namespace groupcache

#endif  // GROUPCACHE_HTTP_SERVER_H_
