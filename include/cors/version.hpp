// The one place the library's version is defined (CMake reads it from here).
#ifndef CORS_VERSION_HPP
#define CORS_VERSION_HPP

#define CORS_VERSION_MAJOR 0
#define CORS_VERSION_MINOR 2
#define CORS_VERSION_PATCH 0

#define CORS_DETAIL_STRINGIFY2(x) #x
#define CORS_DETAIL_STRINGIFY(x) CORS_DETAIL_STRINGIFY2(x)

namespace cors {

/// The library's version as `major.minor.patch`.
inline constexpr const char* version_string = CORS_DETAIL_STRINGIFY(CORS_VERSION_MAJOR) "." CORS_DETAIL_STRINGIFY(
    CORS_VERSION_MINOR) "." CORS_DETAIL_STRINGIFY(CORS_VERSION_PATCH);

}  // namespace cors

#endif  // CORS_VERSION_HPP
