# Issue 18: VPN entries dialed over L2TP under Wine, against SoftEther VPN Server in a
# network namespace of its own (tests/pe/vpn.sh, tests/fixtures/softether.sh; root).
add_executable(test_vpn test_vpn.c)
target_link_libraries(test_vpn PRIVATE cmocka_pe rasapi32_mingw_implib iphlpapi ws2_32)
target_include_directories(test_vpn PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
add_dependencies(test_vpn rasapi32 openras-manager)
set(t pe.${ORA_PE_ARCH}.test_vpn)
# The data plane's helper is the host build link_dataplane.cmake makes (none: the
# data-plane case fails and says so).
if(ORA_TUN_HELPER_HOST)
  add_dependencies(test_vpn tun_helper_host)
endif()
add_test(NAME ${t}
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/vpn.sh ${ORA_PE_ARCH}
                 ${PROJECT_SOURCE_DIR}/build/wineprefix-vpn $<TARGET_FILE:test_vpn>
                 "${ORA_TUN_HELPER_HOST}")
set_tests_properties(${t} PROPERTIES RUN_SERIAL TRUE TIMEOUT 600 LABELS "pe;${ORA_PE_ARCH};softether"
                     SKIP_RETURN_CODE 77
                     PASS_REGULAR_EXPRESSION "OPENRAS-PE-PASS test_vpn"
                     FAIL_REGULAR_EXPRESSION "OPENRAS-PE-FAIL")
if(NOT ORA_PE_RUN)
  set_tests_properties(${t} PROPERTIES DISABLED TRUE)
endif()
