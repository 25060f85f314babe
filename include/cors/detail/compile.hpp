// Compiling a `cors::config` into a `compiled_policy`: every field validated (every problem
// collected, each with its fix), names deduplicated and interned, header values joined once.
#ifndef CORS_DETAIL_COMPILE_HPP
#define CORS_DETAIL_COMPILE_HPP

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "../errors.hpp"
#include "../fetch.hpp"
#include "../origin_pattern.hpp"
#include "compiled_policy.hpp"
#include "escape.hpp"

namespace cors::detail {

inline void add_error(std::vector<config_error>& errors, config_error_code code, std::string_view subject,
                      std::string message) {
  errors.push_back(config_error{code, std::string(subject), std::move(message)});
}

[[nodiscard]] inline std::string backquoted(std::string_view s) { return concat({"`", printable(s), "`"}); }

/// The origins: patterns parsed strictly, the combinations refused that would grant more than
/// meant (`*` or insecure origins with credentials, `null` without its flag), then the set built.
inline void compile_origins(const config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  if (cfg.origins.empty() && !cfg.origin_predicate && !cfg.origin_predicate_with_request) {
    add_error(errors, config_error_code::no_origins, {},
              "cors: no origins are allowed; list them in `origins` (e.g. `https://app.example.com`), use `*` for "
              "any origin, or set `origin_predicate`");
  }
  origin_set::builder accepted;
  for (const std::string& text : cfg.origins) {
    origin_pattern_result parsed = parse_origin_pattern(text);
    if (!parsed.errors.empty()) {
      for (config_error& e : parsed.errors) errors.push_back(std::move(e));
      continue;
    }
    const origin_pattern& pat = parsed.pattern;
    if (pat.kind == origin_pattern_kind::any && cfg.credentials) {
      add_error(errors, config_error_code::credentials_with_any_origin, text,
                "cors: origin `*` cannot be combined with `credentials`: browsers reject "
                "`Access-Control-Allow-Origin: *` on credentialed requests, and echoing every origin would let any "
                "site read your users' data; list the origins you trust");
    }
    if (pat.kind == origin_pattern_kind::null && !cfg.dangerously_allow_null_origin) {
      add_error(errors, config_error_code::origin_null_not_enabled, text,
                "cors: origin `null` is shared by sandboxed iframes, `data:`/`file:` documents and redirected "
                "requests of any site; remove it, or set `dangerously_allow_null_origin` if you mean it");
    }
    if (pat.kind != origin_pattern_kind::any && pat.kind != origin_pattern_kind::null) {
      const bool secure_scheme = pat.scheme != "http" && pat.scheme != "ws";
      const bool loopback = pat.kind == origin_pattern_kind::subdomains ? pat.host == "localhost"
                                                                        : is_loopback_host(pat.host, pat.host_type);
      if (cfg.credentials && !secure_scheme && !loopback && !cfg.dangerously_allow_insecure_origins_with_credentials) {
        add_error(errors, config_error_code::credentials_with_insecure_origin, text,
                  concat({"cors: origin pattern ", backquoted(text), " is not secure (plain `", pat.scheme,
                          "://`) but `credentials` is on: anyone on the network can impersonate it; use `https://`, "
                          "or set `dangerously_allow_insecure_origins_with_credentials`"}));
        continue;
      }
    }
    accepted.add(pat, cfg.dangerously_allow_null_origin, p.storage);
  }
  p.origins = origin_set(accepted);
  // Two members, not one function wrapping both: every lambda stored in a std::function costs each
  // including translation unit its instantiation (tests/bench/compile_instructions.sh).
  p.origin_predicate = cfg.origin_predicate;
  p.origin_predicate_with_request = cfg.origin_predicate_with_request;
  p.any_predicate = p.origin_predicate || p.origin_predicate_with_request;

  pod_vector<table_entry> own;
  for (const std::string& text : cfg.server_origins) {
    origin_pattern_result parsed = parse_origin_pattern(text);
    if (parsed.errors.empty() && parsed.pattern.kind != origin_pattern_kind::exact) {
      add_error(parsed.errors, config_error_code::origin_bad_wildcard, text,
                concat({"cors: server origin ", backquoted(text),
                        " must be one exact origin such as `https://api.example.com`"}));
    }
    if (!parsed.errors.empty()) {
      for (config_error& e : parsed.errors) errors.push_back(std::move(e));
      continue;
    }
    const std::array<std::string_view, 5> parts = parsed.pattern.origin_parts();
    own.push_back({p.storage.intern_all(parts.data(), parts.size()), 0});
  }
  p.server_origins = string_table<false>(own);
}

/// How one of the three name lists (`methods`, `request_headers`, `exposed_headers`) is checked.
struct name_list_rules {
  std::string_view what;  ///< "method", "request header", "exposed header"
  config_error_code invalid;
  std::string_view invalid_because;
  config_error_code forbidden;
  bool (*is_forbidden)(std::string_view) noexcept;
  std::string_view forbidden_because;
  bool case_insensitive;
  std::string_view (*normalize)(std::string_view) noexcept;  ///< or null
  std::string_view wildcard_refusal = {};                    ///< why `*` is refused, if it is
};

/// A name list as compiled: the distinct names (interned, normalized), whether `*` was listed, and
/// the names joined with `, ` for a response header (empty when there are none).
struct name_list {
  pod_vector<table_entry> names;
  bool wildcard = false;
  std::string_view joined;
};

/// Validates, normalizes, deduplicates and interns one name list; every invalid or forbidden name
/// is reported.
inline name_list compile_names(const std::vector<std::string>& items, const name_list_rules& rules,
                               string_arena& storage, std::vector<config_error>& errors) {
  name_list out;
  std::string joined;
  for (const std::string& item : items) {
    if (item == "*") {
      out.wildcard = true;
      if (!rules.wildcard_refusal.empty()) {
        add_error(errors, config_error_code::exposed_wildcard_with_credentials, item,
                  std::string(rules.wildcard_refusal));
      }
      continue;
    }
    if (!is_token(item)) {
      add_error(errors, rules.invalid, item,
                concat({"cors: ", rules.what, " ", backquoted(item), " ", rules.invalid_because}));
      continue;
    }
    if (rules.is_forbidden(item)) {
      add_error(errors, rules.forbidden, item,
                concat({"cors: ", rules.what, " ", backquoted(item), " ", rules.forbidden_because}));
      continue;
    }
    const std::string_view name = rules.normalize != nullptr ? rules.normalize(item) : std::string_view(item);
    bool seen = false;
    for (const auto& entry : out.names) {
      seen = seen || (rules.case_insensitive ? iequals(entry.key, name) : entry.key == name);
    }
    if (seen) continue;
    out.names.push_back({storage.intern({name}), 0});
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  if (!joined.empty()) out.joined = storage.intern({joined});
  return out;
}

/// The `Access-Control-Allow-Methods` / `-Headers` value of a list: the names joined, or for `*`
/// the wildcard value, which is a wildcard only without credentials: with them the header is
/// omitted and the requested method or names are echoed per request instead.
[[nodiscard]] inline std::string_view allow_value(const name_list& list, bool credentials,
                                                  std::string_view wildcard) noexcept {
  if (!list.wildcard) return list.joined;
  return credentials ? std::string_view{} : wildcard;
}

inline void compile_names(const config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  // #concept-method-normalize: browsers send six methods uppercased, so `delete` means `DELETE`.
  const name_list methods = compile_names(
      cfg.methods,
      {"method", config_error_code::method_invalid, "is not a valid method token (letters, digits and !#$%&'*+-.^_`|~)",
       config_error_code::method_forbidden, fetch::is_forbidden_method,
       "is a forbidden method that browsers never send; remove it", false, fetch::normalize_method},
      p.storage, errors);
  p.methods = string_table<false>(methods.names);
  p.any_method = methods.wildcard;
  p.values.allow_methods = allow_value(methods, p.credentials, "*");

  const name_list headers = compile_names(
      cfg.request_headers,
      {"request header", config_error_code::request_header_invalid, "is not a valid header name",
       config_error_code::request_header_forbidden, fetch::is_forbidden_request_header_name,
       "is a forbidden request-header that scripts can never set, so browsers never ask for it; remove it", true,
       nullptr},
      p.storage, errors);
  p.headers = string_table<true>(headers.names);
  p.any_header = headers.wildcard;
  bool authorization_listed = false;
  for (const auto& entry : headers.names) {
    authorization_listed = authorization_listed || fetch::is_cors_non_wildcard_request_header_name(entry.key);
  }
  // `*` never covers `Authorization` (#cors-non-wildcard-request-header-name): list it beside `*`.
  p.values.allow_headers = allow_value(headers, p.credentials, authorization_listed ? "*, Authorization" : "*");

  const name_list exposed = compile_names(
      cfg.exposed_headers,
      {"exposed header", config_error_code::exposed_header_invalid, "is not a valid header name",
       config_error_code::exposed_header_forbidden, fetch::is_forbidden_response_header_name,
       "is a forbidden response-header name that scripts can never read; remove it", true, nullptr,
       cfg.credentials ? std::string_view("cors: exposed header `*` means \"all headers\" only without credentials; "
                                          "with `credentials` browsers read it as a header named `*`: list the "
                                          "headers to expose by name")
                       : std::string_view{}},
      p.storage, errors);
  p.values.expose_headers = exposed.wildcard ? std::string_view("*") : exposed.joined;
}

inline void compile_scalars(const config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  if (cfg.max_age) {
    const auto seconds = cfg.max_age->count();
    if (seconds < 0 || seconds > 86400) {
      const std::string n = std::to_string(seconds);
      add_error(errors, config_error_code::max_age_out_of_range, n,
                concat({"cors: max_age ", n,
                        "s is outside 0 … 86400 seconds (Firefox caps at 86400, Chromium at 7200); use 0 to disable "
                        "preflight caching or leave it unset"}));
    } else {
      p.values.max_age = p.storage.intern({std::to_string(seconds)});
    }
  }
  if (cfg.preflight_status != 200 && cfg.preflight_status != 204) {
    const std::string n = std::to_string(cfg.preflight_status);
    add_error(errors, config_error_code::preflight_status_invalid, n,
              concat({"cors: preflight_status ", n, " is not supported; use 204 (default) or 200 (for old clients)"}));
  } else {
    p.preflight_status = static_cast<std::uint16_t>(cfg.preflight_status);
  }
  if (cfg.max_request_headers_bytes < limits::max_request_headers_bytes_floor ||
      cfg.max_request_headers_bytes > limits::max_request_headers_bytes_ceiling) {
    const std::string n = std::to_string(cfg.max_request_headers_bytes);
    add_error(errors, config_error_code::max_request_headers_bytes_invalid, n,
              concat({"cors: max_request_headers_bytes ", n,
                      " is outside 256 … 65536; keep the default 4096 (about 200 header names) unless your "
                      "clients send longer lists"}));
  } else {
    p.max_request_headers_bytes = cfg.max_request_headers_bytes;
  }
  // #cors-protocol-and-http-caches: the answer to a preflight depends on these request headers.
  p.values.vary_preflight =
      cfg.private_network ? std::string_view(
                                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
                                "Access-Control-Request-Private-Network")
                          : std::string_view("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
}

/// Compiles `cfg` into `p`, appending every problem to `errors`; `p` is usable only when none was
/// added.
inline void compile(const config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  p.credentials = cfg.credentials;
  p.private_network = cfg.private_network;
  p.passthrough = cfg.preflight_passthrough;
  p.refuse = cfg.refuse_disallowed_requests;
  p.debug = cfg.debug;
  compile_origins(cfg, p, errors);
  compile_names(cfg, p, errors);
  compile_scalars(cfg, p, errors);
  const auto bit = [](response_header_id id) { return 1u << static_cast<unsigned>(id); };
  // #http-responses: "A successful HTTP response ... can include `Access-Control-Allow-Origin`,
  // `Access-Control-Allow-Credentials` and `Access-Control-Expose-Headers`." Resource Timing
  // #sec-timing-allow-origin: timing is shared with whoever may read the response.
  unsigned any = bit(response_header_id::access_control_allow_origin);
  if (!p.values.expose_headers.empty()) any |= bit(response_header_id::access_control_expose_headers);
  if (cfg.timing_allow_origin) any |= bit(response_header_id::timing_allow_origin);
  unsigned actual = any | bit(response_header_id::vary);
  if (p.credentials) actual |= bit(response_header_id::access_control_allow_credentials);
  p.any_headers = static_cast<std::uint16_t>(any);
  p.actual_headers = static_cast<std::uint16_t>(actual);
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_COMPILE_HPP
