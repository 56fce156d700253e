// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// OpenSSL contexts for mutual TLS between peers, built from TlsOptions.
#ifndef GROUPCACHE_SRC_HTTP_TLS_CONTEXT_H_
#define GROUPCACHE_SRC_HTTP_TLS_CONTEXT_H_

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/mutex.h"
#include "groupcache/status.h"
#include "groupcache/tls.h"

namespace groupcache::internal {

enum class TlsRole { kServer, kClient };

// Returns a context for TLS 1.2+ (1.3 preferred) that presents the
// certificate and key of `options` and verifies the other side against
// options.ca_file; a server context also demands a client certificate.
// Errors name the file that could not be used.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeTlsContext(const TlsOptions& options, TlsRole role);

// Makes a client connection check that the server's certificate names
// `host` (a DNS name or an IP literal), and sends `host` as SNI when it is a
// name. Returns false if OpenSSL refused the settings.
bool ExpectPeerHost(SSL* ssl, const std::string& host);

// A TlsContextCell holds the TLS context that new connections use, and lets
// a reload replace it whole. A connection takes the context once, as it
// opens, and keeps that shared_ptr until it closes, so established
// connections finish on the context they started with.
// Thread-safety: safe for concurrent use.
class TlsContextCell {
 public:
  explicit TlsContextCell(std::shared_ptr<boost::asio::ssl::context> context)
      : context_(std::move(context)) {}

  // The context in force now; never null.
  std::shared_ptr<boost::asio::ssl::context> Get() const EXCLUDES(mu_) {
    MutexLock lock(mu_);
    return context_;
  }
  // Counts the contexts published: 0 for the first, one more per Publish. A
  // relaxed read, so that a pooled connection can be checked cheaply.
  uint64_t generation() const { return generation_.load(std::memory_order_relaxed); }
  // Makes `context` (not null) the one new connections use.
  void Publish(std::shared_ptr<boost::asio::ssl::context> context) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    context_ = std::move(context);
    generation_.fetch_add(1, std::memory_order_relaxed);
  }

 private:
  mutable Mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> context_ GUARDED_BY(mu_);
  std::atomic<uint64_t> generation_{0};
};

// Why a server-side TLS handshake failed, as one fixed word for logs and
// metric labels: "no_client_certificate", "unknown_ca", "expired",
// "not_yet_valid", "bad_certificate" (the client's certificate failed
// verification otherwise, or the client refused ours), "protocol" (not TLS,
// e.g. plain HTTP, or no common version or cipher), "closed" (the peer hung
// up during the handshake) or "other". `ec` is the handshake's error and
// `ssl` its connection. Timeouts are the caller's to tell ("timeout").
std::string_view ClassifyHandshakeFailure(const boost::system::error_code& ec, SSL* ssl);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_TLS_CONTEXT_H_
