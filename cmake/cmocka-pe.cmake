# cmocka for PE tests: Debian has no mingw build of it, so compile its one source
# file from Debian's source package (scripts/fetch-cmocka-source.sh).
set(ORA_DEPS_DIR ${PROJECT_SOURCE_DIR}/build/_deps)
file(GLOB ORA_CMOCKA_SRC ${ORA_DEPS_DIR}/cmocka-*/src/cmocka.c)
if(NOT ORA_CMOCKA_SRC)
  execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/fetch-cmocka-source.sh ${ORA_DEPS_DIR}
                  RESULT_VARIABLE ORA_FETCH_RC)
  file(GLOB ORA_CMOCKA_SRC ${ORA_DEPS_DIR}/cmocka-*/src/cmocka.c)
  if(NOT ORA_CMOCKA_SRC)
    message(FATAL_ERROR "could not fetch cmocka's source (scripts/fetch-cmocka-source.sh: ${ORA_FETCH_RC})")
  endif()
endif()
list(GET ORA_CMOCKA_SRC 0 ORA_CMOCKA_SRC)
get_filename_component(ORA_CMOCKA_ROOT ${ORA_CMOCKA_SRC} DIRECTORY)
get_filename_component(ORA_CMOCKA_ROOT ${ORA_CMOCKA_ROOT} DIRECTORY)

add_library(cmocka_pe STATIC ${ORA_CMOCKA_SRC})
target_include_directories(cmocka_pe PUBLIC ${ORA_CMOCKA_ROOT}/include)
target_compile_definitions(cmocka_pe PRIVATE HAVE_MALLOC_H HAVE_INTTYPES_H HAVE_SIGNAL_H
                           HAVE_STRINGS_H HAVE_GCC_THREAD_LOCAL_STORAGE HAVE_STRUCT_TIMESPEC)
# Third-party code: its warnings are not ours to fix.
target_compile_options(cmocka_pe PRIVATE -w)
