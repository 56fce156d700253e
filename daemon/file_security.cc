// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/file_security.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

constexpr size_t kMaxSecretBytes = 4096;

std::string ModeString(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

std::string Dirname(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool TrustedOwner(uid_t uid) { return uid == 0 || uid == ::geteuid(); }

// A directory whose entries others could replace, or OK.
Status CheckDirectory(const std::string& what, const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    return Status::InvalidArgument(what + ": cannot stat its directory " + dir + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 022) != 0 && (st.st_mode & S_ISVTX) == 0) {
    return Status::InvalidArgument(what + ": its directory " + dir + " has mode " + ModeString(st.st_mode) +
                                   ", so group or others can replace the file; fix it with: chmod go-w " +
                                   dir);
  }
  return Status::Ok();
}

// The checks shared by every trusted file. `kind` names it in messages
// ("config file", "private key", ...).
Status CheckTrustedFile(const std::string& kind, const std::string& path, bool private_to_group) {
  const std::string what = kind + " " + path;
  struct stat link_st;
  if (::lstat(path.c_str(), &link_st) != 0) {
    return Status::InvalidArgument(what + ": " + std::strerror(errno));
  }
  std::string target = path;
  if (S_ISLNK(link_st.st_mode)) {
    // Whoever can rewrite the link's directory can point it elsewhere.
    if (Status s = CheckDirectory(what, Dirname(path)); !s.ok()) return s;
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) {
      return Status::InvalidArgument(what + ": cannot resolve the symbolic link: " + std::strerror(errno));
    }
    target = resolved;
  }
  struct stat st;
  if (::stat(target.c_str(), &st) != 0) {
    return Status::InvalidArgument(what + ": " + std::strerror(errno));
  }
  // "config file F: has mode ...", or for a link "config file L: its target T has mode ...".
  const std::string subject = what + ": " + (target == path ? "" : "its target " + target + " ");
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(subject + "is not a regular file");
  if ((st.st_mode & 022) != 0) {
    return Status::InvalidArgument(subject + "has mode " + ModeString(st.st_mode) +
                                   " and is writable by group or others; fix it with: chmod go-w " + target);
  }
  if (private_to_group && (st.st_mode & 004) != 0) {
    return Status::InvalidArgument(subject + "has mode " + ModeString(st.st_mode) +
                                   " and is readable by others; fix it with: chmod o-r " + target +
                                   " (0600, or 0640 with the service's group)");
  }
  if (::faccessat(AT_FDCWD, target.c_str(), R_OK, AT_EACCESS) != 0) {
    return Status::InvalidArgument(subject + "cannot be read by the user running groupcached (uid " +
                                   std::to_string(::geteuid()) + "): " + std::strerror(errno));
  }
  if (!TrustedOwner(st.st_uid)) {
    return Status::InvalidArgument(
        subject + "is owned by uid " + std::to_string(st.st_uid) +
        ", neither root nor the user running groupcached; fix it with: chown root " + target);
  }
  return CheckDirectory(what, Dirname(target));
}

}  // namespace

Status CheckConfigFile(const std::string& path) {
  return CheckTrustedFile("config file", path, /*private_to_group=*/false);
}

Status CheckKeyMaterial(const std::string& path, bool is_private_key) {
  return CheckTrustedFile(is_private_key ? "secret file" : "certificate file", path, is_private_key);
}

Status CheckLogFile(const std::string& path) {
  const std::string what = "log file " + path;
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::InvalidArgument(what + ": " + std::strerror(errno));
    struct stat dir;
    if (::stat(Dirname(path).c_str(), &dir) != 0 || !S_ISDIR(dir.st_mode)) {
      return Status::InvalidArgument(what + ": its directory " + Dirname(path) + " does not exist");
    }
    return Status::Ok();
  }
  if (S_ISLNK(st.st_mode)) {
    return Status::InvalidArgument(what +
                                   ": is a symbolic link; give the real path (log files are opened "
                                   "without following links)");
  }
  if (!S_ISREG(st.st_mode)) return Status::InvalidArgument(what + ": is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return Status::InvalidArgument(what + ": has mode " + ModeString(st.st_mode) +
                                   ", which lets group or others access it; fix it with: chmod 600 " + path);
  }
  return Status::Ok();
}

Result<std::string> ReadSecretFile(const std::string& path) {
  const std::string what = "secret file " + path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Status::InvalidArgument(what + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(what + ": is not a regular file");
  }
  std::string secret;
  char buffer[1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return Status::InvalidArgument(what + ": " + std::strerror(error));
    }
    if (n == 0) break;
    secret.append(buffer, static_cast<size_t>(n));
    if (secret.size() > kMaxSecretBytes + 2) break;
  }
  ::close(fd);
  if (secret.ends_with("\r\n")) {
    secret.resize(secret.size() - 2);
  } else if (secret.ends_with('\n')) {
    secret.pop_back();
  }
  if (secret.size() > kMaxSecretBytes) {
    return Status::InvalidArgument(what + ": longer than " + std::to_string(kMaxSecretBytes) + " bytes");
  }
  if (secret.empty()) return Status::InvalidArgument(what + ": is empty");
  return secret;
}

}  // namespace groupcached
