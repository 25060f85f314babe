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
#include "detail/host_scan.hpp"
#include "detail/ipv6.hpp"
#include "detail/macros.hpp"

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

/// Splits `host [ ":" port ]`, [host, last), where the port is `:` and 1 to 5 digits at the end:
/// returns where the host ends and sets `port` (empty when there is none). Neither part is
/// validated here: a `:` that is not followed by such digits stays in the host, which then fails
/// the host grammar. The request parser and the wildcard matcher both split an origin here.
[[nodiscard]] constexpr const char* split_port(const char* host, const char* last, std::string_view& port) noexcept {
  const char* digits = last;
  while (last - digits < 5 && digits != host && is_digit(digits[-1])) --digits;
  if (digits == last || digits == host || digits[-1] != ':') {
    port = {};
    return last;
  }
  port = std::string_view(digits, static_cast<std::size_t>(last - digits));
  return digits - 1;
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
[[nodiscard]] constexpr parsed_origin parse_origin(std::string_view value CORS_LIFETIMEBOUND) noexcept {
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
  std::string_view port;
  const char* const host_end = detail::split_port(host, last, port);
  origin_view& o = r.origin;
  o.serialized = value;
  o.scheme = std::string_view(first, static_cast<std::size_t>(host - 3 - first));
  o.host = std::string_view(host, static_cast<std::size_t>(host_end - host));
  o.port = port;
  if (host != host_end && *host == '[') {
    // "[" serialized-ipv6 "]"
    o.kind = host_kind::ipv6;
    if (!detail::is_serialized_ipv6(o.host)) return r;
  } else {
    // serialized-domain, or a serialized IPv4 address: a host that "ends in a number" is one.
    // @see https://url.spec.whatwg.org/#ends-in-a-number-checker
    const char* label = nullptr;
    if (detail::scan_host_labels(first, host, host_end, label) != host_end) return r;
    if (detail::ends_in_number(label, host_end)) {
      if (!detail::is_serialized_ipv4(o.host)) return r;
      o.kind = host_kind::ipv4;
    }
  }
  // [ ":" serialized-port ]
  if (!port.empty() && !detail::is_serialized_port(port, o.scheme)) return r;
  r.status = origin_status::ok;
  return r;
}

}  // namespace cors

#endif  // CORS_ORIGIN_HPP
