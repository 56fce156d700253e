// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/dns_resolver.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <charconv>
#include <mutex>

namespace groupcache::internal {
namespace {

namespace asio = boost::asio;

// ares_library_init is not thread-safe and must run once per process before
// any channel; on Linux it does nothing that needs undoing, so it is never
// cleaned up.
int InitLibraryOnce() {
  static std::once_flag once;
  static int status = ARES_SUCCESS;
  std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
  return status;
}

Status AresError(int status, std::string_view what) {
  const std::string message = std::string(what) + ": " + ares_strerror(status);
  switch (status) {
    case ARES_ENOTFOUND:
      return Status::NotFound(message);
    case ARES_ETIMEOUT:
      return Status::DeadlineExceeded(message);
    default:
      return Status::Unavailable(message);
  }
}

}  // namespace

Result<std::string> ParseDnsServer(std::string_view server) {
  const std::string quoted = "DNS server \"" + std::string(server) + "\"";
  std::string_view host;
  std::string_view port;
  bool v6 = false;
  if (server.starts_with('[')) {
    const size_t close = server.find(']');
    if (close == std::string_view::npos || close + 1 >= server.size() || server[close + 1] != ':') {
      return Status::InvalidArgument(quoted + ": want [ipv6]:port");
    }
    host = server.substr(1, close - 1);
    port = server.substr(close + 2);
    v6 = true;
  } else {
    const size_t colon = server.rfind(':');
    if (colon == std::string_view::npos) return Status::InvalidArgument(quoted + ": no port (want ip:port)");
    host = server.substr(0, colon);
    port = server.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return Status::InvalidArgument(quoted + ": an IPv6 address needs brackets ([::1]:53)");
    }
  }
  unsigned char buf[sizeof(in6_addr)];
  const std::string host_string(host);
  if (inet_pton(v6 ? AF_INET6 : AF_INET, host_string.c_str(), buf) != 1) {
    return Status::InvalidArgument(quoted + ": \"" + host_string + "\" is not an IP" + (v6 ? "v6" : "v4") +
                                   " address (names are not resolved)");
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || port.size() > 5 || ec != std::errc() || end != port.data() + port.size() ||
      value == 0 || value > 65535) {
    return Status::InvalidArgument(quoted + ": port \"" + std::string(port) + "\" is not in 1..65535");
  }
  return (v6 ? "[" + host_string + "]" : host_string) + ":" + std::to_string(value);
}

bool IsDnsName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

// A socket c-ares opened, watched without being owned: the descriptor is
// released, never closed, when c-ares is done with it.
struct DnsResolver::Watch {
  Watch(asio::io_context& io, ares_socket_t fd, uint64_t generation)
      : descriptor(io, fd), generation(generation) {}
  ~Watch() { descriptor.release(); }  // cancels its waits; c-ares closes the socket

  asio::posix::stream_descriptor descriptor;
  // Tells a wait's handler that the descriptor it waited on is still this
  // socket: c-ares may close a socket and get its number again.
  const uint64_t generation;
  bool want_read = false;
  bool want_write = false;
  bool reading = false;  // a wait is pending
  bool writing = false;
};

// One lookup's callback, owned by c-ares (its `arg`) until c-ares answers.
struct DnsResolver::Query {
  Callback done;
  std::string name;
};

Result<std::unique_ptr<DnsResolver>> DnsResolver::Create(asio::io_context& io,
                                                         const DnsResolverOptions& options) {
  if (int status = InitLibraryOnce(); status != ARES_SUCCESS) {
    return Status::Unavailable(std::string("initialising c-ares: ") + ares_strerror(status));
  }
  std::string servers;
  for (const std::string& server : options.servers) {
    Result<std::string> parsed = ParseDnsServer(server);
    if (!parsed.ok()) return parsed.status();
    servers += (servers.empty() ? "" : ",") + *parsed;
  }
  // The resolver object must exist before the channel, whose socket-state
  // callback it is; the channel is filled in just below.
  std::unique_ptr<DnsResolver> resolver(new DnsResolver(io, nullptr));
  ares_options ares{};
  int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS;
  ares.sock_state_cb = &DnsResolver::OnSocketState;
  ares.sock_state_cb_data = resolver.get();
  ares.timeout = static_cast<int>(std::max<int64_t>(1, options.try_timeout.count()));
  ares.tries = std::max(1, options.tries);
  // DNS only: /etc/hosts is a file read, and peers come from DNS.
  ares.lookups = const_cast<char*>("b");
  if (!servers.empty()) {
    // Explicit servers get the name as given: the system's search domains
    // belong to the system's servers.
    mask |= ARES_OPT_DOMAINS;
    ares.domains = nullptr;
    ares.ndomains = 0;
  }
  if (int status = ares_init_options(&resolver->channel_, &ares, mask); status != ARES_SUCCESS) {
    resolver->channel_ = nullptr;
    return Status::Unavailable(std::string("initialising c-ares: ") + ares_strerror(status));
  }
  if (!servers.empty()) {
    if (int status = ares_set_servers_ports_csv(resolver->channel_, servers.c_str());
        status != ARES_SUCCESS) {
      return Status::InvalidArgument("DNS servers \"" + servers + "\": " + ares_strerror(status));
    }
  }
  return resolver;
}

DnsResolver::DnsResolver(asio::io_context& io, ares_channel channel)
    : io_(io), channel_(channel), timer_(io) {}

DnsResolver::~DnsResolver() {
  // ares_destroy answers every query (ARES_EDESTRUCTION) and reports each
  // socket closed through OnSocketState, which releases its watch.
  if (channel_ != nullptr) ares_destroy(channel_);
  watches_.clear();
}

