# Test: `cmake --install` into a temp prefix, then a consumer project builds against it with
# find_package(OpenLive CONFIG) and with pkg-config (tests/consumer). Included from tests/CMakeLists.txt.
add_test(NAME install_consumer
  COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${PROJECT_BINARY_DIR}
    -DCONSUMER_SRC=${PROJECT_SOURCE_DIR}/tests/consumer
    -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/install_consumer
    -DGENERATOR=${CMAKE_GENERATOR}
    -DCXX_COMPILER=${CMAKE_CXX_COMPILER}
    -DCONFIG=$<CONFIG>
    "-DCONSUMER_FLAGS=${CMAKE_CXX_FLAGS}"
    -P ${PROJECT_SOURCE_DIR}/tests/consumer/install_and_build.cmake)
set_tests_properties(install_consumer PROPERTIES LABELS integration TIMEOUT 300)
