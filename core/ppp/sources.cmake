# sources of core/ppp: the PPP client (framing, option automaton, LCP, IPCP, PAP,
# CHAP with MD5 and MS-CHAPv2) and the crypto piece of the OS layer it needs (the
# byte streams are in core/os/sources.cmake).
target_sources(ora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/hdlc.c
  ${CMAKE_CURRENT_LIST_DIR}/fsm.c
  ${CMAKE_CURRENT_LIST_DIR}/lcp.c
  ${CMAKE_CURRENT_LIST_DIR}/ipcp.c
  ${CMAKE_CURRENT_LIST_DIR}/pap.c
  ${CMAKE_CURRENT_LIST_DIR}/chap.c
  ${CMAKE_CURRENT_LIST_DIR}/mschap.c
  ${CMAKE_CURRENT_LIST_DIR}/secret.c
  ${CMAKE_CURRENT_LIST_DIR}/ppp.c
  ${CMAKE_CURRENT_LIST_DIR}/pppos.c)

if(WIN32)
  target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../os/win32_crypto.c)
  target_link_libraries(ora_core PUBLIC advapi32)
else()
  target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../os/posix_crypto.c)
  target_link_libraries(ora_core PUBLIC nettle)
endif()
