# RasGetErrorStringA/W: a message for every RAS code, sizes, and codes outside the range.
ora_pe_test(test_errors test_errors.c LIBS rasapi32_mingw_implib)
