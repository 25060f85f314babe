// Scanning a host's domain labels fast: eight bytes at a time (SWAR) everywhere, sixteen at a time
// with SSE2 where the compiler offers it. The grammar itself (`domain-label`, `serialized-domain`)
// is in origin.hpp; these functions only find where the labels end, and are tested against byte
// loops that follow the grammar literally (tests/origin_test.cpp).
#ifndef CORS_DETAIL_HOST_SCAN_HPP
#define CORS_DETAIL_HOST_SCAN_HPP

#include <cstdint>
#include <string_view>

#include "ascii.hpp"
#include "macros.hpp"
#include "sse2.hpp"
#include "words.hpp"

namespace cors::detail {

/// Skips the `lower-alphanum / "-"` bytes from `p`, stopping at `last` or the first other byte.
/// Eight bytes at a time where the platform allows (hosts and header names are mostly such bytes).
[[nodiscard]] constexpr const char* skip_lower_name(const char* p, const char* last) noexcept {
  if (words_at_run_time()) {
    while (last - p >= 8) {
      const std::uint64_t other = ~lower_name_bytes(load_word(p)) & 0x8080808080808080ULL;
      if (other != 0) return p + lowest_bit(other) / 8;  // little-endian: the lowest byte comes first
      p += 8;
    }
  }
  while (p != last && has_class(*p, cc_lower_name)) ++p;
  return p;
}

/// Does [p, last) start with `https://`? (Most origins do: one comparison, not a loop.)
[[nodiscard]] constexpr bool starts_with_https(const char* p, const char* last) noexcept {
  constexpr std::string_view https = "https://";
  if (last - p < 8) return false;
  if (words_at_run_time()) return load_word(p) == load_word(https.data());
  return std::string_view(p, 8) == https;
}

/// Reads `*( domain-label "." ) domain-label` from `p` up to `last` or the first byte that is neither
/// a label byte nor a `.`, and returns where it stopped; `label` is then where the last label
/// starts. Returns null if a label is empty or starts or ends with `-`.
/// `domain-label = lower-alphanum / ( lower-alphanum *( lower-alphanum / "-" ) lower-alphanum )`
[[nodiscard]] constexpr const char* scan_domain_labels(const char* p, const char* last, const char*& label) noexcept {
  label = p;
  while (true) {
    p = skip_lower_name(p, last);  // a label's bytes; its first and last are checked once, here
    if (p == label || *label == '-' || p[-1] == '-') return nullptr;
    if (p == last || *p != '.') return p;
    label = ++p;
  }
}

/// Bit i of each mask describes byte i of sixteen.
struct host_byte_masks {
  unsigned host = 0;  ///< `lower-alphanum`, `-` or `.`: a byte a serialized domain may hold
  unsigned dot = 0;
  unsigned dash = 0;
};

/// Classifies the sixteen bytes from `p`, one at a time (where there is no SSE2).
[[nodiscard]] constexpr host_byte_masks classify16_bytes(const char* p) noexcept {
  host_byte_masks m;
  for (unsigned i = 0; i < 16; ++i) {
    m.host |= static_cast<unsigned>(has_class(p[i], cc_lower_name) || p[i] == '.') << i;
    m.dot |= static_cast<unsigned>(p[i] == '.') << i;
    m.dash |= static_cast<unsigned>(p[i] == '-') << i;
  }
  return m;
}

/// Classifies the sixteen bytes from `p`.
[[nodiscard]] inline host_byte_masks classify16(const char* p) noexcept {
#if CORS_DETAIL_SSE2
  host_byte_masks m;
  // Is each byte in [lo, lo + n)? Subtracting lo wraps the range onto [0, n); moved down by 128 it
  // is [-128, -128 + n), below everything else: one signed comparison.
  const auto in_range = [](sse2::bytes v, unsigned char lo, int n) noexcept {
    return sse2::bit_as<sse2::signed_bytes>(v + static_cast<unsigned char>(0x80 - lo)) <
           static_cast<signed char>(-128 + n);
  };
  const sse2::bytes v = sse2::load16(p);
  const auto dot = sse2::bit_as<sse2::signed_bytes>(v == '.');
  const auto dash = sse2::bit_as<sse2::signed_bytes>(v == '-');
  m.host = sse2::top_bits(sse2::bit_as<sse2::signed_bytes>(in_range(v, 'a', 26) | in_range(v, '0', 10)) | dot | dash);
  m.dot = sse2::top_bits(dot);
  m.dash = sse2::top_bits(dash);
  return m;
#else
  return classify16_bytes(p);
#endif
}

/// scan_domain_labels() for a host shorter than 64 bytes, [host, last), whose value has at least
/// sixteen bytes up to `last` (every block read lies inside it): the bytes are classified sixteen at
/// a time into masks, and the end of the host and every label are then checked with a few bit
/// operations on them, with no loop per label.
[[nodiscard]] inline const char* scan_domain_labels_masked(const char* host, const char* last,
                                                           const char*& label) noexcept {
  const auto n = static_cast<unsigned>(last - host);  // < 64
  std::uint64_t ok = 0;
  std::uint64_t dot = 0;
  std::uint64_t dash = 0;
  unsigned i = 0;
  for (; i + 16 <= n; i += 16) {
    const host_byte_masks m = classify16(host + i);
    ok |= std::uint64_t{m.host} << i;
    dot |= std::uint64_t{m.dot} << i;
    dash |= std::uint64_t{m.dash} << i;
  }
  if (i < n) {  // the rest: the sixteen bytes that end at `last`, without those already seen
    const host_byte_masks m = classify16(last - 16);
    const unsigned seen = 16 - (n - i);
    ok |= std::uint64_t{m.host >> seen} << i;
    dot |= std::uint64_t{m.dot >> seen} << i;
    dash |= std::uint64_t{m.dash >> seen} << i;
  }
  const unsigned stop = lowest_bit(~ok);  // the first byte that is no host byte, or n
  if (stop == 0) return nullptr;
  const std::uint64_t in = (std::uint64_t{1} << stop) - 1;
  dot &= in;
  dash &= in;
  // A label starts at 0 and after each dot (at `stop` if the host ends in one), and ends before
  // each dot and at stop - 1. Empty labels start on a dot or at `stop`; no label starts or ends
  // with `-`.
  const std::uint64_t starts = (dot << 1) | 1;
  const std::uint64_t ends = (dot >> 1) | (std::uint64_t{1} << (stop - 1));
  if ((starts & (dot | dash | (std::uint64_t{1} << stop))) != 0 || (ends & dash) != 0) return nullptr;
  label = host + (dot == 0 ? 0 : highest_bit(dot) + 1);
  return host + stop;
}

/// scan_domain_labels(), through scan_domain_labels_masked() where that is faster and its
/// conditions hold (`first` is where the value that holds the host starts).
[[nodiscard]] constexpr const char* scan_host_labels(const char* first, const char* host, const char* last,
                                                     const char*& label) noexcept {
#if CORS_DETAIL_SSE2
  if (!constant_evaluated() && last - first >= 16 && last - host < 64) {
    return scan_domain_labels_masked(host, last, label);
  }
#else
  static_cast<void>(first);
#endif
  return scan_domain_labels(host, last, label);
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_HOST_SCAN_HPP
