// Word-at-a-time primitives: eight bytes loaded as one integer and tested or transformed at once.
// They run where the byte order is known and outside constant evaluation; every caller keeps a
// byte loop beside them for the other cases.
#ifndef CORS_DETAIL_WORDS_HPP
#define CORS_DETAIL_WORDS_HPP

#include <cstdint>
#include <cstring>

namespace cors::detail {

/// Can word-at-a-time code run here? True at run time on little-endian GCC and Clang; false during
/// constant evaluation (no memcpy there) and on other compilers.
[[nodiscard]] constexpr bool words_at_run_time() noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return !__builtin_is_constant_evaluated();
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

}  // namespace cors::detail

#endif  // CORS_DETAIL_WORDS_HPP
