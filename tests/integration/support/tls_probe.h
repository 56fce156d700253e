// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A one-shot TLS client for probing a peer listener: what a client with a
// given certificate (or none) gets from it.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_TLS_PROBE_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_TLS_PROBE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace groupcache::integration {

struct TlsProbeOptions {
  std::string ca_file;    // verifies the server's certificate (required)
  std::string cert_file;  // the client's certificate; empty: present none
  std::string key_file;
  std::string verify_ip = "127.0.0.1";  // the server's certificate must name this IP
};

// What came of one connection.
struct TlsProbeResult {
  bool handshake_ok = false;  // SSL_connect succeeded (with TLS 1.3 the server
                              // may still refuse the client's certificate after)
  std::string received;       // application bytes read after sending the request
  std::string error;          // the OpenSSL or socket error that ended it, if any

  bool got_http_response() const { return received.starts_with("HTTP/"); }
};

// Connects to 127.0.0.1:`port`, does a TLS handshake as described by
// `options`, sends `request` and reads until the server closes, an error, or
// `timeout`. Never throws; failures are reported in the result.
TlsProbeResult ProbeTls(uint16_t port, const TlsProbeOptions& options, std::string_view request,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Connects to 127.0.0.1:`port` without TLS, sends `raw`, and returns every
// byte read until the server closes, an error, or `timeout`.
std::string ExchangePlain(uint16_t port, std::string_view raw,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_TLS_PROBE_H_
