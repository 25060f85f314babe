// Policies and routers from JSON configuration files (CMake component `json`, nlohmann/json).
// Keys are exactly the `cors::config` field names; an unknown key, a repeated key or a value of
// the wrong type is an error, never ignored (a typo such as `orgins` must not disable CORS).
// Every error names its JSON pointer (RFC 6901) and comes together with the policies' own
// validation errors.
#ifndef CORS_JSON_HPP
#define CORS_JSON_HPP

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "config.hpp"
#include "errors.hpp"
#include "live.hpp"
#include "policy.hpp"
#include "router.hpp"

namespace cors {

namespace detail::json {

using value = nlohmann::json;

/// `pointer` extended by one reference token, escaped as RFC 6901 #section-3 says.
[[nodiscard]] inline std::string child(const std::string& pointer, std::string_view token) {
  std::string out = pointer + '/';
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}
[[nodiscard]] inline std::string child(const std::string& pointer, std::size_t index) {
  return pointer + '/' + std::to_string(index);
}

inline void add(std::vector<config_error>& errors, const std::string& pointer, std::string_view message) {
  errors.push_back(
      config_error{config_error_code::json_invalid, pointer,
                   concat({pointer.empty() ? std::string_view("/") : std::string_view(pointer), ": cors: ", message})});
}

[[nodiscard]] inline const char* type_name(const value& v) noexcept { return v.type_name(); }

/// Parses `text`, reporting a syntax error and every repeated key (nlohmann/json would keep the
/// last one silently).
[[nodiscard]] inline std::optional<value> parse(std::string_view text, std::vector<config_error>& errors) {
  struct frame {
    bool array = false;
    std::size_t index = 0;  // of the next element, in an array
    std::string key;        // the current key, in an object
    std::set<std::string> keys;
  };
  std::vector<frame> stack;
  const auto pointer = [&stack] {
    std::string p;
    for (const frame& f : stack) {
      if (f.array) {
        if (f.index > 0) p = child(p, f.index - 1);
      } else {
        p = child(p, f.key);
      }
    }
    return p;
  };
  const auto enter_element = [&stack] {
    if (!stack.empty() && stack.back().array) ++stack.back().index;
  };
  const value::parser_callback_t callback = [&](int, value::parse_event_t event, value& parsed) {
    switch (event) {
      case value::parse_event_t::object_start:
        enter_element();
        stack.push_back(frame{});
        break;
      case value::parse_event_t::array_start:
        enter_element();
        stack.push_back(frame{true, 0, {}, {}});
        break;
      case value::parse_event_t::object_end:
      case value::parse_event_t::array_end:
        if (!stack.empty()) stack.pop_back();
        break;
      case value::parse_event_t::key: {
        frame& f = stack.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second) add(errors, pointer(), "this key is given twice");
        break;
      }
      case value::parse_event_t::value: enter_element(); break;
    }
    return true;
  };
  try {
    return value::parse(text.begin(), text.end(), callback);
  } catch (const value::exception& e) {
    add(errors, "", concat({"not JSON: ", e.what()}));
    return std::nullopt;
  }
}

/// Reads an array of strings into `out`.
inline void read_strings(const value& v, const std::string& pointer, std::vector<std::string>& out,
                         std::vector<config_error>& errors) {
  if (!v.is_array()) return add(errors, pointer, concat({"must be an array of strings, not ", type_name(v)}));
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) {
      add(errors, child(pointer, i), concat({"must be a string, not ", type_name(v[i])}));
      continue;
    }
    out.push_back(v[i].get<std::string>());
  }
}

inline void read_bool(const value& v, const std::string& pointer, bool& out, std::vector<config_error>& errors) {
  if (!v.is_boolean()) return add(errors, pointer, concat({"must be true or false, not ", type_name(v)}));
  out = v.get<bool>();
}

