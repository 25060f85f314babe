// The response headers the CORS protocol writes: each one's name, and whether it replaces what a
// response already has or is merged into it. Defined once here; the policy, every adapter and the
// formatters use this table, so no name is spelled, and no rule decided, anywhere else.
// @see https://fetch.spec.whatwg.org/#http-responses
#ifndef CORS_RESPONSE_HEADER_HPP
#define CORS_RESPONSE_HEADER_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cors {

/// A response header a decision can carry, in the order a decision lists them.
enum class response_header_id : std::uint8_t {
  access_control_allow_origin,           ///< #http-access-control-allow-origin
  access_control_allow_credentials,      ///< #http-access-control-allow-credentials
  access_control_allow_methods,          ///< #http-access-control-allow-methods
  access_control_allow_headers,          ///< #http-access-control-allow-headers
  access_control_allow_private_network,  ///< WICG Private Network Access (legacy)
  access_control_max_age,                ///< #http-access-control-max-age
  access_control_expose_headers,         ///< #http-access-control-expose-headers
  timing_allow_origin,                   ///< Resource Timing #sec-timing-allow-origin (opt-in)
  vary,                                  ///< RFC 9110 §12.5.5
};

/// How an adapter writes a header into a response that may already have it.
enum class write_rule : std::uint8_t {
  /// The policy owns the header: every line the response has is removed first, whether or not the
  /// decision carries the header, so a stale value the application set never reaches a browser.
  replace,
  /// The response's own tokens are kept and the decision's missing ones added, in one line; a
  /// `Vary: *` is left alone. @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
  merge,
};

/// One row of the table below.
struct response_header_spec {
  response_header_id id;
  std::string_view name;  ///< as this library writes it
  write_rule rule;
};

/// Every header a decision can carry, indexed by `response_header_id`.
inline constexpr std::array<response_header_spec, 9> response_headers{{
    {response_header_id::access_control_allow_origin, "Access-Control-Allow-Origin", write_rule::replace},
    {response_header_id::access_control_allow_credentials, "Access-Control-Allow-Credentials", write_rule::replace},
    {response_header_id::access_control_allow_methods, "Access-Control-Allow-Methods", write_rule::replace},
    {response_header_id::access_control_allow_headers, "Access-Control-Allow-Headers", write_rule::replace},
    {response_header_id::access_control_allow_private_network, "Access-Control-Allow-Private-Network",
     write_rule::replace},
    {response_header_id::access_control_max_age, "Access-Control-Max-Age", write_rule::replace},
    {response_header_id::access_control_expose_headers, "Access-Control-Expose-Headers", write_rule::replace},
    {response_header_id::timing_allow_origin, "Timing-Allow-Origin", write_rule::replace},
    {response_header_id::vary, "Vary", write_rule::merge},
}};

/// The header's name, e.g. `Access-Control-Allow-Origin`.
[[nodiscard]] constexpr std::string_view name_of(response_header_id id) noexcept {
  return response_headers[static_cast<std::size_t>(id)].name;
}

/// Whether the header replaces or is merged into the response's own.
[[nodiscard]] constexpr write_rule rule_of(response_header_id id) noexcept {
  return response_headers[static_cast<std::size_t>(id)].rule;
}

/// One header line of a decision. `value` is a view into the policy or into the request (see
/// `cors::decision`).
struct response_header {
  response_header_id id = response_header_id::vary;
  std::string_view value;

  [[nodiscard]] constexpr std::string_view name() const noexcept { return name_of(id); }
  [[nodiscard]] constexpr write_rule rule() const noexcept { return rule_of(id); }
};

}  // namespace cors

#endif  // CORS_RESPONSE_HEADER_HPP
