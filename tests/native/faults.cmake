# Allocation failures over the native test suite (issue 17): fault_suite.sh sweeps every
# case of the programs below with the fault hook each is linked with. Under ASan only,
# where a crash, a memory error or a leak shows. Two tests, so ctest runs them side by
# side. The programs that dial real peers are test_alloc_faults' scenarios instead.
if(CMAKE_C_FLAGS MATCHES "sanitize=address")
  set(ora_fault_env "ORA_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data")
  add_test(NAME native.fault_suite_engine
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fault_suite.sh
                   $<TARGET_FILE_DIR:test_engine> test_engine test_pbk_concurrent)
  add_test(NAME native.fault_suite
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fault_suite.sh
                   $<TARGET_FILE_DIR:test_engine> test_pbk test_pbk_lines
                   test_handles test_registry test_ports test_proto test_l2tp test_stream_loop
                   test_ppp_auth test_ppp_fsm test_ppp_hdlc test_ppp_ipcp test_ppp_lcp
                   test_ppp_mschap test_ppp_secret)
  set_tests_properties(native.fault_suite_engine native.fault_suite PROPERTIES
                       TIMEOUT 900 LABELS native ENVIRONMENT "${ora_fault_env}")

  # The sweep itself can fail: it must report a leak and a crash, and pass a clean case.
  add_executable(fault_hook_check fault_hook_check.c $<TARGET_OBJECTS:ora_fault_hook>)
  target_include_directories(fault_hook_check PRIVATE ${CMOCKA_INCLUDE})
  target_link_libraries(fault_hook_check PRIVATE ${CMOCKA_LIBRARY})
  target_link_options(fault_hook_check PRIVATE -Wl,--wrap=malloc -Wl,--wrap=calloc
                      -Wl,--wrap=realloc -Wl,--wrap=read -Wl,--wrap=write -Wl,--wrap=send)
  add_test(NAME native.fault_hook_check
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fault_hook_check.sh
                   $<TARGET_FILE_DIR:fault_hook_check>)
  set_tests_properties(native.fault_hook_check PROPERTIES TIMEOUT 120 LABELS native)
endif()
