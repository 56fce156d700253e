# Read by cpack (CPACK_PROJECT_CONFIG_FILE) for each generator.
if(CPACK_GENERATOR STREQUAL "DEB" AND NOT CPACK_PACKAGING_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR "a .deb installs below /usr, and its systemd unit names the configured prefix: "
                      "configure with -DCMAKE_INSTALL_PREFIX=/usr (now ${CPACK_PACKAGING_INSTALL_PREFIX})")
endif()
