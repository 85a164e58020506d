# Wine's own conformance test of rasapi32 (dlls/rasapi32/tests/rasapi.c), run against
# OpenRAS. The file and Wine's test harness header are taken from Debian's wine source
# package at configure time (scripts/fetch-wine-rasapi-test.sh, into build/_deps) and
# never committed here. It is built as a PE program with mingw-w64's headers.
#
# WINETEST_PLATFORM=windows: the test's todo_wine checks mark what Wine's builtin
# rasapi32 gets wrong; OpenRAS does what Windows does, so they are ordinary checks here.
set(ORA_WINE_TEST_DIR ${PROJECT_SOURCE_DIR}/build/_deps/wine-rasapi-test)
if(NOT EXISTS ${ORA_WINE_TEST_DIR}/rasapi.c OR NOT EXISTS ${ORA_WINE_TEST_DIR}/wine/test.h)
  execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/fetch-wine-rasapi-test.sh
                          ${PROJECT_SOURCE_DIR}/build/_deps RESULT_VARIABLE ORA_WINE_FETCH_RC
                  OUTPUT_QUIET)
endif()
set(t pe.${ORA_PE_ARCH}.wine_rasapi_conformance)
if(EXISTS ${ORA_WINE_TEST_DIR}/rasapi.c AND EXISTS ${ORA_WINE_TEST_DIR}/wine/test.h
   AND EXISTS /usr/include/wine/wine/debug.h)
  add_executable(wine_rasapi_conformance ${ORA_WINE_TEST_DIR}/rasapi.c
                                         ${CMAKE_CURRENT_SOURCE_DIR}/wine_test_shim.c)
  # Third-party code: built as Wine builds it (STANDALONE: the harness's own main), with
  # <windows.h> first as in Wine's tree, and wine/debug.h from libwine-dev. Its
  # warnings are not ours to fix.
  target_compile_definitions(wine_rasapi_conformance PRIVATE STANDALONE)
  target_include_directories(wine_rasapi_conformance PRIVATE ${ORA_WINE_TEST_DIR})
  target_compile_options(wine_rasapi_conformance PRIVATE -include windows.h -idirafter
                                                         /usr/include/wine -w)
  add_dependencies(wine_rasapi_conformance rasapi32)
  add_test(NAME ${t} COMMAND wine_rasapi_conformance rasapi)
  # Wine's summary line, with a nonzero count and nothing failed, todo or skipped.
  set_tests_properties(${t} PROPERTIES
    FIXTURES_REQUIRED wine TIMEOUT 120 LABELS "pe;${ORA_PE_ARCH};wine"
    ENVIRONMENT "${ORA_PE_ENV};WINETEST_PLATFORM=windows"
    ENVIRONMENT_MODIFICATION "DISPLAY=unset:"
    PASS_REGULAR_EXPRESSION
      ":rasapi:[^ ]* [1-9][0-9]* tests executed \\(0 marked as todo, 0 as flaky, 0 failures\\), 0 skipped\\."
    FAIL_REGULAR_EXPRESSION "Test failed|Test succeeded inside todo|unhandled exception")
  if(NOT ORA_PE_RUN)
    set_tests_properties(${t} PROPERTIES DISABLED TRUE)
  endif()
else()
  # Not fetched (no package registry?): a failing test says so rather than nothing.
  message(WARNING "Wine's rasapi32 conformance test cannot be built: not fetched "
                  "(scripts/fetch-wine-rasapi-test.sh: ${ORA_WINE_FETCH_RC}) or no libwine-dev")
  add_test(NAME ${t} COMMAND ${CMAKE_COMMAND} -E echo "Wine's rasapi.c was not fetched")
  set_tests_properties(${t} PROPERTIES PASS_REGULAR_EXPRESSION "^never$")
endif()
