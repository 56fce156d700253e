// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/node_settings.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

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

// The problems found in a configuration's files, each under its config key
// ("FILE:LINE: KEY: ..."), so that one --check-config shows all there is to
// fix.
class Problems {
 public:
  explicit Problems(const Config& c) : c_(c) {}

  // Records `s` under `key` when it failed; returns s.ok().
  bool Check(const std::string& key, const Status& s) {
    if (!s.ok()) {
      errors_.push_back(c_.Where(key) + s.message());
      refused_.insert(key);
    }
    return s.ok();
  }
  // Whether a problem of `key` was recorded (its file was refused).
  bool Refused(const std::string& key) const { return refused_.contains(key); }
  void Refuse(const std::string& key) { refused_.insert(key); }
  // A message that names its key already.
  void Add(std::string message) { errors_.push_back(std::move(message)); }
  bool empty() const { return errors_.empty(); }
  // One InvalidArgument listing every problem, a line each.
  Status ToStatus() const {
    std::string message;
    for (const std::string& e : errors_) message += (message.empty() ? "" : "\n") + e;
    return Status::InvalidArgument(message);
  }

 private:
  const Config& c_;
  std::vector<std::string> errors_;
  std::set<std::string> refused_;
};

// Reads the secret file `path` of config key `key`: permissions checked
// (CheckKeyMaterial), and at least `min_bytes` long, or else a problem
// telling to use at least that many random `unit`. Null on any problem.
std::optional<std::string> ReadSecret(Problems& problems, const std::string& key, const std::string& path,
                                      std::string_view noun, size_t min_bytes, std::string_view unit) {
  if (!problems.Check(key, CheckKeyMaterial(path, /*is_private_key=*/true))) return std::nullopt;
  Result<std::string> secret = ReadSecretFile(path);
  if (!problems.Check(key, secret.status())) return std::nullopt;
  if (secret->size() < min_bytes) {
    problems.Check(key,
                   Status::InvalidArgument(std::string(noun) + " " + path + ": too short; use at least " +
                                           std::to_string(min_bytes) + " random " + std::string(unit) +
                                           " (e.g. openssl rand -hex 32)"));
    return std::nullopt;
  }
  return std::move(secret).value();
}

// Checks the TLS files of `c`, recording each problem; returns the
// passphrase read and the warnings.
TlsMaterial CheckTlsMaterial(const Config& c, Problems& problems) {
  TlsMaterial material;
  auto check = [&](const std::string& key, const Status& s) { return problems.Check(key, s); };
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
    if (problems.Refused("tls.key_passphrase_file")) problems.Refuse("tls.key");
  }
  // The files are loaded even when refused above (a world-writable CA can
  // still be garbage), but a file's problems are reported once: what
  // loading it says is dropped for a file refused already.
  TlsFileReport report = CheckTlsFiles(c, material.key_passphrase);
  for (const TlsProblem& problem : report.errors) {
    if (!problems.Refused(problem.key)) problems.Add(problem.message);
  }
  for (TlsProblem& problem : report.warnings) material.warnings.push_back(std::move(problem.message));
  return material;
}

}  // namespace

Result<TlsMaterial> LoadTlsMaterial(const Config& config) {
  Problems problems(config);
  TlsMaterial material = CheckTlsMaterial(config, problems);
  if (problems.empty()) return material;
  return problems.ToStatus();
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
  Problems problems(c);
  auto check = [&](const std::string& key, const Status& s) { return problems.Check(key, s); };
  if (c.tls.enabled()) {
    TlsMaterial material = CheckTlsMaterial(c, problems);
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
  if (!c.log.key_hash_secret_file.empty()) {
    if (auto secret = ReadSecret(problems, "log.key_hash_secret_file", c.log.key_hash_secret_file,
                                 "secret file", kMinKeyHashSecretBytes, "bytes")) {
      settings.key_hash_secret = std::move(*secret);
    }
  }
  if (!c.api.delete_token_file.empty()) {
    if (auto token = ReadSecret(problems, "api.delete_token_file", c.api.delete_token_file, "token file",
                                kMinDeleteTokenBytes, "characters")) {
      settings.delete_token = std::move(*token);
    }
  }
  if (problems.empty()) return settings;
  return problems.ToStatus();
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
