// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Peer URLs: their syntax, the endpoint each names, and warnings about
// entries of node.peers that may reach the same node under two names.
#include "daemon/config_peers.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "daemon/config.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

namespace internal {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Host names, IP addresses and IPv6 zones ("%25eth0") use only these.
bool IsAuthorityChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '%' || c == ':' || c == '[' || c == ']';
}

}  // namespace

std::string PeerEndpoint::ToString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return scheme + "://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string CanonicalAddress(std::string_view text) {
  const std::string host(text);
  char buffer[INET6_ADDRSTRLEN];
  in6_addr v6;
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
      in_addr v4;
      std::memcpy(&v4, &v6.s6_addr[12], sizeof v4);
      return inet_ntop(AF_INET, &v4, buffer, sizeof buffer);
    }
    return inet_ntop(AF_INET6, &v6, buffer, sizeof buffer);
  }
  // inet_aton takes what getaddrinfo takes: "127.1", "0x7f.0.0.1", "0177.0.0.1".
  in_addr v4;
  if (!host.empty() && inet_aton(host.c_str(), &v4) != 0)
    return inet_ntop(AF_INET, &v4, buffer, sizeof buffer);
  return "";
}

Result<PeerEndpoint> ParsePeerEndpoint(std::string_view url, std::string_view scheme) {
  const auto problem = [&url](std::string_view what) {
    return Status::InvalidArgument(Quoted(url) + std::string(what));
  };
  const std::string prefix = std::string(scheme) + "://";
  if (!url.starts_with(prefix)) {
    if (scheme == "https" && url.starts_with("http://")) {
      return problem(
          " must use https:// (peers use mutual TLS; plain http:// only with tls.insecure_plaintext = true)");
    }
    if (scheme == "http" && url.starts_with("https://")) {
      return problem(" must use http:// because tls.insecure_plaintext = true");
    }
    return problem(" must start with " + prefix);
  }
  const std::string_view authority = url.substr(prefix.size());
  if (authority.empty()) return problem(" has no host");
  if (authority.back() == '/') return problem(": remove the trailing slash");
  if (authority.find_first_of("/?#@") != std::string_view::npos) {
    return problem(" must be " + prefix + "host:port with no path, query or user info");
  }
  if (!std::all_of(authority.begin(), authority.end(), IsAuthorityChar)) {
    return problem(" has a character that cannot be in a host name or address");
  }
  std::string_view host = authority;
  std::string_view port;
  bool bracketed = false;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return problem(" has an unclosed '['");
    host = authority.substr(1, close - 1);
    bracketed = true;
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return problem(" has junk after ']'");
      port = authority.substr(close + 2);
      if (port.empty()) return problem(" has an empty port");
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return problem(" has an empty port");
  }
  if (host.empty()) return problem(" has no host");
  if (!bracketed && host.find_first_of(":[]") != std::string_view::npos) {
    return problem(" must put an IPv6 address in brackets: " + prefix + "[::1]:port");
  }

  PeerEndpoint endpoint;
  endpoint.scheme = std::string(scheme);
  unsigned number = scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.size() > 5 || ec != std::errc() || end != port.data() + port.size() || number == 0 ||
        number > 65535) {
      return problem(" has an invalid port");
    }
  }
  endpoint.port = static_cast<uint16_t>(number);
  endpoint.host = CanonicalAddress(host);
  endpoint.numeric = !endpoint.host.empty();
  if (bracketed && !endpoint.numeric && host.find('%') == std::string_view::npos) {
    return problem(" has brackets around something that is not an IPv6 address");
  }
  if (!endpoint.numeric) endpoint.host = Lower(host);
  return endpoint;
}

}  // namespace internal

namespace {

using internal::CanonicalAddress;
using internal::ParsePeerEndpoint;
using internal::PeerEndpoint;

constexpr size_t kMaxResolvedNames = 64;
constexpr size_t kMaxResolverThreads = 8;

// The names being resolved, shared with the resolver threads, which may
// outlive the call that started them when a lookup hangs.
struct Lookups {
  explicit Lookups(std::vector<std::string> names_in, PeerHostResolver resolver_in)
      : names(std::move(names_in)), resolver(std::move(resolver_in)), results(names.size()) {}

  // Resolves names until none is left; run by each resolver thread.
  void Work() {
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> lock(mu);
        if (next == names.size()) return;
        i = next++;
      }
      Result<std::vector<std::string>> addresses = Status::Unavailable("the resolver threw an exception");
      try {
        addresses = resolver(names[i]);
      } catch (...) {
      }
      std::unique_lock<std::mutex> lock(mu);
      results[i] = std::move(addresses);
      ++done;
      done_cv.notify_all();
    }
  }

  const std::vector<std::string> names;
  const PeerHostResolver resolver;
  std::mutex mu;
  std::condition_variable done_cv;
  std::vector<std::optional<Result<std::vector<std::string>>>> results;  // guarded by mu
  size_t next = 0;                                                       // guarded by mu
  size_t done = 0;                                                       // guarded by mu
};

