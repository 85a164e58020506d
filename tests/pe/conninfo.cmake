ora_pe_test(test_conninfo test_conninfo.c LIBS rasapi32_mingw_implib)
# A program that loads rasapi32 with LoadLibrary and frees it mid-dial (links nothing of it).
ora_pe_test(test_dynamic_load test_dynamic_load.c)
