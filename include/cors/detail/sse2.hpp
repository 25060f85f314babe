// The few SSE2 operations the byte scanners use (host_scan.hpp, path_scan.hpp), reached through
// GCC's and Clang's vector extensions so that no user's build includes <emmintrin.h>. Every
// x86-64 processor has SSE2; elsewhere CORS_DETAIL_SSE2 is 0 and the scanners loop over bytes.
#ifndef CORS_DETAIL_SSE2_HPP
#define CORS_DETAIL_SSE2_HPP

#include <cstring>

// Left defined (not #undef'd after use): both scanners test it, and this header is read once.
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define CORS_DETAIL_SSE2 1
#else
#define CORS_DETAIL_SSE2 0
#endif

#if CORS_DETAIL_SSE2
namespace cors::detail::sse2 {

using bytes = unsigned char __attribute__((vector_size(16)));
using signed_bytes = signed char __attribute__((vector_size(16)));
using chars = char __attribute__((vector_size(16)));  // what the builtin takes

/// A bit copy between vector types of one size (a memcpy the compiler removes), where a C cast
/// would be the only other spelling.
template <class To, class From>
[[nodiscard]] inline To bit_as(const From& from) noexcept {
  static_assert(sizeof(To) == sizeof(From), "bit copies keep the size");
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

/// The sixteen bytes from `p` (no alignment needed).
[[nodiscard]] inline bytes load16(const char* p) noexcept {
  bytes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

/// Bit i is set when lane i of a comparison's result is true (all ones).
template <class Mask>
[[nodiscard]] inline unsigned top_bits(const Mask& m) noexcept {
  return static_cast<unsigned>(__builtin_ia32_pmovmskb128(bit_as<chars>(m)));
}

}  // namespace cors::detail::sse2
#endif

#endif  // CORS_DETAIL_SSE2_HPP
