// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a TCP (optionally TLS) server on 127.0.0.1 that runs a script
// for every connection in a thread of its own, to play a hostile peer or
// origin: one that trickles, streams forever, or sends bytes nobody asked for.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_SCRIPTED_PEER_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_SCRIPTED_PEER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace groupcache::testing {

// A Tally counts events that happen on a script's thread, and lets the test
// wait until it has seen enough of them. Thread-safe.
class Tally {
 public:
  void Add() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++count_;
    }
    cv_.notify_all();
  }
  int count() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }
  // True once at least `n` events were counted; false if `limit` passed.
  bool WaitFor(int n, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return count_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;  // guarded by mu_
};

// One accepted connection as a script sees it. Reads and writes block; every
// call returns false (or "") once the client has closed the connection or the
// server is stopping, so a script that loops on Write ends when the client
// gives up.
class ScriptedConnection {
 public:
  ScriptedConnection(int fd, SSL* ssl, const std::atomic<bool>& stopping)
      : fd_(fd), ssl_(ssl), stopping_(stopping) {}

  // Reads up to the end of the next request head and returns its
  // request-target ("/_groupcache/g/key"), or "" at EOF, error or stop.
  std::string ReadRequest() {
    for (;;) {
      const size_t end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::string head = pending_.substr(0, end);
        last_head_ = head;
        pending_.erase(0, end + 4);
        const size_t sp1 = head.find(' ');
        const size_t sp2 = head.find(' ', sp1 + 1);
        if (sp1 == std::string::npos || sp2 == std::string::npos) return "";
        return head.substr(sp1 + 1, sp2 - sp1 - 1);
      }
      char buf[4096];
      const int n = Read(buf, sizeof buf);
      if (n <= 0) return "";
      pending_.append(buf, static_cast<size_t>(n));
    }
  }

  // Writes all of `bytes`; false if the client has gone.
  bool Write(std::string_view bytes) {
    while (!bytes.empty()) {
      if (stopping_) return false;
      int n;
      if (ssl_ != nullptr) {
        n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
      } else {
        n = static_cast<int>(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL));
      }
      if (n <= 0) {
        client_gone_ = true;
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // True once the client has closed (or reset) the connection: a Write
  // failed, or polling shows EOF.
  bool ClientGone() {
    if (client_gone_) return true;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
      char byte;
      if (::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) client_gone_ = true;
    }
    return client_gone_;
  }

  // Blocks until the client closes the connection or `limit` passes; true if
  // it closed.
  bool WaitForClientClose(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until && !stopping_) {
      pollfd p{fd_, POLLIN, 50};
      if (::poll(&p, 1, 50) == 1) {
        char buf[4096];
        if (::recv(fd_, buf, sizeof buf, MSG_DONTWAIT) == 0) return client_gone_ = true;
      }
      if (ClientGone()) return true;
    }
    return ClientGone();
  }

  bool stopping() const { return stopping_; }
  // The head (request line and fields) of the request ReadRequest returned.
  const std::string& last_head() const { return last_head_; }

 private:
  int Read(char* buf, int size) {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
        if (::poll(&p, 1, 50) == 0) continue;
      }
      const int n = ssl_ != nullptr ? SSL_read(ssl_, buf, size) : static_cast<int>(::recv(fd_, buf, size, 0));
      if (n <= 0) client_gone_ = true;
      return n;
    }
    return 0;
  }

  int fd_;
  SSL* ssl_;
  const std::atomic<bool>& stopping_;
  std::string pending_;
  std::string last_head_;
  bool client_gone_ = false;
};

// A ScriptedPeer listens on 127.0.0.1 (an OS-chosen port) and runs `script`
// on each accepted connection in a thread of its own. With a certificate it
// speaks TLS (no client certificate asked for). The destructor stops every
// script (their calls start failing) and joins the threads.
// Thread-safety: connections() and url() are safe from any thread.
class ScriptedPeer {
 public:
  using Script = std::function<void(ScriptedConnection&)>;

  explicit ScriptedPeer(Script script, const std::string& cert_file = "", const std::string& key_file = "")
      : script_(std::move(script)) {
    if (!cert_file.empty()) {
      ctx_ = SSL_CTX_new(TLS_server_method());
      if (SSL_CTX_use_certificate_chain_file(ctx_, cert_file.c_str()) != 1 ||
          SSL_CTX_use_PrivateKey_file(ctx_, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
        throw std::runtime_error("ScriptedPeer: cannot load " + cert_file);
      }
    }
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 128) != 0) {
      throw std::runtime_error("ScriptedPeer: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~ScriptedPeer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& t : threads_) t.join();
    for (int fd : fds_) ::close(fd);
    ::close(listen_fd_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }

  uint16_t port() const { return port_; }
  std::string url() const {
    return std::string(ctx_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }
  int connections() const { return connections_; }

 private:
  void Accept() {
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0 || stopping_) {
        if (fd >= 0) ::close(fd);
        return;
      }
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ++connections_;
      std::lock_guard<std::mutex> lock(mu_);
      fds_.push_back(fd);
      threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    SSL* ssl = nullptr;
    if (ctx_ != nullptr) {
      ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        SSL_free(ssl);
        ::shutdown(fd, SHUT_RDWR);
        return;
      }
    }
    ScriptedConnection connection(fd, ssl, stopping_);
    script_(connection);
    if (ssl != nullptr) SSL_free(ssl);
    ::shutdown(fd, SHUT_RDWR);  // the client sees EOF; the destructor closes the fd
  }

  Script script_;
  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> fds_;              // guarded by mu_; closed by the destructor
  std::vector<std::thread> threads_;  // guarded by mu_ until the acceptor ends
};

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_SCRIPTED_PEER_H_
