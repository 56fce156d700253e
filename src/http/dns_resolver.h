// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// c-ares driven by an asio event loop: the lookups behind DnsPeers.
#ifndef GROUPCACHE_SRC_HTTP_DNS_RESOLVER_H_
#define GROUPCACHE_SRC_HTTP_DNS_RESOLVER_H_

#include <ares.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "groupcache/status.h"

namespace groupcache::internal {

// One answer record reduced to what a peer URL needs: an address (A or
// AAAA, as inet_ntop writes it, port 0) or an SRV target and port.
struct DnsTarget {
  std::string host;
  uint16_t port = 0;
};

struct DnsResolverOptions {
  // "ip:port" or "[ipv6]:port", checked by ParseDnsServer; empty: the
  // system's resolver configuration, search list included. With servers,
  // names are asked as given (no search list).
  std::vector<std::string> servers;
  // One try's timeout; c-ares doubles it on each round of tries.
  std::chrono::milliseconds try_timeout{500};
  int tries = 3;
};

// Checks one DnsResolverOptions::servers entry: an IPv4 literal or a
// bracketed IPv6 literal, then ':' and a port in 1..65535. Returns it as
// c-ares's server list spells it, or InvalidArgument naming the problem.
Result<std::string> ParseDnsServer(std::string_view server);

// Whether `name` can be asked of DNS and used as a URL host: at most 253
// bytes, dot-separated labels of 1 to 63 letters, digits, '-' or '_' (an
// SRV owner name starts with "_service._proto"), a trailing dot allowed.
bool IsDnsName(std::string_view name);

// A DnsResolver is a c-ares channel whose sockets and timeouts are driven by
// one asio io_context: each socket c-ares opens is watched (non-owning) with
// async_wait, readiness and expired timeouts go to ares_process_fd, and
// nothing blocks. Not thread-safe: Create may run on any thread, everything
// else (the destructor included) on the io_context's thread, or once that
// thread has stopped for good.
class DnsResolver {
 public:
  // Every answer (or failure) of one lookup. Called on the loop's thread,
  // exactly once per lookup: with the targets (possibly none), or with
  // NotFound (NXDOMAIN), DeadlineExceeded (c-ares gave up) or Unavailable
  // (cancelled by Cancel or the destructor, refused, malformed, ...).
  using Callback = std::function<void(Result<std::vector<DnsTarget>>)>;

  // Unavailable when c-ares cannot be initialised (no memory, an unreadable
  // configuration), InvalidArgument for a bad server.
  static Result<std::unique_ptr<DnsResolver>> Create(boost::asio::io_context& io,
                                                     const DnsResolverOptions& options);
  // Ends every lookup in flight (Unavailable) and closes the sockets.
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  // A and AAAA records of `name`.
  void ResolveAddresses(const std::string& name, Callback done);
  // SRV records of `name`.
  void ResolveSrv(const std::string& name, Callback done);
  // Ends every lookup in flight; each callback runs (Unavailable) before
  // this returns.
  void Cancel();

 private:
  struct Watch;
  struct Query;

  DnsResolver(boost::asio::io_context& io, ares_channel channel);
  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable);
  void Arm(Watch& watch);
  void OnReady(ares_socket_t fd, uint64_t generation, bool read, const boost::system::error_code& ec);
  // Re-arms the timer for c-ares's next timeout (or leaves it idle).
  void ScheduleTimeout();

  boost::asio::io_context& io_;
  ares_channel channel_;
  boost::asio::steady_timer timer_;
  std::map<ares_socket_t, std::unique_ptr<Watch>> watches_;
  uint64_t next_generation_ = 0;
  // Handlers hold a weak_ptr to this: a handler left queued after the
  // resolver is gone sees it expired and does nothing.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_DNS_RESOLVER_H_
