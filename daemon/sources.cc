// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The static and files sources. (The http source is in http_source.cc, the
// only daemon file that needs Boost.Beast and OpenSSL.)
#include "sources.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <utility>
#include <vector>

namespace groupcached {
namespace {

using groupcache::ByteView;
using groupcache::Getter;
using groupcache::Result;
using groupcache::Sink;
using groupcache::Status;

class StaticSource final : public Getter {
 public:
  explicit StaticSource(const std::map<std::string, std::string>& values) {
    // Stored as ByteViews so every load shares the value instead of copying it.
    for (auto& [key, value] : values) values_.emplace(key, ByteView::CopyOf(value));
  }

  Status Get(std::string_view key, Sink& dest) override {
    auto it = values_.find(key);
    if (it == values_.end()) return Status::NotFound("no such key in the static source");
    dest.SetView(it->second);
    return Status::Ok();
  }

 private:
  std::map<std::string, ByteView, std::less<>> values_;  // immutable after construction
};

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_;
};

constexpr int kOpenFileFlags =
    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;  // O_NONBLOCK: a FIFO must not hang open
constexpr int kMaxSymlinks = 40;                   // as the kernel's MAXSYMLINKS

// Appends the components of `path` at the front of `todo`, in order. Empty
// components ("a//b") are dropped, as the kernel drops them; "." is kept, and
// a trailing slash becomes ".", because both say that what precedes them
// must be a directory ("file/." is ENOTDIR, as with openat2).
void PushComponentsFront(std::string_view path, std::deque<std::string>& todo) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (!part.empty()) {
      parts.emplace_back(part);
    } else if (slash == path.size() && !parts.empty()) {
      parts.emplace_back(".");
    }
    start = slash + 1;
  }
  todo.insert(todo.begin(), parts.begin(), parts.end());
}

