// ASCII helpers that never consult std::locale: header names, methods and origins are bytes.
#ifndef CORS_DETAIL_ASCII_HPP
#define CORS_DETAIL_ASCII_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "macros.hpp"
#include "words.hpp"

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
[[nodiscard]] CORS_DETAIL_ALWAYS_INLINE constexpr std::string_view trim_ows(std::string_view s) noexcept {
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

/// `iequals(s, lower)` for a lowercase `lower`, eight bytes at a time at run time: header names
/// are compared for every header line of every request.
[[nodiscard]] constexpr bool iequals_lower(std::string_view s, std::string_view lower) noexcept {
  const std::size_t n = s.size();
  if (n != lower.size()) return false;
  if (words_at_run_time()) {
    // Up to eight bytes: one packed word each (head_word packs equal lengths one-to-one). Longer:
    // whole words, then the last eight bytes (overlapping the previous word).
    if (n <= 8) return lower_word(head_word(s)) == head_word(lower);
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (lower_word(load_word(s.data() + i)) != load_word(lower.data() + i)) return false;
    }
    return lower_word(load_word(s.data() + n - 8)) == load_word(lower.data() + n - 8);
  }
  return iequals(s, lower);
}

/// A lowercase name prepared at compile time for `matches_lower`: the words a match loads from a
/// string of the name's size (as `iequals_lower` loads them: one packed `head_word` up to eight
/// bytes; beyond, whole words and the last eight bytes), and in each word 0x20 at the bytes that
/// are letters. ORing 0x20 into a letter's byte lowercases it and maps no other byte onto a
/// lowercase letter, so one OR and one comparison per word match ignoring case, with no
/// lowercasing arithmetic (`lower_word`) at run time.
struct lower_name {
  static constexpr std::size_t max_words = 8;
  std::string_view name;
  std::array<std::uint64_t, max_words> words{};
  std::array<std::uint64_t, max_words> letters{};
};

/// Where word `w` of a `lower_name` of `n` bytes (n >= 8) starts in the string: `w * 8`, the last
/// word at `n - 8` (overlapping the previous one when `n` is not a multiple of eight). The one
/// layout `make_lower_name` builds and `matches_lower` loads.
[[nodiscard]] constexpr std::size_t lower_name_offset(std::size_t n, std::size_t w) noexcept {
  return w * 8 + 8 <= n ? w * 8 : n - 8;
}

/// The words of a lowercase `name` (at most 64 bytes); constant-evaluated (the bytes are shifted
/// into place one by one, little-endian, as `load_word` reads them).
[[nodiscard]] constexpr lower_name make_lower_name(std::string_view name) noexcept {
  lower_name p{};
  p.name = name;
  const std::size_t n = name.size();
  const auto put = [&p, name](std::size_t word, std::size_t byte, std::size_t from) {
    const char c = name[from];
    p.words[word] |= std::uint64_t{static_cast<unsigned char>(c)} << (8 * byte);
    if (is_lower_alpha(c)) p.letters[word] |= std::uint64_t{0x20} << (8 * byte);
  };
  if (n >= 8) {
    for (std::size_t w = 0; w * 8 < n; ++w) {
      const std::size_t at = lower_name_offset(n, w);
      for (std::size_t b = 0; b < 8; ++b) put(w, b, at + b);
    }
  } else if (n >= 4) {
    for (std::size_t b = 0; b < 4; ++b) put(0, b, b);
    for (std::size_t b = 0; b < 4; ++b) put(0, 4 + b, n - 4 + b);
  } else if (n > 0) {
    put(0, 0, 0);
    put(0, 1, n / 2);
    put(0, 2, n - 1);
  }
  return p;
}

template <const lower_name& Name, std::size_t... W>
[[nodiscard]] CORS_DETAIL_ALWAYS_INLINE bool words_match_lower(const char* s, std::index_sequence<W...>) noexcept {
  constexpr std::size_t n = Name.name.size();
  // Every word is compared (no branch per word): names of one length rarely share a prefix.
  return ((((load_word(s + lower_name_offset(n, W)) | Name.letters[W]) ^ Name.words[W]) | ...) == 0);
}

/// `iequals_lower(s, Name.name)` for a `Name` made by `make_lower_name`: at run time one load, OR
/// and comparison per word, inlined with the name's words as constants (add_header compares every
/// header line's name with one of its names).
template <const lower_name& Name>
[[nodiscard]] CORS_DETAIL_ALWAYS_INLINE constexpr bool matches_lower(std::string_view s) noexcept {
  constexpr std::size_t n = Name.name.size();
  static_assert(n <= 8 * lower_name::max_words, "a lower_name holds at most 64 bytes");
  if (s.size() != n) return false;
  if (!words_at_run_time()) return iequals(s, Name.name);
  if constexpr (n <= 8) {
    return (head_word(s) | Name.letters[0]) == Name.words[0];
  } else {
    return words_match_lower<Name>(s.data(), std::make_index_sequence<(n + 7) / 8>{});
  }
}

/// Byte-case-insensitive prefix test; `prefix` must be lowercase.
[[nodiscard]] constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

/// Does any byte of `s` satisfy `pred`?
template <class Pred>
[[nodiscard]] constexpr bool any_byte(std::string_view s, Pred pred) noexcept {
  for (char c : s) {
    if (pred(c)) return true;
  }
  return false;
}

[[nodiscard]] constexpr bool has_upper(std::string_view s) noexcept { return any_byte(s, is_upper_alpha); }

[[nodiscard]] constexpr bool is_ascii(std::string_view s) noexcept {
  return !any_byte(s, [](char c) noexcept { return static_cast<unsigned char>(c) >= 0x80; });
}

/// True when `s` contains a byte that would split or truncate an HTTP header line.
[[nodiscard]] constexpr bool has_cr_lf_or_nul(std::string_view s) noexcept {
  return any_byte(s, [](char c) noexcept { return c == '\r' || c == '\n' || c == '\0'; });
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

#endif  // CORS_DETAIL_ASCII_HPP
