# Engine tests (state machine, handle table, loop, simulated link).
ora_native_test(test_engine test_engine.c)
ora_native_test(test_handles test_handles.c)
ora_native_test(test_registry test_registry.c)

# Every allocation of a phone-book edit and of a simulated dial made to fail in turn:
# the core's malloc, calloc and realloc go through the test's hook (issue 17).
ora_native_test(test_alloc_faults test_alloc_faults.c)
target_link_options(test_alloc_faults PRIVATE -Wl,--wrap=malloc -Wl,--wrap=calloc
                    -Wl,--wrap=realloc)
