# Issue 5: the connection manager, with several real processes under Wine. It kills
# the manager on purpose, so it runs alone.
ora_pe_test(test_manager test_manager.c LIBS rasapi32_mingw_implib)
set_tests_properties(pe.${ORA_PE_ARCH}.test_manager PROPERTIES RUN_SERIAL TRUE TIMEOUT 600)
