# core/base: what every part of OpenRAS may use (the loop, string helpers, the id-keyed
# registry, growing arrays, tracing, state names, wiping); it includes nothing of the
# core above it but the OS layer's threads and clock (openras/os.h).
target_sources(ora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/loop.c
  ${CMAKE_CURRENT_LIST_DIR}/states.c
  ${CMAKE_CURRENT_LIST_DIR}/wipe.c
  ${CMAKE_CURRENT_LIST_DIR}/text.c
  ${CMAKE_CURRENT_LIST_DIR}/registry.c
  ${CMAKE_CURRENT_LIST_DIR}/grow.c
  ${CMAKE_CURRENT_LIST_DIR}/check.c
  ${CMAKE_CURRENT_LIST_DIR}/trace.c)
