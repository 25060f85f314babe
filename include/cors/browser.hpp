// A model of the browser's side of the CORS protocol, step by step as the Fetch Standard writes
// it: what a page's cross-origin `fetch()` sends (is there a CORS-preflight request, with which
// `Access-Control-Request-*` values), and whether the browser accepts the responses it receives
// (the CORS check, the CORS-preflight checks), naming the step that fails.
//
// A test kit and a diagnostic, not part of the request path: it allocates, and `cors/cors.hpp`
// does not include it. It judges the response as it reaches the browser, after proxies and
// frameworks, header lines repeated and all: a duplicated `Access-Control-Allow-Origin`, `True` for
// `true`, a trailing slash in the echoed origin.
//
// Out of the model: the CORS-preflight cache (a cached preflight is not sent again), redirects of
// the actual request, browser caps on `Access-Control-Max-Age`, Private Network Access, and the
// `Content-Type` a body adds by itself (list it among the headers).
// @see https://fetch.spec.whatwg.org/#cors-protocol
#ifndef CORS_BROWSER_HPP
#define CORS_BROWSER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail/ascii.hpp"
#include "detail/escape.hpp"
#include "detail/http_list.hpp"
#include "fetch.hpp"

namespace cors::browser {

/// A request's credentials mode, as `fetch(url, {credentials})` sets it. For a cross-origin URL
/// `omit` and `same-origin` both send no credentials and are judged alike; only `include` differs.
/// @see https://fetch.spec.whatwg.org/#concept-request-credentials-mode
enum class credentials_mode : unsigned char { omit, same_origin, include };

/// One header line: a name and a value, owning.
struct header_line {
  std::string name;
  std::string value;
};

/// What a page's script asks of `fetch()` for a cross-origin URL with `mode: "cors"`.
struct fetch_request {
  std::string origin;                ///< the page's serialized origin, e.g. `https://app.example` or `null`
  std::string method = "GET";        ///< as the script spells it (`fetch()` normalizes six names)
  std::vector<header_line> headers;  ///< as the script appends them, in order
  credentials_mode credentials = credentials_mode::same_origin;
};

/// What the browser sends for a `fetch_request`.
struct request_plan {
  /// `fetch()` rejects with a TypeError before anything is sent (a method that is not a token or
  /// is forbidden, a header name that is not a token, a value with NUL, CR or LF).
  bool type_error = false;
  std::string type_error_reason;                 ///< why, when `type_error`
  std::string method;                            ///< the normalized method of the actual request
  std::vector<header_line> headers;              ///< author headers sent (values normalized, forbidden dropped)
  std::vector<std::string> unsafe_header_names;  ///< CORS-unsafe request-header names: lowercase, sorted, unique
  bool preflight = false;                        ///< a CORS-preflight request goes first (absent a cache entry)
  std::string access_control_request_method;     ///< its `Access-Control-Request-Method` (when `preflight`)
  std::optional<std::string> access_control_request_headers;  ///< its `Access-Control-Request-Headers`, if sent
  credentials_mode credentials = credentials_mode::same_origin;
  std::string origin;  ///< the `Origin` both requests carry
};

/// A response as the browser receives it: the status and every header line in order, repeats kept.
struct response {
  int status = 200;
  std::vector<header_line> headers;

  /// #concept-header-list-get: the values of every line named `name` (byte-case-insensitive),
  /// each normalized (leading and trailing HTTP whitespace removed, as the network layer does),
  /// joined with `, `; nullopt when there is none. Allocates; does not throw other than bad_alloc.
  /// @see https://fetch.spec.whatwg.org/#concept-header-list-get
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const {
    std::optional<std::string> out;
    for (const header_line& h : headers) {
      if (!detail::iequals(h.name, name)) continue;
      if (out) {
        out->append(", ");
      } else {
        out.emplace();
      }
      out->append(detail::trim_http_whitespace(h.value));
    }
    return out;
  }

