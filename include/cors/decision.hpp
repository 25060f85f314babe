// What the policy decided for one request: its kind, whether it is allowed and why, what to do
// with it, and the exact response headers to write.
#ifndef CORS_DECISION_HPP
#define CORS_DECISION_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>

namespace cors {

/// How the Fetch Standard classifies a request.
/// @see https://fetch.spec.whatwg.org/#cors-request
/// @see https://fetch.spec.whatwg.org/#cors-preflight-request
enum class request_kind : std::uint8_t {
  not_cors,   ///< no `Origin` header
  actual,     ///< `Origin`, and not a preflight (an `OPTIONS` without ACRM is actual)
  preflight,  ///< `OPTIONS` with `Origin` and `Access-Control-Request-Method`
};

/// Why the policy decided as it did. Machine-readable; `to_string` gives a stable snake_case name.
enum class reason : std::uint8_t {
  allowed,                  ///< the origin (and for a preflight, method and headers) are allowed
  not_cors,                 ///< no `Origin`: CORS does not apply
  same_origin,              ///< not an allowed origin, but the server's own (`server_origins`, `Sec-Fetch-Site`)
  origin_malformed,         ///< `Origin` is not a serialized origin a browser would send
  origin_multiple,          ///< more than one `Origin` line
  origin_null_not_allowed,  ///< `Origin: null` without `dangerously_allow_null_origin`
  origin_not_allowed,       ///< a well-formed origin no pattern or predicate allows
  method_malformed,         ///< `Access-Control-Request-Method` is not one method token
  method_not_allowed,       ///< the requested method is not allowed (`detail()` names it)
  headers_malformed,        ///< `Access-Control-Request-Headers` has an element that is not a token
  headers_too_large,        ///< `Access-Control-Request-Headers` exceeds `cors::limits`
  header_not_allowed,       ///< a requested header is not allowed (`detail()` names it)
};

/// What the server should do with the request.
enum class action : std::uint8_t {
  forward,  ///< hand the request to the application, then add `headers()` to its response
  respond,  ///< answer now with `status()` and `headers()`, without the application
};

/// One response header to write.
struct response_header {
  std::string_view name;
  std::string_view value;
};

/// The policy's answer for one request. A small value that refers into the policy (precomputed
/// header values) and into the request (echoed `Origin`, method and header names): both must
/// outlive it.
class decision {
 public:
  static constexpr std::size_t max_headers = 16;

  /// A non-CORS decision with no headers to write.
  decision() noexcept {}  // leaves `headers_` uninitialised, see below

  /// not CORS, actual, or preflight.
  [[nodiscard]] constexpr request_kind kind() const noexcept { return kind_; }
  /// True when the request may proceed with CORS access granted, or CORS does not apply
  /// (`not_cors`, `same_origin`). False when the origin, method or headers were refused.
  [[nodiscard]] constexpr bool allowed() const noexcept {
    return why_ == reason::allowed || why_ == reason::not_cors || why_ == reason::same_origin;
  }
  /// Why: see `cors::reason`.
  [[nodiscard]] constexpr reason why() const noexcept { return why_; }
  /// The offending value for `method_not_allowed`, `header_not_allowed`, `headers_malformed`,
  /// `method_malformed` (a view into the request; untrusted bytes: escape before logging).
  [[nodiscard]] constexpr std::string_view detail() const noexcept { return detail_; }
  /// forward to the application, or respond now.
  [[nodiscard]] constexpr cors::action action() const noexcept { return action_; }
  /// The status to answer with when `action() == action::respond` (204 or 200 for an allowed
  /// preflight, 403 for a refused one); 0 when the application responds.
  [[nodiscard]] constexpr int status() const noexcept { return status_; }

  /// The headers to write, in order. `Access-Control-*` ones replace any the response already
  /// has; `Vary` is merged into the response's own `Vary`.
  [[nodiscard]] constexpr const response_header* begin() const noexcept { return headers_.data(); }
  [[nodiscard]] constexpr const response_header* end() const noexcept { return headers_.data() + count_; }
  [[nodiscard]] constexpr std::size_t header_count() const noexcept { return count_; }
  /// The same headers as a range, for `for (auto [name, value] : d.headers())`.
  [[nodiscard]] constexpr const decision& headers() const noexcept { return *this; }

  /// The value of the first header named exactly `name` (as this library spells it), or an
  /// empty view.
  [[nodiscard]] constexpr std::string_view header(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < count_; ++i) {
      if (headers_[i].name == name) return headers_[i].value;
    }
    return {};
  }

 private:
  friend class policy;

  // Unchecked: the policy adds at most `max_headers` (see the static_assert in policy.hpp), and
  // this runs several times per request.
  void add(std::string_view name, std::string_view value) noexcept {
    ::new (static_cast<void*>(headers_.data() + count_++)) response_header{name, value};
  }

  // Only the first `count_` entries are ever read, and each is constructed by `add`. Zeroing all
  // 16 (512 bytes) would cost more than the rest of evaluating a typical request, so the array
  // lives in a union that leaves it uninitialised.
  union {
    std::array<response_header, max_headers> headers_;
  };
  std::string_view detail_;
  // Not a char type: those alias every store, so each add() would reload and re-store the count.
  std::uint16_t count_ = 0;
  request_kind kind_ = request_kind::not_cors;
  reason why_ = reason::not_cors;
  cors::action action_ = action::forward;
  std::uint16_t status_ = 0;
};

/// Stable snake_case name of a request kind.
[[nodiscard]] constexpr std::string_view to_string(request_kind k) noexcept {
  switch (k) {
    case request_kind::not_cors: return "not_cors";
    case request_kind::actual: return "actual";
    case request_kind::preflight: return "preflight";
  }
  return "unknown";
}

/// Stable snake_case name of a reason.
[[nodiscard]] constexpr std::string_view to_string(reason r) noexcept {
  switch (r) {
    case reason::allowed: return "allowed";
    case reason::not_cors: return "not_cors";
    case reason::same_origin: return "same_origin";
    case reason::origin_malformed: return "origin_malformed";
    case reason::origin_multiple: return "origin_multiple";
    case reason::origin_null_not_allowed: return "origin_null_not_allowed";
    case reason::origin_not_allowed: return "origin_not_allowed";
    case reason::method_malformed: return "method_malformed";
    case reason::method_not_allowed: return "method_not_allowed";
    case reason::headers_malformed: return "headers_malformed";
    case reason::headers_too_large: return "headers_too_large";
    case reason::header_not_allowed: return "header_not_allowed";
  }
  return "unknown";
}

/// Stable name of an action.
[[nodiscard]] constexpr std::string_view to_string(action a) noexcept {
  return a == action::respond ? "respond" : "forward";
}

}  // namespace cors

#endif  // CORS_DECISION_HPP