std::string Seconds(std::chrono::milliseconds d) {
  return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + "s" : std::to_string(d.count()) + "ms";
}

}  // namespace

PeerHostResolver SystemPeerHostResolver() {
  return [](const std::string& host) -> Result<std::vector<std::string>> {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc != 0) return Status::Unavailable(rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc));
    std::vector<std::string> addresses;
    for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
      char numeric[NI_MAXHOST];
      if (::getnameinfo(ai->ai_addr, ai->ai_addrlen, numeric, sizeof numeric, nullptr, 0, NI_NUMERICHOST) ==
          0) {
        addresses.emplace_back(numeric);
      }
    }
    ::freeaddrinfo(list);
    return addresses;
  };
}

std::vector<std::string> PeerAliasWarnings(const Config& config, std::chrono::milliseconds timeout,
                                           PeerHostResolver resolver) {
  const std::string scheme = config.tls.enabled() ? "https" : "http";
  const std::vector<std::string>& peers = config.node.peers;
  const auto name_of = [&peers](size_t i) {
    return "node.peers[" + std::to_string(i) + "] \"" + peers[i] + "\"";
  };
  std::vector<std::string> warnings;
  const auto warn = [&](std::string text) {
    warnings.push_back(config.source_name + ": " + std::move(text));
  };

  std::vector<std::optional<PeerEndpoint>> endpoints;
  std::vector<std::string> names;  // distinct host names to resolve, in order
  for (const std::string& url : peers) {
    Result<PeerEndpoint> endpoint = ParsePeerEndpoint(url, scheme);
    endpoints.push_back(endpoint.ok() ? std::optional(*endpoint) : std::nullopt);
    if (endpoint.ok() && !endpoint->numeric &&
        std::find(names.begin(), names.end(), endpoint->host) == names.end()) {
      names.push_back(endpoint->host);
    }
  }
  if (names.size() > kMaxResolvedNames) {
    warn("node.peers names " + std::to_string(names.size()) + " hosts; only the first " +
         std::to_string(kMaxResolvedNames) + " were checked for aliases");
    names.resize(kMaxResolvedNames);
  }

  auto lookups = std::make_shared<Lookups>(names, std::move(resolver));
  const size_t threads = std::min(kMaxResolverThreads, names.size());
  size_t started = 0;
  for (; started < threads; ++started) {
    try {
      std::thread([lookups] { lookups->Work(); }).detach();
    } catch (const std::system_error&) {
      break;
    }
  }
  std::vector<std::optional<Result<std::vector<std::string>>>> results;
  {
    std::unique_lock<std::mutex> lock(lookups->mu);
    if (started > 0) {
      const auto deadline = std::chrono::steady_clock::now() + timeout;
      while (lookups->done != names.size() &&
             lookups->done_cv.wait_until(lock, deadline) != std::cv_status::timeout) {
      }
    }
    results = lookups->results;
  }

  // Each entry's addresses, canonical; empty when unknown.
  std::vector<std::set<std::string>> addresses(peers.size());
  std::map<std::string, std::set<std::string>> resolved;
  for (size_t n = 0; n < names.size(); ++n) {
    if (results[n].has_value() && results[n]->ok()) {
      for (const std::string& address : **results[n]) {
        if (std::string canonical = CanonicalAddress(address); !canonical.empty()) {
          resolved[names[n]].insert(canonical);
        }
      }
    }
  }
  for (size_t i = 0; i < peers.size(); ++i) {
    if (!endpoints[i]) continue;
    const PeerEndpoint& endpoint = *endpoints[i];
    if (endpoint.numeric) {
      addresses[i].insert(endpoint.host);
      continue;
    }
    const auto n = std::find(names.begin(), names.end(), endpoint.host) - names.begin();
    if (static_cast<size_t>(n) == names.size()) continue;  // beyond kMaxResolvedNames
    if (!results[n].has_value()) {
      warn(name_of(i) + ": " + Quoted(endpoint.host) + " was not resolved within " + Seconds(timeout) +
           "; not checked for aliases");
    } else if (!results[n]->ok()) {
      warn(name_of(i) + ": cannot resolve " + Quoted(endpoint.host) + ": " + results[n]->status().message());
    } else {
      addresses[i] = resolved[endpoint.host];
    }
  }

  for (size_t j = 0; j < peers.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      if (!endpoints[i] || !endpoints[j] || endpoints[i]->port != endpoints[j]->port) continue;
      for (const std::string& address : addresses[j]) {
        if (addresses[i].count(address) == 0) continue;
        warn(name_of(j) + " and " + name_of(i) + " may be the same node (both reach " + address + " port " +
             std::to_string(endpoints[j]->port) + "); list each node once, under one name");
        break;
      }
    }
  }
  return warnings;
}

}  // namespace groupcached
