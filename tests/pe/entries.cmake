# Issue 6 (phone-book part): entries, properties, dial parameters and credentials,
# devices, countries and AutoDial settings. Each program uses its own phone books in
# the temp folder.
foreach(t test_entries test_entries_creds test_entries_misc test_pbk_concurrent test_subentries
          test_authdata)
  ora_pe_test(${t} ${t}.c LIBS rasapi32_mingw_implib crypt32 advapi32)
endforeach()
