# The engine proper (connections, handles); the manager process and native tests link it.
target_sources(ora_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/handles.c
  ${CMAKE_CURRENT_LIST_DIR}/conn.c
  ${CMAKE_CURRENT_LIST_DIR}/engine.c)
