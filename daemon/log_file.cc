// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
//
// The log file is opened with O_NOFOLLOW and its type and mode are checked on
// the descriptor opened, not by name before, so a symlink or a readable file
// swapped in between cannot redirect or expose the log (log.cc says why this
// is not spdlog's file sink).
#include "daemon/log_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <utility>

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

std::string ModeString(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

// Returns the descriptor of `path` opened for appending, or the reason it is
// refused; see LogFile::Open.
Result<int> OpenForAppending(const std::string& path) {
  const std::string quoted = "log file " + path;
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) {
    const int error = errno;
    if (error == ELOOP) {
      return Status::InvalidArgument(quoted +
                                     ": is a symbolic link; give the real path (log files are opened "
                                     "without following links)");
    }
    return Status::InvalidArgument(quoted + ": cannot open: " + std::strerror(error));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int error = errno;
    ::close(fd);
    return Status::InvalidArgument(quoted + ": cannot stat: " + std::strerror(error));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(quoted + ": is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Status::InvalidArgument(quoted + ": has mode " + ModeString(st.st_mode) +
                                   ", which lets group or others access it; fix it with: chmod 600 " + path);
  }
  return fd;
}

}  // namespace

std::unique_ptr<LogFile> LogFile::Stderr() {
  return std::unique_ptr<LogFile>(new LogFile(STDERR_FILENO, /*owns_fd=*/false, ""));
}

Result<std::unique_ptr<LogFile>> LogFile::Open(const std::string& path) {
  Result<int> fd = OpenForAppending(path);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<LogFile>(new LogFile(*fd, /*owns_fd=*/true, path));
}

LogFile::LogFile(int fd, bool owns_fd, std::string path)
    : owns_fd_(owns_fd), path_(std::move(path)), fd_(fd) {}

LogFile::~LogFile() {
  if (owns_fd_) {
    ::fsync(fd_);
    ::close(fd_);
  }
}

void LogFile::Write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mu_);
  while (!line.empty()) {
    const ssize_t n = ::write(fd_, line.data(), line.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    line.remove_prefix(static_cast<size_t>(n));
  }
}

void LogFile::Sync() {
  std::lock_guard<std::mutex> lock(mu_);
  if (owns_fd_) ::fsync(fd_);
}

Status LogFile::Reopen() {
  if (!owns_fd_) return Status::Ok();
  Result<int> fd = OpenForAppending(path_);
  if (!fd.ok()) return fd.status();
  int old_fd;
  {
    std::lock_guard<std::mutex> lock(mu_);
    old_fd = fd_;
    fd_ = *fd;
  }
  // No write can be using it any more: each holds mu_ for its whole line.
  ::fsync(old_fd);
  ::close(old_fd);
  return Status::Ok();
}

}  // namespace groupcached
