// The WebSocket handshake's origin check. Browsers send `Origin` on a WebSocket upgrade (and on a
// WebTransport session) but apply no CORS check to it, and they send the user's cookies: a server
// that accepts every upgrade lets any page act as the user over the socket (cross-site WebSocket
// hijacking). The check answers from the same policy as CORS.
// @see https://www.rfc-editor.org/rfc/rfc6455#section-10.2
// @see https://websockets.spec.whatwg.org/#websocket-opening-handshake
#ifndef CORS_WEBSOCKET_HPP
#define CORS_WEBSOCKET_HPP

#include <cstdint>
#include <string_view>

#include "detail/authority.hpp"
#include "policy.hpp"
#include "request.hpp"

namespace cors {

/// Why an upgrade was accepted or refused. `to_string` gives a stable snake_case name.
enum class websocket_reason : std::uint8_t {
  allowed_origin,      ///< the policy names the origin (`policy::names_origin`)
  same_origin,         ///< `Origin`'s host and port equal `Host`
  no_origin,           ///< no `Origin`: not a browser (browsers always send it on an upgrade)
  origin_multiple,     ///< refused: more than one `Origin` line
  origin_not_allowed,  ///< refused: an origin the policy does not name (also `null`, malformed ones)
};

/// Stable snake_case name of a WebSocket reason.
[[nodiscard]] constexpr std::string_view to_string(websocket_reason r) noexcept {
  switch (r) {
    case websocket_reason::allowed_origin: return "allowed_origin";
    case websocket_reason::same_origin: return "same_origin";
    case websocket_reason::no_origin: return "no_origin";
    case websocket_reason::origin_multiple: return "origin_multiple";
    case websocket_reason::origin_not_allowed: return "origin_not_allowed";
  }
  return "unknown";
}

/// The check's answer for one upgrade request.
class websocket_decision {
 public:
  constexpr websocket_decision() noexcept = default;
  constexpr explicit websocket_decision(websocket_reason why) noexcept : why_(why) {}

  [[nodiscard]] constexpr websocket_reason why() const noexcept { return why_; }
  /// Refuse the upgrade (answer `status()` instead of accepting)?
  [[nodiscard]] constexpr bool refused() const noexcept {
    return why_ == websocket_reason::origin_multiple || why_ == websocket_reason::origin_not_allowed;
  }
  /// 403 for a refused upgrade, 0 otherwise.
  [[nodiscard]] constexpr int status() const noexcept { return refused() ? 403 : 0; }

 private:
  websocket_reason why_ = websocket_reason::no_origin;
};

/// Decides a WebSocket upgrade request from its `Origin`: accepted when `p` names the origin
/// (its exact and wildcard `origins`, `origin_predicate`, `server_origins`; never merely `*` or
/// `null`), when it is same-origin (`Origin` host and port equal `Host`), or when there is no
/// `Origin` (not a browser); refused otherwise. Call it before accepting the upgrade. Never
/// throws, never allocates (unless `origin_predicate` does).
[[nodiscard]] inline websocket_decision check_websocket_upgrade(const policy& p, const request_view& req) noexcept {
  if (!req.origin.present()) return websocket_decision(websocket_reason::no_origin);
  if (req.origin.size() != 1) return websocket_decision(websocket_reason::origin_multiple);
  if (p.names_origin(req.origin.front())) return websocket_decision(websocket_reason::allowed_origin);
  if (detail::origin_matches_host(req)) return websocket_decision(websocket_reason::same_origin);
  return websocket_decision(websocket_reason::origin_not_allowed);
}

}  // namespace cors

#endif  // CORS_WEBSOCKET_HPP
