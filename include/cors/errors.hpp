// Configuration errors: typed, collected together, each with a message that says how to fix it.
#ifndef CORS_ERRORS_HPP
#define CORS_ERRORS_HPP

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cors {

/// What is wrong with a `cors::config`. One value per kind of mistake, so that tools can react to
/// a specific problem without parsing messages.
enum class config_error_code {
  no_origins,                         ///< neither `origins` nor `origin_predicate` was given
  origin_missing_scheme,              ///< `example.com` instead of `https://example.com`
  origin_has_path,                    ///< a path, even a lone trailing `/`
  origin_has_query_or_fragment,       ///< `?…` or `#…`
  origin_has_userinfo,                ///< `https://user@example.com`
  origin_has_uppercase,               ///< browsers serialize scheme and host in lowercase
  origin_has_non_ascii,               ///< an IDN that should be written in punycode
  origin_bad_scheme,                  ///< not `lower-alpha *( lower-alphanum / "+" / "-" / "." )`
  origin_bad_host,                    ///< not a serialized domain, IPv4 or bracketed IPv6 address
  origin_bad_port,                    ///< not 0..65535 without leading zeros, nor `*`
  origin_default_port,                ///< `https://a.example:443`: browsers omit the default port
  origin_bad_wildcard,                ///< `*` anywhere but a whole leading label or the whole port
  origin_wildcard_too_broad,          ///< `https://*.com`: every site under a top-level domain
  origin_null_not_enabled,            ///< `null` listed without `dangerously_allow_null_origin`
  credentials_with_any_origin,        ///< `*` with `credentials`
  credentials_with_insecure_origin,   ///< `http://` (not loopback) with `credentials`
  method_invalid,                     ///< not a token
  method_forbidden,                   ///< CONNECT, TRACE, TRACK
  request_header_invalid,             ///< not a token
  request_header_forbidden,           ///< a forbidden request-header name (`Cookie`, `Sec-…`)
  exposed_header_invalid,             ///< not a token
  exposed_header_forbidden,           ///< `Set-Cookie`, `Set-Cookie2`: never readable by scripts
  exposed_wildcard_with_credentials,  ///< `*` in `exposed_headers` with `credentials`
  max_age_out_of_range,               ///< outside 0 … 86400 seconds
  preflight_status_invalid,           ///< neither 200 nor 204
  max_request_headers_bytes_invalid,  ///< outside 256 … 65536 bytes
  route_path_prefix_invalid,          ///< a router's path prefix that is not a plain absolute path
  route_host_invalid,                 ///< a router's host that is not a `Host` value
  route_duplicate,                    ///< two routes with the same host and path prefix
  json_invalid,                       ///< a configuration file that is not JSON, or of the wrong shape
};

/// One problem found in a configuration.
struct config_error {
  config_error_code code;
  std::string subject;  ///< the offending value as written (empty for problems of the whole config)
  std::string message;  ///< `cors: …`, including how to fix it
};

/// Thrown by the `cors::policy` constructor when the configuration has one or more problems.
/// `what()` lists every problem, one per line; `errors()` gives them typed.
class invalid_config : public std::invalid_argument {
 public:
  explicit invalid_config(std::vector<config_error> errors)
      : std::invalid_argument(join(errors)), errors_(std::move(errors)) {}

  /// Every problem found, in the order of the configuration's fields.
  [[nodiscard]] const std::vector<config_error>& errors() const noexcept { return errors_; }

 private:
  static std::string join(const std::vector<config_error>& errors) {
    std::string out;
    for (const config_error& e : errors) {
      if (!out.empty()) out += '\n';
      out += e.message;
    }
    return out;
  }

  std::vector<config_error> errors_;
};

/// The snake_case name of a code, for logs and machine-readable output.
[[nodiscard]] constexpr std::string_view to_string(config_error_code code) noexcept {
  switch (code) {
    case config_error_code::no_origins: return "no_origins";
    case config_error_code::origin_missing_scheme: return "origin_missing_scheme";
    case config_error_code::origin_has_path: return "origin_has_path";
    case config_error_code::origin_has_query_or_fragment: return "origin_has_query_or_fragment";
    case config_error_code::origin_has_userinfo: return "origin_has_userinfo";
    case config_error_code::origin_has_uppercase: return "origin_has_uppercase";
    case config_error_code::origin_has_non_ascii: return "origin_has_non_ascii";
    case config_error_code::origin_bad_scheme: return "origin_bad_scheme";
    case config_error_code::origin_bad_host: return "origin_bad_host";
    case config_error_code::origin_bad_port: return "origin_bad_port";
    case config_error_code::origin_default_port: return "origin_default_port";
    case config_error_code::origin_bad_wildcard: return "origin_bad_wildcard";
    case config_error_code::origin_wildcard_too_broad: return "origin_wildcard_too_broad";
    case config_error_code::origin_null_not_enabled: return "origin_null_not_enabled";
    case config_error_code::credentials_with_any_origin: return "credentials_with_any_origin";
    case config_error_code::credentials_with_insecure_origin: return "credentials_with_insecure_origin";
    case config_error_code::method_invalid: return "method_invalid";
    case config_error_code::method_forbidden: return "method_forbidden";
    case config_error_code::request_header_invalid: return "request_header_invalid";
    case config_error_code::request_header_forbidden: return "request_header_forbidden";
    case config_error_code::exposed_header_invalid: return "exposed_header_invalid";
    case config_error_code::exposed_header_forbidden: return "exposed_header_forbidden";
    case config_error_code::exposed_wildcard_with_credentials: return "exposed_wildcard_with_credentials";
    case config_error_code::max_age_out_of_range: return "max_age_out_of_range";
    case config_error_code::preflight_status_invalid: return "preflight_status_invalid";
    case config_error_code::max_request_headers_bytes_invalid: return "max_request_headers_bytes_invalid";
    case config_error_code::route_path_prefix_invalid: return "route_path_prefix_invalid";
    case config_error_code::route_host_invalid: return "route_host_invalid";
    case config_error_code::route_duplicate: return "route_duplicate";
    case config_error_code::json_invalid: return "json_invalid";
  }
  return "unknown";
}

}  // namespace cors

#endif  // CORS_ERRORS_HPP
