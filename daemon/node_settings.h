// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_NODE_SETTINGS_H_
#define GROUPCACHED_NODE_SETTINGS_H_

#include <string>
#include <vector>

#include "daemon/config.h"
#include "daemon/log.h"
#include "groupcache/status.h"

namespace groupcached {

// What a Node is built from: a validated configuration and the secrets read
// from the files it names.
struct NodeSettings {
  Config config;
  std::string key_passphrase;   // the content of tls.key_passphrase_file, if any
  std::string key_hash_secret;  // the content of log.key_hash_secret_file, if any
  std::string delete_token;     // the content of api.delete_token_file, if any
  // What is not wrong yet but will be (a certificate about to expire), as
  // "FILE:LINE: KEY: ..." lines.
  std::vector<std::string> warnings;
};

// Loads the configuration file at `path`, or the embedded default when
// `path` is empty; checks every file it trusts (file_security.h: the config
// itself, TLS material, origin CA files, postgres conninfo files, the log
// file) and reads the
// secrets, then loads the TLS files and checks them together
// (tls_check.h). Touches no network. Errors: InvalidArgument listing every
// problem with the files, one per line, each naming the config key and its
// line, the file, what is wrong and the fix.
groupcache::Result<NodeSettings> LoadNodeSettings(const std::string& path);

// The peer TLS material of a configuration, read and checked.
struct TlsMaterial {
  std::string key_passphrase;         // the content of tls.key_passphrase_file, if any
  std::vector<std::string> warnings;  // e.g. a certificate about to expire
};

// Checks and reads the files of config.tls as a start does (their
// permissions, the passphrase file, and CheckTlsFiles: the key is the
// certificate's, it chains to tls.ca, is valid now and names node.self's
// host), so that a reload can refuse what a start would. Touches no
// network. Errors: InvalidArgument listing every problem, one per line,
// never a secret. REQUIRES: config.tls.enabled().
groupcache::Result<TlsMaterial> LoadTlsMaterial(const Config& config);

// The options of the node's Logger: config.log with the hash secret read.
LogOptions LogOptionsFor(const NodeSettings& settings);

}  // namespace groupcached

#endif  // GROUPCACHED_NODE_SETTINGS_H_
