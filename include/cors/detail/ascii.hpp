// ASCII helpers that never consult std::locale: header names, methods and origins are bytes.
#ifndef CORS_DETAIL_ASCII_HPP
#define CORS_DETAIL_ASCII_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

// CORS_DETAIL_NOINLINE keeps a cold or bulky path out of the hot function that calls it, so that
// the caller stays small and does not save registers it only needs on that path;
// CORS_DETAIL_ALWAYS_INLINE marks such a small caller, which compilers otherwise leave out of line
// in a large request-path function (whose inlining budget is spent).
#if defined(__GNUC__) || defined(__clang__)
#define CORS_DETAIL_NOINLINE __attribute__((noinline))
#define CORS_DETAIL_ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define CORS_DETAIL_NOINLINE __declspec(noinline)
#define CORS_DETAIL_ALWAYS_INLINE __forceinline
#else
#define CORS_DETAIL_NOINLINE
#define CORS_DETAIL_ALWAYS_INLINE inline
#endif

namespace cors::detail {

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
[[nodiscard]] constexpr bool is_lower_alpha(char c) noexcept { return c >= 'a' && c <= 'z'; }
[[nodiscard]] constexpr bool is_upper_alpha(char c) noexcept { return c >= 'A' && c <= 'Z'; }
[[nodiscard]] constexpr bool is_alpha(char c) noexcept { return is_lower_alpha(c) || is_upper_alpha(c); }
[[nodiscard]] constexpr bool is_lower_hex(char c) noexcept { return is_digit(c) || (c >= 'a' && c <= 'f'); }

[[nodiscard]] constexpr char to_lower(char c) noexcept {
  return is_upper_alpha(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Byte classes, one table lookup per byte on the request path (a chain of comparisons per byte
/// costs several times more).
enum char_class : unsigned char {
  cc_tchar = 1,           ///< RFC 9110 `tchar`
  cc_lower_alphanum = 2,  ///< Fetch's `lower-alphanum`
  cc_scheme = 4,          ///< `lower-alphanum / "+" / "-" / "."` (serialized-scheme after its first byte)
  cc_lower_name = 8,      ///< `lower-alphanum / "-"`: domain labels, and header names as browsers send them
};

// A literal, not computed by a constexpr loop: evaluating one costs every translation unit that
// includes the library tens of milliseconds. tests/ascii_test.cpp recomputes it from the
// definitions above.
inline constexpr std::array<unsigned char, 256> char_classes{{
    0,  0,  0,  0,  0,  0,  0,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  1,  0,  1,  1, 1, 1, 1,  0,  0,  1,  5,  0,  13, 5,  0,  15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
    0,  0,  0,  0,  0,  0,  0,  1, 1, 1, 1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
    1,  1,  1,  1,  0,  0,  0,  1, 1, 1, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15,
    15, 15, 15, 15, 15, 15, 15, 0, 1, 0, 1,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0, 0, 0, 0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
}};

[[nodiscard]] constexpr bool has_class(char c, char_class cls) noexcept {
  return (char_classes[static_cast<unsigned char>(c)] & cls) != 0;
}

// Word-at-a-time code (eight bytes per step) runs where the byte order is known and outside
// constant evaluation; elsewhere the byte loops beside it do the same work.
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CORS_DETAIL_WORDS_AT_RUN_TIME (!__builtin_is_constant_evaluated())
#else
#define CORS_DETAIL_WORDS_AT_RUN_TIME false
#endif

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

/// Skips the `lower-alphanum / "-"` bytes from `p`, stopping at `last` or the first other byte.
/// Eight bytes at a time where the platform allows (hosts and header names are mostly such bytes).
[[nodiscard]] constexpr const char* skip_lower_name(const char* p, const char* last) noexcept {
  if (CORS_DETAIL_WORDS_AT_RUN_TIME) {
    while (last - p >= 8) {
      const std::uint64_t other = ~lower_name_bytes(load_word(p)) & 0x8080808080808080ULL;
      if (other != 0) return p + lowest_bit(other) / 8;  // little-endian: the lowest byte comes first
      p += 8;
    }
  }
  while (p != last && has_class(*p, cc_lower_name)) ++p;
  return p;
}

/// Does [p, last) start with `https://`?
[[nodiscard]] constexpr bool starts_with_https(const char* p, const char* last) noexcept {
  constexpr std::string_view https = "https://";
  if (last - p < 8) return false;
  if (CORS_DETAIL_WORDS_AT_RUN_TIME) return load_word(p) == load_word(https.data());
  return std::string_view(p, 8) == https;
}

/// RFC 9110 `tchar`: the bytes of a `token` (methods, header names).
[[nodiscard]] constexpr bool is_tchar(char c) noexcept { return has_class(c, cc_tchar); }

[[nodiscard]] constexpr bool is_lower_alphanum(char c) noexcept { return has_class(c, cc_lower_alphanum); }

/// RFC 9110 `token = 1*tchar`; Fetch's `method` and `field-name` productions are tokens.
[[nodiscard]] constexpr bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

/// https://fetch.spec.whatwg.org/#http-tab-or-space
[[nodiscard]] constexpr bool is_http_tab_or_space(char c) noexcept { return c == ' ' || c == '\t'; }

/// https://fetch.spec.whatwg.org/#http-whitespace
[[nodiscard]] constexpr bool is_http_whitespace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Strips leading and trailing HTTP tab or space (the OWS of RFC 9110).
[[nodiscard]] constexpr std::string_view trim_ows(std::string_view s) noexcept {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_http_tab_or_space(s[b])) ++b;
  while (e > b && is_http_tab_or_space(s[e - 1])) --e;
  return std::string_view(s.data() + b, e - b);  // not substr(): its range check blocks inlining
}

/// Strips leading and trailing HTTP whitespace (as "parse a MIME type" does).
[[nodiscard]] constexpr std::string_view trim_http_whitespace(std::string_view s) noexcept {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_http_whitespace(s[b])) ++b;
  while (e > b && is_http_whitespace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

/// https://infra.spec.whatwg.org/#byte-case-insensitive
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
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

/// `iequals(s, lower)` for a lowercase `lower`, eight bytes at a time at run time: header names
/// are compared for every header line of every request.
[[nodiscard]] constexpr bool iequals_lower(std::string_view s, std::string_view lower) noexcept {
  const std::size_t n = s.size();
  if (n != lower.size()) return false;
  if (n >= 8 && CORS_DETAIL_WORDS_AT_RUN_TIME) {
    // Whole words, then the last eight bytes (overlapping the previous word).
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (lower_word(load_word(s.data() + i)) != load_word(lower.data() + i)) return false;
    }
    return lower_word(load_word(s.data() + n - 8)) == load_word(lower.data() + n - 8);
  }
  return iequals(s, lower);
}

/// Byte-case-insensitive prefix test; `prefix` must be lowercase.
[[nodiscard]] constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

[[nodiscard]] constexpr bool has_upper(std::string_view s) noexcept {
  for (char c : s) {
    if (is_upper_alpha(c)) return true;
  }
  return false;
}

[[nodiscard]] constexpr bool is_ascii(std::string_view s) noexcept {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

/// True when `s` contains a byte that would split or truncate an HTTP header line.
[[nodiscard]] constexpr bool has_cr_lf_or_nul(std::string_view s) noexcept {
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return true;
  }
  return false;
}

/// Parses a decimal number of at most `max_digits` digits without leading zeros ("0" itself is
/// fine). Returns -1 on anything else. Never overflows: the digit count is bounded.
[[nodiscard]] constexpr long parse_canonical_decimal(std::string_view s, std::size_t max_digits) noexcept {
  if (s.empty() || s.size() > max_digits) return -1;
  if (s.size() > 1 && s[0] == '0') return -1;
  long v = 0;
  for (char c : s) {
    if (!is_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace cors::detail

#undef CORS_DETAIL_WORDS_AT_RUN_TIME

#endif  // CORS_DETAIL_ASCII_HPP
