ora_native_test(test_proto test_proto.c)
