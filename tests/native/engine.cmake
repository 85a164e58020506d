# Engine tests (state machine, handle table, loop, simulated link).
ora_native_test(test_engine test_engine.c)
ora_native_test(test_handles test_handles.c)
ora_native_test(test_registry test_registry.c)

# Every allocation of a phone-book edit and of dials (simulated, pty, TCP, modem, with a
# data plane) made to fail in turn, and every read and write of a dial over a pty to
# slirp: the core's malloc, calloc, realloc, read and write go through the test's hooks
# (issue 17).
ora_native_test(test_alloc_faults test_alloc_faults.c)
target_link_options(test_alloc_faults PRIVATE -Wl,--wrap=malloc -Wl,--wrap=calloc
                    -Wl,--wrap=realloc -Wl,--wrap=read -Wl,--wrap=write -Wl,--wrap=send)
add_dependencies(test_alloc_faults line_fixture modem_fixture openras-tun)
set_property(TEST native.test_alloc_faults APPEND PROPERTY ENVIRONMENT
             "ORA_SLIRP=/usr/bin/slirp-fullbolt" "ORA_LINE_FIXTURE=$<TARGET_FILE:line_fixture>"
             "ORA_MODEM_FIXTURE=$<TARGET_FILE:modem_fixture>"
             "ORA_TUN_HELPER_BIN=$<TARGET_FILE:openras-tun>")
# The slow builds run fewer scenarios: valgrind, TSan and coverage the phone book,
# simulated and pty ones; ASan all but the modem's (the slowest dial).
if(ORA_VALGRIND OR CMAKE_C_FLAGS MATCHES "sanitize=thread|coverage")
  set_property(TEST native.test_alloc_faults APPEND PROPERTY ENVIRONMENT
               "ORA_FAULT_SCENARIOS=pbk,sim,pty")
elseif(CMAKE_C_FLAGS MATCHES "sanitize=address")
  set_property(TEST native.test_alloc_faults APPEND PROPERTY ENVIRONMENT
               "ORA_FAULT_SCENARIOS=pbk,sim,pty,tcp,dp")
endif()
set_tests_properties(native.test_alloc_faults PROPERTIES TIMEOUT 600 LABELS "native;slirp")
