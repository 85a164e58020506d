# Issue 3 (DLL side): RasDial, RasHangUp, RasGetConnectStatus against the simulated link.
# Each program writes its own phone book into the temp folder (dial_util.c).
foreach(t dial_args dial_sizes dial_sync dial_async dial_window dial_paused dial_hangup
          dial_strings dial_default_pbk)
  ora_pe_test(${t} ${t}.c dial_util.c LIBS rasapi32_mingw_implib)
  # A manager started by these tests leaves soon after the last program is done (it
  # would otherwise hold ctest's output pipe for its 30 s idle time).
  set_property(TEST pe.${ORA_PE_ARCH}.${t} APPEND PROPERTY ENVIRONMENT "ORA_MANAGER_IDLE_MS=500")
endforeach()
# It adds entries to the prefix's default phone books (and restores them): nothing that
# reads those may run at the same time.
set_tests_properties(pe.${ORA_PE_ARCH}.dial_default_pbk PROPERTIES RUN_SERIAL TRUE)