  /// Parses a raw HTTP/1.x response head (`HTTP/1.1 204 No Content` then `Name: value` lines, CRLF
  /// or LF, up to an empty line; what `curl -si` prints). nullopt when the status line or a header
  /// line is malformed (no colon, or a name that is not a token). Does not throw other than bad_alloc.
  [[nodiscard]] static std::optional<response> parse(std::string_view head) {
    auto next_line = [&head]() {
      const std::size_t nl = head.find('\n');
      std::string_view line = head.substr(0, nl);
      head = nl == std::string_view::npos ? std::string_view{} : head.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return line;
    };
    const std::string_view status_line = next_line();
    // "HTTP/" 1*DIGIT "." 1*DIGIT SP 3DIGIT [SP reason]
    if (status_line.substr(0, 5) != "HTTP/") return std::nullopt;
    const std::size_t sp = status_line.find(' ');
    if (sp == std::string_view::npos || status_line.size() < sp + 4) return std::nullopt;
    const std::string_view code = status_line.substr(sp + 1, 3);
    if (!std::all_of(code.begin(), code.end(), detail::is_digit)) return std::nullopt;
    if (status_line.size() > sp + 4 && status_line[sp + 4] != ' ') return std::nullopt;
    response r;
    r.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    while (!head.empty()) {
      const std::string_view line = next_line();
      if (line.empty()) break;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos || !detail::is_token(line.substr(0, colon))) return std::nullopt;
      r.headers.push_back({std::string(line.substr(0, colon)), std::string(detail::trim_ows(line.substr(colon + 1)))});
    }
    return r;
  }
};

/// The step at which the browser refuses a response (`none`: it accepts it).
enum class step : unsigned char {
  none,
  // #cors-check
  allow_origin_missing,                    ///< no `Access-Control-Allow-Origin` (step 2)
  allow_origin_multiple,                   ///< several lines or a list: never equal to one origin (step 4)
  allow_origin_wildcard_with_credentials,  ///< `*` while credentials mode is include (steps 3-4)
  allow_origin_mismatch,                   ///< not the request's serialized origin, byte for byte (step 4)
  allow_credentials_missing,               ///< include mode, no `Access-Control-Allow-Credentials` (step 7)
  allow_credentials_not_true,              ///< include mode, the value is not exactly `true` (step 7)
  // #cors-preflight-fetch-0
  preflight_status_not_ok,    ///< preflight status outside 200-299 (3xx included: never followed)
  allow_methods_invalid,      ///< `Access-Control-Allow-Methods` is not a list of tokens
  allow_headers_invalid,      ///< `Access-Control-Allow-Headers` is not a list of tokens
  method_not_allowed,         ///< the method is not listed (case-sensitive) nor covered by `*`
  authorization_not_allowed,  ///< `Authorization` is sent and not listed by name (`*` never covers it)
  header_not_allowed,         ///< a CORS-unsafe request-header name not listed nor covered by `*`
};

/// The enumerator's name (`"allow_origin_mismatch"`).
[[nodiscard]] constexpr std::string_view to_string(step s) noexcept {
  switch (s) {
    case step::none: return "none";
    case step::allow_origin_missing: return "allow_origin_missing";
    case step::allow_origin_multiple: return "allow_origin_multiple";
    case step::allow_origin_wildcard_with_credentials: return "allow_origin_wildcard_with_credentials";
    case step::allow_origin_mismatch: return "allow_origin_mismatch";
    case step::allow_credentials_missing: return "allow_credentials_missing";
    case step::allow_credentials_not_true: return "allow_credentials_not_true";
    case step::preflight_status_not_ok: return "preflight_status_not_ok";
    case step::allow_methods_invalid: return "allow_methods_invalid";
    case step::allow_headers_invalid: return "allow_headers_invalid";
    case step::method_not_allowed: return "method_not_allowed";
    case step::authorization_not_allowed: return "authorization_not_allowed";
    case step::header_not_allowed: return "header_not_allowed";
  }
  return "unknown";
}

