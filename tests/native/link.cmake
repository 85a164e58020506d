# Link drivers: the Hayes dialog on split byte streams, and end-to-end dials through
# the engine against slirp (on a pty made by socat, on TCP, and behind the modem
# fixture, tests/fixtures/modem_fixture.c).
ora_native_test(test_link_hayes ${CMAKE_CURRENT_LIST_DIR}/test_link_hayes.c)
ora_native_test_slirp(test_link_slirp ${CMAKE_CURRENT_LIST_DIR}/test_link_slirp.c)
add_dependencies(test_link_slirp modem_fixture)
set_property(TEST native.test_link_slirp APPEND PROPERTY ENVIRONMENT
             "ORA_MODEM_FIXTURE=$<TARGET_FILE:modem_fixture>")

# sanitize.cmake leaves the slirp tests out of the valgrind preset (too slow under
# memcheck); this one takes about 15 s there, and its hang-up paths are exactly what
# must free everything, so the valgrind preset runs it too. A forked child that ends with
# _exit before exec (the helper's launcher) is not checked: it holds only the parent's
# memory, and what other threads' stacks referred to looks lost in it.
if(ORA_VALGRIND)
  add_test(NAME valgrind.test_link_slirp COMMAND ${ORA_MEMCHECK} $<TARGET_FILE:test_link_slirp>)
  set_tests_properties(valgrind.test_link_slirp PROPERTIES LABELS "valgrind;slirp" TIMEOUT 900
    SKIP_RETURN_CODE 77
    ENVIRONMENT "ORA_SLIRP=/usr/bin/slirp-fullbolt;ORA_MODEM_FIXTURE=$<TARGET_FILE:modem_fixture>")
endif()
ora_native_test(test_ports ${CMAKE_CURRENT_LIST_DIR}/test_ports.c)
ora_native_test(test_stream_loop ${CMAKE_CURRENT_LIST_DIR}/test_stream_loop.c)

# The data plane in "system mode" (the TUN, its routes and DNS in the dialing process's
# own namespace), tried only in a network and mount namespace the test makes itself:
# root and /dev/net/tun are needed, and without them ctest reports it as not run.
add_test(NAME native.test_dataplane_system COMMAND test_link_slirp --netns)
add_dependencies(test_link_slirp openras-tun)
set_tests_properties(native.test_dataplane_system PROPERTIES LABELS "native;slirp;dataplane"
  TIMEOUT 300 SKIP_RETURN_CODE 77
  ENVIRONMENT "ORA_SLIRP=/usr/bin/slirp-fullbolt;ORA_MODEM_FIXTURE=$<TARGET_FILE:modem_fixture>;ORA_TUN_HELPER_BIN=$<TARGET_FILE:openras-tun>;ORA_LINE_FIXTURE=$<TARGET_FILE:line_fixture>")

# The soak through the hostile line (issue 17): a few hundred dials under each kind of
# fault the line fixture makes (tests/fixtures/line_fixture.c), in every native preset;
# fewer under the sanitizers, where each dial costs more.
add_test(NAME native.test_line_soak COMMAND test_link_slirp --soak)
add_dependencies(test_link_slirp line_fixture)
if(CMAKE_C_FLAGS MATCHES "sanitize|coverage")
  set(ora_soak_dials 8)
else()
  set(ora_soak_dials 40)
endif()
set_tests_properties(native.test_line_soak PROPERTIES LABELS "native;slirp;soak" TIMEOUT 900
  SKIP_RETURN_CODE 77
  ENVIRONMENT "ORA_SLIRP=/usr/bin/slirp-fullbolt;ORA_MODEM_FIXTURE=$<TARGET_FILE:modem_fixture>;ORA_LINE_FIXTURE=$<TARGET_FILE:line_fixture>;ORA_SOAK_DIALS=${ora_soak_dials}")

# VPN links (L2TP) against SoftEther VPN Server, the second and independent PPP peer,
# which tests/fixtures/softether.sh starts in a namespace of its own around the test
# (root; not run without it or without SoftEther).
add_executable(test_link_l2tp ${CMAKE_CURRENT_LIST_DIR}/test_link_l2tp.c)
target_link_libraries(test_link_l2tp PRIVATE ora_engine ora_core ${CMOCKA_LIBRARY})
target_include_directories(test_link_l2tp PRIVATE ${CMOCKA_INCLUDE} ${PROJECT_SOURCE_DIR}/tests/support
                                                  ${ORA_CORE_PRIVATE})
# Two parts, each beside a server of its own: the server paces new sessions, so the
# parts run side by side (test_link_l2tp.c's main says which cases each has).
add_dependencies(test_link_l2tp openras-tun)
foreach(part 1 2)
  add_test(NAME native.test_link_l2tp.${part}
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/fixtures/softether.sh $<TARGET_FILE:test_link_l2tp>
                   --part ${part})
  set_tests_properties(native.test_link_l2tp.${part} PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
                       LABELS "native;softether"
                       ENVIRONMENT "ORA_TUN_HELPER_BIN=$<TARGET_FILE:openras-tun>;ORA_SE_LISTEN=0.0.0.0")
  if(ORA_VALGRIND) # the whole VPN path, hang-ups included, must free everything
    add_test(NAME valgrind.test_link_l2tp.${part}
             COMMAND sh ${PROJECT_SOURCE_DIR}/tests/fixtures/softether.sh ${ORA_MEMCHECK}
                     $<TARGET_FILE:test_link_l2tp> --part ${part})
    set_tests_properties(valgrind.test_link_l2tp.${part} PROPERTIES LABELS "valgrind;softether"
                         TIMEOUT 900 SKIP_RETURN_CODE 77
                         ENVIRONMENT "ORA_TUN_HELPER_BIN=$<TARGET_FILE:openras-tun>;ORA_SE_LISTEN=0.0.0.0")
  endif()
endforeach()

# The L2TP access concentrator against a scripted server in virtual time.
ora_native_test(test_l2tp ${CMAKE_CURRENT_LIST_DIR}/test_l2tp.c)