/// An integer within [lo, hi]; the policy checks the narrower ranges itself.
template <class Int>
inline void read_integer(const value& v, const std::string& pointer, Int& out, std::vector<config_error>& errors) {
  if (!v.is_number_integer()) return add(errors, pointer, concat({"must be an integer, not ", type_name(v)}));
  if (v.is_number_unsigned()) {
    const auto n = v.get<std::uint64_t>();
    if (n > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) {
      return add(errors, pointer, "is out of range");
    }
    out = static_cast<Int>(n);
    return;
  }
  const auto n = v.get<std::int64_t>();
  if constexpr (std::numeric_limits<Int>::is_signed) {
    if (n < static_cast<std::int64_t>(std::numeric_limits<Int>::min()) ||
        n > static_cast<std::int64_t>(std::numeric_limits<Int>::max())) {
      return add(errors, pointer, "is out of range");
    }
  } else {
    if (n < 0) return add(errors, pointer, "must not be negative");
  }
  out = static_cast<Int>(n);
}

/// A `cors::config` from the object `v` at `pointer`.
inline void read_config(const value& v, const std::string& pointer, config& cfg, std::vector<config_error>& errors) {
  if (!v.is_object()) return add(errors, pointer, concat({"a policy must be an object, not ", type_name(v)}));
  for (const auto& [key, item] : v.items()) {
    const std::string at = child(pointer, key);
    if (key == "origins") {
      read_strings(item, at, cfg.origins, errors);
    } else if (key == "methods") {
      read_strings(item, at, cfg.methods, errors);
    } else if (key == "request_headers") {
      read_strings(item, at, cfg.request_headers, errors);
    } else if (key == "exposed_headers") {
      read_strings(item, at, cfg.exposed_headers, errors);
    } else if (key == "server_origins") {
      read_strings(item, at, cfg.server_origins, errors);
    } else if (key == "credentials") {
      read_bool(item, at, cfg.credentials, errors);
    } else if (key == "private_network") {
      read_bool(item, at, cfg.private_network, errors);
    } else if (key == "preflight_passthrough") {
      read_bool(item, at, cfg.preflight_passthrough, errors);
    } else if (key == "refuse_disallowed_requests") {
      read_bool(item, at, cfg.refuse_disallowed_requests, errors);
    } else if (key == "dangerously_allow_null_origin") {
      read_bool(item, at, cfg.dangerously_allow_null_origin, errors);
    } else if (key == "dangerously_allow_insecure_origins_with_credentials") {
      read_bool(item, at, cfg.dangerously_allow_insecure_origins_with_credentials, errors);
    } else if (key == "max_age") {
      std::int64_t seconds = 0;
      const std::size_t before = errors.size();
      read_integer(item, at, seconds, errors);
      if (errors.size() == before) cfg.max_age = std::chrono::seconds(seconds);
    } else if (key == "preflight_status") {
      read_integer(item, at, cfg.preflight_status, errors);
    } else if (key == "max_request_headers_bytes") {
      read_integer(item, at, cfg.max_request_headers_bytes, errors);
    } else {
      add(errors, at,
          concat({"unknown key `", printable(key),
                  "`; a policy's keys are the fields of cors::config: origins, methods, request_headers, "
                  "exposed_headers, credentials, max_age, private_network, preflight_status, "
                  "preflight_passthrough, refuse_disallowed_requests, server_origins, max_request_headers_bytes, "
                  "dangerously_allow_null_origin, dangerously_allow_insecure_origins_with_credentials"}));
    }
  }
}

/// Where in the policy object at `pointer` the problem `e` lies: the element of the list it
/// names, or the field, or the object itself.
[[nodiscard]] inline std::string pointer_of(const config_error& e, const value& v, const std::string& pointer) {
  const auto element = [&](const char* field) -> std::optional<std::string> {
    const auto it = v.find(field);
    if (it == v.end() || !it->is_array()) return std::nullopt;
    for (std::size_t i = 0; i < it->size(); ++i) {
      if ((*it)[i].is_string() && (*it)[i].get<std::string>() == e.subject) {
        return child(child(pointer, field), i);
      }
    }
    return std::nullopt;
  };
  const auto field = [&](const char* name) { return child(pointer, name); };
  switch (e.code) {
    case config_error_code::no_origins: return pointer;
    case config_error_code::method_invalid:
    case config_error_code::method_forbidden: return element("methods").value_or(field("methods"));
    case config_error_code::request_header_invalid:
    case config_error_code::request_header_forbidden:
      return element("request_headers").value_or(field("request_headers"));
    case config_error_code::exposed_header_invalid:
    case config_error_code::exposed_header_forbidden:
    case config_error_code::exposed_wildcard_with_credentials:
      return element("exposed_headers").value_or(field("exposed_headers"));
    case config_error_code::max_age_out_of_range: return field("max_age");
    case config_error_code::preflight_status_invalid: return field("preflight_status");
    case config_error_code::max_request_headers_bytes_invalid: return field("max_request_headers_bytes");
    default: break;
  }
  // The origin codes: listed origins first, then the server's own.
  if (auto p = element("origins")) return *p;
  if (auto p = element("server_origins")) return *p;
  return pointer;
}

