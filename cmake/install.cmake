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
# in the .cc files alone, so it is never needed).
if(BUILD_SHARED_LIBS)
  set(GROUPCACHE_STATIC_DEPENDENCIES "")
  set(GROUPCACHE_PC_REQUIRES_PRIVATE "")
else()
  set(GROUPCACHE_STATIC_DEPENDENCIES "find_dependency(ZLIB)\nfind_dependency(OpenSSL 3)")
  set(GROUPCACHE_PC_REQUIRES_PRIVATE "openssl >= 3, zlib")
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
