# OS layer: one implementation per platform, chosen at configure time.
if(WIN32)
  target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/win32_thread.c)
else()
  find_package(Threads REQUIRED)
  target_sources(ora_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/posix_thread.c)
  target_link_libraries(ora_core PUBLIC Threads::Threads)
endif()
