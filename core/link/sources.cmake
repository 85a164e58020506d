target_sources(ora_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/registry.c
  ${CMAKE_CURRENT_LIST_DIR}/sim.c
  ${CMAKE_CURRENT_LIST_DIR}/hayes.c
  ${CMAKE_CURRENT_LIST_DIR}/link_config.c
  ${CMAKE_CURRENT_LIST_DIR}/chan_stream.c
  ${CMAKE_CURRENT_LIST_DIR}/chan_l2tp.c
  ${CMAKE_CURRENT_LIST_DIR}/modem.c
  ${CMAKE_CURRENT_LIST_DIR}/ppp_link.c)
