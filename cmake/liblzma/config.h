/* liblzma's config.h for the launcher runtimes (BuildLauncherRuntime.cmake):
   the .xz stream decoder with the LZMA2, x86 and ARM64 filters and the
   CRC32/CRC64 checks; no threads, no encoders, no assembly. */
#define HAVE_DECODER_LZMA2 1
#define HAVE_DECODER_X86 1
#define HAVE_DECODER_ARM64 1
#define HAVE_CHECK_CRC32 1
#define HAVE_CHECK_CRC64 1
#define HAVE_STDBOOL_H 1
#define HAVE__BOOL 1
#define HAVE_INTTYPES_H 1
#define HAVE_STDINT_H 1
#define HAVE_STRING_H 1
#define HAVE_LIMITS_H 1
#define HAVE_VISIBILITY 0
#define SIZEOF_SIZE_T 8
#define TUKLIB_FAST_UNALIGNED_ACCESS 1
#define PACKAGE_NAME "XZ Utils"
#define PACKAGE_URL "https://tukaani.org/xz/"
