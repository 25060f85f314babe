// Classifying a request path's first 64 bytes for cors::router: one bit per byte for each class
// of bytes the router's rules look at (`/`, `.`, and `? % \ ; #`), sixteen bytes at a time with
// SSE2 where the compiler offers it, one at a time elsewhere. The rules themselves (what a dot segment or a
// malformed escape is) are in router.hpp; they then run as a few bit operations on these masks,
// with no loop per byte or per slash. tests/router_test.cpp checks the SSE2 classification
// against the byte loop.
#ifndef CORS_DETAIL_PATH_SCAN_HPP
#define CORS_DETAIL_PATH_SCAN_HPP

#include <cstddef>
#include <cstdint>

#include "sse2.hpp"

namespace cors::detail {

/// Bit i of each mask describes byte i of the path.
struct path_masks {
  std::uint64_t slash = 0;  ///< `/`
  std::uint64_t dot = 0;    ///< `.`
  /// `?`, `%`, `\`, `;` or `#`: the query, an escape, or refused. One mask for the five: in
  /// nearly every path the first of them is the `?` or there is none.
  std::uint64_t special = 0;
};

/// Classifies the `n` (at most 64) bytes from `p`, one at a time.
[[nodiscard]] constexpr path_masks classify_path_bytes(const char* p, std::size_t n) noexcept {
  path_masks m;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    switch (p[i]) {
      case '/': m.slash |= bit; break;
      case '.': m.dot |= bit; break;
      case '?':
      case '%':
      case '\\':
      case ';':
      case '#': m.special |= bit; break;
      default: break;
    }
  }
  return m;
}

#if CORS_DETAIL_SSE2
/// path_masks of the sixteen bytes from `p`, shifted right by `skip` (bytes already classified)
/// and then left by `at` (where the block's first new byte is in the path).
inline void classify16_path(const char* p, unsigned skip, unsigned at, path_masks& m) noexcept {
  const auto bits = [skip, at](auto lanes) noexcept { return std::uint64_t{sse2::top_bits(lanes) >> skip} << at; };
  const sse2::bytes v = sse2::load16(p);
  m.slash |= bits(v == '/');
  m.dot |= bits(v == '.');
  m.special |= bits((v == '?') | (v == '%') | (v == '\\') | (v == ';') | (v == '#'));
}
#endif

/// Classifies the `n` (at most 64) bytes from `p`: with SSE2, sixteen at a time when there are
/// at least sixteen (the last block is the sixteen bytes that end at `p + n`, so no load leaves
/// the path), else one at a time.
[[nodiscard]] inline path_masks classify_path(const char* p, std::size_t n) noexcept {
#if CORS_DETAIL_SSE2
  if (n >= 16) {
    path_masks m;
    unsigned i = 0;
    for (; i + 16 <= n; i += 16) classify16_path(p + i, 0, i, m);
    if (i < n) classify16_path(p + n - 16, 16 - static_cast<unsigned>(n - i), i, m);
    return m;
  }
#endif
  return classify_path_bytes(p, n);
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_PATH_SCAN_HPP
