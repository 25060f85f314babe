// The Fetch Standard's predicates about methods and headers, word for word: which requests a
// browser sends without a CORS-preflight request, and which names scripts may never set.
// Every rule here cites its anchor in https://fetch.spec.whatwg.org/.
#ifndef CORS_FETCH_HPP
#define CORS_FETCH_HPP

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string_view>

#include "detail/ascii.hpp"
#include "detail/http_list.hpp"

namespace cors::fetch {

/// A header as a script hands it to `fetch()`: name and value, both non-owning.
struct header {
  std::string_view name;
  std::string_view value;
};

/// Is `method` a method token (RFC 9110 `token`)?
/// @see https://fetch.spec.whatwg.org/#concept-method
[[nodiscard]] constexpr bool is_method(std::string_view method) noexcept { return detail::is_token(method); }

/// Is `name` a header name (RFC 9110 `field-name`, a token)?
/// @see https://fetch.spec.whatwg.org/#header-name
[[nodiscard]] constexpr bool is_header_name(std::string_view name) noexcept { return detail::is_token(name); }

/// "A CORS-safelisted method is a method that is `GET`, `HEAD`, or `POST`." Byte for byte:
/// methods are case-sensitive, and browsers only uppercase the six names of #concept-method-normalize.
/// @see https://fetch.spec.whatwg.org/#cors-safelisted-method
[[nodiscard]] constexpr bool is_cors_safelisted_method(std::string_view method) noexcept {
  return method == "GET" || method == "HEAD" || method == "POST";
}

/// "A forbidden method is a method that is a byte-case-insensitive match for `CONNECT`, `TRACE`,
/// or `TRACK`."
/// @see https://fetch.spec.whatwg.org/#forbidden-method
[[nodiscard]] constexpr bool is_forbidden_method(std::string_view method) noexcept {
  return detail::iequals(method, "CONNECT") || detail::iequals(method, "TRACE") || detail::iequals(method, "TRACK");
}

/// "To normalize a method, if it is a byte-case-insensitive match for `DELETE`, `GET`, `HEAD`,
/// `OPTIONS`, `POST`, or `PUT`, byte-uppercase it." Returns the normalized spelling for those six
/// and `method` unchanged otherwise (`patch` stays `patch`).
/// @see https://fetch.spec.whatwg.org/#concept-method-normalize
[[nodiscard]] constexpr std::string_view normalize_method(std::string_view method) noexcept {
  constexpr std::array<std::string_view, 6> normalized{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"};
  for (std::string_view m : normalized) {
    if (detail::iequals(method, m)) return m;
  }
  return method;
}

/// "A CORS-unsafe request-header byte is a byte byte for which one of the following is true:
/// byte is less than 0x20 and is not 0x09 HT; byte is 0x22 ("), 0x28 (left parenthesis), 0x29
/// (right parenthesis), 0x3A (:), 0x3C (<), 0x3E (>), 0x3F (?), 0x40 (@), 0x5B ([), 0x5C (\),
/// 0x5D (]), 0x7B ({), 0x7D (}), or 0x7F DEL."
/// @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
[[nodiscard]] constexpr bool is_cors_unsafe_request_header_byte(char byte) noexcept {
  const auto b = static_cast<unsigned char>(byte);
  if (b < 0x20) return b != 0x09;
  switch (b) {
    case 0x22:
    case 0x28:
    case 0x29:
    case 0x3A:
    case 0x3C:
    case 0x3E:
    case 0x3F:
    case 0x40:
    case 0x5B:
    case 0x5C:
    case 0x5D:
    case 0x7B:
    case 0x7D:
    case 0x7F: return true;
    default: return false;
  }
}

namespace detail {

[[nodiscard]] constexpr bool has_cors_unsafe_request_header_byte(std::string_view value) noexcept {
  return cors::detail::any_byte(value, is_cors_unsafe_request_header_byte);
}

/// `accept-language` / `content-language`: "If value contains a byte that is not in the range
/// 0x30 (0) to 0x39 (9), inclusive, is not in the range 0x41 (A) to 0x5A (Z), inclusive, is not in
/// the range 0x61 (a) to 0x7A (z), inclusive, and is not 0x20 SP, 0x2A (*), 0x2C (,), 0x2D (-),
/// 0x2E (.), 0x3B (;), or 0x3D (=), then return false."
[[nodiscard]] constexpr bool is_language_value(std::string_view value) noexcept {
  for (char c : value) {
    const bool ok = cors::detail::is_digit(c) || cors::detail::is_alpha(c) || c == ' ' || c == '*' || c == ',' ||
                    c == '-' || c == '.' || c == ';' || c == '=';
    if (!ok) return false;
  }
  return true;
}

/// The essence of `value` per "parse a MIME type" (strict, not "extract a MIME type"), or an empty
/// view when parsing fails. Parameters never make parsing fail, so they are not examined.
/// @see https://mimesniff.spec.whatwg.org/#parse-a-mime-type
[[nodiscard]] constexpr bool mime_essence_equals(std::string_view value, std::string_view essence) noexcept {
  // 1. Remove any leading and trailing HTTP whitespace from input.
  const std::string_view input = cors::detail::trim_http_whitespace(value);
  // 3-5. Collect code points that are not "/" as type; it must be a non-empty token.
  const std::size_t slash = input.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view type = input.substr(0, slash);
  if (!cors::detail::is_token(type)) return false;
  // 8-9. Collect code points that are not ";" as subtype, remove trailing HTTP whitespace; it
  // must be a non-empty token.
  std::string_view rest = input.substr(slash + 1);
  std::string_view subtype = rest.substr(0, rest.find(';'));
  while (!subtype.empty() && cors::detail::is_http_whitespace(subtype.back())) subtype.remove_suffix(1);
  if (!cors::detail::is_token(subtype)) return false;
  // 10. "type and subtype, in ASCII lowercase": the essence compares case-insensitively.
  return essence.size() == type.size() + 1 + subtype.size() &&
         cors::detail::iequals(essence.substr(0, type.size()), type) && essence[type.size()] == '/' &&
         cors::detail::iequals(essence.substr(type.size() + 1), subtype);
}

/// Compares two decimal digit strings numerically, without overflow.
[[nodiscard]] constexpr int compare_decimal(std::string_view a, std::string_view b) noexcept {
  while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
  while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

/// "parse a single range header value" with allowWhitespace false, plus the safelist's extra
/// requirement that rangeStart is not null: `bytes=N-` or `bytes=N-M` with N <= M.
/// @see https://fetch.spec.whatwg.org/#simple-range-header-value
[[nodiscard]] constexpr bool is_safelisted_range_value(std::string_view value) noexcept {
  constexpr std::string_view prefix = "bytes=";
  // 2-6: "bytes" (case-insensitive), no whitespace, then "=".
  if (value.size() < prefix.size() || !cors::detail::iequals(value.substr(0, 5), "bytes") || value[5] != '=') {
    return false;
  }
  std::string_view rest = value.substr(prefix.size());
  std::size_t i = 0;
  while (i < rest.size() && cors::detail::is_digit(rest[i])) ++i;
  const std::string_view start = rest.substr(0, i);
  if (i == rest.size() || rest[i] != '-') return false;
  rest = rest.substr(i + 1);
  std::size_t j = 0;
  while (j < rest.size() && cors::detail::is_digit(rest[j])) ++j;
  const std::string_view end = rest.substr(0, j);
  // 13: position must be past the end of data.
  if (j != rest.size()) return false;
  // Safelist step: "If rangeValue[0] is null, then return false."
  if (start.empty()) return false;
  // 17: "If rangeEnd is non-null and rangeStart is greater than rangeEnd, return failure."
  return end.empty() || compare_decimal(start, end) <= 0;
}

}  // namespace detail

/// Is (name, value) a CORS-safelisted request-header? Such headers can be sent cross-origin
/// without a preflight.
/// @see https://fetch.spec.whatwg.org/#cors-safelisted-request-header
[[nodiscard]] constexpr bool is_cors_safelisted_request_header(std::string_view name, std::string_view value) noexcept {
  // 1. "If value's length is greater than 128, then return false."
  if (value.size() > 128) return false;
  // 2. "Byte-lowercase name and switch on the result:"
  if (cors::detail::iequals(name, "accept")) {
    return !detail::has_cors_unsafe_request_header_byte(value);
  }
  if (cors::detail::iequals(name, "accept-language") || cors::detail::iequals(name, "content-language")) {
    return detail::is_language_value(value);
  }
  if (cors::detail::iequals(name, "content-type")) {
    // "If value contains a CORS-unsafe request-header byte, then return false. Let mimeType be the
    // result of parsing the result of isomorphic decoding value. If mimeType is failure, then
    // return false. If mimeType's essence is not "application/x-www-form-urlencoded",
    // "multipart/form-data", or "text/plain", then return false."
    if (detail::has_cors_unsafe_request_header_byte(value)) return false;
    return detail::mime_essence_equals(value, "application/x-www-form-urlencoded") ||
           detail::mime_essence_equals(value, "multipart/form-data") ||
           detail::mime_essence_equals(value, "text/plain");
  }
  if (cors::detail::iequals(name, "range")) {
    return detail::is_safelisted_range_value(value);
  }
  // "Otherwise: Return false." (DPR, Downlink, Save-Data, Viewport-Width and Width were removed
  // in 2019; Last-Event-ID has never been in the standard.)
  return false;
}

/// "A CORS non-wildcard request-header name is a header name that is a byte-case-insensitive
/// match for `Authorization`." `*` in `Access-Control-Allow-Headers` never covers it.
/// @see https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
[[nodiscard]] constexpr bool is_cors_non_wildcard_request_header_name(std::string_view name) noexcept {
  return cors::detail::iequals(name, "authorization");
}

/// "A privileged no-CORS request-header name is a header name that is a byte-case-insensitive
/// match for `Range`."
/// @see https://fetch.spec.whatwg.org/#privileged-no-cors-request-header-name
[[nodiscard]] constexpr bool is_privileged_no_cors_request_header_name(std::string_view name) noexcept {
  return cors::detail::iequals(name, "range");
}

/// `Accept`, `Accept-Language`, `Content-Language`, `Content-Type`.
/// @see https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name
[[nodiscard]] constexpr bool is_no_cors_safelisted_request_header_name(std::string_view name) noexcept {
  return cors::detail::iequals(name, "accept") || cors::detail::iequals(name, "accept-language") ||
         cors::detail::iequals(name, "content-language") || cors::detail::iequals(name, "content-type");
}

/// Is `name` one of the byte-case-insensitive names that make a request-header forbidden
/// regardless of its value (step 1 and 2 of #forbidden-request-header)?
/// @see https://fetch.spec.whatwg.org/#forbidden-request-header
[[nodiscard]] constexpr bool is_forbidden_request_header_name(std::string_view name) noexcept {
  constexpr std::array<std::string_view, 21> names{"accept-charset",
                                                   "accept-encoding",
                                                   "access-control-request-headers",
                                                   "access-control-request-method",
                                                   "connection",
                                                   "content-length",
                                                   "cookie",
                                                   "cookie2",
                                                   "date",
                                                   "dnt",
                                                   "expect",
                                                   "host",
                                                   "keep-alive",
                                                   "origin",
                                                   "referer",
                                                   "set-cookie",
                                                   "te",
                                                   "trailer",
                                                   "transfer-encoding",
                                                   "upgrade",
                                                   "via"};
  for (std::string_view n : names) {
    if (cors::detail::iequals(name, n)) return true;
  }
  // 2. "If name when byte-lowercased starts with `proxy-` or `sec-`, then return true."
  return cors::detail::istarts_with(name, "proxy-") || cors::detail::istarts_with(name, "sec-");
}

/// Is `name` one of `X-HTTP-Method`, `X-HTTP-Method-Override`, `X-Method-Override`, whose value
/// decides whether the header is forbidden (step 3 of #forbidden-request-header)?
[[nodiscard]] constexpr bool is_method_override_header_name(std::string_view name) noexcept {
  return cors::detail::iequals(name, "x-http-method") || cors::detail::iequals(name, "x-http-method-override") ||
         cors::detail::iequals(name, "x-method-override");
}

/// Is (name, value) a forbidden request-header, one a script can never set?
/// Step 3: a method-override header is forbidden when "get, decode, and split" of its value yields
/// a forbidden method (`X-HTTP-Method-Override: PATCH` is fine, `: TRACE` is not).
/// @see https://fetch.spec.whatwg.org/#forbidden-request-header
[[nodiscard]] constexpr bool is_forbidden_request_header(std::string_view name, std::string_view value) noexcept {
  if (is_forbidden_request_header_name(name)) return true;
  if (!is_method_override_header_name(name)) return false;
  // #header-value-get-decode-and-split: split on commas outside quoted strings, strip HTTP tab
  // or space from each part. A quoted part keeps its quotes (the spec unquotes only with
  // extract-value true, which this algorithm does not use): `"TRACE"` is not a forbidden method.
  return cors::detail::any_list_element<cors::detail::list_commas::outside_quoted_strings>(
      value, [](std::string_view part) noexcept { return is_forbidden_method(part); });
}

/// "A forbidden response-header name is a header name that is a byte-case-insensitive match for
/// `Set-Cookie` or `Set-Cookie2`." Scripts never read them, even when exposed.
/// @see https://fetch.spec.whatwg.org/#forbidden-response-header-name
[[nodiscard]] constexpr bool is_forbidden_response_header_name(std::string_view name) noexcept {
  return cors::detail::iequals(name, "set-cookie") || cors::detail::iequals(name, "set-cookie2");
}

/// `Cache-Control`, `Content-Language`, `Content-Length`, `Content-Type`, `Expires`,
/// `Last-Modified`, `Pragma`: readable cross-origin without `Access-Control-Expose-Headers`.
/// @see https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
[[nodiscard]] constexpr bool is_cors_safelisted_response_header_name(std::string_view name) noexcept {
  constexpr std::array<std::string_view, 7> names{"cache-control", "content-language", "content-length", "content-type",
                                                  "expires",       "last-modified",    "pragma"};
  for (std::string_view n : names) {
    if (cors::detail::iequals(name, n)) return true;
  }
  return false;
}

/// The total length of CORS-safelisted request-header values above which all of them become
/// CORS-unsafe.
/// @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
inline constexpr std::size_t cors_safelisted_total_value_limit = 1024;

/// Would a browser send a CORS-preflight request before a cross-origin `fetch()` with this
/// (normalized) method and these author headers? True when the method is not CORS-safelisted or
/// the CORS-unsafe request-header names are not empty (#main-fetch step "request's use-CORS-preflight
/// flag is set, or request's unsafe-request flag is set and either request's method is not a
/// CORS-safelisted method or CORS-unsafe request-header names with request's header list is not
/// empty"). Forbidden headers are ignored, as `Headers` drops them before the request exists.
/// `Headers` is any range of objects with `name` and `value` members convertible to string_view.
/// @see https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
template <class Headers>
[[nodiscard]] constexpr bool needs_cors_preflight(std::string_view method, const Headers& headers) noexcept {
  if (!is_cors_safelisted_method(method)) return true;
  // #cors-unsafe-request-header-names: "For each header of headers: If header is not a
  // CORS-safelisted request-header, then append header's name to unsafeNames. Otherwise, append
  // header's name to potentiallyUnsafeNames and increase safelistValueSize by header's value's
  // length. If safelistValueSize is greater than 1024, then for each name of potentiallyUnsafeNames,
  // append name to unsafeNames."
  std::size_t safelist_value_size = 0;
  bool any_safelisted = false;
  for (const auto& h : headers) {
    const std::string_view name{h.name};
    const std::string_view value{h.value};
    if (is_forbidden_request_header(name, value)) continue;
    if (!is_cors_safelisted_request_header(name, value)) return true;
    any_safelisted = true;
    safelist_value_size += value.size();
  }
  return any_safelisted && safelist_value_size > cors_safelisted_total_value_limit;
}

/// Convenience overload for a braced list of headers.
[[nodiscard]] constexpr bool needs_cors_preflight(std::string_view method,
                                                  std::initializer_list<header> headers) noexcept {
  return needs_cors_preflight<std::initializer_list<header>>(method, headers);
}

}  // namespace cors::fetch

#endif  // CORS_FETCH_HPP
