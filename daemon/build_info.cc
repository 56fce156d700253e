// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/build_info.h"

// Defined for this file only by daemon/CMakeLists.txt, so that a new commit
// recompiles nothing else.
#if !defined(GROUPCACHED_VERSION) || !defined(GROUPCACHED_GIT_COMMIT) || !defined(GROUPCACHED_BUILD_TYPE) || \
    !defined(GROUPCACHED_COMPILER)
#error "daemon/CMakeLists.txt defines the GROUPCACHED_* build values for this file"
#endif

namespace groupcached {

const BuildInfo& ThisBuild() {
  static const BuildInfo* const build = [] {
    // A single-configuration tree configured without CMAKE_BUILD_TYPE has an
    // empty $<CONFIG>; an empty label value would read as no label at all.
    const std::string build_type = GROUPCACHED_BUILD_TYPE;
    return new BuildInfo{GROUPCACHED_VERSION, GROUPCACHED_GIT_COMMIT,
                         build_type.empty() ? "none" : build_type, GROUPCACHED_COMPILER};
  }();
  return *build;
}

std::string VersionText(const BuildInfo& build) {
  return "groupcached " + build.version + "\ncommit: " + build.commit + "\nbuild type: " + build.build_type +
         "\ncompiler: " + build.compiler + "\n";
}

}  // namespace groupcached
