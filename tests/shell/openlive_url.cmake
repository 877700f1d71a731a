# ctest cases that run the built openlive-url CLI (label "unit").
#
# This file has two modes:
#  - included from tests/CMakeLists.txt: registers the tests below;
#  - run as `cmake -P openlive_url.cmake -DMODE=...`: one check (exact exit status, output regex, stderr
#    line count; or an independent recomputation with the openssl CLI).
# Arguments travel as one string with '|' between them. CMake drops empty list elements, so an empty argument
# (--key "") has its own mode.

if(CMAKE_SCRIPT_MODE_FILE)
  function(_ol_split out text)
    string(REPLACE "|" ";" _args "${text}")
    set(${out} "${_args}" PARENT_SCOPE)
  endfunction()

  if(MODE STREQUAL "run")
    # -DTOOL -DARGS (or ARGS=EMPTY_KEY) -DEXPECT_RC [-DEXPECT_OUT regex] [-DEXPECT_ERR regex]
    _ol_split(args "${ARGS}")
    if(ARGS STREQUAL "EMPTY_KEY")
      execute_process(COMMAND "${TOOL}" sign --key "" --stream s --time 1
                      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 30)
    else()
      execute_process(COMMAND "${TOOL}" ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                      TIMEOUT 30)
    endif()
    if(NOT rc STREQUAL "${EXPECT_RC}")
      message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT_RC}\nstdout: ${out}\nstderr: ${err}")
    endif()
    if(DEFINED EXPECT_OUT AND NOT out MATCHES "${EXPECT_OUT}")
      message(FATAL_ERROR "stdout does not match '${EXPECT_OUT}':\n${out}")
    endif()
    if(DEFINED EXPECT_ERR AND NOT err MATCHES "${EXPECT_ERR}")
      message(FATAL_ERROR "stderr does not match '${EXPECT_ERR}':\n${err}")
    endif()
    if(EXPECT_RC STREQUAL "2")
      # Usage errors: exactly one line on stderr, nothing on stdout.
      string(REGEX MATCHALL "\n" newlines "${err}")
      list(LENGTH newlines n)
      if(NOT n EQUAL 1 OR NOT out STREQUAL "")
        message(FATAL_ERROR "usage error should be one stderr line and no stdout\nstdout: ${out}\nstderr: ${err}")
      endif()
    endif()
    message(STATUS "ok: exit ${rc}")
  elseif(MODE STREQUAL "openssl")
    # Second route: recompute txSecret (MD5) and the UserSig HMAC with the openssl CLI. -DTOOL -DOPENSSL -DWORK
    if(NOT OPENSSL)  # not installed ("...-NOTFOUND"): as tests/fixtures/require.h, skip here, fail in CI
      if("$ENV{OPENLIVE_REQUIRE_FIXTURES}" STREQUAL "1")
        message(FATAL_ERROR "missing fixture (OPENLIVE_REQUIRE_FIXTURES=1): openssl CLI not installed")
      endif()
      message(STATUS "SKIP: openssl CLI not installed")
      return()
    endif()
    file(MAKE_DIRECTORY "${WORK}")
    execute_process(COMMAND "${TOOL}" sign --key k3y --stream room_42 --time 1700000000
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "txTime=([0-9a-f]+)\ntxSecret=([0-9a-f]+)\n")
      message(FATAL_ERROR "sign failed: ${rc} ${out}")
    endif()
    set(tx "${CMAKE_MATCH_1}")
    set(secret "${CMAKE_MATCH_2}")
    file(WRITE "${WORK}/md5.txt" "k3yroom_42${tx}")
    execute_process(COMMAND "${OPENSSL}" dgst -md5 -r INPUT_FILE "${WORK}/md5.txt" OUTPUT_VARIABLE md5
                    RESULT_VARIABLE rc)
    string(SUBSTRING "${md5}" 0 32 md5)
    if(NOT rc EQUAL 0 OR NOT md5 STREQUAL secret OR NOT tx STREQUAL "6553f100")
      message(FATAL_ERROR "txSecret ${secret} txTime ${tx}, openssl md5 ${md5} (rc ${rc})")
    endif()

    set(key "0123456789abcdef-test-secret")
    execute_process(COMMAND "${TOOL}" usersig --sdkappid 1400000123 --userid alice_01 --key ${key}
                            --expire 3600 --time 1700001234
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_QUIET)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "usersig=([A-Za-z0-9*_-]+)\n")
      message(FATAL_ERROR "usersig failed: ${rc} ${out}")
    endif()
    set(sig "${CMAKE_MATCH_1}")
    execute_process(COMMAND "${TOOL}" usersig-verify "${sig}" --key ${key} --now 1700001234
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out)
    if(NOT rc EQUAL 0 OR NOT out MATCHES "result=ok\n" OR NOT out MATCHES "sig=([A-Za-z0-9+/=]+)\n")
      message(FATAL_ERROR "usersig-verify failed: ${rc} ${out}")
    endif()
    set(carried "${CMAKE_MATCH_1}")
    file(WRITE "${WORK}/content.txt"
         "TLS.identifier:alice_01\nTLS.sdkappid:1400000123\nTLS.time:1700001234\nTLS.expire:3600\n")
    execute_process(COMMAND "${OPENSSL}" dgst -sha256 -hmac ${key} -binary INPUT_FILE "${WORK}/content.txt"
                    COMMAND "${OPENSSL}" base64 -A
                    RESULT_VARIABLE rc OUTPUT_VARIABLE mac)
    string(STRIP "${mac}" mac)
    if(NOT mac STREQUAL carried)
      message(FATAL_ERROR "TLS.sig ${carried} but openssl HMAC-SHA256 gives ${mac} (rc ${rc})")
    endif()
    message(STATUS "ok: txSecret ${secret} and TLS.sig ${mac} match openssl")
  else()
    message(FATAL_ERROR "unknown MODE '${MODE}'")
  endif()
  return()