void DnsResolver::OnSocketState(void* data, ares_socket_t fd, int readable, int writable) {
  auto* self = static_cast<DnsResolver*>(data);
  if (!readable && !writable) {
    self->watches_.erase(fd);  // c-ares closes the socket right after this
    return;
  }
  std::unique_ptr<Watch>& watch = self->watches_[fd];
  if (!watch) watch = std::make_unique<Watch>(self->io_, fd, self->next_generation_++);
  watch->want_read = readable != 0;
  watch->want_write = writable != 0;
  self->Arm(*watch);
}

void DnsResolver::Arm(Watch& watch) {
  const ares_socket_t fd = watch.descriptor.native_handle();
  if (watch.want_read && !watch.reading) {
    watch.reading = true;
    watch.descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                                [this, alive = std::weak_ptr<int>(alive_), fd,
                                 generation = watch.generation](const boost::system::error_code& ec) {
                                  if (!alive.expired()) OnReady(fd, generation, true, ec);
                                });
  }
  if (watch.want_write && !watch.writing) {
    watch.writing = true;
    watch.descriptor.async_wait(asio::posix::descriptor_base::wait_write,
                                [this, alive = std::weak_ptr<int>(alive_), fd,
                                 generation = watch.generation](const boost::system::error_code& ec) {
                                  if (!alive.expired()) OnReady(fd, generation, false, ec);
                                });
  }
}

void DnsResolver::OnReady(ares_socket_t fd, uint64_t generation, bool read,
                          const boost::system::error_code& ec) {
  auto it = watches_.find(fd);
  if (it == watches_.end() || it->second->generation != generation) return;  // released meanwhile
  Watch& watch = *it->second;
  (read ? watch.reading : watch.writing) = false;
  if (ec == asio::error::operation_aborted) return;
  // Any other error is for c-ares to find when it reads or writes.
  ares_process_fd(channel_, read ? fd : ARES_SOCKET_BAD, read ? ARES_SOCKET_BAD : fd);
  // Processing may have closed this socket, or opened others.
  it = watches_.find(fd);
  if (it != watches_.end() && it->second->generation == generation) Arm(*it->second);
  ScheduleTimeout();
}

void DnsResolver::ScheduleTimeout() {
  timeval tv;
  if (ares_timeout(channel_, nullptr, &tv) == nullptr) {
    timer_.cancel();
    return;
  }
  timer_.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
  timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
    if (alive.expired() || ec == asio::error::operation_aborted) return;
    ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // the timeouts that expired
    ScheduleTimeout();
  });
}

void DnsResolver::ResolveAddresses(const std::string& name, Callback done) {
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = ARES_AI_NOSORT;  // sorting connects a socket per address; the caller sorts
  auto* query = new Query{std::move(done), name};
  ares_getaddrinfo(
      channel_, name.c_str(), nullptr, &hints,
      [](void* arg, int status, int, ares_addrinfo* result) {
        std::unique_ptr<Query> query(static_cast<Query*>(arg));
        if (status != ARES_SUCCESS) {
          if (result != nullptr) ares_freeaddrinfo(result);
          // No A and no AAAA records for a name that exists: an empty answer.
          if (status == ARES_ENODATA) return query->done(std::vector<DnsTarget>{});
          return query->done(AresError(status, "resolving " + query->name));
        }
        std::vector<DnsTarget> targets;
        for (ares_addrinfo_node* node = result != nullptr ? result->nodes : nullptr; node != nullptr;
             node = node->ai_next) {
          char text[INET6_ADDRSTRLEN];
          const void* address = nullptr;
          if (node->ai_family == AF_INET) {
            address = &reinterpret_cast<const sockaddr_in*>(node->ai_addr)->sin_addr;
          } else if (node->ai_family == AF_INET6) {
            address = &reinterpret_cast<const sockaddr_in6*>(node->ai_addr)->sin6_addr;
          }
          if (address != nullptr && inet_ntop(node->ai_family, address, text, sizeof text) != nullptr) {
            targets.push_back({text, 0});
          }
        }
        if (result != nullptr) ares_freeaddrinfo(result);
        query->done(std::move(targets));
      },
      query);
  ScheduleTimeout();
}

void DnsResolver::ResolveSrv(const std::string& name, Callback done) {
  auto* query = new Query{std::move(done), name};
  ares_search(
      channel_, name.c_str(), ns_c_in, ns_t_srv,
      [](void* arg, int status, int, unsigned char* answer, int length) {
        std::unique_ptr<Query> query(static_cast<Query*>(arg));
        if (status == ARES_ENODATA) return query->done(std::vector<DnsTarget>{});
        if (status != ARES_SUCCESS) return query->done(AresError(status, "resolving SRV " + query->name));
        ares_srv_reply* replies = nullptr;
        status = ares_parse_srv_reply(answer, length, &replies);
        if (status == ARES_ENODATA) return query->done(std::vector<DnsTarget>{});
        if (status != ARES_SUCCESS) {
          return query->done(AresError(status, "parsing the SRV answer for " + query->name));
        }
        std::vector<DnsTarget> targets;
        for (ares_srv_reply* reply = replies; reply != nullptr; reply = reply->next) {
          targets.push_back({reply->host != nullptr ? reply->host : "", reply->port});
        }
        ares_free_data(replies);
        query->done(std::move(targets));
      },
      query);
  ScheduleTimeout();
}

void DnsResolver::Cancel() {
  ares_cancel(channel_);
  ScheduleTimeout();
}

}  // namespace groupcache::internal
