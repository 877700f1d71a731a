include(CMakePackageConfigHelpers)
install(TARGETS openlive EXPORT OpenLiveTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/openlive DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/generated/openlive/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/openlive)
install(EXPORT OpenLiveTargets NAMESPACE OpenLive:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/OpenLive)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/OpenLiveConfig.cmake.in
  ${PROJECT_BINARY_DIR}/OpenLiveConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/OpenLive)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/OpenLiveConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/OpenLiveConfig.cmake ${PROJECT_BINARY_DIR}/OpenLiveConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/OpenLive)
# The .pc is relocatable: its prefix is derived from its own location (${pcfiledir}), so
# `cmake --install --prefix <dir>` and copied install trees work, not only CMAKE_INSTALL_PREFIX.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(OPENLIVE_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(OPENLIVE_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(OPENLIVE_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH _pc_to_prefix "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
  string(REGEX REPLACE "/$" "" _pc_to_prefix "${_pc_to_prefix}")
  set(OPENLIVE_PC_PREFIX "\${pcfiledir}/${_pc_to_prefix}")
  set(OPENLIVE_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(OPENLIVE_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/openlive.pc.in ${PROJECT_BINARY_DIR}/openlive.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/openlive.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
