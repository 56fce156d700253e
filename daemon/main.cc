// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// groupcached: the deployable groupcache server. Everything it does comes from
// a TOML file (docs/configuration.md); the command line carries no secrets:
//
//   groupcached --config /etc/groupcached/groupcached.toml
//   groupcached --check-config --config FILE    validate, summarise, exit 0 or 1
//   groupcached --version                        version, commit, build type, compiler
//   groupcached                                  the embedded one-node demo
//
// SIGTERM/SIGINT stop it gracefully; SIGHUP re-reads [node].peers.
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "daemon/api.h"
#include "daemon/build_info.h"
#include "daemon/config.h"
#include "daemon/file_security.h"
#include "daemon/log.h"
#include "daemon/metrics.h"
#include "daemon/sources.h"
#include "groupcache/groupcache.h"

namespace groupcached {
namespace {

using groupcache::Result;
using groupcache::Status;
using Clock = std::chrono::steady_clock;

// Servers get this long to finish in-flight requests; the whole shutdown,
// getters included, is cut off at kShutdownBound.
constexpr std::chrono::milliseconds kStopGrace{5000};
constexpr std::chrono::seconds kShutdownBound{10};

// A validated configuration plus the secrets read from the files it names.
struct Loaded {
  Config config;
  std::string key_passphrase;
  std::string key_hash_secret;
};

// Loads the config (or the embedded default), then checks every file it
// trusts and reads the secrets. Each failure names the file and the fix.
Result<Loaded> LoadEverything(const std::string& path) {
  if (!path.empty()) {
    if (Status s = CheckConfigFile(path); !s.ok()) return s;
  }
  Result<Config> config = path.empty()
                              ? LoadConfigFromString(kDefaultConfigToml, std::string(kDefaultConfigName))
                              : LoadConfig(path);
  if (!config.ok()) return config.status();
  Loaded loaded{std::move(config).value(), "", ""};
  const Config& c = loaded.config;
  if (c.tls.enabled()) {
    for (const std::string* file : {&c.tls.ca, &c.tls.cert}) {
      if (Status s = CheckKeyMaterial(*file, /*is_private_key=*/false); !s.ok()) return s;
    }
    if (Status s = CheckKeyMaterial(c.tls.key, /*is_private_key=*/true); !s.ok()) return s;
    if (!c.tls.key_passphrase_file.empty()) {
      if (Status s = CheckKeyMaterial(c.tls.key_passphrase_file, true); !s.ok()) return s;
      Result<std::string> passphrase = ReadSecretFile(c.tls.key_passphrase_file);
      if (!passphrase.ok()) return passphrase.status();
      loaded.key_passphrase = std::move(passphrase).value();
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
    if (secret->size() < 16) {
      return Status::InvalidArgument("secret file " + c.log.key_hash_secret_file +
                                     ": too short; use at least 16 random bytes (e.g. openssl rand -hex 32)");
    }
    loaded.key_hash_secret = std::move(secret).value();
  }
  return loaded;
}

// Builds the getter of one group's source, timed into `metrics`. An http
// source leases response bytes from `budget` (null: none).
Result<std::shared_ptr<groupcache::Getter>> MakeSource(const GroupConfig& group, const LimitsConfig& limits,
                                                       groupcache::ByteBudget* budget, Metrics& metrics,
                                                       Logger& logger) {
  Result<std::shared_ptr<groupcache::Getter>> inner = std::visit(
      [&](const auto& source) -> Result<std::shared_ptr<groupcache::Getter>> {
        using T = std::decay_t<decltype(source)>;
        if constexpr (std::is_same_v<T, StaticSourceConfig>) {
          return MakeStaticSource(source.values);
        } else if constexpr (std::is_same_v<T, FilesSourceConfig>) {
          return MakeFilesSource(source.root, limits.max_value_bytes);
        } else {
          HttpSourceOptions options;
          options.url_template = source.url;
          options.timeout = source.timeout;
          options.max_bytes = limits.max_value_bytes;
          options.max_redirects = source.max_redirects;
          options.ca_file = source.ca_file;
          options.budget = budget;
          return MakeHttpSource(std::move(options));
        }
      },
      group.source);
  if (!inner.ok()) {
    return Status::InvalidArgument("group \"" + group.name + "\": source: " + inner.status().message());
  }
  return groupcache::MakeGetter([inner = std::move(inner).value(), name = group.name, &metrics, &logger](
                                    std::string_view key, groupcache::Sink& dest) -> Status {
    const Clock::time_point start = Clock::now();
    Status status;
    try {
      status = inner->Get(key, dest);
    } catch (...) {
      status = Status::Internal("the source threw an exception");
    }
    metrics.ObserveSourceLoad(name, Clock::now() - start, status);
    // A missing key is an answer, and a key the source refuses is the
    // client's error (the API logs it); neither is a failing source.
    if (!status.ok() && status.code() != groupcache::StatusCode::kNotFound &&
        status.code() != groupcache::StatusCode::kInvalidArgument) {
      // Source errors never carry the key (sources.h); it goes in as a hash.
      logger.Warn("source load failed",
                  {{"group", name}, {"key", logger.KeyRef(key)}, {"error", status.ToString()}});
    }
    return status;
  });
}

groupcache::HttpServerOptions ServerOptions(const std::string& listen, const Config& config) {
  groupcache::HttpServerOptions options;
  // Validated by the config loader.
  auto address = groupcache::ParseListenAddress(listen);
  options.host = address->first;
  options.port = address->second;
  options.max_connections = config.limits.max_connections;
  options.header_timeout = config.limits.header_timeout;
  options.read_timeout = config.limits.request_timeout;
  // Used by the TLS (peer) listener only.
  options.handshake_timeout = config.limits.handshake_timeout;
  options.max_handshakes = config.limits.max_handshakes;
  // A key may be percent-encoded (3 bytes per byte) after the group's path.
  options.max_target_bytes =
      std::max<size_t>(options.max_target_bytes, 3 * config.limits.max_key_bytes + 1024);
  return options;
}

std::optional<groupcache::TlsOptions> TlsFor(const Loaded& loaded) {
  if (!loaded.config.tls.enabled()) return std::nullopt;
  groupcache::TlsOptions tls;
  tls.ca_file = loaded.config.tls.ca;
  tls.cert_file = loaded.config.tls.cert;
  tls.key_file = loaded.config.tls.key;
  tls.key_passphrase = loaded.key_passphrase;
  return tls;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// SIGHUP: re-reads the file and applies node.peers; everything else changed
// is reported as needing a restart. `running` is updated to what now runs.
void Reload(const std::string& path, Config& running, groupcache::HttpPool& pool, Logger& logger) {
  if (!running.from_file) {
    logger.Warn("SIGHUP ignored: running the embedded default config, there is no file to re-read");
    return;
  }
  Status permissions = CheckConfigFile(path);
  Result<Config> next = permissions.ok() ? LoadConfig(path) : Result<Config>(permissions);
  if (!next.ok()) {
    logger.Error("reload failed; the running configuration stays", {{"error", next.status().message()}});
    return;
  }
  for (const std::string& warning : PeerAliasWarnings(*next)) logger.Warn("reload: " + warning);
  const bool same_transport =
      next->node.self == running.node.self && next->tls.insecure_plaintext == running.tls.insecure_plaintext;
  if (next->node.peers == running.node.peers) {
    logger.Info("reload: peer list unchanged", {{"peers", std::to_string(running.node.peers.size())}});
  } else if (!same_transport) {
    logger.Error(
        "reload: node.self or tls.insecure_plaintext changed; the peer list is not applied until "
        "a restart");
  } else if (Status set = pool.Set(next->node.peers); !set.ok()) {
    logger.Error("reload: the new peer list was refused; the old one stays", {{"error", set.message()}});
  } else {
    running.node.peers = next->node.peers;
    logger.Info("reload: peer list applied", {{"peers", std::to_string(running.node.peers.size())},
                                              {"list", Join(running.node.peers, ",")}});
  }
  if (std::vector<std::string> changes = ChangesNeedingRestart(running, *next); !changes.empty()) {
    logger.Warn("reload: these changes need a restart to take effect", {{"changed", Join(changes, " ")}});
  }
}

// Blocks until SIGINT or SIGTERM, reloading on every SIGHUP meanwhile.
int WaitForStop(const sigset_t& signals, const std::string& path, Config& running, groupcache::HttpPool& pool,
                Logger& logger) {
  for (;;) {
    int signal_number = 0;
    if (sigwait(&signals, &signal_number) != 0) continue;
    if (signal_number == SIGHUP) {
      Reload(path, running, pool, logger);
      continue;
    }
    return signal_number;
  }
}

// Cuts a stuck shutdown off at kShutdownBound: getters blocked in a source
// must not keep the process (and its service manager) waiting forever.
class ShutdownWatchdog {
 public:
  explicit ShutdownWatchdog(Logger& logger)
      : thread_([this, &logger] {
          std::unique_lock<std::mutex> lock(mu_);
          if (!cv_.wait_for(lock, kShutdownBound, [this] { return done_; })) {
            logger.Error("shutdown did not finish in time; exiting",
                         {{"bound", std::to_string(kShutdownBound.count()) + "s"}});
            logger.Flush();
            std::_Exit(1);
          }
        }) {}
  ~ShutdownWatchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  std::thread thread_;
};

int Serve(Loaded loaded, const std::string& path, const sigset_t& signals) {
  Config& config = loaded.config;
  LogOptions log_options;
  log_options.level = config.log.level;
  log_options.json = config.log.json;
  log_options.file = config.log.file;
  log_options.reveal_keys = config.log.reveal_keys;
  log_options.key_hash_secret = loaded.key_hash_secret;
  Result<std::unique_ptr<Logger>> created = Logger::Create(log_options);
  if (!created.ok()) {
    std::fprintf(stderr, "groupcached: %s\n", created.status().message().c_str());
    return 1;
  }
  Logger& logger = **created;
  logger.Info("starting", {{"version", ThisBuild().version},
                           {"commit", ThisBuild().commit},
                           {"config", config.source_name},
                           {"groups", std::to_string(config.groups.size())},
                           {"peers", std::to_string(config.node.peers.size())}});
  if (!config.tls.enabled()) {
    logger.Warn(
        "peer traffic is plain HTTP (tls.insecure_plaintext = true): anyone on the network can read "
        "and forge it");
  }
  if (config.log.reveal_keys) logger.Warn("log.reveal_keys = true: cache keys appear in the log");
  for (const std::string& warning : PeerAliasWarnings(config)) logger.Warn(warning);

  // Destroyed in reverse: servers, pool, registry, runtime, metrics, ready.
  std::atomic<bool> ready{false};  // what /readyz answers
  Metrics metrics;
  groupcache::RuntimeOptions runtime_options;
  // Peer fetches and http-source fetches together (one budget).
  runtime_options.max_response_bytes_in_flight = config.limits.max_inflight_bytes;
  groupcache::Runtime runtime(runtime_options);
  groupcache::GroupRegistry registry(&runtime.workers());
  const auto fail = [&](std::string_view what, const Status& status) {
    logger.Error(what, {{"error", status.message()}});
    // The operator starting it by hand looks at the terminal, not the file.
    if (!config.log.file.empty()) {
      std::fprintf(stderr, "groupcached: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
                   status.message().c_str());
    }
    registry.SetPeerPicker(nullptr);
    runtime.Shutdown();
    return 1;
  };
  for (const GroupConfig& group : config.groups) {
    Result<std::shared_ptr<groupcache::Getter>> getter =
        MakeSource(group, config.limits, &runtime.response_budget(), metrics, logger);
    if (!getter.ok()) return fail("cannot create a source", getter.status());
    auto created_group = registry.NewGroup(group.name, group.cache_bytes, std::move(getter).value());
    if (!created_group.ok()) return fail("cannot create a group", created_group.status());
  }

  groupcache::HttpPoolOptions pool_options;
  pool_options.tls = TlsFor(loaded);
  pool_options.request_timeout = config.limits.request_timeout;
  pool_options.send_error_details = false;  // shield 3: no internal detail leaves the node
  pool_options.max_response_bytes = config.limits.max_value_bytes + 64;  // the GetResponse framing
  pool_options.on_fetch = [&metrics](std::string_view peer, std::chrono::nanoseconds elapsed,
                                     const Status& status) {
    metrics.ObservePeerFetch(peer, elapsed,
                             status.ok() || status.code() == groupcache::StatusCode::kNotFound);
  };
  auto pool = groupcache::HttpPool::Create(runtime, registry, config.node.self, std::move(pool_options));
  if (!pool.ok()) return fail("cannot create the peer pool", pool.status());
  if (Status set = (*pool)->Set(config.node.peers); !set.ok()) return fail("invalid peer list", set);
  registry.SetPeerPicker(*pool);

  groupcache::HttpServerOptions peer_options = ServerOptions(config.node.peer_listen, config);
  peer_options.tls = TlsFor(loaded);
  auto peer_server = groupcache::HttpServer::Listen(runtime, peer_options);
  if (!peer_server.ok()) return fail("cannot listen for peers", peer_server.status());
  (*peer_server)->Handle((*pool)->base_path(), (*pool)->handler());

  auto api_server = groupcache::HttpServer::Listen(runtime, ServerOptions(config.node.api_listen, config));
  if (!api_server.ok()) return fail("cannot listen for the API", api_server.status());
  ApiOptions api_options;
  api_options.max_key_bytes = config.limits.max_key_bytes;
  RegisterApi(**api_server, registry, metrics, logger, api_options,
              [&ready] { return ready.load(std::memory_order_acquire); });

  (*peer_server)->Start();
  (*api_server)->Start();
  ready.store(true, std::memory_order_release);
  const auto host_port = [](const std::string& listen, uint16_t port) {
    const auto address = groupcache::ParseListenAddress(listen);
    const std::string& host = address->first;
    return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  };
  logger.Info("listening", {{"api", host_port(config.node.api_listen, (*api_server)->port())},
                            {"peer", host_port(config.node.peer_listen, (*peer_server)->port())},
                            {"self", config.node.self},
                            {"tls", config.tls.enabled() ? "on" : "off"}});

  const int signal_number = WaitForStop(signals, path, config, **pool, logger);
  logger.Info("stopping", {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
  ShutdownWatchdog watchdog(logger);
  ready.store(false, std::memory_order_release);
  // Both listeners drain at once, so the bound is one grace period, not two.
  std::thread stop_peers([&] { (*peer_server)->Stop(kStopGrace); });
  (*api_server)->Stop(kStopGrace);
  stop_peers.join();
  runtime.Shutdown();
  registry.SetPeerPicker(nullptr);
  logger.Info("stopped");
  logger.Flush();
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"groupcached: a groupcache server configured by one TOML file"};
  app.footer(
      "Without --config, the embedded one-node demo runs (API on 127.0.0.1:8080).\n"
      "Signals: SIGTERM/SIGINT stop gracefully; SIGHUP re-reads [node].peers.\n"
      "Every setting, and every secret, comes from the file: see docs/configuration.md.");
  std::string config_path;
  bool check_only = false;
  app.add_option("--config", config_path, "the TOML configuration file")->type_name("FILE");
  app.add_flag("--check-config", check_only, "validate the configuration, print a summary, exit 0 or 1");
  std::string version = VersionText(ThisBuild());
  if (!version.empty() && version.back() == '\n') version.pop_back();  // CLI11 adds one
  app.set_version_flag("--version", version, "print the version, git commit, build type and compiler");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (app.count("--config") > 0 && config_path.empty()) {
    std::fprintf(stderr, "groupcached: --config needs a file name\n");
    return 2;
  }

  if (check_only) {
    Result<Loaded> loaded = LoadEverything(config_path);
    Status status = loaded.ok() ? Status::Ok() : loaded.status();
    if (loaded.ok()) {
      // Build each source as the server would, to catch a missing files root
      // or an unreadable origin CA file now (no network is contacted).
      Metrics metrics;
      LogOptions quiet_options;
      quiet_options.level = LogLevel::kError;
      Result<std::unique_ptr<Logger>> quiet = Logger::Create(quiet_options);
      for (const GroupConfig& group : loaded->config.groups) {
        if (!quiet.ok()) break;
        auto getter = MakeSource(group, loaded->config.limits, nullptr, metrics, **quiet);
        if (!getter.ok()) {
          status = getter.status();
          break;
        }
      }
    }
    if (!status.ok()) {
      std::fprintf(stderr, "groupcached: configuration refused:\n%s\n", status.message().c_str());
      return 1;
    }
    for (const std::string& warning : PeerAliasWarnings(loaded->config)) {
      std::fprintf(stderr, "groupcached: warning: %s\n", warning.c_str());
    }
    std::fputs(DescribeConfig(loaded->config).c_str(), stdout);
    std::puts("configuration OK");
    return 0;
  }

  Result<Loaded> loaded = LoadEverything(config_path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "groupcached: configuration refused:\n%s\n", loaded.status().message().c_str());
    return 1;
  }
  // Blocked before the runtime starts any thread, so that every thread
  // inherits the mask and the signals wait for sigwait in this thread instead
  // of interrupting an I/O thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A closed stderr pipe must not kill the server at its next log line.
  signal(SIGPIPE, SIG_IGN);
  return Serve(std::move(loaded).value(), config_path, signals);
}

}  // namespace
}  // namespace groupcached

int main(int argc, char** argv) {
  try {
    return groupcached::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "groupcached: fatal: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "groupcached: fatal: unknown exception\n");
  }
  return 1;
}
