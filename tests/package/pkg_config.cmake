# cmake -DPREFIX=<install prefix> -DCXX=<compiler> -DSOURCE=<main.cpp> -DOUT=<exe> -DVERSION=<x.y.z>
#       -P pkg_config.cmake
# A consumer compiled with nothing but `pkg-config --cflags cors` against the install prefix, then
# run. Prints "SKIPPED: pkg-config is not installed" (ctest: skipped) when it is not.
find_program(PKG_CONFIG NAMES pkg-config pkgconf)
if(NOT PKG_CONFIG)
  message("SKIPPED: pkg-config is not installed")
  return()
endif()
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig")
set(ENV{PKG_CONFIG_LIBDIR} "${PREFIX}/share/pkgconfig")  # only the scratch prefix
execute_process(COMMAND "${PKG_CONFIG}" --modversion cors
  RESULT_VARIABLE result OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT result EQUAL 0 OR NOT version STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config --modversion cors: '${version}' (${result}), expected ${VERSION}")
endif()
execute_process(COMMAND "${PKG_CONFIG}" --cflags cors
  RESULT_VARIABLE result OUTPUT_VARIABLE cflags OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags cors failed")
endif()
message(STATUS "pkg-config --cflags cors: ${cflags}")
file(REAL_PATH "${PREFIX}/include" expected)
if(NOT cflags MATCHES "-I" OR NOT EXISTS "${expected}/cors/cors.hpp")
  message(FATAL_ERROR "the flags do not name the prefix's include directory")
endif()
separate_arguments(cflags UNIX_COMMAND "${cflags}")
execute_process(COMMAND "${CXX}" -std=c++17 -Wall -Wextra -Werror ${cflags} "${SOURCE}" -o "${OUT}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "compiling with the pkg-config flags failed")
endif()
execute_process(COMMAND "${OUT}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer failed (${result})")
endif()
