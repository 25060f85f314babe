// Config-side origin patterns, parsed strictly: every pattern either denotes exactly the origins
// a browser would send for it, or is refused with a message that says how to write it.
#ifndef CORS_ORIGIN_PATTERN_HPP
#define CORS_ORIGIN_PATTERN_HPP

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/ascii.hpp"
#include "detail/escape.hpp"
#include "errors.hpp"
#include "origin.hpp"

namespace cors {

/// The forms an entry of `config::origins` can take.
enum class origin_pattern_kind : std::uint8_t {
  any,         ///< `*`: every origin (never with credentials)
  null,        ///< `null`: opaque origins (needs `dangerously_allow_null_origin`)
  exact,       ///< `https://app.example.com`, `http://localhost:8080`, `http://[::1]:3000`
  any_port,    ///< `http://localhost:*`: this scheme and host, any port (default port included)
  subdomains,  ///< `https://*.example.com[:port|:*]`: one or more labels below, never the apex
};

/// A parsed origin pattern. For `subdomains`, `host` is the parent domain (`example.com`).
struct origin_pattern {
  origin_pattern_kind kind = origin_pattern_kind::exact;
  std::string scheme;
  std::string host;
  std::string port;       ///< digits, or empty for the scheme's default port
  bool any_port = false;  ///< the pattern ends in `:*`
  host_kind host_type = host_kind::domain;

  /// The origin as a browser serializes it (exact patterns), or `scheme://host` (any-port ones).
  [[nodiscard]] std::string origin_text() const {
    std::string s;
    for (const std::string_view part : origin_parts()) s += part;
    return s;
  }
  /// origin_text() in pieces, to be joined (views into this pattern).
  [[nodiscard]] std::array<std::string_view, 5> origin_parts() const noexcept {
    return {scheme, "://", host, port.empty() ? "" : ":", port};
  }
};

/// The outcome of parsing one pattern: either `errors` is empty and `pattern` is valid, or
/// `errors` says everything that is wrong with it.
struct origin_pattern_result {
  origin_pattern pattern;
  std::vector<config_error> errors;
};

namespace detail {

inline config_error pattern_error(config_error_code code, std::string_view text, std::string_view problem,
                                  std::string_view fix = {}) {
  return config_error{code, std::string(text),
                      concat({"cors: origin pattern `", printable(text), "` ", problem, fix.empty() ? "" : "; ", fix})};
}

[[nodiscard]] inline std::string to_lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

/// Where the first `/`, `?` or `#` of `s` is, or npos. (string_view::find_first_of would search
/// the three bytes with memchr once for every byte of `s`.)
[[nodiscard]] constexpr std::size_t find_path_start(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '/' || s[i] == '?' || s[i] == '#') return i;
  }
  return std::string_view::npos;
}

/// Is the host one whose traffic never leaves the machine (so `http://` is not a downgrade)?
/// @see https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy
[[nodiscard]] constexpr bool is_loopback_host(std::string_view host, host_kind kind) noexcept {
  if (kind == host_kind::ipv6) return host == "[::1]";
  if (kind == host_kind::ipv4) return host.substr(0, 4) == "127.";
  return host == "localhost" || (host.size() > 10 && host.substr(host.size() - 10) == ".localhost");
}

/// Does `p` (exact, any-port or subdomains, otherwise valid) stand for origins that
/// `cors::parse_origin` accepts? For a wildcard, one label in front of the parent stands for all;
/// for `:*`, the default port.
[[nodiscard]] inline bool denotes_request_origins(const origin_pattern& p) noexcept {
  // Written into a buffer on the stack: building a policy of many origins allocates once per origin
  // already (its parsed pattern), not twice.
  std::array<char, 2 * max_origin_length> sample;  // NOLINT: written before it is read
  std::size_t n = 0;
  const std::string_view parts[] = {
      p.scheme, "://", p.kind == origin_pattern_kind::subdomains ? "a." : "", p.host, p.port.empty() ? "" : ":",
      p.port};
  for (const std::string_view part : parts) {
    if (part.size() > sample.size() - n) return false;  // longer than any origin a browser sends
    if (!part.empty()) std::memcpy(sample.data() + n, part.data(), part.size());
    n += part.size();
  }
  return parse_origin(std::string_view(sample.data(), n)).status == origin_status::ok;
}

