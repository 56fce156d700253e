// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/node.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "daemon/api.h"
#include "daemon/build_info.h"
#include "daemon/group_source.h"
#include "daemon/tls_check.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

groupcache::RuntimeOptions RuntimeOptionsFor(const Config& config) {
  groupcache::RuntimeOptions options;
  options.io_threads = config.runtime.io_threads;  // 0: automatic
  options.worker_threads = config.runtime.worker_threads;
  // Peer fetches and http-source fetches together (one budget).
  options.max_response_bytes_in_flight = config.limits.max_inflight_bytes;
  return options;
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

std::optional<groupcache::TlsOptions> TlsFor(const NodeSettings& settings) {
  const TlsConfig& tls = settings.config.tls;
  if (!tls.enabled()) return std::nullopt;
  groupcache::TlsOptions options;
  options.ca_file = tls.ca;
  options.cert_file = tls.cert;
  options.key_file = tls.key;
  options.key_passphrase = settings.key_passphrase;
  return options;
}

// Why the runtime has `configured` threads (0: automatic) for `cpus`: "config",
// "cgroup quota" (it capped the affinity mask) or "affinity".
std::string ThreadsReason(int configured, const groupcache::UsableCpus& cpus) {
  if (configured > 0) return "config";
  return cpus.count < cpus.affinity ? "cgroup quota" : "affinity";
}

std::string QuotaText(double quota) {
  if (quota <= 0) return "none";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", quota);
  return text;
}

// "host:port" of a listener as configured, with the port bound.
std::string HostPort(const std::string& listen, uint16_t port) {
  const auto address = groupcache::ParseListenAddress(listen);
  const std::string& host = address->first;
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// The change from peer list `before` to `after`, in the order of each list.
MembershipChange ChangeBetween(const std::vector<std::string>& before, const std::vector<std::string>& after,
                               std::string fingerprint) {
  MembershipChange change{after, {}, {}, std::move(fingerprint)};
  const auto absent = [](const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) == list.end();
  };
  for (const std::string& peer : after) {
    if (absent(before, peer)) change.added.push_back(peer);
  }
  for (const std::string& peer : before) {
    if (absent(after, peer)) change.removed.push_back(peer);
  }
  return change;
}

// "2026-11-30T01:02:03Z".
std::string Rfc3339(std::chrono::system_clock::time_point at) {
  const time_t t = std::chrono::system_clock::to_time_t(at);
  struct tm utc {};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

Result<std::unique_ptr<Node>> Node::Create(NodeSettings settings, std::unique_ptr<Logger> logger) {
  std::unique_ptr<Node> node(new Node(settings.config, std::move(logger)));
  if (Status status = node->Build(settings); !status.ok()) return status;  // ~Node takes down what was built
  return node;
}

Node::Node(Config config, std::unique_ptr<Logger> logger)
    : logger_(std::move(logger)),
      config_(std::move(config)),
      membership_(*logger_, metrics_),
      peer_events_(metrics_, *logger_),
      runtime_(RuntimeOptionsFor(config_)),
      registry_(&runtime_.workers()) {}

Status Node::Build(const NodeSettings& settings) {
  const Config& config = config_;
  const BuildInfo& build = ThisBuild();
  logger_->Info("starting", {{"version", build.version},
                             {"commit", build.commit},
                             {"config", config.source_name},
                             {"groups", config.groups.size()},
                             {"peers", config.discovery.dns() ? "dns:" + config.discovery.name
                                                              : std::to_string(config.node.peers.size())}});
  const groupcache::UsableCpus cpus = groupcache::DetectUsableCpus();
  logger_->Info("threads", {{"io_threads", runtime_.io_threads()},
                            {"io_threads_from", ThreadsReason(config.runtime.io_threads, cpus)},
                            {"worker_threads", runtime_.worker_threads()},
                            {"worker_threads_from", ThreadsReason(config.runtime.worker_threads, cpus)},
                            {"usable_cpus", cpus.count},
                            {"affinity_cpus", cpus.affinity},
                            {"cpu_quota", QuotaText(cpus.quota)}});
  if (!config.tls.enabled()) {
    logger_->Warn(
        "peer traffic is plain HTTP (tls.insecure_plaintext = true): anyone on the network can read "
        "and forge it");
  }
  if (config.log.reveal_keys) logger_->Warn("log.reveal_keys = true: cache keys appear in the log");
  for (const std::string& warning : PeerAliasWarnings(config)) logger_->Warn(warning);

  const auto failed = [this](std::string_view what, const Status& status) {
    logger_->Error(what, {{"error", status.message()}});
    return Status(status.code(), std::string(what) + ": " + status.message());
  };
  for (const GroupConfig& group : config.groups) {
    Result<std::shared_ptr<groupcache::Getter>> getter =
        MakeGroupSource(group, config.limits, &runtime_.response_budget(), metrics_, *logger_);
    if (!getter.ok()) return failed("cannot create a source", getter.status());
    groupcache::GroupOptions options;
    options.ttl = group.ttl;
    options.ttl_jitter = group.ttl_jitter;
    options.not_found_ttl = group.not_found_ttl;
    auto created = registry_.NewGroup(group.name, group.cache_bytes, std::move(getter).value(), options);
    if (!created.ok()) return failed("cannot create a group", created.status());
  }

  groupcache::HttpPoolOptions pool_options;
  pool_options.tls = TlsFor(settings);
  pool_options.request_timeout = config.limits.request_timeout;
  pool_options.send_error_details = false;  // shield 3: no internal detail leaves the node
  pool_options.mutations = config.node.peer_mutations;
  pool_options.max_response_bytes = config.limits.max_value_bytes + 64;  // the GetResponse framing
  // Failing peers: ejection, and loud failures.
  pool_options.connect_timeout = config.limits.connect_timeout;
  pool_options.eject_after_failures = config.limits.eject_after_failures;
  pool_options.eject_backoff_min = config.limits.eject_backoff_min;
  pool_options.eject_backoff_max = config.limits.eject_backoff_max;
  peer_events_.Install(pool_options);
  auto pool = groupcache::HttpPool::Create(runtime_, registry_, config.node.self, std::move(pool_options));
  if (!pool.ok()) return failed("cannot create the peer pool", pool.status());
  pool_ = std::move(pool).value();
  // With DNS discovery the ring starts as this node alone, until the first
  // answer.
  const std::vector<std::string> peers =
      config.discovery.dns() ? std::vector{config.node.self} : config.node.peers;
  if (Status set = pool_->Set(peers); !set.ok()) return failed("invalid peer list", set);
  membership_.Start(peers.size(), pool_->fingerprint());
  registry_.SetPeerPicker(pool_);
  if (config.discovery.dns()) {
    if (Status started = StartDiscovery(); !started.ok())
      return failed("cannot start DNS discovery", started);
  }
  metrics_.SetPeerHealthProbe([pool = std::weak_ptr<groupcache::HttpPool>(pool_)] {
    const auto alive = pool.lock();
    return alive ? alive->peer_health() : std::vector<groupcache::PeerHealth>();
  });
  metrics_.SetProbes({dns_ ? std::function<uint64_t()>([dns = dns_.get()] { return dns->lookups(); })
                           : std::function<uint64_t()>(),
                      [pool = std::weak_ptr<groupcache::HttpPool>(pool_)]() -> uint64_t {
                        const auto alive = pool.lock();
                        return alive ? alive->ring_mismatches() : 0;
                      }});

  groupcache::HttpServerOptions peer_options = ServerOptions(config.node.peer_listen, config);
  peer_options.tls = TlsFor(settings);
  peer_options.on_tls_handshake_failure = [this](std::string_view address, std::string_view reason) {
    OnPeerHandshakeFailure(address, reason);
  };
  auto peer_server = groupcache::HttpServer::Listen(runtime_, peer_options);
  if (!peer_server.ok()) return failed("cannot listen for peers", peer_server.status());
  peer_server_ = std::move(peer_server).value();
  peer_server_->Handle(pool_->base_path(), pool_->handler());

  auto api_server = groupcache::HttpServer::Listen(runtime_, ServerOptions(config.node.api_listen, config));
  if (!api_server.ok()) return failed("cannot listen for the API", api_server.status());
  api_server_ = std::move(api_server).value();
  config_summary_ = SummarizeConfig(config);
  // The certificate in use (reloads included), not the file as it is now.
  certificate_ = [this, tls = config.tls]() -> std::optional<StatusCertificate> {
    if (!tls.enabled()) return std::nullopt;
    StatusCertificate certificate{tls.cert, tls_not_after(), ""};
    if (!certificate.not_after) certificate.error = "no certificate loaded";
    return certificate;
  };
  // Both servers live until the node goes, after the API stopped rendering.
  metrics_.SetListenerProbes({{"peer", [server = peer_server_.get()] { return server->stats(); }},
                              {"api", [server = api_server_.get()] { return server->stats(); }}});
  if (config.tls.enabled()) {
    // The files as the checks at start read them, near enough: a change
    // from now on is reloaded.
    tls_stamps_ = StampTlsFiles(config.tls);
    next_expiry_check_ = std::chrono::system_clock::now() + std::chrono::hours(24);
    Result<CertificateInfo> certificate = DescribeCertificate(config.tls.cert);
    if (!certificate.ok()) return failed("cannot read the certificate", certificate.status());
    UseCertificate(std::move(certificate).value());
  }
  ApiOptions api_options;
  api_options.delete_token = settings.delete_token;
  api_options.max_key_bytes = config.limits.max_key_bytes;
  for (const GroupConfig& group : config.groups) {
    if (std::holds_alternative<HttpSourceConfig>(group.source)) api_options.http_groups.insert(group.name);
  }
  api_options.status = [this] { return StatusSnapshot(); };
  RegisterApi(*api_server_, registry_, metrics_, *logger_, api_options,
              [this] { return ready_.load(std::memory_order_acquire); });
  return Status::Ok();
}

Status Node::StartDiscovery() {
  const DiscoveryConfig& discovery = config_.discovery;
  groupcache::DnsPeersOptions options;
  options.name = discovery.name;
  options.record = discovery.record == DiscoveryConfig::Record::kSrv ? groupcache::DnsRecord::kSrv
                                                                     : groupcache::DnsRecord::kAddress;
  options.port = discovery.port;
  options.interval = discovery.interval;
  options.servers = discovery.servers;
  // On an I/O thread; both only log and count. Stop() stops the lookups
  // before anything they reach goes away.
  options.on_change = [this](const groupcache::PeerSetChange& change) {
    membership_.Changed({change.peers, change.added, change.removed, change.fingerprint}, "dns");
  };
  options.on_lookup_error = [this](const Status& status) { membership_.LookupFailed(status); };
  auto dns = groupcache::DnsPeers::Start(runtime_, pool_, std::move(options));
  if (!dns.ok()) return dns.status();
  dns_ = std::move(dns).value();
  return Status::Ok();
}

void Node::OnPeerHandshakeFailure(std::string_view address, std::string_view reason) {
  metrics_.ObserveTlsHandshakeFailure("peer", reason);
  if (std::optional<WarnLimiter::Admitted> admitted = handshake_warnings_.Admit(address, reason)) {
    logger_->Warn("peer listener refused a TLS handshake", {{"peer_address", admitted->subject},
                                                            {"reason", std::string(reason)},
                                                            {"suppressed", admitted->suppressed}});
  }
}

void Node::UseCertificate(CertificateInfo certificate) {
  metrics_.SetCertificateNotAfter(certificate.not_after);
  tls_not_after_seconds_.store(
      std::chrono::duration_cast<std::chrono::seconds>(certificate.not_after.time_since_epoch()).count(),
      std::memory_order_relaxed);
  tls_certificate_ = std::move(certificate);
}

Status Node::ReloadTls(std::string_view trigger) {
  if (!config_.tls.enabled()) {
    return Status::InvalidArgument("TLS is off (tls.insecure_plaintext = true): nothing to reload");
  }
  const auto now = std::chrono::system_clock::now();
  // Stamped before reading: a file replaced while being read differs from
  // its stamp, so the next poll reads it again.
  tls_stamps_ = StampTlsFiles(config_.tls);
  Result<LoadedTls> loaded = LoadTls(config_);
  Status status = loaded.status();
  // Both load the files the checks passed; only a file replaced in between
  // can fail one, and then the next poll sees that change and retries.
  if (status.ok()) status = pool_->ReloadTls(loaded->options);
  if (status.ok()) status = peer_server_->ReloadTls(loaded->options);
  metrics_.ObserveTlsReload(status.ok(), now);
  if (!status.ok()) {
    logger_->Error("tls reload failed; the certificate in use stays",
                   {{"trigger", std::string(trigger)}, {"error", status.message()}});
    return status;
  }
  const CertificateInfo& certificate = loaded->certificate;
  logger_->Info("tls reloaded", {{"trigger", std::string(trigger)},
                                 {"subject", certificate.subject},
                                 {"serial", certificate.serial},
                                 {"sha256", certificate.sha256},
                                 {"not_after", Rfc3339(certificate.not_after)}});
  for (const std::string& warning : loaded->warnings) logger_->Warn(warning);
  UseCertificate(std::move(loaded->certificate));
  return Status::Ok();
}

void Node::PollTls(std::chrono::system_clock::time_point now) {
  if (!config_.tls.enabled()) return;
  if (config_.tls.reload_interval.count() > 0 && StampTlsFiles(config_.tls) != tls_stamps_) {
    (void)ReloadTls("file change");  // logged and counted
  }
  if (now >= next_expiry_check_) {
    next_expiry_check_ = now + std::chrono::hours(24);
    if (std::string warning = ExpiryWarning(tls_certificate_, config_.tls.cert, now); !warning.empty()) {
      logger_->Warn(warning);
    }
  }
}

std::chrono::milliseconds Node::tls_poll_interval() const {
  if (!config_.tls.enabled()) return std::chrono::milliseconds::zero();
  const std::chrono::milliseconds interval = config_.tls.reload_interval;
  return interval.count() > 0 ? interval : std::chrono::hours(1);
}

std::optional<std::chrono::system_clock::time_point> Node::tls_not_after() const {
  const int64_t seconds = tls_not_after_seconds_.load(std::memory_order_relaxed);
  if (seconds == 0) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

Node::~Node() { Stop(); }

void Node::Start() {
  started_at_.store(std::chrono::system_clock::now().time_since_epoch().count(), std::memory_order_release);
  peer_server_->Start();
  api_server_->Start();
  started_ = true;
  ready_.store(true, std::memory_order_release);
  logger_->Info("listening", {{"api", api_address()},
                              {"peer", peer_address()},
                              {"self", config_.node.self},
                              {"tls", config_.tls.enabled() ? "on" : "off"}});
}

Status Node::Reload(const Config& next) {
  for (const std::string& warning : PeerAliasWarnings(next)) logger_->Warn("reload: " + warning);
  Status applied;
  const bool same_transport =
      next.node.self == config_.node.self && next.tls.insecure_plaintext == config_.tls.insecure_plaintext;
  if (config_.discovery.dns()) {
    // The file has no peers to apply (it may not set node.peers); a change
    // of [discovery] is reported below as needing a restart.
    logger_->Info("reload: the peers come from DNS discovery; nothing to apply from the file");
  } else if (next.discovery.dns()) {
    applied = Status::InvalidArgument("discovery.type changed to \"dns\"; it applies after a restart");
    logger_->Error("reload: " + applied.message());
  } else if (next.node.peers == config_.node.peers) {
    logger_->Info("reload: peer list unchanged", {{"peers", config_.node.peers.size()}});
  } else if (!same_transport) {
    applied = Status::InvalidArgument(
        "node.self or tls.insecure_plaintext changed; the peer list is not applied until a restart");
    logger_->Error("reload: " + applied.message());
  } else if (Status set = pool_->Set(next.node.peers); !set.ok()) {
    applied = set;
    logger_->Error("reload: the new peer list was refused; the old one stays", {{"error", set.message()}});
  } else {
    membership_.Changed(ChangeBetween(config_.node.peers, next.node.peers, pool_->fingerprint()), "sighup");
    config_.node.peers = next.node.peers;
    std::lock_guard<std::mutex> lock(status_mu_);
    config_summary_ = SummarizeConfig(config_);
  }
  if (std::vector<std::string> changes = ChangesNeedingRestart(config_, next); !changes.empty()) {
    logger_->Warn("reload: these changes need a restart to take effect", {{"changed", Join(changes, " ")}});
  }
  return applied;
}

void Node::BeginDrain() {
  ready_.store(false, std::memory_order_release);
  const auto drain = config_.node.drain;
  logger_->Info("draining: /readyz answers 503 while serving continues",
                {{"for", drain.count() % 1000 == 0 ? std::to_string(drain.count() / 1000) + "s"
                                                   : std::to_string(drain.count()) + "ms"}});
}

void Node::Stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  ready_.store(false, std::memory_order_release);
  // First: no lookup may change the ring, or call back, while the rest stops.
  if (dns_ != nullptr) dns_->Stop();
  // Both listeners drain at once, so the bound is one grace period, not two.
  // A listener that was never started has nothing to drain.
  std::thread stop_peers;
  if (peer_server_ != nullptr) stop_peers = std::thread([this, grace] { peer_server_->Stop(grace); });
  if (api_server_ != nullptr) api_server_->Stop(grace);
  if (stop_peers.joinable()) stop_peers.join();
  // Answers every load still in flight while the groups, sources, metrics and
  // log they reach are all still here.
  runtime_.Shutdown();
  // The registry holds the pool as its picker; the pool must go first.
  registry_.SetPeerPicker(nullptr);
  if (started_) {
    logger_->Info("stopped");
    logger_->Flush();
  }
}

StatusData Node::StatusSnapshot() const {
  StatusData data;
  data.build = ThisBuild();
  data.self = config_.node.self;  // fixed for the node's life, as the addresses
  data.api_address = api_address();
  data.peer_address = peer_address();
  data.ready = ready_.load(std::memory_order_acquire);
  data.now = std::chrono::system_clock::now();
  data.started = std::chrono::system_clock::time_point(
      std::chrono::system_clock::duration(started_at_.load(std::memory_order_acquire)));
  data.fingerprint = pool_->fingerprint();
  StatusMember self;
  self.url = config_.node.self;
  self.self = true;
  data.members.push_back(std::move(self));
  for (const groupcache::PeerHealth& peer : pool_->peer_health()) {
    StatusMember member;
    member.url = peer.url;
    member.ejected = peer.ejected;
    member.consecutive_failures = peer.consecutive_failures;
    member.ejections = peer.ejections;
    member.last_error = peer.last_error;
    if (!peer.last_error.empty()) member.last_error_at = peer.last_error_at;
    if (peer.ejected) member.ejected_until = peer.ejected_until;
    data.members.push_back(std::move(member));
  }
  for (const groupcache::Group* group : registry_.groups()) {
    data.groups.push_back({group->name(), group->cache_bytes(), group->stats(),
                           group->cache_stats(groupcache::CacheType::kMain),
                           group->cache_stats(groupcache::CacheType::kHot)});
  }
  data.certificate = certificate_ ? certificate_() : std::nullopt;
  std::lock_guard<std::mutex> lock(status_mu_);
  data.config = config_summary_;
  return data;
}

uint16_t Node::api_port() const { return api_server_->port(); }
uint16_t Node::peer_port() const { return peer_server_->port(); }
std::string Node::api_address() const { return HostPort(config_.node.api_listen, api_port()); }
std::string Node::peer_address() const { return HostPort(config_.node.peer_listen, peer_port()); }

}  // namespace groupcached
