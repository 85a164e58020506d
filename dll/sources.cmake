# sources of dll/ beyond main.c and the generated stubs.c
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/dial.c ${CMAKE_CURRENT_LIST_DIR}/notify.c
               ${CMAKE_CURRENT_LIST_DIR}/rdp_layout.c
               ${CMAKE_CURRENT_LIST_DIR}/engine_client.c ${CMAKE_CURRENT_LIST_DIR}/strconv.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/enum.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/connnotify.c ${CMAKE_CURRENT_LIST_DIR}/stats.c ${CMAKE_CURRENT_LIST_DIR}/entryconn.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/errors.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/projection.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/pbk_access.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/entries.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/entry_props.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/credstore.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/dialparams.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/devices.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/autodial.c)
target_link_libraries(rasapi32 PRIVATE crypt32 bcrypt)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/subentry.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/alternates.c)
target_sources(rasapi32 PRIVATE ${CMAKE_CURRENT_LIST_DIR}/authdata.c)
