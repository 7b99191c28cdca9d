# cmake -P script (see LauncherRuntime.cmake): lays out one launcher runtime
# in OUT: include/ (the C library's headers and zstd.h), lib/ (LIBS: start
# files and libraries as they are; BUILTINS as libbuiltins.a; and zstd's
# decoder compiled here for TRIPLE with CC and archived with AR,
# deterministically).
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT}/lib ${OUT}/objects)
# -L: mingw-w64's include directory is links into /usr/share.
execute_process(COMMAND cp -RL ${INCLUDE} ${OUT}/include COMMAND_ERROR_IS_FATAL ANY)
file(COPY ${ZSTD_LIB}/zstd.h ${ZSTD_LIB}/zstd_errors.h DESTINATION ${OUT}/include)
file(COPY ${LIBS} DESTINATION ${OUT}/lib FOLLOW_SYMLINK_CHAIN)
# Debian strips its static libraries with objcopy, which leaves clang's
# address-significance tables stale: lld's --icf=safe (smallest) warns about
# each. Without the tables lld treats every symbol as address-significant.
execute_process(COMMAND ${OBJCOPY} --remove-section=.llvm_addrsig ${BUILTINS}
                        ${OUT}/lib/libbuiltins.a COMMAND_ERROR_IS_FATAL ANY)

# The decoder only: the launcher decompresses. No assembly (one C source for
# every target), no legacy formats, no tracing hooks.
set(sources
  common/debug.c common/entropy_common.c common/error_private.c common/fse_decompress.c
  common/xxhash.c common/zstd_common.c decompress/huf_decompress.c decompress/zstd_ddict.c
  decompress/zstd_decompress.c decompress/zstd_decompress_block.c)
set(objects)
foreach(source ${sources})
  get_filename_component(name ${source} NAME_WE)
  set(object ${OUT}/objects/${name}.o)
  execute_process(
    COMMAND ${CC} --target=${TRIPLE} -nostdinc -isystem ${RESOURCE_DIR}/include
            -isystem ${OUT}/include -O2 -ffunction-sections -fdata-sections
            -DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0 -DZSTD_NO_TRACE
            -c ${ZSTD_LIB}/${source} -o ${object}
    COMMAND_ERROR_IS_FATAL ANY)
  list(APPEND objects ${object})
endforeach()
execute_process(COMMAND ${AR} rcsD ${OUT}/lib/libzstd.a ${objects} COMMAND_ERROR_IS_FATAL ANY)
file(REMOVE_RECURSE ${OUT}/objects)
