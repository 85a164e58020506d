# Issue 15: the data plane end to end in sandbox mode (tests/pe/dataplane.sh). Needs
# what the link test needs (slirp, the modem fixture, socat) and /dev/net/tun; the
# native helper is built here with the host compiler, as the modem fixture is.
if(NOT ORA_HOST_CC OR NOT EXISTS ${ORA_SLIRP} OR NOT ORA_SOCAT)
  message(WARNING "no host C compiler, slirp or socat: the data-plane test is not built")
  return()
endif()
set(ORA_TUN_HELPER_HOST ${CMAKE_CURRENT_BINARY_DIR}/openras-tun-host)
add_custom_command(OUTPUT ${ORA_TUN_HELPER_HOST}
                   COMMAND ${ORA_HOST_CC} -std=c11 -O2 -Wall -Wextra -Werror
                           -I${PROJECT_SOURCE_DIR}/include -o ${ORA_TUN_HELPER_HOST}
                           ${PROJECT_SOURCE_DIR}/tunhelper/openras-tun.c
                   DEPENDS ${PROJECT_SOURCE_DIR}/tunhelper/openras-tun.c
                           ${PROJECT_SOURCE_DIR}/include/openras/dpwire.h
                   COMMENT "Building openras-tun for the host")
add_custom_target(tun_helper_host ALL DEPENDS ${ORA_TUN_HELPER_HOST})

add_executable(test_dataplane test_dataplane.c)
target_link_libraries(test_dataplane PRIVATE cmocka_pe rasapi32_mingw_implib ws2_32 iphlpapi)
target_include_directories(test_dataplane PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
add_dependencies(test_dataplane rasapi32 openras-manager modem_fixture_host tun_helper_host)
math(EXPR ORA_DP_PORT "${ORA_LINK_TCP_PORT} + 1")
set(t pe.${ORA_PE_ARCH}.test_dataplane)
# One prefix for both architectures' runs, beside the build folders (a WoW64 prefix).
add_test(NAME ${t}
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/dataplane.sh ${ORA_PE_ARCH}
                 ${CMAKE_CURRENT_BINARY_DIR}/dataplane ${PROJECT_SOURCE_DIR}/build/wineprefix-dataplane
                 ${ORA_TUN_HELPER_HOST} ${ORA_LINK_FIXTURE} ${ORA_SLIRP} ${ORA_DP_PORT}
                 $<TARGET_FILE:test_dataplane>)
set_tests_properties(${t} PROPERTIES RUN_SERIAL TRUE TIMEOUT 600 LABELS "pe;${ORA_PE_ARCH};slirp"
                     PASS_REGULAR_EXPRESSION "OPENRAS-PE-PASS test_dataplane"
                     FAIL_REGULAR_EXPRESSION "OPENRAS-PE-FAIL")
if(NOT ORA_PE_RUN)
  set_tests_properties(${t} PROPERTIES DISABLED TRUE)
endif()
