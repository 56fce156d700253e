// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "tls_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace groupcache::integration {
namespace {

// A blocking TCP connection to 127.0.0.1:port whose every send and receive
// gives up after `timeout`; -1 on failure.
int ConnectBlocking(uint16_t port, std::chrono::milliseconds timeout, std::string* error) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    close(fd);
    return -1;
  }
  return fd;
}

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};

}  // namespace

TlsProbeResult ProbeTls(uint16_t port, const TlsProbeOptions& options, std::string_view request,
                        std::chrono::milliseconds timeout) {
  TlsProbeResult result;
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    result.error = "SSL_CTX_new: " + OpenSslErrors();
    return result;
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  if (SSL_CTX_load_verify_locations(ctx.get(), options.ca_file.c_str(), nullptr) != 1) {
    result.error = "loading CA " + options.ca_file + ": " + OpenSslErrors();
    return result;
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (!options.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), options.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx.get(), options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      result.error = "loading client certificate: " + OpenSslErrors();
      return result;
    }
  }
  int fd = ConnectBlocking(port, timeout, &result.error);
  if (fd < 0) return result;
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!options.verify_ip.empty())
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), options.verify_ip.c_str());
  SSL_set_fd(ssl.get(), fd);
  if (SSL_connect(ssl.get()) != 1) {
    result.error = "handshake: " + OpenSslErrors();
    close(fd);
    return result;
  }
  result.handshake_ok = true;
  size_t written = 0;
  if (SSL_write_ex(ssl.get(), request.data(), request.size(), &written) != 1) {
    result.error = "write: " + OpenSslErrors();
    close(fd);
    return result;
  }
  char buf[16 * 1024];
  while (true) {
    size_t n = 0;
    if (SSL_read_ex(ssl.get(), buf, sizeof buf, &n) == 1) {
      result.received.append(buf, n);
      continue;
    }
    const int code = SSL_get_error(ssl.get(), 0);
    if (code != SSL_ERROR_ZERO_RETURN) {
      result.error = "read: SSL error " + std::to_string(code) + " " + OpenSslErrors();
    }
    break;
  }
  close(fd);
  return result;
}

std::string ExchangePlain(uint16_t port, std::string_view raw, std::chrono::milliseconds timeout) {
  std::string error;
  int fd = ConnectBlocking(port, timeout, &error);
  if (fd < 0) return "";
  size_t sent = 0;
  while (sent < raw.size()) {
    ssize_t n = send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string received;
  char buf[16 * 1024];
  while (true) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // closed, reset, or timed out
    received.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return received;
}

}  // namespace groupcache::integration
