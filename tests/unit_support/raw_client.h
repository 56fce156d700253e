// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: raw TCP connections to 127.0.0.1 on plain file descriptors, for
// tests that play hostile clients: send any bytes, hold thousands of silent
// connections, and see exactly when the server closes. Also a TLS
// ClientHello to stall a handshake with.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_RAW_CLIENT_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_RAW_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace groupcache::testing {

// A RawConnection is one client TCP connection. Move-only; not thread-safe.
class RawConnection {
 public:
  RawConnection() = default;
  explicit RawConnection(int fd) : fd_(fd) {}
  RawConnection(RawConnection&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  RawConnection& operator=(RawConnection&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~RawConnection() { Close(); }

  // Connects to 127.0.0.1:port; an invalid connection (ok() false) on failure.
  static RawConnection Connect(uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return RawConnection();
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return RawConnection();
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return RawConnection(fd);
  }

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Sends all of `bytes`; false if the connection failed.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  struct ReadResult {
    std::string bytes;    // everything received
    bool closed = false;  // the server closed (FIN or reset); false: `timeout` ran out first
  };

  // Reads until the server closes the connection or `timeout` passes.
  ReadResult ReadUntilClose(std::chrono::milliseconds timeout) {
    ReadResult out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() < 0) return out;
      pollfd p{fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return out;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        out.closed = true;
        return out;
      }
      out.bytes.append(buf, static_cast<size_t>(n));
    }
  }

  // Whether the server has closed the connection, waiting at most `wait`.
  // Bytes the server sent are left unread.
  bool ClosedByServer(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
    char byte;
    const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Raises this process's limit on open files to at least `n` (soft and, if
// needed and allowed, hard). Returns whether the soft limit is now >= n.
inline bool RaiseOpenFileLimit(rlim_t n) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur >= n) return true;
  if (limit.rlim_max < n) limit.rlim_max = n;  // needs CAP_SYS_RESOURCE
  limit.rlim_cur = n;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) return true;
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur >= n;
}

// The bytes of a TLS ClientHello (TLS 1.2 to 1.3), as a client sends them
// first: sent alone, they start a handshake the client never finishes.
inline std::string MakeClientHello() {
  std::string hello;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);  // ssl owns both now
  SSL_set_connect_state(ssl);
  SSL_do_handshake(ssl);  // wants the server's answer; the hello is in `out`
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  if (size > 0) hello.assign(data, static_cast<size_t>(size));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return hello;
}

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_RAW_CLIENT_H_
