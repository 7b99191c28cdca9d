# cmake -P script (see LauncherRuntime.cmake): lays out one launcher runtime
# in OUT: include/ (the C library's headers, zstd.h and lzma.h), lib/ (LIBS:
# start files and libraries as they are; BUILTINS as libbuiltins.a; and
# zstd's and xz's decoders compiled here for TRIPLE with CC and archived with
# AR, deterministically).
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT}/lib ${OUT}/objects)
# -L: mingw-w64's include directory is links into /usr/share.
execute_process(COMMAND cp -RL ${INCLUDE} ${OUT}/include COMMAND_ERROR_IS_FATAL ANY)
file(COPY ${ZSTD_LIB}/zstd.h ${ZSTD_LIB}/zstd_errors.h ${LZMA_SOURCE}/liblzma/api/lzma.h
          ${LZMA_SOURCE}/liblzma/api/lzma DESTINATION ${OUT}/include)
file(COPY ${LIBS} DESTINATION ${OUT}/lib FOLLOW_SYMLINK_CHAIN)
# Debian strips its static libraries with objcopy, which leaves clang's
# address-significance tables stale: lld's --icf=safe (smallest) warns about
# each. Without the tables lld treats every symbol as address-significant.
execute_process(COMMAND ${OBJCOPY} --remove-section=.llvm_addrsig ${BUILTINS}
                        ${OUT}/lib/libbuiltins.a COMMAND_ERROR_IS_FATAL ANY)

# pyaket_archive(LIBRARY SOURCE_DIR SOURCES FLAGS...): SOURCES compiled for
# TRIPLE into lib/LIBRARY.
function(pyaket_archive library source_dir sources)
  set(objects)
  foreach(source ${sources})
    get_filename_component(name ${source} NAME_WE)
    set(object ${OUT}/objects/${library}-${name}.o)
    execute_process(
      COMMAND ${CC} --target=${TRIPLE} -nostdinc -isystem ${RESOURCE_DIR}/include
              -isystem ${OUT}/include -O2 -ffunction-sections -fdata-sections ${ARGN}
              -c ${source_dir}/${source} -o ${object}
      COMMAND_ERROR_IS_FATAL ANY)
    list(APPEND objects ${object})
  endforeach()
  execute_process(COMMAND ${AR} rcsD ${OUT}/lib/${library} ${objects} COMMAND_ERROR_IS_FATAL ANY)
endfunction()

# The decoders only: the launcher decompresses. zstd: no assembly (one C
# source for every target), no legacy formats, no tracing hooks.
pyaket_archive(libzstd.a ${ZSTD_LIB}
  "common/debug.c;common/entropy_common.c;common/error_private.c;common/fse_decompress.c;common/xxhash.c;common/zstd_common.c;decompress/huf_decompress.c;decompress/zstd_ddict.c;decompress/zstd_decompress.c;decompress/zstd_decompress_block.c"
  -DZSTD_DISABLE_ASM -DZSTD_LEGACY_SUPPORT=0 -DZSTD_NO_TRACE)
# xz: the .xz stream decoder (multi-threaded) with the LZMA2, x86 and ARM64
# filters and the CRC32/CRC64 checks, as LZMA_CONFIG/config.h says.
set(lzma ${LZMA_SOURCE}/liblzma)
pyaket_archive(liblzma.a ${lzma}
  "common/common.c;common/block_decoder.c;common/block_header_decoder.c;common/block_util.c;common/filter_common.c;common/filter_decoder.c;common/filter_flags_decoder.c;common/index.c;common/index_decoder.c;common/index_hash.c;common/stream_decoder.c;common/stream_decoder_mt.c;common/outqueue.c;common/hardware_cputhreads.c;common/stream_flags_common.c;common/stream_flags_decoder.c;common/vli_decoder.c;common/vli_size.c;check/check.c;check/crc32_fast.c;check/crc32_table.c;check/crc64_fast.c;check/crc64_table.c;lz/lz_decoder.c;lzma/lzma_decoder.c;lzma/lzma2_decoder.c;simple/simple_coder.c;simple/simple_decoder.c;simple/x86.c;simple/arm64.c;../common/tuklib_cpucores.c"
  -DHAVE_CONFIG_H -I${LZMA_CONFIG} -I${lzma}/api -I${lzma}/common -I${lzma}/check -I${lzma}/lz
  -I${lzma}/rangecoder -I${lzma}/lzma -I${lzma}/simple -I${lzma}/delta -I${LZMA_SOURCE}/common)
file(REMOVE_RECURSE ${OUT}/objects)
