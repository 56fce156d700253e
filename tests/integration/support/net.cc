// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "free_port.h"

namespace groupcache::integration {
namespace {

using Clock = std::chrono::steady_clock;
namespace http = boost::beast::http;

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Connects a non-blocking socket to 127.0.0.1:port before `deadline`.
Result<int> Connect(uint16_t port, Clock::time_point deadline) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Unavailable(std::string("socket: ") + std::strerror(errno));
  sockaddr_in a = Loopback(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  if (errno != EINPROGRESS) {
    int e = errno;
    close(fd);
    return Status::Unavailable(std::string("connect: ") + std::strerror(e));
  }
  pollfd p{fd, POLLOUT, 0};
  int n;
  do {
    n = poll(&p, 1, MillisLeft(deadline));
  } while (n < 0 && errno == EINTR);
  if (n == 0) {
    close(fd);
    return Status::DeadlineExceeded("connect timed out");
  }
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    close(fd);
    return Status::Unavailable(std::string("connect: ") + std::strerror(err));
  }
  return fd;
}

// Waits for `events` on fd until deadline. Returns false on timeout.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  while (true) {
    int n = poll(&p, 1, MillisLeft(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

// Sends all of `data`. Returns false if the peer closed or reset first (the
// caller still tries to read a response); a timeout is an error.
Result<bool> SendAll(int fd, std::string_view data, Clock::time_point deadline) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(fd, POLLOUT, deadline)) return Status::DeadlineExceeded("timed out sending request");
      continue;
    }
    return false;  // EPIPE, ECONNRESET, ...
  }
  return true;
}

Result<HttpReply> ReadResponse(int fd, Clock::time_point deadline) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  parser.header_limit(1 << 20);
  parser.eager(true);
  std::string buf;
  char chunk[64 * 1024];
  bool eof = false;
  while (!parser.is_done()) {
    // Let the parser consume what it can before reading more.
    if (!buf.empty()) {
      boost::beast::error_code ec;
      size_t used = parser.put(boost::asio::buffer(buf), ec);
      buf.erase(0, used);
      if (ec && ec != http::error::need_more) {
        return Status::Unavailable("malformed HTTP response: " + ec.message());
      }
      if (parser.is_done()) break;
      if (used > 0 && !ec) continue;
    }
    if (eof) {
      // put_eof requires that some of the message arrived (Beast asserts it).
      if (!parser.got_some()) return Status::Unavailable("connection closed before any response");
      boost::beast::error_code ec;
      parser.put_eof(ec);
      if (ec) return Status::Unavailable("connection closed before a complete response: " + ec.message());
      break;
    }
    if (!WaitFor(fd, POLLIN, deadline)) return Status::DeadlineExceeded("timed out reading response");
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      buf.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      eof = true;
    } else if (errno != EINTR && errno != EAGAIN) {
      if (buf.empty() && !parser.got_some()) {
        return Status::Unavailable(std::string("recv: ") + std::strerror(errno));
      }
      eof = true;
    }
  }
  HttpReply reply;
  auto& res = parser.get();
  reply.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  reply.body = std::move(res.body());
  return reply;
}

Result<HttpReply> Exchange(uint16_t port, std::string_view raw, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto fd = Connect(port, deadline);
  if (!fd.ok()) return fd.status();
  Fd sock(*fd);
  auto sent = SendAll(sock.get(), raw, deadline);
  if (!sent.ok()) return sent.status();
  return ReadResponse(sock.get(), deadline);
}

}  // namespace

KeepAliveClient::~KeepAliveClient() { Close(); }

void KeepAliveClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Result<HttpReply> KeepAliveClient::Get(std::string_view target, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = fd_ >= 0;
    if (!reused) {
      auto fd = Connect(port_, deadline);
      if (!fd.ok()) return fd.status();
      fd_ = *fd;
    }
    auto sent = SendAll(fd_, request, deadline);
    if (!sent.ok()) {
      Close();
      return sent.status();
    }
    Result<HttpReply> reply = ReadResponse(fd_, deadline);
    if (!reply.ok()) {
      Close();
      // The server closed an idle connection just before the request.
      if (reused && reply.status().code() == StatusCode::kUnavailable) continue;
      return reply;
    }
    std::string connection = reply->Header("Connection");
    std::transform(connection.begin(), connection.end(), connection.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (connection == "close") Close();
    return reply;
  }
  return Status::Unavailable("the server closed the connection twice");
}

std::vector<uint16_t> PickFreePorts(int n) {
  std::vector<uint16_t> ports;
  for (int i = 0; i < n; ++i) ports.push_back(groupcache::testing::PickServerPort());
  return ports;
}

uint16_t PickFreePort() { return PickFreePorts(1)[0]; }

bool WaitForPort(uint16_t port, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    auto fd = Connect(port, Clock::now() + std::chrono::milliseconds(500));
    if (fd.ok()) {
      close(*fd);
      return true;
    }
    if (Clock::now() >= deadline) return false;
    // Bounded readiness polling: the only kind of wait the tests allow.
    timespec ts{0, 20'000'000};
    nanosleep(&ts, nullptr);
  }
}

std::string LocalUrl(uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

std::string HttpReply::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return "";
}

Result<HttpReply> HttpGet(uint16_t port, std::string_view target, std::chrono::milliseconds timeout) {
  std::string req = "GET ";
  req += target;
  req += " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nConnection: close\r\n\r\n";
  return Exchange(port, req, timeout);
}

Result<HttpReply> SendRawRequest(uint16_t port, std::string_view raw, std::chrono::milliseconds timeout) {
  return Exchange(port, raw, timeout);
}

int EstablishedConnectionsTo(uint16_t port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the column names
  int count = 0;
  while (std::getline(table, line)) {
    // "  12: 0100007F:C35A 0100007F:1F90 01 ...": slot, local, remote, state.
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    const size_t colon = remote.find(':');
    if (colon == std::string::npos || state != "01") continue;
    if (remote.substr(0, colon) == "0100007F" && std::stoul(remote.substr(colon + 1), nullptr, 16) == port)
      ++count;
  }
  return count;
}

}  // namespace groupcache::integration
