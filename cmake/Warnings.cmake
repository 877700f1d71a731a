add_library(openlive_warnings INTERFACE)
target_compile_options(openlive_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers>)

# Command-line parsing (CLI11) and JSON-heavy test tooling (nlohmann-json) are header-only, template-heavy
# code, the slowest to compile under the sanitizers, and on no media or network path of the SDK: in sanitizer
# builds those files are compiled without optimisation (still instrumented), which halves their build time.
# For single files only (a sample's main.cpp): CMake leaves a source with its own COMPILE_OPTIONS out of the
# unity build, so a whole library takes openlive_unoptimized_targets_under_sanitizers below instead.
function(openlive_unoptimized_under_sanitizers)
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=")
    set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS -O0)
  endif()
endfunction()

# The same for whole targets (roomd's and the mixer's cores): in the asan and tsan builds only the SDK's own code
# needs the optimiser (-O1, what the sanitizers check at speed); code compiled at -O0 builds in about half the
# time and still runs instrumented. Not in the fuzz-only preset (no tests; the fuzzers want the speed).
function(openlive_unoptimized_targets_under_sanitizers)
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=" AND OPENLIVE_BUILD_TESTS)
    foreach(t IN LISTS ARGN)
      target_compile_options(${t} PRIVATE -O0)
    endforeach()
  endif()
endfunction()

# Test code (gtest bodies, fixtures, the fault proxy, the test server): -O0 under the sanitizers (above), -O1 in
# the optimised configurations. The SDK and the samples keep -O2: what users run and what the benchmarks measure.
# gtest's macro-expanded bodies are the slowest code here to optimise: at -O1 a test batch compiles in under half
# the time of -O2 (measured 2026-12-03: unit tests' largest batch 86 s at -O2 -g, 39 s at -O1 -g1).
function(openlive_test_code_targets)
  openlive_unoptimized_targets_under_sanitizers(${ARGN})
  if(NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize=")
    foreach(t IN LISTS ARGN)
      target_compile_options(${t} PRIVATE $<$<CONFIG:RelWithDebInfo,Release>:-O1>)
    endforeach()
  endif()
endfunction()

# Unity builds (the presets turn CMAKE_UNITY_BUILD on: each batch of 8 sources is one translation unit, which
# halves the build): GCC then reports every type that uses an anonymous-namespace type as if it were in a
# header (-Wsubobject-linkage). Harmless here: each batch is still one object file.
if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(openlive_warnings INTERFACE -Wno-subobject-linkage)
endif()
