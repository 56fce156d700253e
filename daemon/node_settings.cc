// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/node_settings.h"

#include <set>
#include <utility>
#include <variant>

#include "daemon/file_security.h"
#include "daemon/tls_check.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

// A log key hash secret shorter than this is refused: the hashes would be
// guessable by trying every key.
constexpr size_t kMinKeyHashSecretBytes = 16;
// A DELETE token shorter than this could be guessed; 16 random characters at least.
constexpr size_t kMinDeleteTokenBytes = 16;

// Checks the TLS files of `c`, adding each problem to `errors`; returns
// the passphrase read and the warnings.
TlsMaterial CheckTlsMaterial(const Config& c, std::vector<std::string>& errors) {
  TlsMaterial material;
  std::set<std::string> refused;  // the keys of the files already reported
  auto check = [&](const std::string& key, const Status& s) {
    if (!s.ok()) {
      errors.push_back(c.Where(key) + s.message());
      refused.insert(key);
    }
    return s.ok();
  };
  check("tls.ca", CheckKeyMaterial(c.tls.ca, /*is_private_key=*/false));
  check("tls.cert", CheckKeyMaterial(c.tls.cert, /*is_private_key=*/false));
  check("tls.key", CheckKeyMaterial(c.tls.key, /*is_private_key=*/true));
  if (!c.tls.key_passphrase_file.empty()) {
    if (check("tls.key_passphrase_file", CheckKeyMaterial(c.tls.key_passphrase_file, true))) {
      Result<std::string> passphrase = ReadSecretFile(c.tls.key_passphrase_file);
      if (check("tls.key_passphrase_file", passphrase.status())) {
        material.key_passphrase = std::move(passphrase).value();
      }
    }
    // Without its passphrase the key cannot be read: that is reported.
    if (refused.contains("tls.key_passphrase_file")) refused.insert("tls.key");
  }
  // The files are loaded even when refused above (a world-writable CA can
  // still be garbage), but a file's problems are reported once: what
  // loading it says is dropped for a file refused already.
  TlsFileReport report = CheckTlsFiles(c, material.key_passphrase);
  for (const TlsProblem& problem : report.errors) {
    if (!refused.contains(problem.key)) errors.push_back(problem.message);
  }
  for (TlsProblem& problem : report.warnings) material.warnings.push_back(std::move(problem.message));
  return material;
}

}  // namespace

Result<TlsMaterial> LoadTlsMaterial(const Config& config) {
  std::vector<std::string> errors;
  TlsMaterial material = CheckTlsMaterial(config, errors);
  if (errors.empty()) return material;
  std::string message;
  for (const std::string& e : errors) message += (message.empty() ? "" : "\n") + e;
  return Status::InvalidArgument(message);
}

Result<NodeSettings> LoadNodeSettings(const std::string& path) {
  if (!path.empty()) {
    if (Status s = CheckConfigFile(path); !s.ok()) return s;
  }
  Result<Config> config = path.empty()
                              ? LoadConfigFromString(kDefaultConfigToml, std::string(kDefaultConfigName))
                              : LoadConfig(path);
  if (!config.ok()) return config.status();
  NodeSettings settings{std::move(config).value(), "", "", "", {}};
  const Config& c = settings.config;
  // Every problem, so that one --check-config shows all there is to fix.
  std::vector<std::string> errors;
  std::set<std::string> refused;  // the keys of the files already reported
  auto check = [&](const std::string& key, const Status& s) {
    if (!s.ok()) {
      errors.push_back(c.Where(key) + s.message());
      refused.insert(key);
    }
    return s.ok();
  };
  if (c.tls.enabled()) {
    TlsMaterial material = CheckTlsMaterial(c, errors);
    settings.key_passphrase = std::move(material.key_passphrase);
    for (std::string& warning : material.warnings) settings.warnings.push_back(std::move(warning));
  }
  for (size_t i = 0; i < c.groups.size(); ++i) {
    const std::string prefix = "group[" + std::to_string(i) + "].source.";
    if (const auto* http = std::get_if<HttpSourceConfig>(&c.groups[i].source);
        http && !http->ca_file.empty()) {
      check(prefix + "ca_file", CheckKeyMaterial(http->ca_file, false));
    }
    // A connection string may hold a password: a secret, as a key is. It is
    // read when the source is built (group_source.h).
    if (const auto* postgres = std::get_if<PostgresSourceConfig>(&c.groups[i].source)) {
      check(prefix + "conninfo_file", CheckKeyMaterial(postgres->conninfo_file, /*is_private_key=*/true));
    }
  }
  if (!c.log.file.empty()) check("log.file", CheckLogFile(c.log.file));
  if (!c.log.key_hash_secret_file.empty() &&
      check("log.key_hash_secret_file", CheckKeyMaterial(c.log.key_hash_secret_file, true))) {
    Result<std::string> secret = ReadSecretFile(c.log.key_hash_secret_file);
    if (!secret.ok()) {
      check("log.key_hash_secret_file", secret.status());
    } else if (secret->size() < kMinKeyHashSecretBytes) {
      check("log.key_hash_secret_file",
            Status::InvalidArgument("secret file " + c.log.key_hash_secret_file +
                                    ": too short; use at least 16 random bytes (e.g. openssl rand -hex 32)"));
    } else {
      settings.key_hash_secret = std::move(secret).value();
    }
  }
  if (!c.api.delete_token_file.empty() &&
      check("api.delete_token_file", CheckKeyMaterial(c.api.delete_token_file, true))) {
    Result<std::string> token = ReadSecretFile(c.api.delete_token_file);
    if (!token.ok()) {
      check("api.delete_token_file", token.status());
    } else if (token->size() < kMinDeleteTokenBytes) {
      check("api.delete_token_file",
            Status::InvalidArgument(
                "token file " + c.api.delete_token_file +
                ": too short; use at least 16 random characters (e.g. openssl rand -hex 32)"));
    } else {
      settings.delete_token = std::move(token).value();
    }
  }
  if (errors.empty()) return settings;
  std::string message;
  for (const std::string& e : errors) message += (message.empty() ? "" : "\n") + e;
  return Status::InvalidArgument(message);
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