/// The Fetch Standard anchor of the algorithm the step belongs to.
[[nodiscard]] constexpr std::string_view anchor(step s) noexcept {
  switch (s) {
    case step::none: return "";
    case step::allow_origin_missing:
    case step::allow_origin_multiple:
    case step::allow_origin_wildcard_with_credentials:
    case step::allow_origin_mismatch:
    case step::allow_credentials_missing:
    case step::allow_credentials_not_true: return "https://fetch.spec.whatwg.org/#cors-check";
    case step::preflight_status_not_ok:
    case step::allow_methods_invalid:
    case step::allow_headers_invalid:
    case step::method_not_allowed:
    case step::authorization_not_allowed:
    case step::header_not_allowed: return "https://fetch.spec.whatwg.org/#cors-preflight-fetch-0";
  }
  return "";
}

/// The browser's verdict on one response.
struct verdict {
  step failed = step::none;
  std::string detail;  ///< what failed, with the bytes received (escaped); empty when accepted
  /// Preflight only: `Access-Control-Max-Age` as parsed, 5 when absent or not `delta-seconds`
  /// (before any browser cap; Chromium caps at 7200, Firefox at 86400).
  std::uint64_t max_age = 5;
  bool max_age_valid = false;  ///< the header was present and parsed

  [[nodiscard]] bool accepted() const noexcept { return failed == step::none; }
};

namespace detail {

using cors::detail::concat;
using cors::detail::printable;

[[nodiscard]] inline bool contains_byte(std::string_view s, char c) noexcept {
  return s.find(c) != std::string_view::npos;
}

/// #extract-header-list-values for a `#token` list (`#method`, `#field-name`): null when absent;
/// failure (false) when an element is not a token; empty elements are skipped (RFC 9110 §5.6.1.2).
[[nodiscard]] inline bool extract_token_list(const response& r, std::string_view name, std::vector<std::string>& out,
                                             std::string& bad) {
  for (const header_line& h : r.headers) {
    if (!cors::detail::iequals(h.name, name)) continue;
    cors::detail::list_reader<> reader(h.value);
    std::string_view element;
    while (reader.next(element)) {
      if (element.empty()) continue;
      if (!cors::detail::is_token(element)) {
        bad = std::string(element);
        return false;
      }
      out.emplace_back(element);
    }
  }
  return true;
}

[[nodiscard]] inline bool contains_exact(const std::vector<std::string>& list, std::string_view s) noexcept {
  return std::find(list.begin(), list.end(), s) != list.end();
}

[[nodiscard]] inline bool contains_ci(const std::vector<std::string>& list, std::string_view s) noexcept {
  return std::any_of(list.begin(), list.end(), [s](const std::string& e) { return cors::detail::iequals(e, s); });
}

[[nodiscard]] inline std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = cors::detail::to_lower(c);
  return out;
}

[[nodiscard]] inline verdict fail(step s, std::string detail) {
  verdict v;
  v.failed = s;
  v.detail = std::move(detail);
  return v;
}

}  // namespace detail

