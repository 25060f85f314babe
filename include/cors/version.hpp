// The one place the library's version is defined (CMake reads it from here).
#ifndef CORS_VERSION_HPP
#define CORS_VERSION_HPP

#define CORS_VERSION_MAJOR 0
#define CORS_VERSION_MINOR 1
#define CORS_VERSION_PATCH 0

namespace cors {

/// The library's version as `major.minor.patch`.
inline constexpr const char* version_string = "0.1.0";

}  // namespace cors

#endif  // CORS_VERSION_HPP
