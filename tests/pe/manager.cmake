# Issue 5: the connection manager, with several real processes under Wine. It kills
# the manager on purpose, so it runs alone.
ora_pe_test(test_manager test_manager.c LIBS rasapi32_mingw_implib ora_core)
set_tests_properties(pe.${ORA_PE_ARCH}.test_manager PROPERTIES RUN_SERIAL TRUE TIMEOUT 600)

# The lane between the DLL and the manager, both ends in one process: once sleeping on
# futexes (Wine on Linux), once on events only.
ora_pe_test(test_lane test_lane.c LIBS ora_core)
set(t pe.${ORA_PE_ARCH}.test_lane_events)
add_test(NAME ${t} COMMAND test_lane)
set_tests_properties(${t} PROPERTIES
  FIXTURES_REQUIRED wine TIMEOUT 120 LABELS "pe;${ORA_PE_ARCH}"
  ENVIRONMENT "${ORA_PE_ENV};ORA_LANE_FUTEX=0" ENVIRONMENT_MODIFICATION "DISPLAY=unset:"
  PASS_REGULAR_EXPRESSION "OPENRAS-PE-PASS test_lane" FAIL_REGULAR_EXPRESSION "OPENRAS-PE-FAIL")
if(NOT ORA_PE_RUN)
  set_tests_properties(${t} PROPERTIES DISABLED TRUE)
endif()