// The openat2-less resolution: one component at a time, never following a
// link by the kernel. A symbolic link is read and its (relative) target
// resolved against the directories already opened, so ".." in a target can
// step back up, but never above the root.
int WalkBeneath(int root_fd, std::string_view path) {
  std::vector<Fd> dirs;  // the directories entered below the root, in order
  std::deque<std::string> todo;
  PushComponentsFront(path, todo);
  int links = 0;
  while (!todo.empty()) {
    const std::string name = std::move(todo.front());
    todo.pop_front();
    if (name == "..") {
      if (dirs.empty()) return -EXDEV;
      dirs.pop_back();
      continue;
    }
    // Where we are is a directory (the root, or one opened with O_DIRECTORY
    // because a component followed it): "." stays there.
    if (name == ".") continue;
    const int dir = dirs.empty() ? root_fd : dirs.back().get();
    const bool last = todo.empty();
    const int flags = last ? kOpenFileFlags | O_NOFOLLOW : O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW;
    int fd = ::openat(dir, name.c_str(), flags);
    if (fd >= 0) {
      if (last) return fd;
      dirs.emplace_back(fd);
      continue;
    }
    const int open_error = errno;
    // O_NOFOLLOW reports a link as ELOOP (last component) or ENOTDIR
    // (O_DIRECTORY); anything else is the real answer.
    if (open_error != ELOOP && open_error != ENOTDIR) return -open_error;
    char target[PATH_MAX];
    const ssize_t n = ::readlinkat(dir, name.c_str(), target, sizeof target);
    if (n < 0) return -open_error;  // not a link after all
    if (static_cast<size_t>(n) == sizeof target) return -ENAMETOOLONG;
    if (++links > kMaxSymlinks) return -ELOOP;
    if (n == 0) return -ENOENT;
    if (target[0] == '/') return -EXDEV;  // as RESOLVE_BENEATH: absolute links are refused
    PushComponentsFront(std::string_view(target, static_cast<size_t>(n)), todo);
  }
  // The path ended on a directory ("a/.." or a link to a directory).
  const int dir = dirs.empty() ? root_fd : dirs.back().get();
  const int fd = ::openat(dir, ".", O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  return fd >= 0 ? fd : -errno;
}

// Set once the kernel answered ENOSYS: later opens go straight to the walk.
std::atomic<bool> openat2_missing{false};

class FilesSource final : public Getter {
 public:
  FilesSource(Fd root, size_t max_bytes) : root_(std::move(root)), max_bytes_(max_bytes) {}

  Status Get(std::string_view key, Sink& dest) override {
    if (Status valid = CheckKey(key); !valid.ok()) return valid;
    const int opened = internal::OpenBeneath(root_.get(), key, /*use_openat2=*/true);
    if (opened < 0) return OpenError(-opened);
    Fd file(opened);
    struct stat st;
    if (::fstat(file.get(), &st) != 0)
      return Status::Unavailable(std::string("stat: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
      return Status::InvalidArgument("the key names a directory or special file, not a regular file");
    const size_t size = static_cast<size_t>(st.st_size);
    if (size > max_bytes_) {
      return Status::ResourceExhausted("file of " + std::to_string(size) + " bytes is over the limit of " +
                                       std::to_string(max_bytes_));
    }
    // Read the size fstat saw, in place: a file that grows meanwhile is cut
    // at that size, one that shrinks is served as far as it goes.
    size_t got = 0;
    int read_error = 0;
    ByteView value = ByteView::Build(size, [&](char* out) {
      while (got < size) {
        const ssize_t n = ::pread(file.get(), out + got, size - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) read_error = errno;
        if (n <= 0) break;
        got += static_cast<size_t>(n);
      }
    });
    if (read_error != 0)
      return Status::Unavailable(std::string("reading file: ") + std::strerror(read_error));
    dest.SetView(got == size ? std::move(value) : value.Slice(0, got));
    return Status::Ok();
  }

 private:
  static Status CheckKey(std::string_view key) {
    if (key.empty()) return Status::InvalidArgument("empty key");
    if (key.front() == '/') return Status::InvalidArgument("absolute path");
    if (key.back() == '/') return Status::InvalidArgument("the key names a directory, not a regular file");
    if (key.find('\0') != std::string_view::npos) return Status::InvalidArgument("NUL byte in key");
    for (size_t start = 0; start <= key.size();) {
      size_t slash = key.find('/', start);
      if (slash == std::string_view::npos) slash = key.size();
      if (key.substr(start, slash - start) == "..") return Status::InvalidArgument("\"..\" in key");
      start = slash + 1;
    }
    return Status::Ok();
  }

  static Status OpenError(int error) {
    switch (error) {
      case ENOENT:
      case ENOTDIR:
        return Status::NotFound("no such file");
      case EXDEV:
        return Status::InvalidArgument("the path leads outside the root");
      case ELOOP:
        return Status::InvalidArgument("too many symbolic links");
      case ENAMETOOLONG:
        return Status::InvalidArgument("path too long");
      default:
        return Status::Unavailable(std::string("open: ") + std::strerror(error));
    }
  }

  const Fd root_;
  const size_t max_bytes_;
};

}  // namespace

namespace internal {

int OpenBeneath(int root_fd, std::string_view path, bool use_openat2, int openat2_attempts) {
  if (use_openat2 && !openat2_missing.load(std::memory_order_relaxed)) {
    const std::string name(path);
    struct open_how how;
    std::memset(&how, 0, sizeof how);
    how.flags = kOpenFileFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    // EAGAIN: a rename anywhere on the machine raced a resolution that
    // stepped up with ".."; the kernel asks for a retry. After a few, the
    // walk below answers instead (the same answer, without the restart), so
    // a machine busy renaming files never turns a load into an error.
    for (int attempt = 0; attempt < openat2_attempts; ++attempt) {
      const long fd = ::syscall(SYS_openat2, root_fd, name.c_str(), &how, sizeof how);
      if (fd >= 0) return static_cast<int>(fd);
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno != ENOSYS) return -errno;
      openat2_missing.store(true, std::memory_order_relaxed);
      break;
    }
  }
  return WalkBeneath(root_fd, path);
}

}  // namespace internal

Result<std::shared_ptr<Getter>> MakeStaticSource(const std::map<std::string, std::string>& values) {
  return std::shared_ptr<Getter>(std::make_shared<StaticSource>(values));
}

Result<std::shared_ptr<Getter>> MakeFilesSource(const std::string& root, size_t max_bytes) {
  const std::string where = "files source root \"" + root + "\"";
  if (root.empty()) return Status::InvalidArgument(where + ": empty path");
  Fd fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Status::InvalidArgument(where + ": " + std::strerror(errno));
  return std::shared_ptr<Getter>(std::make_shared<FilesSource>(std::move(fd), max_bytes));
}

}  // namespace groupcached
