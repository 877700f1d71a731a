# cmake -P script run by the install_consumer test:
#   1. cmake --install <BUILD_DIR> --prefix <WORK_DIR>/prefix
#   2. configure + build tests/consumer with find_package(OpenLive CONFIG) against that prefix; run it
#   3. pkg-config --cflags --libs openlive with the installed .pc; compile + run main.cpp with those flags
# Inputs (-D): BUILD_DIR, CONSUMER_SRC, WORK_DIR, GENERATOR, CXX_COMPILER, CONFIG (optional),
# CONSUMER_FLAGS (optional: the SDK build's compiler flags, e.g. -fsanitize=address under the asan preset, which
# a consumer of a sanitized library must use too).
cmake_minimum_required(VERSION 3.25)
foreach(v BUILD_DIR CONSUMER_SRC WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install_and_build.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG RelWithDebInfo)
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(RUN_OUT "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})
file(GLOB_RECURSE config_file ${prefix}/*/OpenLiveConfig.cmake)
file(GLOB_RECURSE pc_file ${prefix}/*/openlive.pc)
if(NOT config_file OR NOT pc_file OR NOT EXISTS ${prefix}/include/openlive/events.h
   OR NOT EXISTS ${prefix}/include/openlive/version.h)
  message(FATAL_ERROR "install is incomplete: config='${config_file}' pc='${pc_file}'")
endif()

# 2. find_package(OpenLive CONFIG) consumer.
run("consumer configure" ${CMAKE_COMMAND} -S ${CONSUMER_SRC} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_PREFIX_PATH=${prefix}
    "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_FLAGS}")
run("consumer build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run("consumer run" ${WORK_DIR}/build/openlive_consumer)
if(NOT RUN_OUT MATCHES "PUSH_EVT_CONNECT_SUCC")
  message(FATAL_ERROR "consumer printed:\n${RUN_OUT}")
endif()
message(STATUS "find_package consumer: ${RUN_OUT}")

# 3. pkg-config consumer.
find_program(PKG_CONFIG pkg-config)
if(NOT PKG_CONFIG)
  if("$ENV{OPENLIVE_REQUIRE_FIXTURES}" STREQUAL "1")  # as tests/fixtures/require.h: a missing tool fails in CI
    message(FATAL_ERROR "missing fixture (OPENLIVE_REQUIRE_FIXTURES=1): pkg-config not installed")
  endif()
  message(STATUS "pkg-config not installed: pkg-config check skipped")
  return()
endif()
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
run("pkg-config" ${PKG_CONFIG} --cflags --libs openlive)
string(STRIP "${RUN_OUT}" pc_flags)
message(STATUS "pkg-config --cflags --libs openlive: ${pc_flags}")
separate_arguments(pc_list UNIX_COMMAND "${pc_flags}")
set(found_inc OFF)
set(found_lib OFF)
foreach(flag IN LISTS pc_list)
  if(flag MATCHES "^-I(.*)")
    file(REAL_PATH "${CMAKE_MATCH_1}" dir)
    if(dir STREQUAL "${prefix}/include")
      set(found_inc ON)
    endif()
  elseif(flag MATCHES "^-L(.*)")
    file(REAL_PATH "${CMAKE_MATCH_1}" dir)
    file(REAL_PATH "${pc_dir}/.." libdir_real)
    if(dir STREQUAL libdir_real)
      set(found_lib ON)
    endif()
  endif()
endforeach()
if(NOT found_inc OR NOT found_lib OR NOT pc_flags MATCHES "-lopenlive")
  message(FATAL_ERROR "pkg-config flags do not point into the install prefix ${prefix}: ${pc_flags}")
endif()
separate_arguments(consumer_flag_list UNIX_COMMAND "${CONSUMER_FLAGS}")
run("pkg-config compile" ${CXX_COMPILER} -std=c++20 ${consumer_flag_list} ${CONSUMER_SRC}/main.cpp ${pc_list}
    -o ${WORK_DIR}/consumer_pc)
get_filename_component(libdir ${pc_dir} DIRECTORY)
set(ENV{LD_LIBRARY_PATH} ${libdir})
run("pkg-config consumer run" ${WORK_DIR}/consumer_pc)
if(NOT RUN_OUT MATCHES "PUSH_EVT_CONNECT_SUCC")
  message(FATAL_ERROR "pkg-config consumer printed:\n${RUN_OUT}")
endif()
message(STATUS "pkg-config consumer: ${RUN_OUT}")
