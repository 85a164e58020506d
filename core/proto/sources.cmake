target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/proto.c)