/// The policy of the object `v` at `pointer`; its errors are added to `errors`, each with the
/// pointer of what it names.
[[nodiscard]] inline std::optional<policy> read_policy(const value& v, const std::string& pointer,
                                                       std::vector<config_error>& errors) {
  config cfg;
  const std::size_t before = errors.size();
  read_config(v, pointer, cfg, errors);
  if (errors.size() != before) return std::nullopt;  // a half-read config would add confusing errors
  policy_result made = policy::make(cfg);
  if (made) return std::move(made).value();
  for (const config_error& e : made.errors()) {
    std::string at = pointer_of(e, v, pointer);
    errors.push_back(config_error{e.code, e.subject, concat({at.empty() ? "/" : at, ": ", e.message})});
  }
  return std::nullopt;
}

[[nodiscard]] inline bool is_router_object(const value& v) {
  return v.is_object() && (v.contains("routes") || v.contains("default"));
}

/// A router from the object `v` (keys `routes` and `default`).
[[nodiscard]] inline std::optional<router> read_router(const value& v, std::vector<config_error>& errors) {
  router_config cfg;
  const std::size_t before = errors.size();
  struct seen {
    std::string host;
    std::string prefix;
  };
  std::vector<seen> keys;
  for (const auto& [key, item] : v.items()) {
    if (key == "default") {
      if (!item.is_null()) cfg.default_policy = read_policy(item, "/default", errors);
    } else if (key == "routes") {
      if (!item.is_array()) {
        add(errors, "/routes", concat({"must be an array of routes, not ", type_name(item)}));
        continue;
      }
      for (std::size_t i = 0; i < item.size(); ++i) {
        const value& r = item[i];
        const std::string at = child("/routes", i);
        if (!r.is_object()) {
          add(errors, at, concat({"a route must be an object, not ", type_name(r)}));
          continue;
        }
        route rt;
        bool has_prefix = false;
        bool has_policy = false;
        for (const auto& [name, field] : r.items()) {
          const std::string field_at = child(at, name);
          if (name == "host" || name == "path_prefix") {
            if (!field.is_string()) {
              add(errors, field_at, concat({"must be a string, not ", type_name(field)}));
              continue;
            }
            (name == "host" ? rt.host : rt.path_prefix) = field.get<std::string>();
            has_prefix = has_prefix || name == "path_prefix";
          } else if (name == "policy") {
            has_policy = true;
            if (!field.is_null()) rt.policy = read_policy(field, field_at, errors);
          } else {
            add(errors, field_at,
                concat({"unknown key `", printable(name), "`; a route has host, path_prefix, policy"}));
          }
        }
        if (!has_prefix) add(errors, at, "a route needs `path_prefix`");
        if (!has_policy) add(errors, at, "a route needs `policy` (an object, or null for no CORS on these paths)");
        std::string_view stored;
        if (has_prefix && !detail::normalize_path_prefix(rt.path_prefix, stored)) {
          add(errors, child(at, "path_prefix"),
              concat({"path prefix ", backquoted(rt.path_prefix),
                      " must be an absolute path such as `/api/` without `%`, `\\`, `;`, `?`, `#`, empty, `.` or "
                      "`..` segments"}));
        }
        if (!detail::is_route_host(rt.host)) {
          add(errors, child(at, "host"),
              concat({"host ", backquoted(rt.host), " must be a `Host` value such as `api.example.com`"}));
        }
        std::string host = rt.host;
        for (char& c : host) c = to_lower(c);
        for (const seen& s : keys) {
          if (s.host == host && s.prefix == stored && has_prefix) {
            add(errors, at, "another route has the same host and path prefix");
          }
        }
        keys.push_back(seen{host, std::string(stored)});
        cfg.routes.push_back(std::move(rt));
      }
    } else {
      add(errors, child("", key), concat({"unknown key `", printable(key), "`; a router file has routes, default"}));
    }
  }
  if (errors.size() != before) return std::nullopt;
  router_result made = router::make(cfg);
  if (made) return std::move(made).value();
  for (const config_error& e : made.errors()) {
    errors.push_back(config_error{e.code, e.subject, concat({"/routes: ", e.message})});
  }
  return std::nullopt;
}

