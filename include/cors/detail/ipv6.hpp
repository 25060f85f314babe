// IPv6 host text as the URL Standard parses and serializes it: a request's `[…]` host is valid
// only in the canonical form a browser's URL serializer writes (RFC 5952: lowercase, no leading
// zeros, the first longest run of zero pieces compressed).
// @see https://url.spec.whatwg.org/#concept-ipv6-serializer
#ifndef CORS_DETAIL_IPV6_HPP
#define CORS_DETAIL_IPV6_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ascii.hpp"

namespace cors::detail {

/// Parses the text between the brackets of an IPv6 host into eight pieces (hex digits of either
/// case, at most one `::`, no embedded IPv4). Returns false if it is no IPv6 address at all.
[[nodiscard]] constexpr bool parse_ipv6_pieces(std::string_view s, std::array<std::uint16_t, 8>& pieces) noexcept {
  pieces = {};
  const std::size_t gap = s.find("::");
  std::string_view head = gap == std::string_view::npos ? s : s.substr(0, gap);
  std::string_view tail = gap == std::string_view::npos ? std::string_view{} : s.substr(gap + 2);
  if (gap != std::string_view::npos && tail.find("::") != std::string_view::npos) return false;
  std::array<std::uint16_t, 8> h{};
  std::array<std::uint16_t, 8> t{};
  std::size_t nh = 0;
  std::size_t nt = 0;
  auto read = [](std::string_view part, std::array<std::uint16_t, 8> & out, std::size_t & n) constexpr noexcept {
    if (part.empty()) return true;
    while (true) {
      const std::size_t colon = part.find(':');
      const std::string_view piece = part.substr(0, colon);
      if (piece.empty() || piece.size() > 4 || n == 8) return false;
      std::uint16_t v = 0;
      for (char c : piece) {
        int d = 0;
        if (is_digit(c))
          d = c - '0';
        else if (c >= 'a' && c <= 'f')
          d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
          d = c - 'A' + 10;
        else
          return false;
        v = static_cast<std::uint16_t>(v * 16 + d);
      }
      out[n++] = v;
      if (colon == std::string_view::npos) return true;
      part.remove_prefix(colon + 1);
    }
  };
  if (!read(head, h, nh) || !read(tail, t, nt)) return false;
  if (gap == std::string_view::npos) {
    if (nh != 8) return false;
  } else if (nh + nt > 7) {
    return false;
  }
  for (std::size_t i = 0; i < nh; ++i) pieces[i] = h[i];
  for (std::size_t i = 0; i < nt; ++i) pieces[8 - nt + i] = t[i];
  return true;
}

/// Writes the URL Standard's IPv6 serialization of `pieces` (lowercase, no leading zeros, the
/// first longest run of two or more zero pieces compressed) into `out`; returns its length.
/// @see https://url.spec.whatwg.org/#concept-ipv6-serializer
[[nodiscard]] constexpr std::size_t serialize_ipv6(const std::array<std::uint16_t, 8>& pieces,
                                                   std::array<char, 40>& out) noexcept {
  // "Let compress be an index to the first IPv6 piece in the first longest sequences of address's
  // IPv6 pieces that are 0. If there is no sequence of address's IPv6 pieces that are 0 that is
  // longer than 1, then set compress to null."
  std::size_t compress = 8;
  std::size_t best = 1;
  for (std::size_t i = 0; i < 8;) {
    if (pieces[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && pieces[j] == 0) ++j;
    if (j - i > best) {
      best = j - i;
      compress = i;
    }
    i = j;
  }
  std::size_t n = 0;
  bool ignore0 = false;
  for (std::size_t i = 0; i < 8; ++i) {
    if (ignore0 && pieces[i] == 0) continue;
    ignore0 = false;
    if (i == compress) {
      const char* sep = i == 0 ? "::" : ":";
      for (; *sep; ++sep) out[n++] = *sep;
      ignore0 = true;
      continue;
    }
    constexpr char hex[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int d = (pieces[i] >> shift) & 0xF;
      if (d != 0 || started || shift == 0) {
        out[n++] = hex[d];
        started = true;
      }
    }
    if (i != 7) out[n++] = ':';
  }
  return n;
}

/// `"[" serialized-ipv6 "]"`: the RFC 5952 canonical text the URL serializer produces.
[[nodiscard]] constexpr bool is_serialized_ipv6(std::string_view bracketed) noexcept {
  if (bracketed.size() < 4 || bracketed.front() != '[' || bracketed.back() != ']') return false;
  const std::string_view inner = bracketed.substr(1, bracketed.size() - 2);
  if (inner.size() > 39) return false;
  std::array<std::uint16_t, 8> pieces{};
  if (!parse_ipv6_pieces(inner, pieces)) return false;
  std::array<char, 40> canonical{};
  const std::size_t n = serialize_ipv6(pieces, canonical);
  return std::string_view(canonical.data(), n) == inner;
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_IPV6_HPP
