# Shell-level fixture smoke: tests/tools/openlive-test-server driven from bash (ffmpeg publish, ffprobe
# read-back, stop on stdin EOF). Included from tests/CMakeLists.txt.
find_program(OPENLIVE_BASH bash)
if(OPENLIVE_BASH AND TARGET openlive-test-server)
  foreach(kind nginx nms)
    add_test(NAME server_tool_${kind}
      COMMAND ${OPENLIVE_BASH} ${PROJECT_SOURCE_DIR}/tests/tools/server_tool_smoke.sh
              $<TARGET_FILE:openlive-test-server> ${kind})
    set_tests_properties(server_tool_${kind} PROPERTIES LABELS integration TIMEOUT 60
                         SKIP_RETURN_CODE 77)
  endforeach()
endif()
