target_sources(ora_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/registry.c
  ${CMAKE_CURRENT_LIST_DIR}/sim.c
  ${CMAKE_CURRENT_LIST_DIR}/hayes.c
  ${CMAKE_CURRENT_LIST_DIR}/ppp_link.c)
