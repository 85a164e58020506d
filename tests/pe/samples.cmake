# Issue 7: the programs in samples/ (rasdial, rasentry, the notifier samples) run as
# a user runs them, each in its own process. test_samples ends every connection
# manager first (its connection list must be its own), so it runs alone.
ora_pe_test(test_samples test_samples.c LIBS rasapi32_mingw_implib)
set(ORA_SAMPLE_PROGRAMS rasdial rasentry notify_func notify_func1 notify_func2 notify_window)
add_dependencies(test_samples ${ORA_SAMPLE_PROGRAMS})
set(t pe.${ORA_PE_ARCH})
set_tests_properties(${t}.test_samples PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
# A manager these programs started leaves soon after the last one (it would otherwise
# hold ctest's output pipe for its idle time).
set_property(TEST ${t}.test_samples APPEND PROPERTY ENVIRONMENT "ORA_MANAGER_IDLE_MS=500")

# rasdial against a real PPP server: the link tests' slirp behind COM5 (link.cmake).
# It belongs with them, hence its name; it only exists where their fixture does.
if(TEST ${t}.link_fixture_start)
  add_test(NAME ${t}.link_rasdial_slirp COMMAND test_samples slirp)
  set_tests_properties(${t}.link_rasdial_slirp PROPERTIES
    FIXTURES_REQUIRED "wine;link" RUN_SERIAL TRUE TIMEOUT 120 LABELS "pe;${ORA_PE_ARCH};slirp"
    ENVIRONMENT "${ORA_PE_ENV};ORA_MANAGER_IDLE_MS=500" ENVIRONMENT_MODIFICATION "DISPLAY=unset:"
    PASS_REGULAR_EXPRESSION "OPENRAS-PE-PASS link_rasdial_slirp"
    FAIL_REGULAR_EXPRESSION "OPENRAS-PE-FAIL")
  if(NOT ORA_PE_RUN)
    set_tests_properties(${t}.link_rasdial_slirp PROPERTIES DISABLED TRUE)
  endif()
endif()