[[nodiscard]] inline std::optional<std::string> read_file(const std::string& path, std::vector<config_error>& errors) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    errors.push_back(config_error{config_error_code::json_invalid, path, concat({"cors: cannot read ", path})});
    return std::nullopt;
  }
  return std::move(text).str();
}

}  // namespace detail::json

/// A policy from a JSON object whose keys are `cors::config` field names (`max_age` in seconds).
/// Never throws for bad input: the result holds the policy or every problem, each message
/// starting with its JSON pointer (`/origins/0: cors: …`). Throws only `std::bad_alloc`.
[[nodiscard]] inline policy_result policy_from_json(std::string_view text) {
  std::vector<config_error> errors;
  const std::optional<nlohmann::json> v = detail::json::parse(text, errors);
  if (!v) return policy_result(std::move(errors));
  if (detail::json::is_router_object(*v)) {
    detail::json::add(errors, "", "this is a router file (routes, default); read it with router_from_json");
  }
  std::optional<policy> p = detail::json::read_policy(*v, "", errors);
  if (!errors.empty() || !p) return policy_result(std::move(errors));
  return policy_result(std::move(*p));
}

/// A router from a JSON router file, `{"routes": [{"host": "…", "path_prefix": "/api/",
/// "policy": {…} or null}, …], "default": {…} or null}` (`host` optional; a null or absent
/// `default` means no CORS where no route matches), or from a policy file, which becomes the
/// default of a router without routes. Errors as `policy_from_json`. Throws only `std::bad_alloc`.
[[nodiscard]] inline router_result router_from_json(std::string_view text) {
  std::vector<config_error> errors;
  const std::optional<nlohmann::json> v = detail::json::parse(text, errors);
  if (!v) return router_result(std::move(errors));
  if (detail::json::is_router_object(*v)) {
    std::optional<router> r = detail::json::read_router(*v, errors);
    if (!errors.empty() || !r) return router_result(std::move(errors));
    return router_result(std::move(*r));
  }
  std::optional<policy> p = detail::json::read_policy(*v, "", errors);
  if (!errors.empty() || !p) return router_result(std::move(errors));
  return router::make(router_config{{}, std::move(*p)});
}

/// `policy_from_json` on the contents of the file at `path` (an unreadable file is an error).
[[nodiscard]] inline policy_result policy_from_json_file(const std::string& path) {
  std::vector<config_error> errors;
  const std::optional<std::string> text = detail::json::read_file(path, errors);
  if (!text) return policy_result(std::move(errors));
  return policy_from_json(*text);
}

/// `router_from_json` on the contents of the file at `path` (an unreadable file is an error).
[[nodiscard]] inline router_result router_from_json_file(const std::string& path) {
  std::vector<config_error> errors;
  const std::optional<std::string> text = detail::json::read_file(path, errors);
  if (!text) return router_result(std::move(errors));
  return router_from_json(*text);
}

/// Reads the file at `path` (`policy_from_json_file` for a `live_policy`, `router_from_json_file`
/// for a `live_router`) and, when it is valid, makes it the current version of `l`. Otherwise `l`
/// keeps running what it has, and every problem is returned (empty: reloaded). Throws only
/// `std::bad_alloc`.
template <class T>
[[nodiscard]] std::vector<config_error> reload_json_file(live<T>& l, const std::string& path) {
  auto made = [&path] {
    if constexpr (std::is_same_v<T, router>) {
      return router_from_json_file(path);
    } else {
      return policy_from_json_file(path);
    }
  }();
  if (!made) return made.errors();
  l.store(std::move(made).value());
  return {};
}

}  // namespace cors

#endif  // CORS_JSON_HPP
