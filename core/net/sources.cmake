target_sources(ora_engine PRIVATE ${CMAKE_CURRENT_LIST_DIR}/dataplane.c)
