# The loop, state names, wiping and string helpers are shared by both processes; the engine proper is not.
target_sources(ora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/loop.c
  ${CMAKE_CURRENT_LIST_DIR}/states.c
  ${CMAKE_CURRENT_LIST_DIR}/wipe.c
  ${CMAKE_CURRENT_LIST_DIR}/text.c
  ${CMAKE_CURRENT_LIST_DIR}/registry.c
  ${CMAKE_CURRENT_LIST_DIR}/trace.c)
target_sources(ora_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/handles.c
  ${CMAKE_CURRENT_LIST_DIR}/conn.c
  ${CMAKE_CURRENT_LIST_DIR}/engine.c)
