// Request-side `Origin` parsing: is this value exactly what a browser would send?
// Browsers send a serialized origin (or `null`); anything else cannot come from a conforming
// browser and is reported as malformed, never normalised into an allowed origin.
#ifndef CORS_ORIGIN_HPP
#define CORS_ORIGIN_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detail/ascii.hpp"

namespace cors {

/// The longest `Origin` value the library looks at; longer values are malformed. A DNS name has at
/// most 253 bytes, so a real origin (scheme, `://`, host, `:65535`) stays well below this.
inline constexpr std::size_t max_origin_length = 512;

/// Which production of `serialized-host` an origin's host matched.
enum class host_kind : std::uint8_t { domain, ipv4, ipv6 };

/// A serialized origin split into its parts. Views into the parsed value: valid while it is.
struct origin_view {
  std::string_view serialized;  ///< the whole value, e.g. `https://a.example:8443`
  std::string_view scheme;      ///< `https`
  std::string_view host;        ///< `a.example`, `127.0.0.1`, or `[::1]` (brackets kept)
  std::string_view port;        ///< `8443`; empty when the URL has no port (the default port)
  host_kind kind = host_kind::domain;
};

/// The result of parsing a request's `Origin` value.
enum class origin_status : std::uint8_t {
  ok,         ///< a serialized origin; see `origin_view`
  null,       ///< exactly `null` (opaque origins: sandboxed frames, `file:`, redirect taint)
  malformed,  ///< anything a browser never sends, including over-long values
};

struct parsed_origin {
  origin_status status = origin_status::malformed;
  origin_view origin{};
};

/// The default port of a special scheme, or an empty view.
/// @see https://url.spec.whatwg.org/#default-port
[[nodiscard]] constexpr std::string_view default_port(std::string_view scheme) noexcept {
  if (scheme == "http" || scheme == "ws") return "80";
  if (scheme == "https" || scheme == "wss") return "443";
  if (scheme == "ftp") return "21";
  return {};
}

namespace detail {

/// `serialized-scheme = lower-alpha *( lower-alphanum / "+" / "-" / "." )`
/// @see https://fetch.spec.whatwg.org/#origin-header
[[nodiscard]] constexpr bool is_serialized_scheme(std::string_view s) noexcept {
  if (s.empty() || !is_lower_alpha(s[0])) return false;
  for (char c : s) {
    if (!has_class(c, cc_scheme)) return false;
  }
  return true;
}

/// `dec-octet "." dec-octet "." dec-octet "." dec-octet`, each without leading zeros (the IPv4
/// serializer's output).
[[nodiscard]] constexpr bool is_serialized_ipv4(std::string_view s) noexcept {
  int parts = 0;
  while (true) {
    const std::size_t dot = s.find('.');
    const long v = parse_canonical_decimal(s.substr(0, dot), 3);
    if (v < 0 || v > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

/// `domain-label = lower-alphanum / ( lower-alphanum *( lower-alphanum / "-" ) lower-alphanum )`
[[nodiscard]] constexpr bool is_domain_label(std::string_view s) noexcept {
  if (s.empty() || !is_lower_alphanum(s.front()) || !is_lower_alphanum(s.back())) return false;
  for (char c : s) {
    if (!(is_lower_alphanum(c) || c == '-')) return false;
  }
  return true;
}

/// True when the URL host parser would treat a host with this last label as an IPv4 address
/// ("ends in a number": all digits, or `0x` followed by hex digits).
/// @see https://url.spec.whatwg.org/#ends-in-a-number-checker
[[nodiscard]] constexpr bool is_numeric_label(std::string_view s) noexcept {
  if (s.empty() || !is_digit(s[0])) return false;  // most labels: one comparison
  bool digits = true;
  for (char c : s) digits = digits && is_digit(c);
  if (digits) return true;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (char c : s.substr(2)) {
      if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    }
    return true;
  }
  return false;
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

// SSE2 (every x86-64 processor has it) classifies sixteen bytes in a few instructions; GCC's and
// Clang's vector extensions reach it without including <emmintrin.h> in every user's build.
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define CORS_DETAIL_SSE2 1
#else
#define CORS_DETAIL_SSE2 0
#endif

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
  using bytes = unsigned char __attribute__((vector_size(16)));
  using signed_bytes = signed char __attribute__((vector_size(16)));
  using chars = char __attribute__((vector_size(16)));  // what the builtin takes
  // Vector conversions (bit copies) are spelled as C casts.
  const auto top_bits = [](signed_bytes b) noexcept {
    return static_cast<unsigned>(__builtin_ia32_pmovmskb128((chars)b));
  };
  // Is each byte in [lo, lo + n)? Subtracting lo wraps the range onto [0, n); moved down by 128 it
  // is [-128, -128 + n), below everything else: one signed comparison.
  const auto in_range = [](bytes v, unsigned char lo, int n) noexcept {
    return (signed_bytes)(v + static_cast<unsigned char>(0x80 - lo)) < static_cast<signed char>(-128 + n);
  };
  bytes v;
  std::memcpy(&v, p, 16);
  const signed_bytes dot = (signed_bytes)(v == '.');
  const signed_bytes dash = (signed_bytes)(v == '-');
  m.host = top_bits(in_range(v, 'a', 26) | in_range(v, '0', 10) | dot | dash);
  m.dot = top_bits(dot);
  m.dash = top_bits(dash);
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
  if (!__builtin_is_constant_evaluated() && last - first >= 16 && last - host < 64) {
    return scan_domain_labels_masked(host, last, label);
  }
#else
  static_cast<void>(first);
#endif
  return scan_domain_labels(host, last, label);
}

/// Does a domain whose last label is [label, end) "end in a number"? Then the URL parser reads the
/// host as IPv4 (serialized canonically) or rejects it.
[[nodiscard]] constexpr bool ends_in_number(const char* label, const char* end) noexcept {
  // The first byte is tested here, not only in is_numeric_label: most labels start with a letter,
  // and the call is then not made on the request path.
  return is_digit(*label) && is_numeric_label(std::string_view(label, static_cast<std::size_t>(end - label)));
}

/// `serialized-domain = *( domain-label "." ) domain-label`, excluding hosts that end in a number
/// (a URL parser would have read those as IPv4 and serialized them as such, or failed).
[[nodiscard]] constexpr bool is_serialized_domain(std::string_view s) noexcept {
  const char* const end = s.data() + s.size();
  const char* label = nullptr;
  const char* const stop = scan_domain_labels(s.data(), end, label);
  return stop != nullptr && stop == end && !ends_in_number(label, end);
}

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

/// `serialized-port = 1*5DIGIT` as the URL serializer writes it: no leading zeros, at most 65535,
/// and never the scheme's default port (stored as null, so `:443` never follows `https`).
[[nodiscard]] constexpr bool is_serialized_port(std::string_view port, std::string_view scheme) noexcept {
  const long n = parse_canonical_decimal(port, 5);
  return n >= 0 && n <= 65535 && port != default_port(scheme);
}

/// For a value that starts with `serialized-scheme "://"`: where its host starts (just past the
/// `://`); otherwise null. `:` is no scheme byte, so the first byte that is not one must start the
/// `://`.
[[nodiscard]] constexpr const char* skip_scheme(const char* first, const char* last) noexcept {
  if (starts_with_https(first, last)) return first + 8;  // most origins: one comparison, not a loop
  if (first == last || !is_lower_alpha(*first)) return nullptr;
  const char* p = first + 1;
  while (p != last && has_class(*p, cc_scheme)) ++p;
  if (last - p < 3 || p[0] != ':' || p[1] != '/' || p[2] != '/') return nullptr;
  return p + 3;
}

/// Classifies a host against `serialized-host`; returns false when it matches none.
[[nodiscard]] constexpr bool classify_host(std::string_view host, host_kind& kind) noexcept {
  if (!host.empty() && host.front() == '[') {
    kind = host_kind::ipv6;
    return is_serialized_ipv6(host);
  }
  // A serialized IPv4 address ends in a digit; most hosts are domains and skip the attempt.
  if (!host.empty() && is_digit(host.back()) && is_serialized_ipv4(host)) {
    kind = host_kind::ipv4;
    return true;
  }
  kind = host_kind::domain;
  return is_serialized_domain(host);
}

}  // namespace detail

/// Parses a request's `Origin` value against the Fetch Standard's `origin-or-null` grammar,
/// additionally requiring what the URL serializer guarantees: no default port, no leading zeros
/// in the port, a port of at most 65535, canonical IPv4 and IPv6 text. Matching is then exact,
/// byte for byte. The returned views point into `value`.
/// @see https://fetch.spec.whatwg.org/#origin-header
/// @see https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
[[nodiscard]] constexpr parsed_origin parse_origin(std::string_view value) noexcept {
  parsed_origin r{};
  // origin-or-null = serialized-origin / %s"null"  (case-sensitive)
  if (value == "null") {
    r.status = origin_status::null;
    return r;
  }
  if (value.empty() || value.size() > max_origin_length) return r;
  // One forward pass, one byte-class lookup per byte (this runs for every origin that is not a
  // configured exact origin). Views are built from pointers, not substr(): its range check keeps
  // GCC from inlining.
  const char* const first = value.data();
  const char* const last = first + value.size();
  // serialized-scheme "://"
  const char* const host = detail::skip_scheme(first, last);
  if (host == nullptr) return r;
  origin_view& o = r.origin;
  o.serialized = value;
  o.scheme = std::string_view(first, static_cast<std::size_t>(host - 3 - first));
  const char* p = host;
  if (host != last && *host == '[') {
    // "[" serialized-ipv6 "]": the host ends at the first `]`, the colons inside are not the port's.
    p = host;
    while (p != last && *p != ']') ++p;
    if (p == last) return r;
    ++p;
    o.host = std::string_view(host, static_cast<std::size_t>(p - host));
    o.kind = host_kind::ipv6;
    if (!detail::is_serialized_ipv6(o.host)) return r;
  } else {
    // serialized-domain, up to the port's `:` or the end.
    const char* label = nullptr;
    p = detail::scan_host_labels(first, host, last, label);
    if (p == nullptr) return r;
    o.host = std::string_view(host, static_cast<std::size_t>(p - host));
    // @see https://url.spec.whatwg.org/#ends-in-a-number-checker
    if (detail::ends_in_number(label, p)) {
      if (!detail::is_serialized_ipv4(o.host)) return r;
      o.kind = host_kind::ipv4;
    }
  }
  if (p != last) {
    if (*p != ':') return r;
    o.port = std::string_view(p + 1, static_cast<std::size_t>(last - p - 1));
    if (!detail::is_serialized_port(o.port, o.scheme)) return r;
  }
  r.status = origin_status::ok;
  return r;
}

}  // namespace cors

#undef CORS_DETAIL_SSE2

#endif  // CORS_ORIGIN_HPP
