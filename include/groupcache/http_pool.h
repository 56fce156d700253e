// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_HTTP_POOL_H_
#define GROUPCACHE_HTTP_POOL_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "groupcache/export.h"
#include "groupcache/hash_ring.h"
#include "groupcache/http_server.h"
#include "groupcache/peers.h"
#include "groupcache/registry.h"
#include "groupcache/runtime.h"
#include "groupcache/status.h"
#include "groupcache/tls.h"

namespace groupcache {

struct HttpPoolOptions {
  std::string base_path = "/_groupcache/";           // must start and end with '/'
  int replicas = kDefaultReplicas;                   // ring points per peer
  HashFunction hash;                                 // null: CRC-32 IEEE, as Go
  std::chrono::milliseconds request_timeout{10000};  // whole peer fetch
  size_t max_response_bytes = 64 * 1024 * 1024;      // peer response body cap
  size_t max_idle_connections_per_peer = 64;         // per I/O thread
  // What a failed load tells the peer that asked. True: the getter's error
  // text, as Go does. False: a fixed text per code ("not found", "load
  // failed"), so no internal detail leaves the node; the peer treats both
  // alike (a peer error and a local load).
  bool send_error_details = true;
  // When set, peers are https:// URLs and every fetch presents this node's
  // certificate and verifies the peer's against tls->ca_file and the host
  // of the peer URL.
  std::optional<TlsOptions> tls;
  // Called after every peer fetch, on an I/O thread, with the peer's URL,
  // how long the fetch took, and its outcome. Must be cheap and not block.
  std::function<void(std::string_view peer, std::chrono::nanoseconds elapsed, const Status& status)> on_fetch;

  // Bounds opening a new connection to a peer: resolving, the TCP connect
  // and the TLS handshake, and never beyond request_timeout. A peer whose
  // kernel still completes TCP handshakes but whose process is frozen
  // (SIGSTOP) connects and is then bounded by request_timeout. Must be
  // positive.
  std::chrono::milliseconds connect_timeout{1000};
};

namespace internal {
class HttpPoolImpl;
}

// An HttpPool is the HTTP side of a set of peers: the PeerPicker (a hash
// ring of peer base URLs), the client that fetches from peers with
// keep-alive connection pools and deadlines, and the handler that serves
// GET <base_path><group>/<key> to peers. Wire-compatible with Go groupcache's
// HTTPPool (docs/protocol.md).
// Thread-safety: safe for concurrent use. The runtime and registry must
// outlive the pool.
class GROUPCACHE_API HttpPool : public PeerPicker {
 public:
  // `self` is this process's base URL as the other peers know it, e.g.
  // "http://10.0.0.1:8080" (https:// when options.tls is set), with no
  // trailing slash and no path.
  // Errors: InvalidArgument for a malformed self or options.
  static Result<std::shared_ptr<HttpPool>> Create(Runtime& runtime, GroupRegistry& registry, std::string self,
                                                  HttpPoolOptions options = {});
  ~HttpPool() override;

  // Replaces the peer list (Go's Set). `self` must appear exactly once;
  // every URL must be http://host:port (https:// with TLS) without a
  // trailing slash. On error the old list stays.
  Status Set(std::vector<std::string> peers);

  std::shared_ptr<PeerGetter> PickPeer(std::string_view key) override;

  // The ring fingerprint of the current peer list: RingFingerprint
  // (dns_peers.h) of the list last Set, or of an empty list before the
  // first Set. The pool sends it as the header X-Groupcache-Ring on every
  // request to a peer and on every response its handler sends.
  std::string fingerprint() const;
  // Peer requests and responses received with an X-Groupcache-Ring header
  // that differs from fingerprint() at the time: a sign that this node and
  // a peer disagree about the ring (during a change, briefly; for longer,
  // a problem). An absent header, as from Go peers, is not counted. A
  // relaxed counter.
  uint64_t ring_mismatches() const;

  // The handler for the peer endpoint; register it at base_path(). It keeps
  // the pool's state alive, so the pool may go before the server stops.
  HttpHandler handler();
  const std::string& base_path() const;
  const std::string& self() const;

 private:
  explicit HttpPool(std::unique_ptr<internal::HttpPoolImpl> impl);
  // Shared with the handler, so a server still serving it cannot outlive it.
  std::shared_ptr<internal::HttpPoolImpl> impl_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_HTTP_POOL_H_
