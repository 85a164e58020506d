# sources of core/pbk: the rasphone.pbk model (pbk.c: lines, parse, serialize; pbk_edit.c:
# queries and edits; pbk_file.c: load/save/update through the OS layer).
target_sources(ora_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/pbk.c
  ${CMAKE_CURRENT_LIST_DIR}/pbk_edit.c
  ${CMAKE_CURRENT_LIST_DIR}/pbk_file.c)
