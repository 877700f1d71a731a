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

# The same for whole test targets (gtest bodies, fixtures, the fault proxy): in the asan and tsan builds only the
# SDK's own code needs the optimiser (-O1, what the sanitizers check at speed); test code compiled at -O0 builds
# in about half the time and still runs instrumented. Not in the fuzz build (its targets are not tests).
function(openlive_unoptimized_targets_under_sanitizers)
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=" AND NOT OPENLIVE_BUILD_FUZZERS)
    foreach(t IN LISTS ARGN)
      target_compile_options(${t} PRIVATE -O0)
    endforeach()
  endif()
endfunction()

# Unity builds (the presets turn CMAKE_UNITY_BUILD on: each batch of 8 sources is one translation unit, which
# halves the build): GCC then reports every type that uses an anonymous-namespace type as if it were in a
# header (-Wsubobject-linkage). Harmless here: each batch is still one object file.
if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(openlive_warnings INTERFACE -Wno-subobject-linkage)
endif()
