// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Ports and a small blocking HTTP/1.1 client for the integration tests.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_NET_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_NET_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "groupcache/status.h"

namespace groupcache::integration {

inline constexpr std::chrono::seconds kDefaultHttpTimeout{30};

// Returns `n` distinct ports free on 127.0.0.1 for servers the test starts
// in other processes: below the ephemeral range, so that no outgoing
// connection takes one before the server binds it (free_port.h).
std::vector<uint16_t> PickFreePorts(int n);
uint16_t PickFreePort();

// Polls until 127.0.0.1:`port` accepts a TCP connection or `timeout` passes.
// Returns whether it did.
[[nodiscard]] bool WaitForPort(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// "http://127.0.0.1:<port>".
std::string LocalUrl(uint16_t port);

// One HTTP response.
struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order received
  std::string body;

  // The first header named `name` (case-insensitive), or empty.
  std::string Header(std::string_view name) const;
};

// Sends "GET <target> HTTP/1.1" with "Connection: close" to 127.0.0.1:`port`
// and reads one response (Content-Length, chunked or until EOF). Errors:
// Unavailable if the connection fails or closes before a complete response;
// DeadlineExceeded if the whole exchange takes longer than `timeout`.
Result<HttpReply> HttpGet(uint16_t port, std::string_view target,
                          std::chrono::milliseconds timeout = kDefaultHttpTimeout);

// Sends `raw` bytes as they are and reads one response, as HttpGet does. If
// the server closes or resets while the request is still being sent, any
// response it managed to send is still read and returned.
Result<HttpReply> SendRawRequest(uint16_t port, std::string_view raw,
                                 std::chrono::milliseconds timeout = kDefaultHttpTimeout);

// A KeepAliveClient sends GETs to 127.0.0.1:`port` one at a time over one
// kept-alive connection, as a load generator does, opening a new one when
// the server closed the last (a request on a reused connection that finds it
// closed is sent once more on a new one).
// Thread-safety: not thread-safe; one per client thread.
class KeepAliveClient {
 public:
  explicit KeepAliveClient(uint16_t port) : port_(port) {}
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  // Sends "GET <target> HTTP/1.1" and reads the response. Errors as
  // HttpGet's; after an error the connection is closed.
  Result<HttpReply> Get(std::string_view target, std::chrono::milliseconds timeout = kDefaultHttpTimeout);

 private:
  void Close();

  const uint16_t port_;
  int fd_ = -1;
};

// How many IPv4 TCP connections on this machine are established to
// 127.0.0.1:`port` (from /proc/net/tcp): a way to see that a process has
// reached a peer that will never answer (a stopped one, whose kernel still
// completes the TCP handshake).
int EstablishedConnectionsTo(uint16_t port);

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_NET_H_