endif()

# ---- registration (included from tests/CMakeLists.txt) ----
if(NOT TARGET openlive-url)
  return()
endif()

set(_ol_url_script ${CMAKE_CURRENT_LIST_FILE})

# openlive_url_test(<name> <expected exit> <args joined by |> [OUT regex] [ERR regex])
function(openlive_url_test name rc args)
  cmake_parse_arguments(T "" "OUT;ERR" "" ${ARGN})
  set(defs -DMODE=run -DTOOL=$<TARGET_FILE:openlive-url> "-DARGS=${args}" -DEXPECT_RC=${rc})
  if(DEFINED T_OUT)
    list(APPEND defs "-DEXPECT_OUT=${T_OUT}")
  endif()
  if(DEFINED T_ERR)
    list(APPEND defs "-DEXPECT_ERR=${T_ERR}")
  endif()
  add_test(NAME openlive_url.${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${_ol_url_script})
  set_tests_properties(openlive_url.${name} PROPERTIES LABELS unit TIMEOUT 60)
endfunction()

# Reference vectors (reference.md section 6).
openlive_url_test(sign_reference 0 "sign|--key|somestring|--stream|test|--time|1546308300"
                  OUT "^txTime=5c2acacc\ntxSecret=b77e812107e1d8b8f247885a46e1bd34\n$")
openlive_url_test(sign_reference_900 0 "sign|--key|somestring|--stream|test_900|--time|1546308300|--json"
                  OUT "^{\"txTime\":\"5c2acacc\",\"txSecret\":\"4beae959b16c77da6a65c7edda1dfefe\"}\n$")
openlive_url_test(sign_gme_reference 0
                  "sign|--key|4531cddc5bd6dc28a812bb87121a5853|--stream|38251_5a1d7c2f7e8fcb56942691035b49d960|--time|1551438840"
                  OUT "txTime=5c7913f8\ntxSecret=09fcc68fc320336c2b85071b11056bd6\n")
openlive_url_test(push_url 0 "push|--domain|push.example.com|--stream|test|--key|somestring|--expiry|1546308300"
                  OUT "^url=rtmp://push.example.com/live/test\\?txSecret=b77e812107e1d8b8f247885a46e1bd34&txTime=5c2acacc\n")
openlive_url_test(play_urls 0 "play|--domain|d:8080|--stream|test|--key|somestring|--expiry|1546308300|--bizid|8888"
                  OUT "flv=http://d:8080/live/test.flv\\?txSecret=b77e8121[0-9a-f]+&txTime=5c2acacc\n.*low_latency=rtmp://d:8080/live/test\\?bizid=8888&txTime=5c2acacc&txSecret=b77e812107e1d8b8f247885a46e1bd34\n")
openlive_url_test(gme_mode2 0
                  "gme|--mode|2|--appid|1400000000|--roomid|room9|--bizid|38251|--key|4531cddc5bd6dc28a812bb87121a5853|--expiry|1551438840"
                  OUT "stream_id=mixer_1400000000_room9\nstream_name=38251_beaab697cb2f2ccade499b4df35efb16\n")
openlive_url_test(verify_ok_upper_case_time 0
                  "verify|rtmp://d/live/test?txSecret=b7d0f740ca71a4129958a0308ba052ae&txTime=5C2ACACC|--key|somestring|--now|1546308300"
                  OUT "^result=ok\n")
openlive_url_test(verify_expired 1
                  "verify|rtmp://d/live/test?txSecret=b77e812107e1d8b8f247885a46e1bd34&txTime=5c2acacc|--key|somestring|--now|1546308301"
                  OUT "^result=expired\n")
openlive_url_test(verify_bad_secret 1
                  "verify|rtmp://d/live/test_900?txSecret=b77e812107e1d8b8f247885a46e1bd34&txTime=5c2acacc|--key|somestring|--now|0"
                  OUT "^result=bad txSecret\n")
openlive_url_test(verify_broken_url 1 "verify|rtmp://d/live|--key|k" OUT "^result=malformed URL\n$")
openlive_url_test(usersig_verify_garbled 1 "usersig-verify|eJyrVgrxCdYrSy1SslJQMtIzUNJR|--key|k|--now|0"
                  OUT "^result=malformed compression\n$")

# Bad or missing arguments: one line on stderr, exit status 2.
openlive_url_test(no_subcommand 2 "" ERR "^openlive-url: error: ")
openlive_url_test(missing_time 2 "sign|--key|k|--stream|s" ERR "--time is required")
openlive_url_test(non_numeric_time 2 "sign|--key|k|--stream|s|--time|12ab" ERR "--time: not a decimal")
openlive_url_test(negative_time 2 "sign|--key|k|--stream|s|--time|-1")
openlive_url_test(empty_key 2 "EMPTY_KEY" ERR "empty key")  # sign --key "" --stream s --time 1
openlive_url_test(bad_stream 2 "sign|--key|k|--stream|a/b|--time|1" ERR "invalid stream name")
openlive_url_test(key_without_expiry 2 "push|--domain|h|--stream|s|--key|k" ERR "--expiry or --valid-for")
openlive_url_test(bad_domain 2 "play|--domain|rtmp://h|--stream|s" ERR "invalid domain")
openlive_url_test(gme_bad_mode 2 "gme|--mode|3|--appid|1|--roomid|r|--bizid|1|--key|k|--expiry|1")
openlive_url_test(gme_mode1_needs_user 2 "gme|--mode|1|--appid|1|--roomid|r|--bizid|1|--key|k|--expiry|1"
                  ERR "invalid GME field")
openlive_url_test(usersig_bad_appid 2 "usersig|--sdkappid|0|--userid|u|--key|k")
openlive_url_test(unknown_option 2 "sign|--key|k|--stream|s|--time|1|--bogus")

# Registered without the openssl CLI too: it then skips (ctest "Skipped"), or fails with OPENLIVE_REQUIRE_FIXTURES=1.
find_program(OPENLIVE_OPENSSL_CLI openssl)
add_test(NAME openlive_url.openssl_second_route
         COMMAND ${CMAKE_COMMAND} -DMODE=openssl -DTOOL=$<TARGET_FILE:openlive-url>
                 -DOPENSSL=${OPENLIVE_OPENSSL_CLI} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/openlive_url_work
                 -P ${_ol_url_script})
set_tests_properties(openlive_url.openssl_second_route PROPERTIES LABELS unit TIMEOUT 60
                     SKIP_REGULAR_EXPRESSION "SKIP: ")
