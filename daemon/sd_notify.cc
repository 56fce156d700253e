// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/sd_notify.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace groupcached {

using groupcache::Status;

namespace {

// STATUS= is one line: a newline inside would start another assignment.
std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

Status SendNotification(const std::string& socket, std::string_view state) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket.empty()) return Status::InvalidArgument("NOTIFY_SOCKET is empty");
  if (socket.front() != '/' && socket.front() != '@') {
    return Status::InvalidArgument("NOTIFY_SOCKET \"" + socket +
                                   "\" is neither an absolute path nor @abstract");
  }
  if (socket.size() >= sizeof address.sun_path) {
    return Status::InvalidArgument("NOTIFY_SOCKET \"" + socket + "\" is longer than a socket address allows");
  }
  if (state.size() > kMaxNotificationBytes) {
    return Status::InvalidArgument("notification of " + std::to_string(state.size()) + " bytes is over the " +
                                   std::to_string(kMaxNotificationBytes) + "-byte bound");
  }
  std::memcpy(address.sun_path, socket.data(), socket.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket.size());
  if (socket.front() == '@') {
    address.sun_path[0] = '\0';  // abstract: the name is exactly the bytes after '\0', no terminator
  } else {
    length += 1;  // the path's terminating '\0' (already zero)
  }
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return Status::Unavailable(std::string("cannot create a notify socket: ") + std::strerror(errno));
  ssize_t sent;
  do {
    sent = ::sendto(fd, state.data(), state.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                    reinterpret_cast<const sockaddr*>(&address), length);
  } while (sent < 0 && errno == EINTR);
  const int error = errno;
  ::close(fd);
  if (sent < 0) {
    return Status::Unavailable("notifying " + socket + ": " + std::strerror(error));
  }
  if (static_cast<size_t>(sent) != state.size()) {
    return Status::Unavailable("notifying " + socket + ": datagram truncated");
  }
  return Status::Ok();
}

std::string MonotonicUsecField() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const unsigned long long usec = static_cast<unsigned long long>(now.tv_sec) * 1000000ULL +
                                  static_cast<unsigned long long>(now.tv_nsec) / 1000;
  return "MONOTONIC_USEC=" + std::to_string(usec);
}

ServiceNotifier ServiceNotifier::FromEnvironment(Logger& logger) {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return ServiceNotifier(socket != nullptr ? socket : "", logger);
}

void ServiceNotifier::Ready(std::string_view status) { Notify("READY=1\nSTATUS=" + OneLine(status)); }

void ServiceNotifier::Reloading(std::string_view status) {
  Notify("RELOADING=1\n" + MonotonicUsecField() + "\nSTATUS=" + OneLine(status));
}

void ServiceNotifier::Stopping(std::string_view status) { Notify("STOPPING=1\nSTATUS=" + OneLine(status)); }

void ServiceNotifier::Notify(const std::string& state) {
  if (!enabled()) return;
  const Status sent = SendNotification(socket_, state);
  if (sent.ok()) return;
  // Once loudly: a wrong NOTIFY_SOCKET shows once, not at every reload.
  const LogLevel level = warned_ ? LogLevel::kDebug : LogLevel::kWarn;
  warned_ = true;
  if (logger_.enabled(level)) {
    logger_.Log(level, "cannot notify the service manager", {{"error", sent.message()}});
  }
}

}  // namespace groupcached
