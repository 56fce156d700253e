// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// DNS peer discovery: the peer list of an HttpPool kept in step with a DNS
// name, such as a Kubernetes headless Service, resolved on the runtime's
// event loops without blocking them.
//
//   groupcache::DnsPeersOptions options;
//   options.name = "groupcached.cache.svc.cluster.local";  // A and AAAA records
//   options.on_change = [](const groupcache::PeerSetChange& change) { /* log it */ };
//   auto dns = groupcache::DnsPeers::Start(runtime, pool, std::move(options));  // Result<...>
//   ...
//   (*dns)->Stop();  // before the runtime shuts down; the destructor does it too
//
// The rules, so that DNS trouble never takes a cache apart: a new set is
// applied only when it differs from the one applied last; a lookup that
// fails, times out, names nothing (NXDOMAIN) or answers nothing leaves the
// last good set in force; the pool's own URL (HttpPool::self) is always a
// member, whether or not DNS lists it; members are sorted, so every node
// that sees the same answer builds the same ring.
#ifndef GROUPCACHE_DNS_PEERS_H_
#define GROUPCACHE_DNS_PEERS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "groupcache/export.h"
#include "groupcache/http_pool.h"
#include "groupcache/runtime.h"
#include "groupcache/status.h"

namespace groupcache {

// Which records a DnsPeers resolves.
enum class DnsRecord {
  // A and AAAA records: every address is a peer, on DnsPeersOptions::port.
  kAddress,
  // SRV records (for instance "_groupcache._tcp.NAME"): every target is a
  // peer, on the record's port. Priority and weight are ignored: every
  // target is a member. A target of "." (no service) is skipped.
  kSrv,
};

// One change of the peer set, as DnsPeersOptions::on_change sees it.
struct PeerSetChange {
  std::vector<std::string> peers;    // the new member list (sorted, self included)
  std::vector<std::string> added;    // sorted
  std::vector<std::string> removed;  // sorted
  std::string fingerprint;           // RingFingerprint(peers)
};

struct DnsPeersOptions {
  // The name to resolve, e.g. "groupcached.cache.svc.cluster.local". With
  // the system's resolver configuration its search list applies (a short
  // name works as it does for getaddrinfo); with explicit `servers` the name
  // is asked as given. No /etc/hosts lookup either way.
  std::string name;
  DnsRecord record = DnsRecord::kAddress;
  // kAddress: the peers' port; 0 means the port of the pool's self URL.
  // Ignored for kSrv (the records give the ports).
  uint16_t port = 0;
  // The wait from the end of one lookup to the start of the next.
  std::chrono::milliseconds interval{5000};
  // One lookup's deadline, every try and every server included; when it
  // passes the lookup is cancelled and counted as a failure.
  std::chrono::milliseconds timeout{2000};
  // DNS servers as "host:port" ("127.0.0.1:53", "[::1]:53" for IPv6),
  // IP literals only. Empty: the system's resolver configuration
  // (/etc/resolv.conf), read once by Start.
  std::vector<std::string> servers;
  // Called after each change has been applied with HttpPool::Set, on an
  // I/O thread; must be cheap and must not block. May call Stop.
  std::function<void(const PeerSetChange&)> on_change;
  // Called for each lookup that failed, timed out or answered no usable
  // member (and for an answer HttpPool::Set refused), on an I/O thread; the
  // old set stays. Must be cheap and must not block. May call Stop.
  std::function<void(const Status&)> on_lookup_error;
};

namespace internal {
class DnsPeersImpl;
}

// A DnsPeers resolves options.name every interval and applies the answer to
// `pool` with HttpPool::Set. Peer URLs are the scheme of pool->self(), the
// address (IPv6 in brackets) or SRV target (no trailing dot), and the port:
// "http://10.0.0.7:8080", "http://[fd00::7]:8080", "http://pod-0.svc:8080".
// For this node to be recognised among the answers, pool->self() must be
// spelled the way they are (an IP literal for kAddress); otherwise it is
// listed twice, once as self and once as a remote peer.
//
// Every lookup runs with c-ares on one of the runtime's event loops, which
// it never blocks. Before the first good answer the pool keeps the list it
// was created or Set with; the first good answer is applied (and reported
// with every member added); later answers only when they differ. An answer
// with more than 1024 members, or a member that is not a valid host name,
// is refused as a whole (a failure), never truncated: nodes that cut the
// same answer differently would build different rings.
// Thread-safety: safe for concurrent use. The runtime and the pool must
// outlive it; Runtime::Shutdown stops it (as Stop does).
class GROUPCACHE_API DnsPeers {
 public:
  // Validates `options`, starts the first lookup at once and returns without
  // waiting for it. InvalidArgument for an empty or malformed name, a
  // server that is not "ip:port", an interval or timeout that is not
  // positive, or a null pool; Unavailable when the resolver cannot be set
  // up or the runtime is shutting down.
  static Result<std::unique_ptr<DnsPeers>> Start(Runtime& runtime, std::shared_ptr<HttpPool> pool,
                                                 DnsPeersOptions options);
  ~DnsPeers();  // Stop()
  DnsPeers(const DnsPeers&) = delete;
  DnsPeers& operator=(const DnsPeers&) = delete;

  // Cancels the lookup in flight and the next one. Idempotent; after it
  // returns no callback runs and no lookup is pending. Called from another
  // thread, it waits for the DnsPeers' event loop to finish a callback in
  // progress; called from a callback (or anywhere on that loop), it returns
  // at once.
  void Stop();

  // The member list last applied (sorted, self included); empty before the
  // first good answer.
  std::vector<std::string> peers() const;
  // Lookups started, lookups that failed (see on_lookup_error) and changes
  // applied, since Start.
  uint64_t lookups() const;
  uint64_t lookup_failures() const;
  uint64_t changes() const;

 private:
  explicit DnsPeers(std::shared_ptr<internal::DnsPeersImpl> impl);
  std::shared_ptr<internal::DnsPeersImpl> impl_;
};

// A short stable hash of the sorted, de-duplicated member list: 16 lowercase
// hex characters (64-bit FNV-1a over each member followed by '\n'). Every
// HttpPool sends the fingerprint of its list on peer requests and responses
// (HttpPool::fingerprint).
GROUPCACHE_API std::string RingFingerprint(std::vector<std::string> peers);

}  // namespace groupcache

#endif  // GROUPCACHE_DNS_PEERS_H_
