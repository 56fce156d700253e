// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Ports for servers that tests start in other processes (groupcached, kv, Go
// peers, dnsmasq, PostgreSQL), which bind the port themselves.
//
// Why not bind(0) and close: the kernel hands out such ports from the
// ephemeral range (net.ipv4.ip_local_port_range), the range every outgoing
// connect() takes its local port from too. Between our close and the
// server's bind, any of the connections other tests open meanwhile (ctest
// runs tests in parallel, and the flood tests open thousands) can take the
// port, and the server fails to start: seen as a rare failure of a cluster
// test under load. Ports below the ephemeral range are never assigned
// automatically, so a port picked there at random, checked free, and not
// handed out twice by this process, is lost only to another test process
// picking the same one in the same moment (1 in about 20,000).
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_FREE_PORT_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_FREE_PORT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

namespace groupcache::testing {

namespace free_port_internal {

inline sockaddr_in Loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

// True when 127.0.0.1:port binds now, for TCP and (if `udp`) for UDP too.
inline bool Binds(uint16_t port, bool udp) {
  for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
    if (type == SOCK_DGRAM && !udp) continue;
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in address = Loopback(port);
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (!bound) return false;
  }
  return true;
}

}  // namespace free_port_internal

// A port on 127.0.0.1 that is free now (for UDP too if `udp`), below the
// ephemeral range and never returned before by this process. Throws if none
// is found.
inline uint16_t PickServerPort(bool udp = false) {
  static std::mutex mu;
  static std::set<uint16_t> given;
  static std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  constexpr int kLowest = 10000;  // above the ports services usually own
  std::lock_guard<std::mutex> lock(mu);
  if (ephemeral_low - 1 > kLowest + 1000) {
    std::uniform_int_distribution<int> pick(kLowest, ephemeral_low - 1);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const auto port = static_cast<uint16_t>(pick(random));
      if (given.contains(port) || !free_port_internal::Binds(port, udp)) continue;
      given.insert(port);
      return port;
    }
  }
  // A host whose ephemeral range starts low: let the kernel choose.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = free_port_internal::Loopback(0);
    socklen_t length = sizeof address;
    uint16_t port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port = ntohs(address.sin_port);
    }
    if (fd >= 0) ::close(fd);
    if (port != 0 && !given.contains(port) && free_port_internal::Binds(port, udp)) {
      given.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free port on 127.0.0.1");
}

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_FREE_PORT_H_
