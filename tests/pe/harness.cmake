# Issue 2: the DLL is ours, exports what it must, imports only system DLLs, and a
# program linked against mingw-w64's own import library binds to it.
ora_pe_test(test_identity test_identity.c LIBS rasapi32_mingw_implib version)

# mingw-w64's import library, not ours: that is what real programs link against.
add_library(rasapi32_mingw_implib INTERFACE)
target_link_libraries(rasapi32_mingw_implib INTERFACE -lrasapi32)

add_executable(link_all link_all.c)
target_link_libraries(link_all PRIVATE rasapi32_mingw_implib)
add_dependencies(link_all rasapi32)

ora_pe_check(exports ${CMAKE_CURRENT_SOURCE_DIR}/check-exports.sh $<TARGET_FILE:rasapi32>
             ${PROJECT_SOURCE_DIR}/def/exports.txt ${ORA_PE_ARCH})
ora_pe_check(dll_imports_system_only ${CMAKE_CURRENT_SOURCE_DIR}/check-imports.sh system
             $<TARGET_FILE:rasapi32>)
ora_pe_check(import_lib_binds ${CMAKE_CURRENT_SOURCE_DIR}/check-imports.sh resolves
             $<TARGET_FILE:link_all> $<TARGET_FILE:rasapi32>)
# docs/api-coverage.md lists what is implemented and what is a stub; it must match the code.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
ora_pe_check(api_coverage ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/gen-api-coverage.py
             --check)
