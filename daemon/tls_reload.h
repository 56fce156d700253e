// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_TLS_RELOAD_H_
#define GROUPCACHED_TLS_RELOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/tls_check.h"
#include "groupcache/status.h"
#include "groupcache/tls.h"

// What a TLS reload needs besides the checks of node_settings.h: noticing
// that the files changed, and the material to hand to the library.
namespace groupcached {

// The identity of one file as last seen, to notice its replacement: the
// path resolved through every symlink (Kubernetes updates a mounted Secret
// by pointing a "..data" symlink at a new directory, so the path stays and
// the file behind it changes), and that file's device, inode, size and
// modification time. A file that cannot be resolved has only `path` set.
struct FileStamp {
  std::string path;
  std::string real_path;
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = -1;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// Stamps the file at `path`, now.
FileStamp StampFile(const std::string& path);

// The stamps of tls.ca, tls.cert, tls.key and tls.key_passphrase_file (when
// set), in that order. Equal results mean no file was replaced or changed.
std::vector<FileStamp> StampTlsFiles(const TlsConfig& tls);

// The TLS files of a configuration, read and checked, ready for ReloadTls.
struct LoadedTls {
  groupcache::TlsOptions options;     // the passphrase included: keep it out of logs
  CertificateInfo certificate;        // the leaf of tls.cert
  std::vector<std::string> warnings;  // e.g. it expires within kExpiryWarning
};

// Reads and checks the TLS files of `config` as a start does
// (LoadTlsMaterial) and describes the certificate. Errors: InvalidArgument
// listing every problem, one per line, never a secret.
// REQUIRES: config.tls.enabled().
groupcache::Result<LoadedTls> LoadTls(const Config& config);

}  // namespace groupcached

#endif  // GROUPCACHED_TLS_RELOAD_H_
