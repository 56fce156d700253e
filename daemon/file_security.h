// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_FILE_SECURITY_H_
#define GROUPCACHED_FILE_SECURITY_H_

#include <string>

#include "groupcache/status.h"

// Checks that the files groupcached trusts (its configuration and its key
// material) cannot be changed, or a private key read, by other local users.
// Each refusal is InvalidArgument naming the file, what is wrong and the
// command that fixes it. A symlink is judged by its target; the directory
// holding the file (and the link) must not be writable by group or others
// either, unless it has the sticky bit (as /tmp does), because whoever can
// write the directory can replace the file. The file's owner must be root or
// the user this process runs as.
namespace groupcached {

// Refuses a config file writable by group or others (mode & 022).
groupcache::Status CheckConfigFile(const std::string& path);

// Refuses a certificate, CA or key file writable by group or others; when
// `is_private_key` (private keys, passphrase and secret files) also refuses
// one readable by others (mode & 004). Group read is allowed, so a key can
// be 0640 root:groupcached.
groupcache::Status CheckKeyMaterial(const std::string& path, bool is_private_key);

// Checks, without creating it, the log file Logger::Create would open: if it
// exists it must be a regular file (not a symlink) with no group or other
// permission; if not, its directory must exist. (Logger::Create checks the
// same again on the descriptor it opens.)
groupcache::Status CheckLogFile(const std::string& path);

// Reads a small secret (a key passphrase, a log hash secret): at most 4 KiB,
// one trailing newline ("\n" or "\r\n") stripped. Errors: InvalidArgument for
// a missing, unreadable, non-regular, empty or oversized file.
groupcache::Result<std::string> ReadSecretFile(const std::string& path);

}  // namespace groupcached

#endif  // GROUPCACHED_FILE_SECURITY_H_
