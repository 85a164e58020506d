# OS layer: one implementation per platform, chosen at configure time.
if(WIN32)
  target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/win32_thread.c)
  target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/win32_pipe.c
                                  ${CMAKE_CURRENT_LIST_DIR}/win32_lane.c
                                  ${CMAKE_CURRENT_LIST_DIR}/win32_host.c)
  target_link_libraries(ora_core PUBLIC bcrypt advapi32)
else()
  find_package(Threads REQUIRED)
  target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/posix_thread.c)
  target_link_libraries(ora_core PUBLIC Threads::Threads)
endif()

# Byte streams (serial ports, TCP) for the link drivers: only the engine needs them.
target_sources(ora_engine PRIVATE ${CMAKE_CURRENT_LIST_DIR}/ports.c
                                  ${CMAKE_CURRENT_LIST_DIR}/stream_common.c)
if(WIN32)
  target_sources(ora_engine PRIVATE ${CMAKE_CURRENT_LIST_DIR}/win32_stream.c)
  target_link_libraries(ora_engine PUBLIC ws2_32)
else()
  target_sources(ora_engine PRIVATE ${CMAKE_CURRENT_LIST_DIR}/posix_stream.c)
endif()
