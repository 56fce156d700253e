// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_NODE_H_
#define GROUPCACHED_NODE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/config.h"
#include "daemon/log.h"
#include "daemon/membership.h"
#include "daemon/metrics.h"
#include "daemon/node_settings.h"
#include "daemon/peer_events.h"
#include "daemon/status_page.h"
#include "daemon/tls_reload.h"
#include "daemon/warn_limiter.h"
#include "groupcache/dns_peers.h"
#include "groupcache/http_pool.h"
#include "groupcache/http_server.h"
#include "groupcache/registry.h"
#include "groupcache/runtime.h"
#include "groupcache/status.h"

namespace groupcached {

// A Node is one groupcached: its log, metrics, runtime, groups and their
// sources, the peer pool (its peers from node.peers, or kept in step with
// DNS by a DnsPeers), and two listeners (peers, and the client API of
// api.h). Create builds and binds everything, Start serves, Reload applies a
// new peer list, and Stop (or the destructor) takes it down in the one safe
// order: the DNS lookups stop, the listeners stop accepting and drain, queued loads finish and peer
// fetches in flight are cancelled (their waiters answered), the runtime's
// threads are joined, and only then are the groups, sources, metrics and log
// freed.
// Thread-safety: not thread-safe; call its methods from one thread (the
// signal loop). What it serves runs on its own threads.
class Node {
 public:
  // How long Stop lets requests in flight finish, by default.
  static constexpr std::chrono::milliseconds kDefaultStopGrace{5000};

  // Builds a node from `settings`, writing to `logger` (which it keeps): the
  // runtime, one group per configured group, the peer pool, and both
  // listeners, bound but not yet accepting. Logs "starting" and the
  // configuration's warnings. Each failure is logged, as an error, before it
  // is returned: Unavailable when an address cannot be bound,
  // InvalidArgument for a source that cannot be built or a peer list the
  // pool refuses; the message says which ("cannot listen for peers: ...").
  static groupcache::Result<std::unique_ptr<Node>> Create(NodeSettings settings,
                                                          std::unique_ptr<Logger> logger);
  // Stop(), then frees the parts in reverse order of their creation.
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Starts accepting on both listeners and answering /readyz with 200; logs
  // "listening" with both addresses. REQUIRES: not started before.
  void Start();

  // Applies `next` (a reloaded configuration) as SIGHUP does: its peer list
  // replaces the running one, unless it is unchanged or node.self or
  // tls.insecure_plaintext changed (InvalidArgument: that needs a restart), or
  // the pool refuses it (its error; the old list stays). With DNS discovery
  // there is no peer list to apply (logged), and a switch to it needs a
  // restart (InvalidArgument). Every other change is logged as needing a
  // restart. Returns OK when the peer list of `next` is the one that runs
  // now, or DNS discovery runs.
  groupcache::Status Reload(const Config& next);

  // Re-reads the TLS files (tls.ca, tls.cert, tls.key and the passphrase
  // file, at the paths configured at start) and checks them as a start does;
  // if they pass, new peer connections, accepted and opened, use them from
  // now on, while open ones finish on the old material. Logs "tls reloaded"
  // with the certificate's serial, SHA-256 fingerprint and not-after, or an
  // error saying why the old material stays; `trigger` ("sighup", "file
  // change") is logged too. Returns that error (InvalidArgument; also
  // without TLS).
  groupcache::Status ReloadTls(std::string_view trigger);

