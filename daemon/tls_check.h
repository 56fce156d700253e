// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_TLS_CHECK_H_
#define GROUPCACHED_TLS_CHECK_H_

#include <chrono>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "groupcache/status.h"

// Loads the peer TLS files a configuration names and checks that they make a
// working identity, so that --check-config and a start refuse what the first
// handshake would: a key that is not the certificate's, a certificate that
// does not chain to tls.ca, one expired or not yet valid, one not naming the
// host of node.self, a file that cannot be read. Touches no network.
namespace groupcached {

// One problem: the config key naming the file ("tls.key") and the message,
// which reads "FILE:LINE: KEY: what is wrong" (Config::Where).
struct TlsProblem {
  std::string key;
  std::string message;
};

// What CheckTlsFiles found.
struct TlsFileReport {
  std::vector<TlsProblem> errors;
  std::vector<TlsProblem> warnings;  // e.g. a certificate expiring within kExpiryWarning
};

// A certificate with less than this left is reported as a warning.
inline constexpr std::chrono::hours kExpiryWarning{7 * 24};

// Checks tls.ca, tls.cert and tls.key of `config` (nothing when TLS is off)
// at time `now`; `key_passphrase` decrypts an encrypted key (empty: none).
// Reports every problem found, not only the first; a file that cannot be
// loaded stops only the checks that need it.
TlsFileReport CheckTlsFiles(const Config& config, const std::string& key_passphrase,
                            std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// What a certificate says of itself, for logs and metrics: nothing secret.
struct CertificateInfo {
  std::string subject;                              // e.g. "/CN=node-1"
  std::string serial;                               // hex
  std::string sha256;                               // fingerprint of the DER, hex
  std::chrono::system_clock::time_point not_after;  // the end of its validity
};

// Reads the first certificate of the PEM file at `path` (the leaf of a
// chain). InvalidArgument when it cannot be read or parsed.
groupcache::Result<CertificateInfo> DescribeCertificate(const std::string& path);

// A warning, as CheckTlsFiles makes it, when `info` has less than
// kExpiryWarning left at `now`; empty otherwise (expired included: the
// checks refuse that).
std::string ExpiryWarning(const CertificateInfo& info, const std::string& path,
                          std::chrono::system_clock::time_point now);

}  // namespace groupcached

#endif  // GROUPCACHED_TLS_CHECK_H_
