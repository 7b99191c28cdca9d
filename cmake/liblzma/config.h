/* liblzma's config.h for the launcher runtimes (BuildLauncherRuntime.cmake):
   the .xz stream decoder, multi-threaded (blocks decode in parallel), with
   the LZMA2, x86 and ARM64 filters and the CRC32/CRC64 checks; no encoders,
   no assembly. */
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
#define TUKLIB_SYMBOL_PREFIX lzma_
#ifdef _WIN32
#define MYTHREAD_VISTA 1
#else
#define MYTHREAD_POSIX 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_CLOCK_MONOTONIC 1
#define HAVE_PTHREAD_CONDATTR_SETCLOCK 1
#define TUKLIB_CPUCORES_SYSCONF 1
#endif