  // What the signal loop calls between signals, at least every
  // tls_poll_interval(): reloads the TLS files if tls.reload_interval is set
  // and any of them changed since last seen (a new inode, size or mtime, or
  // a symlink now pointing elsewhere), and warns, once a day, of a
  // certificate with less than kExpiryWarning left. Does nothing without TLS.
  void PollTls(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
  // How long the signal loop may wait before the next PollTls:
  // tls.reload_interval, or an hour when it is zero (the daily expiry
  // warning still needs a turn); zero without TLS (no polling).
  std::chrono::milliseconds tls_poll_interval() const;
  // The not-after of the peer certificate in use; nullopt without TLS.
  // Safe to call from any thread.
  std::optional<std::chrono::system_clock::time_point> tls_not_after() const;

  // Begins a graceful leave: /readyz answers 503 from now on, while both
  // listeners keep serving, so that load balancers and the peers (through
  // DNS) stop sending here before Stop. Logs "draining" with node.drain.
  // REQUIRES: started, not stopped.
  void BeginDrain();

  // Stops serving: /readyz answers 503, both listeners stop accepting and
  // let requests in flight finish for up to `grace` (concurrently), then the
  // runtime shuts down. Logs "stopped". Does nothing the second time.
  void Stop(std::chrono::milliseconds grace = kDefaultStopGrace);

  // The ports bound (the OS's choice for a configured port 0).
  uint16_t api_port() const;
  uint16_t peer_port() const;
  // "host:port" of each listener as configured, with the port bound.
  std::string api_address() const;
  std::string peer_address() const;
  // The configuration running now (node.peers as last reloaded).
  const Config& config() const { return config_; }
  // The groups; valid as long as the node.
  groupcache::GroupRegistry& registry() { return registry_; }
  Logger& logger() { return *logger_; }

 private:
  Node(Config config, std::unique_ptr<Logger> logger);

  // Builds the groups, the pool and the listeners; logs and returns the
  // first failure.
  groupcache::Status Build(const NodeSettings& settings);
  // Starts the DNS lookups that keep pool_'s peers; each change and failed
  // lookup goes to membership_.
  groupcache::Status StartDiscovery();
  // What /status shows now; called on I/O threads.
  StatusData StatusSnapshot() const;
  // Counts and logs (rate-limited) one failed handshake on the peer
  // listener. On an I/O thread.
  void OnPeerHandshakeFailure(std::string_view address, std::string_view reason);
  // Records `certificate` as the one in use: for the daily expiry warning,
  // tls_not_after() and the metric.
  void UseCertificate(CertificateInfo certificate);

  // Declared in the order they may be created in: each one's users come
  // after it, so the destructor frees users first. Stop() must have run
  // before: a member destructor alone does not stop the runtime first.
  const std::unique_ptr<Logger> logger_;
  Config config_;
  Metrics metrics_;
  Membership membership_;           // logs and counts the changes of the peer set
  PeerEvents peer_events_;          // logs and counts peer fetch failures and ejections
  std::atomic<bool> ready_{false};  // what /readyz answers
  std::atomic<std::chrono::system_clock::rep> started_at_{0};  // since the epoch, set by Start
  // The config as /status shows it; replaced by Reload.
  mutable std::mutex status_mu_;
  std::vector<std::pair<std::string, std::string>> config_summary_;  // guarded by status_mu_
  // The node's certificate for /status (nullopt: TLS off). Reads tls.cert.
  CertificateLookup certificate_;
  // TLS reloads (signal loop only, but the not-after).
  std::vector<FileStamp> tls_stamps_;  // the files as last loaded or tried
  std::chrono::system_clock::time_point next_expiry_check_{};
  CertificateInfo tls_certificate_;                // the one in use
  std::atomic<int64_t> tls_not_after_seconds_{0};  // Unix time; 0: no TLS
  WarnLimiter handshake_warnings_;                 // one line per client address and reason per 10 s
  groupcache::Runtime runtime_;
  groupcache::GroupRegistry registry_;  // its groups own the sources
  std::shared_ptr<groupcache::HttpPool> pool_;
  std::unique_ptr<groupcache::DnsPeers> dns_;  // with [discovery] type = "dns"; stopped first
  std::unique_ptr<groupcache::HttpServer> peer_server_;
  std::unique_ptr<groupcache::HttpServer> api_server_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace groupcached

#endif  // GROUPCACHED_NODE_H_
