// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_BUILD_INFO_H_
#define GROUPCACHED_BUILD_INFO_H_

#include <string>

namespace groupcached {

// What a groupcached binary was built from and how: what --version prints
// and /metrics exports as groupcached_build_info.
struct BuildInfo {
  std::string version;     // the project version, e.g. "0.1.0"
  std::string commit;      // 12 hex digits of the git commit, or "unknown"
  std::string build_type;  // the CMake build type, e.g. "RelWithDebInfo"; "none" if unset
  std::string compiler;    // CMake's compiler id and version, e.g. "GNU 12.2.0"
};

// This binary's BuildInfo. The commit is the one checked out when CMake last
// configured the tree ("unknown" outside a git checkout or without git).
const BuildInfo& ThisBuild();

// The --version text: "groupcached VERSION" and then one line each for the
// commit, the build type and the compiler.
std::string VersionText(const BuildInfo& build);

}  // namespace groupcached

#endif  // GROUPCACHED_BUILD_INFO_H_
