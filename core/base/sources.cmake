# core/base: what every part of OpenRAS may use (the loop, string helpers, the id-keyed
# registry, tracing, state names, wiping); it includes nothing of the core above it.
target_sources(ora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/loop.c
  ${CMAKE_CURRENT_LIST_DIR}/states.c
  ${CMAKE_CURRENT_LIST_DIR}/wipe.c
  ${CMAKE_CURRENT_LIST_DIR}/text.c
  ${CMAKE_CURRENT_LIST_DIR}/registry.c
  ${CMAKE_CURRENT_LIST_DIR}/trace.c)
