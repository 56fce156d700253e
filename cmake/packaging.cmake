# CPack: the .deb of groupcached (the component "daemon": binary, systemd
# unit, example configuration, docs, man page). The library is not in it: it
# is static by default and is installed with `cmake --install`.
#
#   cmake -S . -B build -G Ninja -DCMAKE_INSTALL_PREFIX=/usr && cmake --build build
#   cpack --config build/CPackConfig.cmake -G DEB -B build/package
#   dpkg -i build/package/groupcached_*.deb
set(CPACK_PACKAGE_NAME groupcached)
set(CPACK_PACKAGE_VENDOR "The groupcache-cpp Authors")
set(CPACK_PACKAGE_CONTACT "The groupcache-cpp Authors <groupcache-cpp@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "peer-to-peer, read-through, in-memory cache server (groupcache for C++)")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
# The unit names the configured prefix's binary, so the package uses it too;
# packaging.config.cmake refuses a .deb whose prefix is not /usr.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/packaging.config.cmake)
set(CPACK_COMPONENTS_ALL daemon)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DEBIAN_PACKAGE_NAME groupcached)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: computed by dpkg-shlibdeps from the binary (libc6, libssl3, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
