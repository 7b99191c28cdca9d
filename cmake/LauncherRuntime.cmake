# The launcher runtimes: for each target pyaket-cc packages for, a directory
# lib/pyaket-cc/<target>/ beside bin/ with what a launcher links against
# (the C library, its start files, compiler builtins, zstd's and xz's
# decoders compiled for the target) and the headers it compiles with. pyaket-cc finds them
# relative to itself, so package mode needs nothing of the host's toolchain.
#
# The inputs are Debian's packages (musl-dev; the arm64 ones unpacked by
# utils/fetch_target_runtimes.sh) and zstd's and xz's release sources fetched
# by utils/fetch_real_code.sh. A target whose inputs are missing is left out
# (pyaket-cc --list-targets says so).

set(PYAKET_TARGETS_DIR "$ENV{HOME}/.cache/pyaket-cc/targets" CACHE PATH
    "Where utils/fetch_target_runtimes.sh put the other targets' packages")
if(DEFINED ENV{PYAKET_TARGETS_DIR})
  set(PYAKET_TARGETS_DIR "$ENV{PYAKET_TARGETS_DIR}")
endif()
set(PYAKET_REAL_CODE_DIR "$ENV{HOME}/.cache/pyaket-cc/real-code" CACHE PATH
    "Where utils/fetch_real_code.sh put the real code bases (zstd's and xz's sources)")
if(DEFINED ENV{PYAKET_REAL_CODE_DIR})
  set(PYAKET_REAL_CODE_DIR "$ENV{PYAKET_REAL_CODE_DIR}")
endif()

find_program(PYAKET_RUNTIME_CC NAMES clang-19 clang HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)
find_program(PYAKET_RUNTIME_AR NAMES llvm-ar-19 llvm-ar HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)
find_program(PYAKET_RUNTIME_OBJCOPY NAMES llvm-objcopy-19 llvm-objcopy HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)

# pyaket_extract_sources(NAME TARBALL_GLOB VAR): the release sources of NAME,
# extracted once into the build directory; VAR is their top directory.
function(pyaket_extract_sources name tarball_glob var)
  file(GLOB tarball "${PYAKET_REAL_CODE_DIR}/${tarball_glob}")
  if(NOT tarball)
    message(FATAL_ERROR "${name}'s sources are not in ${PYAKET_REAL_CODE_DIR}: run utils/setup.sh")
  endif()
  set(dir ${CMAKE_BINARY_DIR}/${name}-source)
  if(NOT EXISTS ${dir}/.extracted)
    file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${dir})
    file(TOUCH ${dir}/.extracted)
  endif()
  file(GLOB top "${dir}/*")
  list(FILTER top EXCLUDE REGEX "/\\.extracted$")
  set(${var} ${top} PARENT_SCOPE)
endfunction()
pyaket_extract_sources(zstd "libzstd_*.orig.tar.*" PYAKET_ZSTD_SOURCE)
pyaket_extract_sources(xz "xz-utils_*.orig.tar.*" PYAKET_XZ_SOURCE)
set(PYAKET_ZSTD_LIB ${PYAKET_ZSTD_SOURCE}/lib)
set(PYAKET_LZMA_SOURCE ${PYAKET_XZ_SOURCE}/src)

set(PYAKET_RUNTIMES_DIR ${CMAKE_BINARY_DIR}/lib/pyaket-cc)
add_custom_target(pyaket-launcher-runtimes ALL)
install(DIRECTORY ${PYAKET_RUNTIMES_DIR} DESTINATION lib USE_SOURCE_PERMISSIONS)

