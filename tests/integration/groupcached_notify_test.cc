// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// groupcached under a service manager that asked for readiness notification
// (systemd's Type=notify): the real binary, with $NOTIFY_SOCKET pointing at a
// datagram socket the test binds, reports READY=1 once it serves,
// RELOADING=1 then READY=1 around SIGHUP, and STOPPING=1 at SIGTERM.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "groupcached_fixture.h"
#include "net.h"
#include "process.h"

namespace groupcache::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The service manager's end: a datagram socket bound to a path in a short
// temporary directory (a socket path must fit in 108 bytes).
class NotifyListener {
 public:
  NotifyListener() {
    char dir[] = "/tmp/gcnotify.XXXXXX";
    if (::mkdtemp(dir) != nullptr) dir_ = dir;
    path_ = dir_ + "/notify";
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
    bound_ = fd_ >= 0 && !dir_.empty() &&
             ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  ~NotifyListener() {
    if (fd_ >= 0) ::close(fd_);
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool bound() const { return bound_; }
  const std::string& path() const { return path_; }

  // The next notification, or nullopt when none comes within `timeout`.
  std::optional<std::string> Receive(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
    char buffer[8192];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer, static_cast<size_t>(n));
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
  std::string dir_;
  std::string path_;
};

using GroupcachedNotifyTest = GroupcachedTest;

TEST_F(GroupcachedNotifyTest, ReportsReadyReloadingAndStoppingToNotifySocket) {
  NotifyListener manager;
  ASSERT_TRUE(manager.bound()) << manager.path() << ": " << std::strerror(errno);
  // The child inherits the environment at fork; no other thread runs here.
  ::setenv("NOTIFY_SOCKET", manager.path().c_str(), 1);
  Server* node = StartNode("node", SingleNodeConfig(StaticGroup("colors", {{"red", "#FF0000"}})));
  ::unsetenv("NOTIFY_SOCKET");
  ASSERT_NE(node, nullptr);

  const std::optional<std::string> ready = manager.Receive();
  ASSERT_TRUE(ready.has_value()) << "no READY=1 within 10 s";
  EXPECT_THAT(*ready, StartsWith("READY=1\nSTATUS=serving: api 127.0.0.1:" + std::to_string(node->port)));
  // READY=1 is sent after both listeners accept and /readyz says so.
  auto readyz = HttpGet(node->port, "/readyz");
  ASSERT_TRUE(readyz.ok()) << readyz.status().message();
  EXPECT_EQ(readyz->status, 200);

  ASSERT_EQ(::kill(node->process->pid(), SIGHUP), 0);
  const std::optional<std::string> reloading = manager.Receive();
  ASSERT_TRUE(reloading.has_value()) << "no RELOADING=1 after SIGHUP";
  EXPECT_THAT(*reloading, StartsWith("RELOADING=1\nMONOTONIC_USEC="));
  const std::optional<std::string> reloaded = manager.Receive();
  ASSERT_TRUE(reloaded.has_value()) << "no READY=1 after the reload";
  EXPECT_EQ(*reloaded, "READY=1\nSTATUS=serving; reloaded");

  ASSERT_EQ(::kill(node->process->pid(), SIGTERM), 0);
  const std::optional<std::string> stopping = manager.Receive();
  ASSERT_TRUE(stopping.has_value()) << "no STOPPING=1 after SIGTERM";
  EXPECT_THAT(*stopping, StartsWith("STOPPING=1\nSTATUS=stopping after SIGTERM"));
  const std::optional<int> exit = node->process->WaitForExit(std::chrono::seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0);
}

TEST_F(GroupcachedNotifyTest, AnUnreachableNotifySocketIsLoggedAndServingGoesOn) {
  ::setenv("NOTIFY_SOCKET", "/nonexistent-groupcached-test/notify", 1);
  Server* node = StartNode("node", SingleNodeConfig(StaticGroup("colors", {{"red", "#FF0000"}})));
  ::unsetenv("NOTIFY_SOCKET");
  ASSERT_NE(node, nullptr);
  auto value = HttpGet(node->port, "/groups/colors/red");
  ASSERT_TRUE(value.ok()) << value.status().message();
  EXPECT_EQ(value->status, 200);
  // Logged right after the listeners start, so perhaps after the port opened.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ReadFile(node->log()).find("cannot notify") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_THAT(ReadFile(node->log()), HasSubstr("cannot notify the service manager"));
}

}  // namespace
}  // namespace groupcache::integration
