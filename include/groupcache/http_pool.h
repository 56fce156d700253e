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

// Why a fetch from a peer failed: a fixed classification, for metrics labels
// and log lines (the Status message holds the detail). kNone for a fetch
// that succeeded.
enum class PeerFailure {
  kNone,
  kRefused,         // the TCP connection was refused
  kReset,           // the peer reset or closed the connection without a whole answer
  kResolve,         // the peer's host name did not resolve
  kConnectTimeout,  // HttpPoolOptions::connect_timeout passed while connecting
  kTimeout,         // HttpPoolOptions::request_timeout passed
  kTls,             // the TLS handshake or stream failed; the message says why
                    // ("unknown CA", "expired", "name mismatch", ...)
  kHttpStatus,      // the peer answered a status other than 200 (500: its getter failed)
  kMalformed,       // not HTTP, not a GetResponse, truncated, or over max_response_bytes
  kEjected,         // not sent: the peer is ejected (see eject_after_failures)
  kOther,           // this process's own failure: shutdown, the response memory budget
};

// Returns the name of `failure` as used in metrics labels and logs: "none",
// "refused", "reset", "resolve", "connect_timeout", "timeout", "tls",
// "http_status", "malformed", "ejected", "other". The view is static.
GROUPCACHE_API std::string_view PeerFailureName(PeerFailure failure);

// What an HttpPool knows of one remote peer's health (HttpPool::peer_health).
// A snapshot: a plain value, safe to keep and copy.
struct PeerHealth {
  std::string url;
  // True while the peer is skipped: its fetches fail at once, without the
  // network, and its keys load locally, until a probe succeeds.
  bool ejected = false;
  // Failures in a row (see HttpPoolOptions::eject_after_failures for what
  // counts); reset by any answer from the peer that is not a failure.
  uint32_t consecutive_failures = 0;
  // While ejected: when the next probe may go out (it goes with the first
  // fetch after that time). Epoch when not ejected.
  std::chrono::system_clock::time_point ejected_until{};
  std::string last_error;                         // the last counted failure; empty if none yet
  PeerFailure last_failure = PeerFailure::kNone;  // the classification of last_error
  std::chrono::system_clock::time_point last_error_at{};
  uint64_t ejections = 0;  // times the peer went from healthy to ejected
};

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
  // Changes between peers (Group::Remove, Group::Set), as groupcache-go v3
  // sends them: DELETE, and PUT with a SetRequest, on the Get path. When
  // true, this pool sends them to peers and serves them from peers (a
  // DELETE drops the key from this process's caches, a PUT stores the value
  // in its main cache; a PUT body is bounded by the peer server's
  // max_body_bytes). When false (the default), no change is sent: Remove
  // and Set reach this process only, and fail for a key another peer owns;
  // and every method is served as a Get, as Go groupcache does. Go
  // groupcache (v1) answers a DELETE or PUT as a Get, so a pool with v1
  // peers must leave this off: they would report success and change
  // nothing.
  bool mutations = false;
  // When set, peers are https:// URLs and every fetch presents this node's
  // certificate and verifies the peer's against tls->ca_file and the host
  // of the peer URL. HttpPool::ReloadTls replaces it while running.
  std::optional<TlsOptions> tls;
  // Called after every peer fetch, on an I/O thread, with the peer's URL,
  // how long the fetch took, its outcome, and why it failed (kNone when
  // status is OK). Must be cheap and not
  // block. Also called for a fetch failed at once because the peer is
  // ejected (failure kEjected, status Unavailable "peer <url> ejected ...";
  // elapsed near zero and meaningless as a latency), on the thread that
  // asked, so its errors match the group's peer errors.
  std::function<void(std::string_view peer, std::chrono::nanoseconds elapsed, const Status& status,
                     PeerFailure failure)>
      on_fetch;

  // Bounds opening a new connection to a peer: resolving, the TCP connect
  // and the TLS handshake, and never beyond request_timeout. A peer whose
  // kernel still completes TCP handshakes but whose process is frozen
  // (SIGSTOP) connects and is then bounded by request_timeout; ejection is
  // what spares the fetches after it. Must be positive.
  std::chrono::milliseconds connect_timeout{1000};

  // Per-peer circuit breaking (outlier ejection). After this many failures
  // in a row a peer is ejected: its fetches fail at once with "peer <url>
  // ejected", without the network, so the group loads those keys locally
  // (as for any peer error; on_fetch hears of each). 0 disables ejection.
  // Counted as failures: connection refused or reset, resolve failures,
  // the connect timeout, TLS failures, the request timeout, a response that
  // is malformed, truncated or over max_response_bytes, and HTTP 502, 503
  // and 504. Not counted: HTTP 500, because a Go or C++ peer answers 500
  // for any error of its getter (a key missing at the source), so a healthy
  // peer would be ejected for its data; nor other answers (4xx, 3xx), nor
  // failures of this process (shutdown, the response memory budget). Any
  // answer that is not a failure resets the count.
  uint32_t eject_after_failures = 3;
  // An ejected peer is retried after a backoff that starts at
  // eject_backoff_min and doubles on each failed probe up to
  // eject_backoff_max, each wait drawn within +-20% of the backoff so peers
  // ejected together are not probed together. Once the wait has passed the
  // first fetch sends the probe, the only request to go out until it ends:
  // a GET of the same key in the background, its answer dropped, while
  // that fetch, like every other meanwhile, fails at once and loads its
  // key locally (so no caller ever waits on an ejected peer; a Remove or
  // Set that sends the probe waits for it). Its success brings the peer
  // back with the backoff reset, its failure ejects it again. Both must be positive
  // and min <= max.
  std::chrono::milliseconds eject_backoff_min{1000};
  std::chrono::milliseconds eject_backoff_max{30000};
  // Called when a peer is ejected (ejected true; `reason` is the failure
  // that tipped it and `failure` its classification) or comes back (false;
  // `reason` is OK, `failure` kNone), on an I/O thread. `backoff` is how
  // long the peer is skipped before the first probe (zero when it comes
  // back). Must be cheap and not block.
  std::function<void(std::string_view peer, bool ejected, const Status& reason, PeerFailure failure,
                     std::chrono::milliseconds backoff)>
      on_peer_state_change;
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
  // Every peer but this process, when mutations is on; none otherwise.
  std::vector<std::shared_ptr<PeerGetter>> AllPeers() override;

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

  // The health of each remote peer of the current list, in list order
  // (self is left out). Takes a lock per peer; meant for status pages and
  // metrics, not for every request.
  std::vector<PeerHealth> peer_health() const;

  // Loads `tls` (the CA, certificate and key files, as at Create) and, only
  // if all of it loads and the key matches the certificate, makes it the
  // TLS material of every connection to a peer opened from now on. Fetches
  // in flight finish on the connections they have; idle keep-alive
  // connections opened with the old material are closed instead of being
  // reused, so every fetch after this call either runs on a connection
  // opened with the new material or was already under way. Errors:
  // InvalidArgument naming the file that could not be used, or for a pool
  // created without TLS; the material in use then stays.
  Status ReloadTls(const TlsOptions& tls);

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
