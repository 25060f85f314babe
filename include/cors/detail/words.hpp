// Word-at-a-time primitives: eight bytes loaded as one integer and tested or transformed at once.
// They run where the byte order is known and outside constant evaluation; every caller keeps a
// byte loop beside them for the other cases.
#ifndef CORS_DETAIL_WORDS_HPP
#define CORS_DETAIL_WORDS_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "macros.hpp"

namespace cors::detail {

/// Can word-at-a-time code run here? True at run time on little-endian GCC and Clang; false during
/// constant evaluation (no memcpy there) and on other compilers.
[[nodiscard]] constexpr bool words_at_run_time() noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return !constant_evaluated();
#else
  return false;
#endif
}

/// Eight bytes from `p`, as one word (native byte order).
[[nodiscard]] inline std::uint64_t load_word(const char* p) noexcept {
  std::uint64_t w = 0;
  std::memcpy(&w, p, 8);
  return w;
}

/// The index of the lowest set bit of `x` (not zero).
[[nodiscard]] inline unsigned lowest_bit(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(x));
#else
  unsigned n = 0;
  for (; (x & 1) == 0; x >>= 1) ++n;
  return n;
#endif
}

/// The index of the highest set bit of `x` (not zero).
[[nodiscard]] inline unsigned highest_bit(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return 63u - static_cast<unsigned>(__builtin_clzll(x));
#else
  unsigned n = 63;
  for (; (x >> n) == 0; --n) {
  }
  return n;
#endif
}

/// Lowercases the ASCII letters of eight bytes at once; other bytes are left alone.
[[nodiscard]] constexpr std::uint64_t lower_word(std::uint64_t x) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  const std::uint64_t heptets = x & (0x7F * ones);
  const std::uint64_t above_z = heptets + (0x7F - 'Z') * ones;  // high bit set where byte > 'Z'
  const std::uint64_t from_a = heptets + (0x80 - 'A') * ones;   // high bit set where byte >= 'A'
  const std::uint64_t ascii = ~x & (0x80 * ones);
  const std::uint64_t upper = ascii & (from_a ^ above_z);
  return x | (upper >> 2);
}

/// For eight bytes loaded little-endian: 0x80 in each byte that is `lower-alphanum / "-"`, 0 in
/// the others. Per-byte additions on 7-bit values cannot carry into the next byte.
[[nodiscard]] inline std::uint64_t lower_name_bytes(std::uint64_t w) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  const std::uint64_t h = w & (0x7F * ones);
  const std::uint64_t alpha = (h + (0x80 - 'a') * ones) & ~(h + (0x7F - 'z') * ones);
  const std::uint64_t digit = (h + (0x80 - '0') * ones) & ~(h + (0x7F - '9') * ones);
  const std::uint64_t dash = ~((h ^ ('-' * ones)) + 0x7F * ones);  // high bit set where the byte is `-`
  return (alpha | digit | dash) & ~w & (0x80 * ones);
}

/// The first eight bytes of `s`, or all of it packed into one word when it is shorter: for a given
/// length the packing is one-to-one, so two strings of the same length up to eight bytes are equal
/// exactly when their heads are. Fixed-size loads only (a variable-length memcpy is a library call).
[[nodiscard]] CORS_DETAIL_ALWAYS_INLINE std::uint64_t head_word(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t w = 0;
  if (n >= 8) {
    w = load_word(p);
  } else if (n >= 4) {
    std::uint32_t lo;
    std::uint32_t hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    w = lo | (std::uint64_t{hi} << 32);
  } else if (n > 0) {
    w = std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
        std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  return w;
}

/// `w`, ASCII-lowercased when CaseInsensitive.
template <bool CaseInsensitive>
[[nodiscard]] inline std::uint64_t fold_word(std::uint64_t w) noexcept {
  return CaseInsensitive ? lower_word(w) : w;
}

/// For two strings of the same size above eight bytes: are bytes 8… equal? Whole words, then the
/// last eight bytes (overlapping the previous word when the size is not a multiple of eight).
template <bool CaseInsensitive>
[[nodiscard]] inline bool equal_after_head(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  for (std::size_t i = 8; i + 8 < n; i += 8) {
    if (fold_word<CaseInsensitive>(load_word(a.data() + i)) != fold_word<CaseInsensitive>(load_word(b.data() + i))) {
      return false;
    }
  }
  return fold_word<CaseInsensitive>(load_word(a.data() + n - 8)) ==
         fold_word<CaseInsensitive>(load_word(b.data() + n - 8));
}

/// `a == b` (with CaseInsensitive, `iequals(a, b)`), eight bytes at a time and without a library
/// call: the strings compared per request (table keys, schemes, ports) are short, so a call to
/// memcmp would cost more than the comparison.
template <bool CaseInsensitive = false>
[[nodiscard]] CORS_DETAIL_ALWAYS_INLINE bool equal_bytes(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && fold_word<CaseInsensitive>(head_word(a)) == fold_word<CaseInsensitive>(head_word(b)) &&
         (a.size() <= 8 || equal_after_head<CaseInsensitive>(a, b));
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_WORDS_HPP
