# Issue 12: checks only a 32-bit program needs (stdcall stack balance of every export and
# of the notifiers, the Windows 95/NT4-era sizes); test_x86_abi.c says why x64 has none.
if(ORA_PE_ARCH STREQUAL "x86")
  ora_pe_test(test_x86_abi test_x86_abi.c dial_util.c LIBS rasapi32_mingw_implib)
  target_include_directories(test_x86_abi PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/badinput)
  set_property(TEST pe.x86.test_x86_abi APPEND PROPERTY ENVIRONMENT "ORA_MANAGER_IDLE_MS=500")
endif()
