// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Readiness notification to systemd (Type=notify): the $NOTIFY_SOCKET
// datagram protocol of sd_notify(3), written here rather than linking
// libsystemd because the protocol is a few lines and stable (one AF_UNIX
// datagram of "KEY=value" lines to a path, or to an abstract socket written
// with a leading '@'), and because groupcached then builds and runs where
// libsystemd is absent (containers, other service managers).
#ifndef GROUPCACHED_SD_NOTIFY_H_
#define GROUPCACHED_SD_NOTIFY_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/log.h"
#include "groupcache/status.h"

namespace groupcached {

// The largest notification sent; longer ones are refused (InvalidArgument).
// systemd reads at most a page-sized buffer per datagram.
inline constexpr size_t kMaxNotificationBytes = 4096;

// Sends `state` (newline-separated "KEY=value" assignments, e.g.
// "READY=1\nSTATUS=serving") as one datagram to the socket `socket`: a file
// system path, or an abstract socket name when it starts with '@'. Never
// blocks (a full queue is an error, not a wait). Errors: InvalidArgument for
// an empty, over-long or relative socket name or an over-long state;
// Unavailable when the datagram cannot be sent (the message says why).
groupcache::Status SendNotification(const std::string& socket, std::string_view state);

// "MONOTONIC_USEC=<CLOCK_MONOTONIC now, in microseconds>", which systemd 253
// and later want next to RELOADING=1.
std::string MonotonicUsecField();

// A ServiceNotifier tells the service manager about the process's state
// changes, when $NOTIFY_SOCKET asked for it; without it every call does
// nothing. A failed send is logged (the first one at warn, later ones at
// debug) and never stops the server: readiness is a courtesy to the manager.
// Thread-safety: not thread-safe; call it from one thread (the signal loop).
class ServiceNotifier {
 public:
  // Notifies `socket` ("" for nobody), logging failures to `logger`, which
  // must outlive it.
  ServiceNotifier(std::string socket, Logger& logger) : socket_(std::move(socket)), logger_(logger) {}

  // The notifier $NOTIFY_SOCKET names (unset or empty: a no-op one).
  static ServiceNotifier FromEnvironment(Logger& logger);

  bool enabled() const { return !socket_.empty(); }
  // READY=1 with `status` as STATUS=: serving (after start or a reload).
  void Ready(std::string_view status);
  // RELOADING=1 with MONOTONIC_USEC= and `status`: a reload began; Ready
  // must follow when it ends, whatever its outcome.
  void Reloading(std::string_view status);
  // STOPPING=1 with `status`: the process began to drain or stop.
  void Stopping(std::string_view status);

 private:
  void Notify(const std::string& state);

  const std::string socket_;
  Logger& logger_;
  bool warned_ = false;
};

}  // namespace groupcached

#endif  // GROUPCACHED_SD_NOTIFY_H_
