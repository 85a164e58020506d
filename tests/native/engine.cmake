# Engine tests (state machine, handle table, loop, simulated link).
ora_native_test(test_engine test_engine.c)
ora_native_test(test_handles test_handles.c)
ora_native_test(test_registry test_registry.c)
