// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "origin_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace groupcache::integration {
namespace {

std::string ReasonOf(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

// Sends all of `data`; gives up when the peer goes away or stops reading
// (SO_SNDTIMEO bounds each send).
void SendAll(int fd, std::string_view data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

OriginReply OriginReply::Status(int status, std::string_view body, std::string_view extra_headers) {
  OriginReply reply;
  const bool typed = extra_headers.find("Content-Type:") != std::string_view::npos;
  reply.raw = "HTTP/1.1 " + std::to_string(status) + " " + ReasonOf(status) + "\r\n" +
              (typed ? "" : "Content-Type: application/octet-stream\r\n") +
              "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
              std::string(extra_headers) + "\r\n" + std::string(body);
  return reply;
}

OriginServer::OriginServer(Script script)
    : OriginServer(HeadScript([script = std::move(script)](std::string_view target, std::string_view) {
        return script(target);
      })) {}

OriginServer::OriginServer(HeadScript script) : script_(std::move(script)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      listen(listen_fd_, 64) != 0 || getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
      pipe2(wake_fds_, O_CLOEXEC) != 0) {
    throw std::runtime_error("OriginServer: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

OriginServer::~OriginServer() { Stop(); }

std::string OriginServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> OriginServer::targets() const {
  std::lock_guard lock(mu_);
  return targets_;
}

size_t OriginServer::RequestsFor(std::string_view target) const {
  std::lock_guard lock(mu_);
  return static_cast<size_t>(std::count(targets_.begin(), targets_.end(), target));
}

bool OriginServer::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return targets_.size() >= n; });
}

void OriginServer::Release() {
  std::lock_guard lock(mu_);
  released_ = true;
  cv_.notify_all();
}

void OriginServer::Stop() {
  if (!acceptor_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  // Never drained: the pipe stays readable, so every poll on it wakes.
  char c = 0;
  (void)!write(wake_fds_[1], &c, 1);
  acceptor_.join();
  std::vector<std::thread> handlers;
  {
    std::lock_guard lock(mu_);
    handlers.swap(handlers_);
  }
  for (std::thread& t : handlers) t.join();
  close(listen_fd_);
  close(wake_fds_[0]);
  close(wake_fds_[1]);
}

void OriginServer::Accept() {
  while (true) {
    pollfd fds[2] = {{wake_fds_[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if ((fds[1].revents & POLLIN) == 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    handlers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void OriginServer::Serve(int fd) {
  timeval send_timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  std::string head;
  while (head.find("\r\n\r\n") == std::string::npos) {
    pollfd fds[2] = {{wake_fds_[0], POLLIN, 0}, {fd, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) break;
    char chunk[4096];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    head.append(chunk, static_cast<size_t>(n));
  }
  if (head.find("\r\n\r\n") == std::string::npos) {
    close(fd);
    return;
  }
  // "GET <target> HTTP/1.1"
  const size_t start = head.find(' ') + 1;
  const std::string target = head.substr(start, head.find(' ', start) - start);
  OriginReply reply = script_(target, head);
  std::unique_lock lock(mu_);
  targets_.push_back(target);
  cv_.notify_all();
  switch (reply.action) {
    case OriginReply::Action::kRespond:
      break;
    case OriginReply::Action::kHang:
      cv_.wait(lock, [&] { return stopping_; });
      break;
    case OriginReply::Action::kHold:
      cv_.wait(lock, [&] { return released_ || stopping_; });
      if (!released_) reply.raw.clear();
      break;
  }
  lock.unlock();
  if (reply.action != OriginReply::Action::kHang) SendAll(fd, reply.raw);
  close(fd);
}

}  // namespace groupcache::integration
