# Install rules for the library: headers, the two libraries, the CMake package
# (find_package(groupcache) giving groupcache::groupcache and groupcache::core)
# and groupcache.pc for pkg-config. Everything here is relocatable: install
# with any --prefix and move the tree afterwards.
include(CMakePackageConfigHelpers)

set(GROUPCACHE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/groupcache)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/groupcache
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT dev
  FILES_MATCHING PATTERN "*.h")
install(TARGETS groupcache_core groupcache
  EXPORT groupcacheTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev NAMELINK_COMPONENT dev)
install(EXPORT groupcacheTargets
  NAMESPACE groupcache::
  DESTINATION ${GROUPCACHE_CMAKE_DIR}
  COMPONENT dev)

# A static library needs its private dependencies at the consumer's link:
# groupcacheConfig.cmake finds them only then (Boost is headers-only and used
# in the .cc files alone, so it is never needed). c-ares has no CMake package
# in Debian: the config file makes the same pkg-config target the library was
# linked with (PkgConfig::GROUPCACHE_CARES, a name no consumer's own
# pkg_check_modules is likely to take).
if(BUILD_SHARED_LIBS)
  set(GROUPCACHE_STATIC_DEPENDENCIES "")
  set(GROUPCACHE_PC_REQUIRES_PRIVATE "")
  set(GROUPCACHE_PC_LIBS_PRIVATE "")
else()
  set(GROUPCACHE_STATIC_DEPENDENCIES "find_dependency(ZLIB)\nfind_dependency(OpenSSL 3)
find_dependency(Boost 1.81 CONFIG COMPONENTS url)\nfind_dependency(PkgConfig)
if(NOT TARGET PkgConfig::GROUPCACHE_CARES)
  pkg_check_modules(GROUPCACHE_CARES QUIET IMPORTED_TARGET libcares)
  if(NOT GROUPCACHE_CARES_FOUND)
    set(groupcache_FOUND FALSE)
    set(groupcache_NOT_FOUND_MESSAGE \"the static groupcache library needs c-ares (pkg-config libcares; Debian: libc-ares-dev)\")
    return()
  endif()
endif()")
  set(GROUPCACHE_PC_REQUIRES_PRIVATE "openssl >= 3, zlib, libcares")
  # Boost ships no .pc file.
  set(GROUPCACHE_PC_LIBS_PRIVATE "-lboost_url")
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/groupcacheConfig.cmake.in
  ${PROJECT_BINARY_DIR}/groupcacheConfig.cmake
  INSTALL_DESTINATION ${GROUPCACHE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/groupcacheConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/groupcacheConfig.cmake ${PROJECT_BINARY_DIR}/groupcacheConfigVersion.cmake
  DESTINATION ${GROUPCACHE_CMAKE_DIR}
  COMPONENT dev)

# groupcache.pc finds the prefix from its own place (${pcfiledir}), so it is
# right whatever --prefix the tree is installed with.
file(RELATIVE_PATH GROUPCACHE_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" GROUPCACHE_PC_TO_PREFIX "${GROUPCACHE_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/groupcache.pc.in ${PROJECT_BINARY_DIR}/groupcache.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/groupcache.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT dev)

if(GROUPCACHE_BUILD_DAEMON)
  include(${PROJECT_SOURCE_DIR}/cmake/packaging.cmake)
endif()
