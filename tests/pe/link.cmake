# Issue 4 (link side): RasDialA through COM ports that Wine maps to ptys, to a real PPP
# server (slirp) behind the modem fixture. The fixture is a host program: it is built
# with the host compiler, and started and stopped by a ctest fixture around the test.
find_program(ORA_HOST_CC NAMES gcc cc)
set(ORA_SLIRP /usr/bin/slirp-fullbolt)
if(NOT ORA_HOST_CC OR NOT EXISTS ${ORA_SLIRP})
  message(WARNING "no host C compiler or no ${ORA_SLIRP}: the Wine link test is not built")
  return()
endif()

set(ORA_LINK_FIXTURE ${CMAKE_CURRENT_BINARY_DIR}/modem_fixture-host)
add_custom_command(OUTPUT ${ORA_LINK_FIXTURE}
                   COMMAND ${ORA_HOST_CC} -std=c11 -O2 -Wall -Wextra -Werror -o ${ORA_LINK_FIXTURE}
                           ${PROJECT_SOURCE_DIR}/tests/fixtures/modem_fixture.c
                   DEPENDS ${PROJECT_SOURCE_DIR}/tests/fixtures/modem_fixture.c
                   COMMENT "Building the modem fixture for the host")
add_custom_target(modem_fixture_host ALL DEPENDS ${ORA_LINK_FIXTURE})
set(ORA_LINE_FIXTURE ${CMAKE_CURRENT_BINARY_DIR}/line_fixture-host)
add_custom_command(OUTPUT ${ORA_LINE_FIXTURE}
                   COMMAND ${ORA_HOST_CC} -std=c11 -O2 -Wall -Wextra -Werror -o ${ORA_LINE_FIXTURE}
                           ${PROJECT_SOURCE_DIR}/tests/fixtures/line_fixture.c -lm
                   DEPENDS ${PROJECT_SOURCE_DIR}/tests/fixtures/line_fixture.c
                   COMMENT "Building the line fixture for the host")
add_custom_target(line_fixture_host ALL DEPENDS ${ORA_LINE_FIXTURE})

set(ORA_LINK_DIR ${CMAKE_CURRENT_BINARY_DIR}/link-fixture)
# The TCP case needs socat; its port is derived from the build folder, so two build
# trees running this test at once do not collide.
find_program(ORA_SOCAT socat)
set(ORA_LINK_TCP_PORT "")
if(ORA_SOCAT)
  string(MD5 h ${CMAKE_CURRENT_BINARY_DIR})
  string(SUBSTRING ${h} 0 4 h)
  math(EXPR ORA_LINK_TCP_PORT "30000 + 0x${h} % 20000")
endif()
set(t pe.${ORA_PE_ARCH})
add_test(NAME ${t}.link_fixture_start
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/link-fixture.sh start ${ORA_LINK_DIR} ${ORA_WINEPREFIX}
                 ${ORA_LINK_FIXTURE} ${ORA_SLIRP} "${ORA_LINK_TCP_PORT}" ${ORA_LINE_FIXTURE})
add_test(NAME ${t}.link_fixture_stop
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/link-fixture.sh stop ${ORA_LINK_DIR} ${ORA_WINEPREFIX})
set_tests_properties(${t}.link_fixture_start PROPERTIES FIXTURES_SETUP link FIXTURES_REQUIRED wine
                     LABELS "pe;${ORA_PE_ARCH};slirp")
set_tests_properties(${t}.link_fixture_stop PROPERTIES FIXTURES_CLEANUP link
                     LABELS "pe;${ORA_PE_ARCH};slirp")

ora_pe_test(test_link_slirp test_link_slirp.c LIBS rasapi32_mingw_implib)
add_dependencies(test_link_slirp modem_fixture_host)
# Serial: it ends managers left by earlier tests so its own has ORA_TRACE (the
# driver's negotiation times), and the COM ports are one user at a time.
set_tests_properties(${t}.test_link_slirp PROPERTIES FIXTURES_REQUIRED "wine;link" RUN_SERIAL TRUE
                     LABELS "pe;${ORA_PE_ARCH};slirp")
set_property(TEST ${t}.test_link_slirp APPEND PROPERTY ENVIRONMENT "ORA_MANAGER_IDLE_MS=500"
             "ORA_TRACE=Z:${ORA_LINK_DIR}/trace.log" "ORA_LINK_TCP_PORT=${ORA_LINK_TCP_PORT}"
             "ORA_LINK_DIR=${ORA_LINK_DIR}")
# Issue 13.1: the domain "*" against slirp (PAP on COM5, CHAP on COM7).
ora_pe_test(test_link_domain test_link_domain.c LIBS rasapi32_mingw_implib)
set_tests_properties(${t}.test_link_domain PROPERTIES FIXTURES_REQUIRED "wine;link" RUN_SERIAL TRUE
                     LABELS "pe;${ORA_PE_ARCH};slirp")
set_property(TEST ${t}.test_link_domain APPEND PROPERTY ENVIRONMENT "ORA_MANAGER_IDLE_MS=500")
# Issue 13.4: each device of RasEnumDevices, written into an entry and dialed, keeps one
# name and type (COM5 cable, COM6 modem, the TCP peer, the simulated modem).
ora_pe_test(test_link_devices test_link_devices.c LIBS rasapi32_mingw_implib)
set_tests_properties(${t}.test_link_devices PROPERTIES FIXTURES_REQUIRED "wine;link" RUN_SERIAL TRUE
                     LABELS "pe;${ORA_PE_ARCH};slirp")
set_property(TEST ${t}.test_link_devices APPEND PROPERTY ENVIRONMENT "ORA_MANAGER_IDLE_MS=500"
             "ORA_LINK_TCP_PORT=${ORA_LINK_TCP_PORT}")
# Issue 17: dials through COM8, the noisy line, each ending well, and the manager's
# threads, heap and connections flat afterwards.
ora_pe_test(test_line_soak test_line_soak.c LIBS rasapi32_mingw_implib)
add_dependencies(test_line_soak line_fixture_host)
set_tests_properties(${t}.test_line_soak PROPERTIES FIXTURES_REQUIRED "wine;link" RUN_SERIAL TRUE
                     LABELS "pe;${ORA_PE_ARCH};slirp")
set_property(TEST ${t}.test_line_soak APPEND PROPERTY ENVIRONMENT "ORA_LINK_DIR=${ORA_LINK_DIR}")
if(NOT ORA_PE_RUN)
  set_tests_properties(${t}.link_fixture_start ${t}.link_fixture_stop PROPERTIES DISABLED TRUE)
endif()
