// The `Host` header as the guards read it: split into host and port, and compared with an
// `Origin`'s. One place for both, so the CSRF guard, the WebSocket check and the Host guard agree.
// @see https://www.rfc-editor.org/rfc/rfc9110#name-host-and-authority
#ifndef CORS_DETAIL_AUTHORITY_HPP
#define CORS_DETAIL_AUTHORITY_HPP

#include <cstddef>
#include <string_view>

#include "../origin.hpp"
#include "../request.hpp"
#include "ascii.hpp"

namespace cors::detail {

/// `Host = uri-host [ ":" port ]`, split. `ok` is false for an empty host, an unclosed or
/// misplaced `[`, a `:` in an unbracketed host, or a port that is empty, not all digits, or above
/// 65535. No other check of the host's characters: the guards compare it with names they know.
struct host_authority {
  bool ok = false;
  std::string_view host;  ///< `localhost`, `127.0.0.1`, `[::1]` (brackets kept)
  std::string_view port;  ///< empty when absent
};

[[nodiscard]] constexpr host_authority split_host(std::string_view value) noexcept {
  host_authority a;
  if (value.empty()) return a;
  std::size_t host_end = 0;
  if (value.front() == '[') {
    const std::size_t close = value.find(']');
    if (close == std::string_view::npos) return a;
    host_end = close + 1;
  } else {
    host_end = value.find(':');
    if (host_end == std::string_view::npos) host_end = value.size();
  }
  a.host = value.substr(0, host_end);
  if (a.host.empty()) return a;
  // Brackets only around the whole host, once.
  const std::string_view inside = a.host.front() == '[' ? a.host.substr(1, a.host.size() - 2) : a.host;
  if (inside.empty() || inside.find_first_of("[]") != std::string_view::npos) return a;
  if (host_end < value.size()) {
    if (value[host_end] != ':') return a;
    a.port = value.substr(host_end + 1);
    if (a.port.empty() || a.port.size() > 5) return a;
    long n = 0;
    for (const char c : a.port) {
      if (!is_digit(c)) return a;
      n = n * 10 + (c - '0');
    }
    if (n > 65535) return a;
  }
  a.ok = true;
  return a;
}

/// Does the request's one `Origin` line name the same host and port as its one `Host` line?
/// The scheme is not compared: `Host` does not carry it (as in Go's CrossOriginProtection).
/// Host names compare ASCII case-insensitively; the `Origin` must be one a browser sends.
[[nodiscard]] inline bool origin_matches_host(const request_view& req) noexcept {
  if (req.origin.size() != 1 || req.host.size() != 1) return false;
  const parsed_origin o = parse_origin(trim_ows(req.origin.front()));
  if (o.status != origin_status::ok) return false;
  const std::string_view authority = o.origin.serialized.substr(o.origin.scheme.size() + 3);
  return iequals(authority, trim_ows(req.host.front()));
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_AUTHORITY_HPP
