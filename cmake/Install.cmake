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
configure_file(${PROJECT_SOURCE_DIR}/cmake/openlive.pc.in ${PROJECT_BINARY_DIR}/openlive.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/openlive.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
