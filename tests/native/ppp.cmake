# PPP client tests. The unit tests bring their own virtual-time loop
# (test_ppp_support.h), so they are deterministic and take milliseconds; the slirp
# test runs the real loop against a real PPP server over a pty.
ora_native_test(test_ppp_hdlc ${CMAKE_CURRENT_LIST_DIR}/test_ppp_hdlc.c)
ora_native_test(test_ppp_mschap ${CMAKE_CURRENT_LIST_DIR}/test_ppp_mschap.c)
ora_native_test(test_ppp_fsm ${CMAKE_CURRENT_LIST_DIR}/test_ppp_fsm.c)
ora_native_test(test_ppp_lcp ${CMAKE_CURRENT_LIST_DIR}/test_ppp_lcp.c)
ora_native_test(test_ppp_ipcp ${CMAKE_CURRENT_LIST_DIR}/test_ppp_ipcp.c)
ora_native_test(test_ppp_auth ${CMAKE_CURRENT_LIST_DIR}/test_ppp_auth.c)
ora_native_test(test_ppp_secret ${CMAKE_CURRENT_LIST_DIR}/test_ppp_secret.c)
ora_native_test_slirp(test_ppp_slirp ${CMAKE_CURRENT_LIST_DIR}/test_ppp_slirp.c)
