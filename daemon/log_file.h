// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_LOG_FILE_H_
#define GROUPCACHED_LOG_FILE_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "groupcache/status.h"

namespace groupcached {

// A LogFile is where a Logger's lines go: standard error, or a file that only
// this process's user can read, appended to. Each Write is one write(2) call
// when the kernel takes it whole (atomic with O_APPEND), so nothing is
// buffered in the process and nothing is lost at a crash.
// Thread-safety: safe for concurrent use.
class LogFile {
 public:
  // Standard error, which is never closed.
  static std::unique_ptr<LogFile> Stderr();

  // Opens `path` for appending, creating it with mode 0600 (O_CREAT|O_APPEND|
  // O_NOFOLLOW). A symlink, a file that is not a regular file, or one with
  // any group/other permission bit (checked on the opened descriptor) is
  // refused with InvalidArgument naming the file and the fix
  // ("chmod 600 FILE").
  static groupcache::Result<std::unique_ptr<LogFile>> Open(const std::string& path);

  // A file is fsynced and closed.
  ~LogFile();
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Writes all of `line`; a short write is continued under the lock, so
  // concurrent lines stay whole and in order. A failing write drops the
  // rest of the line: there is nowhere left to report it.
  void Write(std::string_view line);

  // fsyncs a file; does nothing for standard error.
  void Sync();

  // Opens path() again, with Open's checks, and writes there from then on:
  // after a log rotation renamed the file, lines go to a new one instead of
  // following the old. The old descriptor is fsynced and closed. On error
  // the current file stays in use and the error (as Open's) is returned.
  // Standard error: nothing to do, OK.
  groupcache::Status Reopen();

  // The file's path; empty for standard error.
  const std::string& path() const { return path_; }

 private:
  LogFile(int fd, bool owns_fd, std::string path);

  const bool owns_fd_;
  const std::string path_;
  std::mutex mu_;
  int fd_;  // guarded by mu_
};

}  // namespace groupcached

#endif  // GROUPCACHED_LOG_FILE_H_
