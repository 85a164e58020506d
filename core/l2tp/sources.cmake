# L2TP (RFC 2661): the access concentrator of a VPN link's channel.
target_sources(ora_engine PRIVATE ${CMAKE_CURRENT_LIST_DIR}/l2tp.c)