/// A typing slip in a configured value, found before its grammar is checked: what is wrong and
/// how to write it (``has a trailing space; write `X-Trace` ``), or an empty string. `one` says
/// what an entry holds (`one origin per entry`): a comma or space means a list typed into one entry.
// Built from string_view pieces with concat() alone: a pair of strings initialised from literals
// instantiates a constructor template per literal length in every TU that includes the core.
[[nodiscard]] inline std::string typing_slip(std::string_view text, std::string_view one) {
  if (text.empty()) return "is empty; remove the empty entry (an unset environment variable?)";
  const std::string_view trimmed = trim_http_whitespace(text);
  if (trimmed.empty()) return "is only white space; remove the entry";
  constexpr std::string_view separators = ", \t";
  if (trimmed.find_first_of(separators) != std::string_view::npos) {
    // `https://a.com,https://b.com` (an environment variable), `Content-Type, X-Foo`.
    std::string s =
        concat({"holds several values separated by ", trimmed.find(',') != std::string_view::npos ? "commas" : "spaces",
                "; split it, ", one, ":"});
    std::string_view rest = trimmed;
    const char* comma = " `";
    while (!rest.empty()) {
      std::size_t end = rest.find_first_of(separators);
      if (end == std::string_view::npos) end = rest.size();
      if (end != 0) {
        s += comma;
        append_printable(s, rest.substr(0, end));
        s += '`';
        comma = ", `";
      }
      rest.remove_prefix(end == rest.size() ? end : end + 1);
    }
    return s;
  }
  if (trimmed.size() != text.size()) {
    const bool leading = is_http_whitespace(text.front());
    const bool trailing = is_http_whitespace(text.back());
    return concat({leading && trailing ? "has white space around it"
                   : leading           ? "has leading white space"
                                       : "has a trailing space",
                   "; write `", printable(trimmed), "`"});
  }
  if (text.find('\\') != std::string_view::npos) {
    std::string without;
    for (const char c : text) {
      if (c != '\\') without += c;
    }
    return concat(
        {"contains a backslash (`\\`), which no origin or header name has; write it without backslashes "
         "(escaped for a shell or JSON?): `",
         printable(without), "`"});
  }
  return {};
}

