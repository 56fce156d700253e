// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/node_settings.h"

#include <utility>
#include <variant>

#include "daemon/file_security.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

// A log key hash secret shorter than this is refused: the hashes would be
// guessable by trying every key.
constexpr size_t kMinKeyHashSecretBytes = 16;

}  // namespace

Result<NodeSettings> LoadNodeSettings(const std::string& path) {
  if (!path.empty()) {
    if (Status s = CheckConfigFile(path); !s.ok()) return s;
  }
  Result<Config> config = path.empty()
                              ? LoadConfigFromString(kDefaultConfigToml, std::string(kDefaultConfigName))
                              : LoadConfig(path);
  if (!config.ok()) return config.status();
  NodeSettings settings{std::move(config).value(), "", ""};
  const Config& c = settings.config;
  if (c.tls.enabled()) {
    for (const std::string* file : {&c.tls.ca, &c.tls.cert}) {
      if (Status s = CheckKeyMaterial(*file, /*is_private_key=*/false); !s.ok()) return s;
    }
    if (Status s = CheckKeyMaterial(c.tls.key, /*is_private_key=*/true); !s.ok()) return s;
    if (!c.tls.key_passphrase_file.empty()) {
      if (Status s = CheckKeyMaterial(c.tls.key_passphrase_file, true); !s.ok()) return s;
      Result<std::string> passphrase = ReadSecretFile(c.tls.key_passphrase_file);
      if (!passphrase.ok()) return passphrase.status();
      settings.key_passphrase = std::move(passphrase).value();
    }
  }
  for (const GroupConfig& group : c.groups) {
    const auto* http = std::get_if<HttpSourceConfig>(&group.source);
    if (http == nullptr || http->ca_file.empty()) continue;
    if (Status s = CheckKeyMaterial(http->ca_file, /*is_private_key=*/false); !s.ok()) return s;
  }
  if (!c.log.file.empty()) {
    if (Status s = CheckLogFile(c.log.file); !s.ok()) return s;
  }
  if (!c.log.key_hash_secret_file.empty()) {
    if (Status s = CheckKeyMaterial(c.log.key_hash_secret_file, true); !s.ok()) return s;
    Result<std::string> secret = ReadSecretFile(c.log.key_hash_secret_file);
    if (!secret.ok()) return secret.status();
    if (secret->size() < kMinKeyHashSecretBytes) {
      return Status::InvalidArgument("secret file " + c.log.key_hash_secret_file +
                                     ": too short; use at least 16 random bytes (e.g. openssl rand -hex 32)");
    }
    settings.key_hash_secret = std::move(secret).value();
  }
  return settings;
}

LogOptions LogOptionsFor(const NodeSettings& settings) {
  const LogConfig& log = settings.config.log;
  LogOptions options;
  options.level = log.level;
  options.json = log.json;
  options.file = log.file;
  options.reveal_keys = log.reveal_keys;
  options.key_hash_secret = settings.key_hash_secret;
  return options;
}

}  // namespace groupcached
