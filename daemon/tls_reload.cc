// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/tls_reload.h"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "daemon/node_settings.h"

namespace groupcached {

FileStamp StampFile(const std::string& path) {
  FileStamp stamp;
  stamp.path = path;
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (!real) return stamp;
  stamp.real_path = real.get();
  struct stat st {};
  if (::stat(real.get(), &st) != 0) return stamp;
  stamp.device = static_cast<uint64_t>(st.st_dev);
  stamp.inode = static_cast<uint64_t>(st.st_ino);
  stamp.size = static_cast<int64_t>(st.st_size);
  stamp.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return stamp;
}

std::vector<FileStamp> StampTlsFiles(const TlsConfig& tls) {
  std::vector<FileStamp> stamps;
  for (const std::string* path : {&tls.ca, &tls.cert, &tls.key, &tls.key_passphrase_file}) {
    if (!path->empty()) stamps.push_back(StampFile(*path));
  }
  return stamps;
}

groupcache::Result<LoadedTls> LoadTls(const Config& config) {
  groupcache::Result<TlsMaterial> material = LoadTlsMaterial(config);
  if (!material.ok()) return material.status();
  groupcache::Result<CertificateInfo> certificate = DescribeCertificate(config.tls.cert);
  if (!certificate.ok()) return certificate.status();
  LoadedTls loaded;
  loaded.options.ca_file = config.tls.ca;
  loaded.options.cert_file = config.tls.cert;
  loaded.options.key_file = config.tls.key;
  loaded.options.key_passphrase = std::move(material->key_passphrase);
  loaded.certificate = std::move(certificate).value();
  loaded.warnings = std::move(material->warnings);
  return loaded;
}

}  // namespace groupcached