/// parse_origin_pattern without the typing-slip messages.
[[nodiscard]] inline origin_pattern_result parse_origin_pattern_grammar(std::string_view text) {
  using detail::concat;
  using detail::pattern_error;
  origin_pattern_result r;
  origin_pattern& p = r.pattern;
  // `return fail(...)` moves `r` out rather than copying it.
  auto fail = [&](config_error_code code, std::string_view problem,
                  std::string_view fix = {}) -> origin_pattern_result&& {
    r.errors.push_back(pattern_error(code, text, problem, fix));
    return std::move(r);
  };
  if (text == "*") {
    p.kind = origin_pattern_kind::any;
    return r;
  }
  if (text == "null") {
    p.kind = origin_pattern_kind::null;
    return r;
  }
  if (text.size() > max_origin_length) {
    return fail(config_error_code::origin_bad_host,
                concat({"is longer than ", std::to_string(max_origin_length), " bytes"}),
                "no browser sends such an origin; check the value");
  }
  if (!detail::is_ascii(text)) {
    return fail(config_error_code::origin_has_non_ascii, "contains non-ASCII bytes",
                "write internationalized domain names in punycode (`https://xn--53h.example`, not "
                "`https://\xe2\x98\x95.example`), as browsers send them");
  }
  if (detail::has_upper(text)) {
    const std::string lower = detail::to_lower_copy(text);
    origin_pattern_result rest = parse_origin_pattern_grammar(lower);
    if (rest.errors.empty()) {
      return fail(config_error_code::origin_has_uppercase, "has uppercase letters",
                  concat({"browsers send scheme and host in lowercase: write `", lower, "`"}));
    }
    fail(config_error_code::origin_has_uppercase, "has uppercase letters",
         "browsers send scheme and host in lowercase");
    for (config_error& e : rest.errors) r.errors.push_back(std::move(e));
    return r;
  }
  const std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    return fail(config_error_code::origin_missing_scheme, "has no scheme",
                concat({"write the scheme too, e.g. `https://", detail::printable(text), "`"}));
  }
  p.scheme = std::string(text.substr(0, sep));
  if (!detail::is_serialized_scheme(p.scheme)) {
    return fail(config_error_code::origin_bad_scheme, "has an invalid scheme",
                "a scheme is a letter followed by letters, digits, `+`, `-` or `.`, e.g. `https`");
  }
  std::string_view rest = text.substr(sep + 3);
  const std::size_t end = detail::find_path_start(rest);
  if (end != std::string_view::npos) {
    // Quoted back to the user, so escaped like the pattern itself (it may hold CR, LF or ESC).
    const std::string without = detail::printable(text.substr(0, sep + 3 + end));
    if (rest[end] == '/') {
      const bool trailing_slash = end + 1 == rest.size();
      return fail(config_error_code::origin_has_path, trailing_slash ? "ends with a slash" : "has a path",
                  concat({"an origin is only scheme, host and port: did you mean `", without, "`?"}));
    }
    return fail(config_error_code::origin_has_query_or_fragment, "has a query or fragment",
                concat({"an origin is only scheme, host and port: did you mean `", without, "`?"}));
  }
  if (rest.find('@') != std::string_view::npos) {
    return fail(config_error_code::origin_has_userinfo, "has a user name or password",
                "browsers never send credentials in `Origin`: write only scheme, host and port");
  }
  // Port: after the last colon that is not inside an IPv6 literal.
  std::string_view host = rest;
  const std::size_t colon = rest.rfind(':');
  const std::size_t bracket = rest.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view port = rest.substr(colon + 1);
    host = rest.substr(0, colon);
    if (port == "*") {
      p.any_port = true;
    } else {
      const long n = detail::parse_canonical_decimal(port, 5);
      if (n < 0 || n > 65535) {
        return fail(config_error_code::origin_bad_port, "has an invalid port",
                    "a port is a number from 0 to 65535 without leading zeros, or `*` for any port");
      }
      if (port == default_port(p.scheme)) {
        return fail(config_error_code::origin_default_port, "names the scheme's default port",
                    concat({"browsers omit it from `Origin`, so this would never match: write `", p.scheme, "://",
                            detail::printable(host), "`"}));
      }
      p.port = std::string(port);
    }
  }
  // Host: `*.` followed by a domain, or a serialized host.
  if (host.substr(0, 2) == "*.") {
    p.kind = origin_pattern_kind::subdomains;
    const std::string_view parent = host.substr(2);
    if (!detail::is_serialized_domain(parent) || parent.find('*') != std::string_view::npos) {
      if (detail::is_serialized_ipv4(parent) || (!parent.empty() && parent.front() == '[')) {
        return fail(config_error_code::origin_bad_wildcard, "puts a wildcard in front of an IP address",
                    "IP addresses have no subdomains: list the addresses themselves");
      }
      return fail(config_error_code::origin_bad_host, "has an invalid domain after `*.`",
                  "write `scheme://*.example.com`, with lowercase letters, digits and inner hyphens");
    }
    if (parent.find('.') == std::string_view::npos && parent != "localhost") {
      return fail(config_error_code::origin_wildcard_too_broad, "allows every site under a top-level domain",
                  concat({"name your own domain, e.g. `", p.scheme, "://*.example.", parent, "`"}));
    }
    p.host = std::string(parent);
    // One grammar: the origins the pattern stands for must be ones the request parser accepts.
    if (!detail::denotes_request_origins(p)) {
      return fail(config_error_code::origin_bad_host, "denotes no origin a browser sends",
                  "write `scheme://*.example.com` with a domain name");
    }
    return r;
  }
  if (host.find('*') != std::string_view::npos) {
    return fail(config_error_code::origin_bad_wildcard, "has a wildcard that is not a whole leading label",
                "write `*` alone, `scheme://*.example.com` for subdomains or `scheme://host:*` for any port");
  }
  if (!detail::classify_host(host, p.host_type)) {
    if (host.empty())
      return fail(config_error_code::origin_bad_host, "has no host", "write e.g. `https://example.com`");
    if (host.back() == '.') {
      return fail(config_error_code::origin_bad_host, "has a trailing dot",
                  "browsers send the host as written in the page's URL; list it without the dot");
    }
    return fail(config_error_code::origin_bad_host, "has an invalid host",
                "write a lowercase domain (`app.example.com`), an IPv4 address (`127.0.0.1`) or a "
                "bracketed IPv6 address in its shortest form (`[::1]`)");
  }
  p.host = std::string(host);
  p.kind = p.any_port ? origin_pattern_kind::any_port : origin_pattern_kind::exact;
  if (!detail::denotes_request_origins(p)) {
    return fail(config_error_code::origin_bad_host, "denotes no origin a browser sends",
                "write a lowercase domain, an IPv4 address or a shortest-form bracketed IPv6 address");
  }
  return r;
}

}  // namespace detail

/// Parses one entry of `config::origins`. Never throws for bad input (only `std::bad_alloc`);
/// problems come back in `errors`, each with a fix-it message. An accepted pattern denotes only
/// values that `cors::parse_origin` accepts: the request grammar has the last word.
// A typing slip (an empty entry, white space around it, several origins in one, a backslash)
// gets a message that names it; the error code stays the one the grammar gives.
[[nodiscard]] inline origin_pattern_result parse_origin_pattern(std::string_view text) {
  origin_pattern_result r = detail::parse_origin_pattern_grammar(text);
  if (r.errors.empty()) return r;
  const std::string slip = detail::typing_slip(text, "one origin per entry");
  if (!slip.empty()) {
    const config_error_code code = r.errors.front().code;
    r.errors.clear();
    r.errors.push_back(detail::pattern_error(code, text, slip));
  }
  return r;
}

}  // namespace cors

#endif  // CORS_ORIGIN_PATTERN_HPP