/// What the browser sends for `request`: the actual request's method and headers, the CORS-unsafe
/// request-header names, and whether (and with which `Access-Control-Request-*` values) a
/// CORS-preflight request goes first. Does not throw other than bad_alloc.
/// @see https://fetch.spec.whatwg.org/#main-fetch
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
[[nodiscard]] inline request_plan plan(const fetch_request& request) {
  request_plan p;
  p.origin = request.origin;
  p.credentials = request.credentials;
  // Request constructor: "If method is not a method or method is a forbidden method, then throw a
  // TypeError. Normalize method."
  if (!fetch::is_method(request.method)) {
    p.type_error = true;
    p.type_error_reason = detail::concat({"method `", detail::printable(request.method), "` is not a token"});
    return p;
  }
  if (fetch::is_forbidden_method(request.method)) {
    p.type_error = true;
    p.type_error_reason = detail::concat({"method `", detail::printable(request.method), "` is forbidden"});
    return p;
  }
  p.method = std::string(fetch::normalize_method(request.method));
  // #concept-headers-append: "Normalize value"; "If name is not a header name or value is not a
  // header value, then throw a TypeError"; guard "request": a forbidden request-header is ignored.
  for (const header_line& h : request.headers) {
    const std::string_view value = cors::detail::trim_http_whitespace(h.value);
    if (!fetch::is_header_name(h.name)) {
      p.type_error = true;
      p.type_error_reason = detail::concat({"header name `", detail::printable(h.name), "` is not a token"});
      return p;
    }
    if (detail::contains_byte(value, '\0') || detail::contains_byte(value, '\r') ||
        detail::contains_byte(value, '\n')) {
      p.type_error = true;
      p.type_error_reason = detail::concat({"header `", h.name, "` has a value with NUL, CR or LF"});
      return p;
    }
    if (fetch::is_forbidden_request_header(h.name, value)) continue;
    p.headers.push_back({h.name, std::string(value)});
  }
  // #cors-unsafe-request-header-names: "For each header of headers: If header is not a
  // CORS-safelisted request-header, then append header's name to unsafeNames. Otherwise, append
  // header's name to potentiallyUnsafeNames and increase safelistValueSize by header's value's
  // length. If safelistValueSize is greater than 1024, then for each name of
  // potentiallyUnsafeNames, append name to unsafeNames. Return the result of convert header names
  // to a sorted-lowercase set with unsafeNames."
  std::vector<std::string> unsafe;
  std::vector<std::string> potentially_unsafe;
  std::size_t safelist_value_size = 0;
  for (const header_line& h : p.headers) {
    if (!fetch::is_cors_safelisted_request_header(h.name, h.value)) {
      unsafe.push_back(detail::lowercase(h.name));
    } else {
      potentially_unsafe.push_back(detail::lowercase(h.name));
      safelist_value_size += h.value.size();
    }
  }
  if (safelist_value_size > fetch::cors_safelisted_total_value_limit) {
    unsafe.insert(unsafe.end(), potentially_unsafe.begin(), potentially_unsafe.end());
  }
  std::sort(unsafe.begin(), unsafe.end());
  unsafe.erase(std::unique(unsafe.begin(), unsafe.end()), unsafe.end());
  p.unsafe_header_names = std::move(unsafe);
  // #main-fetch: "request's unsafe-request flag is set and either request's method is not a
  // CORS-safelisted method or CORS-unsafe request-header names with request's header list is not
  // empty" (fetch() sets the unsafe-request flag).
  p.preflight = !fetch::is_cors_safelisted_method(p.method) || !p.unsafe_header_names.empty();
  if (p.preflight) {
    // #cors-preflight-fetch-0 steps 2-5: `Access-Control-Request-Method` is request's method; "If
    // headers is not empty, then: Let value be the items in headers separated from each other by
    // `,`."
    p.access_control_request_method = p.method;
    if (!p.unsafe_header_names.empty()) {
      std::string value;
      for (const std::string& n : p.unsafe_header_names) {
        if (!value.empty()) value.push_back(',');
        value.append(n);
      }
      p.access_control_request_headers = std::move(value);
    }
  }
  return p;
}

