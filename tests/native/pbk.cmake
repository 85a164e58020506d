# Phone book module (core/pbk): parse/serialize round trips, queries, edits, malformed
# input, and load/save/update through the OS layer. Reads tests/data/pbk/ via ORA_TEST_DATA.
ora_native_test(test_pbk test_pbk.c)
ora_native_test(test_pbk_lines test_pbk_lines.c)
ora_native_test(test_pbk_concurrent test_pbk_concurrent.c)