# pyaket_add_runtime(TARGET TRIPLE INCLUDE BUILTINS LIBS...): the runtime of
# TARGET (clang's TRIPLE) from the C library's headers in INCLUDE, the start
# files and libraries LIBS, and the compiler builtins archive BUILTINS.
function(pyaket_add_runtime target triple include builtins)
  set(libs ${ARGN})
  foreach(input ${include} ${builtins} ${libs})
    if(NOT EXISTS ${input})
      message(STATUS "Launcher runtime ${target}: left out, ${input} is missing (utils/setup.sh)")
      return()
    endif()
  endforeach()
  set(out ${PYAKET_RUNTIMES_DIR}/${target})
  add_custom_command(
    OUTPUT ${out}/lib/libzstd.a ${out}/lib/liblzma.a
    COMMAND ${CMAKE_COMMAND} -DTRIPLE=${triple} -DINCLUDE=${include} "-DLIBS=${libs}"
            -DBUILTINS=${builtins} -DZSTD_LIB=${PYAKET_ZSTD_LIB}
            -DLZMA_SOURCE=${PYAKET_LZMA_SOURCE} -DLZMA_CONFIG=${PROJECT_SOURCE_DIR}/cmake/liblzma
            -DCC=${PYAKET_RUNTIME_CC}
            -DAR=${PYAKET_RUNTIME_AR} -DOBJCOPY=${PYAKET_RUNTIME_OBJCOPY}
            -DRESOURCE_DIR=${PYAKET_CLANG_RESOURCE_DIR} -DOUT=${out}
            -P ${PROJECT_SOURCE_DIR}/cmake/BuildLauncherRuntime.cmake
    DEPENDS ${PROJECT_SOURCE_DIR}/cmake/BuildLauncherRuntime.cmake
            ${PROJECT_SOURCE_DIR}/cmake/liblzma/config.h ${builtins} ${libs}
    COMMENT "Building the ${target} launcher runtime" VERBATIM)
  add_custom_target(pyaket-runtime-${target} DEPENDS ${out}/lib/libzstd.a ${out}/lib/liblzma.a)
  add_dependencies(pyaket-launcher-runtimes pyaket-runtime-${target})
endfunction()

# Linux: static musl (Debian's musl-dev; arm64's unpacked by
# utils/fetch_target_runtimes.sh) with compiler-rt's builtins.
set(compiler_rt lib/llvm-${LLVM_VERSION_MAJOR}/lib/clang/${LLVM_VERSION_MAJOR}/lib/linux)
foreach(spec "x86_64-linux;x86_64;/usr;/usr/${compiler_rt}"
             "aarch64-linux;aarch64;${PYAKET_TARGETS_DIR}/arm64/root/usr;${PYAKET_TARGETS_DIR}/arm64/root/usr/${compiler_rt}")
  list(GET spec 0 target)
  list(GET spec 1 arch)
  list(GET spec 2 musl)
  list(GET spec 3 builtins)
  set(lib ${musl}/lib/${arch}-linux-musl)
  pyaket_add_runtime(${target} ${arch}-linux-musl ${musl}/include/${arch}-linux-musl
    ${builtins}/libclang_rt.builtins-${arch}.a ${lib}/crt1.o ${lib}/crti.o ${lib}/crtn.o ${lib}/libc.a)
endforeach()

# Windows: mingw-w64's CRT (msvcrt) and import libraries, and libgcc for the
# builtins (Debian's mingw-w64 and gcc-mingw-w64-x86-64-win32).
set(mingw /usr/x86_64-w64-mingw32/lib)
file(GLOB mingw_gcc LIST_DIRECTORIES true /usr/lib/gcc/x86_64-w64-mingw32/*-win32)
if(NOT mingw_gcc)
  set(mingw_gcc /usr/lib/gcc/x86_64-w64-mingw32/missing-win32)
endif()
pyaket_add_runtime(x86_64-windows x86_64-w64-windows-gnu /usr/x86_64-w64-mingw32/include
  ${mingw_gcc}/libgcc.a ${mingw}/crt2.o ${mingw_gcc}/crtbegin.o ${mingw_gcc}/crtend.o
  ${mingw}/libmingw32.a ${mingw}/libmingwex.a ${mingw}/libmsvcrt.a ${mingw}/libmoldname.a
  ${mingw}/libkernel32.a ${mingw}/libadvapi32.a ${mingw}/libshell32.a ${mingw}/libuser32.a)
