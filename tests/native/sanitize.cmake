# Sanitizer, valgrind and fuzzing builds (issue 8). The presets asan, tsan and
# valgrind reuse the native unit tests; fuzz adds the libFuzzer targets of tests/fuzz.
# Nothing here changes the plain native build.
option(ORA_FUZZ "build the libFuzzer targets of tests/fuzz (clang; the fuzz preset)" OFF)
option(ORA_VALGRIND "run the native unit tests under valgrind (the valgrind preset)" OFF)

if(ORA_FUZZ)
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/fuzz ${PROJECT_BINARY_DIR}/tests/fuzz)
endif()

# valgrind.<test>: every native unit test but the slirp ones (real-time PPP against a
# real server, too slow under memcheck) once more under valgrind; any error or leak
# fails it. Run by the valgrind preset: ctest --preset valgrind.
if(ORA_VALGRIND)
  get_property(ora_native_tests DIRECTORY PROPERTY TESTS)
  foreach(t IN LISTS ora_native_tests)
    get_test_property(${t} LABELS labels)
    if(NOT t MATCHES "^native\\." OR "slirp" IN_LIST labels OR "softether" IN_LIST labels)
      continue()
    endif()
    string(REGEX REPLACE "^native\\." "" exe ${t})
    if(NOT TARGET ${exe})
      continue()
    endif()
    get_test_property(${t} ENVIRONMENT env)
    add_test(NAME valgrind.${exe} COMMAND ${ORA_MEMCHECK} $<TARGET_FILE:${exe}>)
    set_tests_properties(valgrind.${exe} PROPERTIES LABELS valgrind TIMEOUT 900
                         ENVIRONMENT "${env}")
  endforeach()
endif()
