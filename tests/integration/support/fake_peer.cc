// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "fake_peer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <stdexcept>

namespace groupcache::integration {

FakePeer::FakePeer(std::string response, After after) : response_(std::move(response)), after_(after) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      listen(listen_fd_, 64) != 0 || getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
      pipe2(wake_fds_, O_CLOEXEC) != 0) {
    throw std::runtime_error("FakePeer: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { Run(); });
}

FakePeer::~FakePeer() { Stop(); }

std::string FakePeer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> FakePeer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int FakePeer::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

void FakePeer::Stop() {
  if (!thread_.joinable()) return;
  char c = 0;
  (void)!write(wake_fds_[1], &c, 1);
  thread_.join();
  close(listen_fd_);
  close(wake_fds_[0]);
  close(wake_fds_[1]);
}

void FakePeer::Run() {
  std::map<int, std::string> conns;  // fd -> bytes received and not yet answered
  while (true) {
    std::vector<pollfd> fds;
    fds.push_back({wake_fds_[0], POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const auto& [fd, buf] : conns) fds.push_back({fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents != 0) break;
    if (fds[1].revents & POLLIN) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        conns.emplace(fd, "");
        std::lock_guard lock(mu_);
        ++connections_;
      }
    }
    for (size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      int fd = fds[i].fd;
      std::string& buf = conns[fd];
      char chunk[16 * 1024];
      ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {  // the client gave up or closed
        close(fd);
        conns.erase(fd);
        continue;
      }
      buf.append(chunk, static_cast<size_t>(n));
      bool closed = false;
      for (size_t end; !closed && (end = buf.find("\r\n\r\n")) != std::string::npos;) {
        {
          std::lock_guard lock(mu_);
          requests_.push_back(buf.substr(0, end));
        }
        buf.erase(0, end + 4);
        // Small canned responses fit in the socket buffer, so a blocking
        // send does not stall the loop.
        if (!response_.empty()) send(fd, response_.data(), response_.size(), MSG_NOSIGNAL);
        if (after_ == After::kClose) {
          shutdown(fd, SHUT_WR);
          close(fd);
          conns.erase(fd);
          closed = true;
        }
      }
    }
  }
  for (const auto& [fd, buf] : conns) close(fd);
}

}  // namespace groupcache::integration
