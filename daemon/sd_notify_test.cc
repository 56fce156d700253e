// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/sd_notify.h"

#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

// A datagram socket bound where a service manager's would be: a path in a
// fresh temporary directory, or an abstract name.
class NotifySocket {
 public:
  explicit NotifySocket(bool abstract) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd_, 0);
    char dir[] = "/tmp/gcnotify.XXXXXX";
    EXPECT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    name_ = abstract ? "@groupcached-test-" + std::to_string(::getpid()) + dir_.substr(dir_.rfind('.'))
                     : dir_ + "/notify";
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name_.data(), name_.size());
    if (abstract) address.sun_path[0] = '\0';
    const socklen_t length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size() + (abstract ? 0 : 1));
    EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length), 0) << std::strerror(errno);
  }
  ~NotifySocket() {
    ::close(fd_);
    std::filesystem::remove_all(dir_);
  }

  const std::string& name() const { return name_; }

  // The next datagram, or nullopt when none comes within 5 s.
  std::optional<std::string> Receive() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) return std::nullopt;
    char buffer[8192];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer, static_cast<size_t>(n));
  }

 private:
  int fd_ = -1;
  std::string dir_;
  std::string name_;
};

TEST(SendNotificationTest, DeliversOneDatagramToAPathSocket) {
  NotifySocket socket(/*abstract=*/false);
  ASSERT_TRUE(SendNotification(socket.name(), "READY=1\nSTATUS=serving").ok());
  EXPECT_EQ(socket.Receive(), "READY=1\nSTATUS=serving");
}

TEST(SendNotificationTest, DeliversToAnAbstractSocketNamedWithAt) {
  NotifySocket socket(/*abstract=*/true);
  ASSERT_THAT(socket.name(), StartsWith("@"));
  ASSERT_TRUE(SendNotification(socket.name(), "STOPPING=1").ok());
  EXPECT_EQ(socket.Receive(), "STOPPING=1");
}

TEST(SendNotificationTest, RefusesBadNamesAndOversizedStatesWithoutSending) {
  EXPECT_EQ(SendNotification("", "READY=1").code(), groupcache::StatusCode::kInvalidArgument);
  EXPECT_EQ(SendNotification("relative/path", "READY=1").code(), groupcache::StatusCode::kInvalidArgument);
  EXPECT_EQ(SendNotification("/" + std::string(200, 'x'), "READY=1").code(),
            groupcache::StatusCode::kInvalidArgument);
  NotifySocket socket(/*abstract=*/false);
  const groupcache::Status big = SendNotification(socket.name(), std::string(kMaxNotificationBytes + 1, 'x'));
  EXPECT_EQ(big.code(), groupcache::StatusCode::kInvalidArgument);
  EXPECT_THAT(big.message(), HasSubstr("bound"));
}

TEST(SendNotificationTest, AMissingSocketIsUnavailableAndNamed) {
  const groupcache::Status sent = SendNotification("/nonexistent-dir/notify", "READY=1");
  EXPECT_EQ(sent.code(), groupcache::StatusCode::kUnavailable);
  EXPECT_THAT(sent.message(), HasSubstr("/nonexistent-dir/notify"));
}

TEST(ServiceNotifierTest, SendsReadyReloadingAndStoppingAsSystemdWantsThem) {
  NotifySocket socket(/*abstract=*/false);
  std::unique_ptr<Logger> logger = std::move(Logger::Create(LogOptions{}).value());
  ServiceNotifier notifier(socket.name(), *logger);
  ASSERT_TRUE(notifier.enabled());
  notifier.Ready("serving: api 127.0.0.1:1");
  EXPECT_EQ(socket.Receive(), "READY=1\nSTATUS=serving: api 127.0.0.1:1");
  notifier.Reloading("reloading\nafter SIGHUP");  // a newline must not start a new assignment
  EXPECT_THAT(socket.Receive().value_or(""),
              MatchesRegex("RELOADING=1\nMONOTONIC_USEC=[0-9]+\nSTATUS=reloading after SIGHUP"));
  notifier.Stopping("stopping");
  EXPECT_EQ(socket.Receive(), "STOPPING=1\nSTATUS=stopping");
}

TEST(ServiceNotifierTest, WithoutNotifySocketNothingIsSentOrLogged) {
  ::unsetenv("NOTIFY_SOCKET");
  std::unique_ptr<Logger> logger = std::move(Logger::Create(LogOptions{}).value());
  ServiceNotifier notifier = ServiceNotifier::FromEnvironment(*logger);
  EXPECT_FALSE(notifier.enabled());
  notifier.Ready("serving");  // a no-op: must not crash nor log
}

TEST(ServiceNotifierTest, FromEnvironmentReadsNotifySocket) {
  NotifySocket socket(/*abstract=*/true);
  ::setenv("NOTIFY_SOCKET", socket.name().c_str(), 1);
  std::unique_ptr<Logger> logger = std::move(Logger::Create(LogOptions{}).value());
  ServiceNotifier notifier = ServiceNotifier::FromEnvironment(*logger);
  ::unsetenv("NOTIFY_SOCKET");
  notifier.Ready("up");
  EXPECT_EQ(socket.Receive(), "READY=1\nSTATUS=up");
}

TEST(ServiceNotifierTest, AFailedSendIsLoggedOnceAtWarnAndNeverFatal) {
  char dir[] = "/tmp/gcnotify.XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  LogOptions options;
  options.level = LogLevel::kInfo;
  options.file = std::string(dir) + "/log";
  std::unique_ptr<Logger> logger = std::move(Logger::Create(options).value());
  ServiceNotifier notifier(std::string(dir) + "/nobody-listens", *logger);
  notifier.Ready("one");
  notifier.Ready("two");
  logger->Flush();
  std::stringstream text;
  text << std::ifstream(options.file).rdbuf();
  const std::string log = text.str();
  EXPECT_THAT(log, HasSubstr("cannot notify the service manager"));
  EXPECT_EQ(log.find("cannot notify"), log.rfind("cannot notify")) << log;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace groupcached
