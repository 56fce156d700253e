// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_NODE_H_
#define GROUPCACHED_NODE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "daemon/config.h"
#include "daemon/log.h"
#include "daemon/membership.h"
#include "daemon/metrics.h"
#include "daemon/node_settings.h"
#include "daemon/peer_events.h"
#include "daemon/status_page.h"
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

  // Declared in the order they may be created in: each one's users come
  // after it, so the destructor frees users first. Stop() must have run
  // before: a member destructor alone does not stop the runtime first.
  const std::unique_ptr<Logger> logger_;
  Config config_;
  Metrics metrics_;
  Membership membership_;           // logs and counts the changes of the peer set
  PeerEvents peer_events_;          // logs and counts peer fetch failures and ejections
  std::atomic<bool> ready_{false};                             // what /readyz answers
  std::atomic<std::chrono::system_clock::rep> started_at_{0};  // since the epoch, set by Start
  // The config as /status shows it; replaced by Reload.
  mutable std::mutex status_mu_;
  std::vector<std::pair<std::string, std::string>> config_summary_;  // guarded by status_mu_
  // The node's certificate for /status (nullopt: TLS off). Reads tls.cert.
  CertificateLookup certificate_;
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
