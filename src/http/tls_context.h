// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// OpenSSL contexts for mutual TLS between peers, built from TlsOptions.
#ifndef GROUPCACHE_SRC_HTTP_TLS_CONTEXT_H_
#define GROUPCACHE_SRC_HTTP_TLS_CONTEXT_H_

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <string>

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

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_TLS_CONTEXT_H_
