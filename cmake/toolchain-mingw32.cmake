# Cross-build for i686 Windows with mingw-w64; PE tests run through Wine.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-w64-mingw32-gcc)
set(CMAKE_RC_COMPILER i686-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/i686-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Target Windows 7 APIs (SRW locks, condition variables); the DLL still serves older callers.
add_compile_definitions(_WIN32_WINNT=0x0601 WINVER=0x0601)
# Programs carry their own libgcc so they import nothing but system DLLs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# One wrapper for every Wine command: it also runs 32-bit programs where the kernel cannot.
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../scripts/ora-wine)
