// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Log lines in the format of Go's standard logger (log.LstdFlags), so the
// example programs' logs read, and can be grepped, like the Go originals':
//   2026/11/22 16:00:00 looking up red
#ifndef GROUPCACHE_EXAMPLES_COMMON_GO_LOG_H_
#define GROUPCACHE_EXAMPLES_COMMON_GO_LOG_H_

#include <unistd.h>

#include <ctime>
#include <string>
#include <string_view>

namespace groupcache::examples {

// Writes "<local date> <local time> <message>\n" to stderr, as Go's
// log.Println does (so a message that ends in a newline gets a second one).
// Safe to call from any thread: the line goes out in one write(2), so lines
// from concurrent getters never interleave.
inline void GoLog(std::string_view message) {
  std::time_t now = std::time(nullptr);
  std::tm local;
  localtime_r(&now, &local);
  char stamp[32];
  size_t n = std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S ", &local);
  std::string line(stamp, n);
  line.append(message);
  line += '\n';
  for (std::string_view rest = line; !rest.empty();) {
    ssize_t written = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (written <= 0) break;  // nowhere left to report it
    rest.remove_prefix(static_cast<size_t>(written));
  }
}

}  // namespace groupcache::examples

#endif  // GROUPCACHE_EXAMPLES_COMMON_GO_LOG_H_