/// The CORS check of `response` for a request with this origin and credentials mode.
/// Does not throw other than bad_alloc.
/// @see https://fetch.spec.whatwg.org/#cors-check
[[nodiscard]] inline verdict check_cors(std::string_view origin, credentials_mode credentials, const response& r) {
  using detail::concat;
  using detail::printable;
  const bool include = credentials == credentials_mode::include;
  // 1. "Let origin be the result of getting `Access-Control-Allow-Origin` from response's header list."
  const std::optional<std::string> allow_origin = r.get("Access-Control-Allow-Origin");
  // 2. "If origin is null, then return failure."
  if (!allow_origin) {
    return detail::fail(step::allow_origin_missing, "the response has no Access-Control-Allow-Origin header");
  }
  // 3. "If request's credentials mode is not "include" and origin is `*`, then return success."
  if (!include && *allow_origin == "*") return {};
  // 4. "If the result of byte-serializing a request origin with request is not origin, then return failure."
  if (*allow_origin != origin) {
    const std::string got = printable(*allow_origin);
    if (*allow_origin == "*") {
      return detail::fail(step::allow_origin_wildcard_with_credentials,
                          "Access-Control-Allow-Origin is `*`, which a request with credentials mode include never "
                          "accepts; echo the origin instead");
    }
    if (detail::contains_byte(*allow_origin, ',')) {
      return detail::fail(step::allow_origin_multiple,
                          concat({"Access-Control-Allow-Origin has several values (`", got,
                                  "`: repeated header lines or a list); it must be exactly one origin"}));
    }
    std::string hint;
    if (allow_origin->size() == origin.size() + 1 && allow_origin->back() == '/' &&
        std::string_view(*allow_origin).substr(0, origin.size()) == origin) {
      hint = " (a trailing slash never matches)";
    } else if (cors::detail::iequals(*allow_origin, origin)) {
      hint = " (the comparison is case-sensitive)";
    }
    return detail::fail(step::allow_origin_mismatch,
                        concat({"Access-Control-Allow-Origin is `", got, "`, not the request's origin `",
                                printable(origin), "`", hint}));
  }
  // 5. "If request's credentials mode is not "include", then return success."
  if (!include) return {};
  // 6. "Let credentials be the result of getting `Access-Control-Allow-Credentials` from
  // response's header list." 7. "If credentials is `true`, then return success." 8. "Return failure."
  const std::optional<std::string> allow_credentials = r.get("Access-Control-Allow-Credentials");
  if (!allow_credentials) {
    return detail::fail(step::allow_credentials_missing,
                        "credentials mode is include and the response has no Access-Control-Allow-Credentials");
  }
  if (*allow_credentials != "true") {
    return detail::fail(step::allow_credentials_not_true,
                        concat({"Access-Control-Allow-Credentials is `", printable(*allow_credentials),
                                "`; only `true` (lowercase, one value) is accepted"}));
  }
  return {};
}

/// The browser's verdict on the response to the CORS-preflight request of `p` (which must have
/// `preflight` set): the CORS check, an ok status, then methods and headers coverage, and
/// `Access-Control-Max-Age`. Does not throw other than bad_alloc.
/// @see https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
[[nodiscard]] inline verdict check_preflight(const request_plan& p, const response& r) {
  using detail::concat;
  using detail::printable;
  const bool include = p.credentials == credentials_mode::include;
  // 7. "If a CORS check for request and response returns success and response's status is an ok
  // status, then:" (otherwise: "Return a network error").
  verdict v = check_cors(p.origin, p.credentials, r);
  if (!v.accepted()) return v;
  if (r.status < 200 || r.status > 299) {
    return detail::fail(step::preflight_status_not_ok,
                        concat({"the preflight response's status is ", std::to_string(r.status),
                                ", not an ok status (200-299); redirects are not followed"}));
  }
  // 7.1-7.3 "Let methods be the result of extracting header list values given
  // `Access-Control-Allow-Methods` ... Let headerNames be ... `Access-Control-Allow-Headers` ...
  // If either methods or headerNames is failure, return a network error."
  std::vector<std::string> methods;
  std::vector<std::string> header_names;
  std::string bad;
  if (!detail::extract_token_list(r, "Access-Control-Allow-Methods", methods, bad)) {
    return detail::fail(step::allow_methods_invalid, concat({"Access-Control-Allow-Methods has `", printable(bad),
                                                             "`, which is not a method token"}));
  }
  if (!detail::extract_token_list(r, "Access-Control-Allow-Headers", header_names, bad)) {
    return detail::fail(step::allow_headers_invalid, concat({"Access-Control-Allow-Headers has `", printable(bad),
                                                             "`, which is not a header name"}));
  }
  // 7.4 "If methods is null and request's use-CORS-preflight flag is set, ..." (fetch() never
  // sets that flag.) 7.5 "If request's method is not in methods, request's method is not a
  // CORS-safelisted method, and request's credentials mode is "include" or methods does not
  // contain `*`, then return a network error."
  if (!detail::contains_exact(methods, p.method) && !fetch::is_cors_safelisted_method(p.method) &&
      (include || !detail::contains_exact(methods, "*"))) {
    std::string why = concat({"method `", printable(p.method), "` is not in Access-Control-Allow-Methods"});
    if (include && detail::contains_exact(methods, "*"))
      why += " (`*` is no wildcard when credentials mode is include)";
    if (detail::contains_ci(methods, p.method)) why += " (methods are case-sensitive)";
    return detail::fail(step::method_not_allowed, std::move(why));
  }
  // 7.6 "If one of request's header list's names is a CORS non-wildcard request-header name and is
  // not a byte-case-insensitive match for an item in headerNames, then return a network error."
  for (const header_line& h : p.headers) {
    if (fetch::is_cors_non_wildcard_request_header_name(h.name) && !detail::contains_ci(header_names, h.name)) {
      return detail::fail(step::authorization_not_allowed,
                          "`authorization` is not in Access-Control-Allow-Headers (`*` never covers it)");
    }
  }
  // 7.7 "For each unsafeName of the CORS-unsafe request-header names with request's header list,
  // if unsafeName is not a byte-case-insensitive match for an item in headerNames and request's
  // credentials mode is "include" or headerNames does not contain `*`, return a network error."
  for (const std::string& name : p.unsafe_header_names) {
    if (!detail::contains_ci(header_names, name) && (include || !detail::contains_exact(header_names, "*"))) {
      std::string why = concat({"request header `", name, "` is not in Access-Control-Allow-Headers"});
      if (include && detail::contains_exact(header_names, "*")) {
        why += " (`*` is no wildcard when credentials mode is include)";
      }
      return detail::fail(step::header_not_allowed, std::move(why));
    }
  }
  // 7.8 "Let max-age be the result of extracting header list values given
  // `Access-Control-Max-Age` and response's header list. If max-age is failure or null, then set
  // max-age to 5." (`delta-seconds` = 1*DIGIT, one header line only.)
  std::size_t lines = 0;
  std::string_view value;
  for (const header_line& h : r.headers) {
    if (cors::detail::iequals(h.name, "Access-Control-Max-Age")) {
      ++lines;
      value = cors::detail::trim_http_whitespace(h.value);
    }
  }
  if (lines == 1 && !value.empty() && std::all_of(value.begin(), value.end(), cors::detail::is_digit)) {
    std::uint64_t n = 0;
    for (char c : value) {
      const auto d = static_cast<std::uint64_t>(c - '0');
      n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
    }
    v.max_age = n;
    v.max_age_valid = true;
  }
  return v;
}

