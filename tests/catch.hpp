// Catch2 v2 (Debian's 2.13, single header) or v3, whichever the build found.
#ifndef CORS_TESTS_CATCH_HPP
#define CORS_TESTS_CATCH_HPP

#if defined(CORS_CATCH2_V3)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

#endif  // CORS_TESTS_CATCH_HPP
