// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a flood of connections held by a child process, so that the
// test's own process (which may be the server) needs file descriptors only
// for its side of them.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_CONNECTION_FLOOD_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_CONNECTION_FLOOD_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <utility>

namespace groupcache::testing {

// A ConnectionFlood is a child process that opens `n` connections to
// 127.0.0.1:port one after another, sends `first_bytes` on each (nothing if
// empty), and then holds them all without reading or sending, until End or
// destruction. The child is killed if the test process dies.
// Thread-safety: not thread-safe.
class ConnectionFlood {
 public:
  ConnectionFlood(uint16_t port, int n, std::string first_bytes = "") : first_bytes_(std::move(first_bytes)) {
    int ready[2];
    int hold[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) return;
    if (::pipe2(hold, O_CLOEXEC) != 0) {
      ::close(ready[0]);
      ::close(ready[1]);
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      // The parent may have threads: only system calls from here on.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::close(ready[0]);
      ::close(hold[1]);
      int made = Connect(port, n);
      (void)!::write(ready[1], &made, sizeof made);
      char byte;
      while (::read(hold[0], &byte, 1) < 0 && errno == EINTR) {
      }
      ::_exit(0);  // the kernel closes every connection
    }
    ::close(ready[1]);
    ::close(hold[0]);
    hold_ = hold[1];
    if (pid_ < 0) {
      ::close(ready[0]);
      return;
    }
    while (::read(ready[0], &connected_, sizeof connected_) < 0 && errno == EINTR) {
    }
    ::close(ready[0]);
  }
  ConnectionFlood(const ConnectionFlood&) = delete;
  ConnectionFlood& operator=(const ConnectionFlood&) = delete;
  ~ConnectionFlood() { End(); }

  // How many connections the child made (they are all established: accepted
  // or queued by the server's kernel).
  int connected() const { return connected_; }

  // Closes every connection at once (the child exits) and reaps the child.
  void End() {
    if (hold_ >= 0) ::close(hold_);
    hold_ = -1;
    if (pid_ > 0) {
      int status;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
    pid_ = -1;
  }

 private:
  int Connect(uint16_t port, int n) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < n; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) return i;
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return i;
      // A send may fail if the server has closed this one already; it still counts.
      if (!first_bytes_.empty()) (void)!::send(fd, first_bytes_.data(), first_bytes_.size(), MSG_NOSIGNAL);
    }
    return n;
  }

  std::string first_bytes_;
  pid_t pid_ = -1;
  int hold_ = -1;
  int connected_ = 0;
};

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_CONNECTION_FLOOD_H_