/// The browser's verdict on the response to the actual request: the CORS check, whatever the
/// status (a 404 or 500 with the right headers is readable).
/// @see https://fetch.spec.whatwg.org/#http-fetch
[[nodiscard]] inline verdict check_actual(const request_plan& p, const response& r) {
  return check_cors(p.origin, p.credentials, r);
}

/// The whole exchange: what is sent, and the verdicts on the responses received.
struct exchange {
  request_plan sent;
  std::optional<verdict> preflight;  ///< set when a preflight was sent
  std::optional<verdict> actual;     ///< set when the actual request was sent
  /// The script reads the response: no TypeError, the preflight (if any) and the actual response
  /// are accepted.
  [[nodiscard]] bool accepted() const noexcept {
    return !sent.type_error && (!preflight || preflight->accepted()) && actual && actual->accepted();
  }
  /// The first refusal (`none` when accepted or on a TypeError).
  [[nodiscard]] step failed() const noexcept {
    if (preflight && !preflight->accepted()) return preflight->failed;
    return actual ? actual->failed : step::none;
  }
};

/// Runs `request` against the given responses: `preflight_response` answers the preflight (used
/// only when one is sent), `actual_response` the actual request (sent only when there is no
/// preflight or it is accepted). Does not throw other than bad_alloc.
[[nodiscard]] inline exchange run(const fetch_request& request, const response& preflight_response,
                                  const response& actual_response) {
  exchange e;
  e.sent = plan(request);
  if (e.sent.type_error) return e;
  if (e.sent.preflight) {
    e.preflight = check_preflight(e.sent, preflight_response);
    if (!e.preflight->accepted()) return e;
  }
  e.actual = check_actual(e.sent, actual_response);
  return e;
}

}  // namespace cors::browser

#endif  // CORS_BROWSER_HPP
