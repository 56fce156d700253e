// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_TLS_H_
#define GROUPCACHE_TLS_H_

#include <string>

namespace groupcache {

// Mutual TLS between peers: both sides present a certificate signed by `ca`
// and verify the other's. TLS 1.2 at least; 1.3 preferred. Paths are PEM
// files; the private key may be encrypted, with its passphrase given here
// (read it from a file; never put it on a command line).
struct TlsOptions {
  std::string ca_file;         // the CA that signs every peer's certificate
  std::string cert_file;       // this node's certificate (chain), PEM
  std::string key_file;        // this node's private key, PEM, maybe encrypted
  std::string key_passphrase;  // empty for an unencrypted key
};

}  // namespace groupcache

#endif  // GROUPCACHE_TLS_H_
