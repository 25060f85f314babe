// `cors::explain`: why a policy decided as it did, for people. Each check of `evaluate()` in the
// Fetch Standard's order with its outcome, and for a refusal the configured value that came
// nearest and the change that would allow the request. Allocates freely and is never on the
// request path: include this header where you debug (a `cors-check` run, an admin endpoint, a
// test), not in every translation unit (cors/cors.hpp does not include it).
// @see https://fetch.spec.whatwg.org/#http-cors-protocol
#ifndef CORS_EXPLAIN_HPP
#define CORS_EXPLAIN_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"
#include "decision.hpp"
#include "detail/ascii.hpp"
#include "detail/compiled_policy.hpp"
#include "detail/escape.hpp"
#include "detail/http_list.hpp"
#include "errors.hpp"
#include "escape.hpp"
#include "fetch.hpp"
#include "origin.hpp"
#include "origin_pattern.hpp"
#include "policy.hpp"
#include "request.hpp"
#include "response_header.hpp"

namespace cors {

/// How one check of an explanation came out.
enum class check_outcome : std::uint8_t {
  passed,  ///< the request met it
  failed,  ///< the request did not: this check decided the refusal
  skipped  ///< it does not apply (e.g. method and headers of an actual request)
};

[[nodiscard]] constexpr std::string_view to_string(check_outcome o) noexcept {
  switch (o) {
    case check_outcome::passed: return "passed";
    case check_outcome::failed: return "failed";
    case check_outcome::skipped: return "skipped";
  }
  return "unknown";
}

/// One check, in the order `evaluate()` makes them. Request bytes in `detail` are escaped.
struct explanation_check {
  std::string name;  ///< `origin`, `same-origin`, `method`, `request headers`
  check_outcome outcome = check_outcome::passed;
  reason why = reason::allowed;  ///< for `failed`: the reason the check refuses with
  std::string detail;            ///< what was checked against what
};

/// A structured account of one decision. Every text in it is printable ASCII: request bytes and
/// configured values are escaped (`cors::printable`).
struct explanation {
  /// Was the configuration valid? When not, `config_problems` lists every problem, `result` is a
  /// default decision and only `nearest_miss` and `fix` say more.
  bool valid_policy = true;
  /// What `evaluate()` decided, as it decided it. Its views point into the policy and the request
  /// (for `explain(config, ...)`, into `compiled`), which must outlive it.
  decision result;
  /// The policy `explain(const config&, ...)` built, which `result` points into; empty otherwise.
  std::optional<policy> compiled;
  /// Why the request is of `result.kind()`: which headers made it so.
  std::string kind_because;
  /// The checks in Fetch order. At most one failed, and only when `result.refused()`; its `why`
  /// is `result.why()`.
  std::vector<explanation_check> checks;
  /// For a refusal: the configured value closest to what the request asked for, and how it
  /// differs (empty when nothing configured comes near).
  std::string nearest_miss;
  /// For a refusal: the change that would allow the request, or why it should stay refused.
  std::string fix;
  /// Things worth knowing about an allowed request (credentials, caching, `*`).
  std::vector<std::string> notes;
  /// Every problem of an invalid configuration, as `cors::validate` reports them.
  std::vector<config_error> config_problems;

  /// Was the request refused (or the configuration invalid)? False for allowed, not-CORS and
  /// same-origin requests.
  [[nodiscard]] bool refused() const noexcept { return !valid_policy || result.refused(); }
};

namespace detail {

/// What cors/explain.hpp reads of a policy: its compiled state.
struct policy_access {
  [[nodiscard]] static const compiled_policy& of(const policy& p) noexcept { return *p.p_; }
};

/// Where the first byte of `s` that `ok` refuses is, described for a person ("byte 4 is `\x20`
/// (a space)"), or empty when there is none.
template <class Ok>
[[nodiscard]] std::string first_bad_byte(std::string_view s, Ok ok) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (ok(s[i])) continue;
    const char c = s[i];
    std::string_view name;
    if (c == ' ') name = " (a space)";
    if (c == '\t') name = " (a tab)";
    if (c == ',') name = " (a comma)";
    if (c == '\r' || c == '\n') name = " (a line break)";
    if (c == '\\') name = " (a backslash)";
    return concat({"byte ", std::to_string(i + 1), " is `", printable(std::string_view(&c, 1)), "`", name});
  }
  return {};
}

[[nodiscard]] inline std::string why_not_token(std::string_view s) {
  if (s.empty()) return "it is empty";
  return concat({first_bad_byte(s, [](char c) { return is_tchar(c); }),
                 ", which a token (letters, digits and !#$%&'*+-.^_`|~) cannot contain"});
}

/// Why a request's `Origin` value (trimmed) is not a serialized origin, and what a browser would
/// have sent.
[[nodiscard]] inline std::pair<std::string, std::string> why_origin_malformed(std::string_view o) {
  const std::string q = backquoted(o);
  if (o.empty()) return {"`Origin` is empty", "browsers never send an empty `Origin`: fix the client or proxy"};
  if (o.size() > max_origin_length) {
    return {concat({"`Origin` is ", std::to_string(o.size()), " bytes, longer than the ",
                    std::to_string(max_origin_length), " a browser can send"}),
            "fix the client: no browser sends such an origin"};
  }
  const std::size_t sep = o.find("://");
  if (sep == std::string_view::npos) {
    return {concat({"`Origin` ", q, " has no `scheme://`"}),
            concat({"a browser sends `scheme://host[:port]`, e.g. `https://", printable(o), "`"})};
  }
  const std::size_t path = find_path_start(o.substr(sep + 3));
  if (path != std::string_view::npos) {
    const std::string_view without = o.substr(0, sep + 3 + path);
    const bool slash = o[sep + 3 + path] == '/' && sep + 3 + path + 1 == o.size();
    return {concat({"`Origin` ", q, slash ? " ends with a slash" : " has a path, query or fragment"}),
            concat({"browsers send only scheme, host and port: the client should send ", backquoted(without)})};
  }
  const std::string bad = first_bad_byte(o, [](char c) {
    return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == ':' || c == '/' || c == '[' || c == ']' ||
           c == '+' || c == '_';
  });
  if (!bad.empty()) {
    return {concat({"`Origin` ", q, ": ", bad, ", which no serialized origin contains"}),
            "fix the client or proxy that sends it: browsers send `scheme://host[:port]`"};
  }
  if (has_upper(o)) {
    std::string lower(o);
    for (char& c : lower) c = to_lower(c);
    return {concat({"`Origin` ", q, " has uppercase letters (case differs)"}),
            concat({"browsers send scheme and host in lowercase: the client should send ", backquoted(lower)})};
  }
  const std::string_view scheme = o.substr(0, sep);
  const std::size_t colon = o.rfind(':');
  if (colon > sep && o.rfind(']') == std::string_view::npos && o.substr(colon + 1) == default_port(scheme)) {
    return {concat({"`Origin` ", q, " names the default port of `", scheme, "`"}),
            concat({"browsers omit the default port: the client should send ", backquoted(o.substr(0, colon))})};
  }
  return {concat({"`Origin` ", q, " is not a serialized origin (`scheme://host[:port]`)"}),
          "fix the client or proxy that sends it"};
}

/// One configured origin compared with a request's origin: how near it came (0 nearest; -1 not
/// near at all) and what to say about it.
struct origin_miss {
  int distance = -1;
  std::string miss;
  std::string fix;
};

[[nodiscard]] inline bool ends_with_label(std::string_view host, std::string_view parent) noexcept {
  return host.size() > parent.size() + 1 && host.substr(host.size() - parent.size()) == parent &&
         host[host.size() - parent.size() - 1] == '.';
}

/// How `text` (one entry of `config::origins`, valid or not) misses the request's origin `r`.
[[nodiscard]] inline origin_miss compare_origin(std::string_view text, const origin_view& r) {
  origin_miss m;
  const std::string t = backquoted(text);
  const std::string req = backquoted(r.serialized);
  const std::string any_port = concat({r.scheme, "://", r.host, ":*"});
  origin_pattern_result parsed = parse_origin_pattern(text);
  if (!parsed.errors.empty()) {
    // An entry that is refused anyway: does it name this origin, written wrongly?
    std::string fixed = to_lower_copy(trim_http_whitespace(text));
    const std::size_t sep = fixed.find("://");
    if (sep != std::string::npos) {
      const std::size_t end = find_path_start(std::string_view(fixed).substr(sep + 3));
      if (end != std::string_view::npos) fixed.resize(sep + 3 + end);
      const std::size_t colon = fixed.rfind(':');
      if (colon > sep + 3 && fixed.substr(colon + 1) == default_port(fixed.substr(0, sep))) fixed.resize(colon);
    }
    if (fixed == r.serialized) {
      m.distance = 0;
      m.miss = concat({"the configured ", t, " could never match: ", parsed.errors.front().message});
      m.fix = concat({"write ", req, " in `origins`"});
    }
    return m;
  }
  const origin_pattern& p = parsed.pattern;
  const bool same_scheme = p.scheme == r.scheme;
  const bool same_port = p.any_port || p.port == r.port;
  const auto differs = [&](std::string_view what) {
    return concat({"the policy lists ", t, "; the request comes from ", req, ": ", what});
  };
  switch (p.kind) {
    case origin_pattern_kind::any:
    case origin_pattern_kind::null: return m;
    case origin_pattern_kind::exact:
    case origin_pattern_kind::any_port:
      if (p.host == r.host) {
        if (!same_scheme && same_port) {
          m = {1, differs(concat({"the scheme differs (`", r.scheme, "` vs `", p.scheme, "`)"})),
               concat({"add ", req, " to `origins` (browsers treat each scheme as its own origin)"})};
        } else if (same_scheme && !same_port) {
          m = {1,
               differs(concat({"the port differs (", r.port.empty() ? "the default" : concat({"`", r.port, "`"}),
                               " vs ", p.port.empty() ? "the default" : concat({"`", p.port, "`"}), ")"})),
               concat({"add ", req, " to `origins`, or `", any_port, "` for every port of this host"})};
        } else {
          m = {2, differs("the scheme and the port differ"), concat({"add ", req, " to `origins`"})};
        }
      } else if (same_scheme && same_port &&
                 (r.host == concat({"www.", p.host}) || p.host == concat({"www.", std::string(r.host)}))) {
        m = {1, differs("`www.` differs (www and the apex are different origins)"),
             concat({"add ", req, " to `origins` as well"})};
      } else if (same_scheme && same_port && ends_with_label(r.host, p.host)) {
        m = {2, differs(concat({"it lists only `", p.host, "`, not its subdomains"})),
             concat({"add ", req, ", or `", r.scheme, "://*.", p.host, "` for every subdomain"})};
      }
      return m;
    case origin_pattern_kind::subdomains:
      if (r.host == p.host) {
        m = {same_scheme && same_port ? 1 : 2,
             differs(concat({"`*.", p.host, "` needs at least one more label: it matches subdomains of `", p.host,
                             "`, never `", p.host, "` itself"})),
             concat({"add ", req, " to `origins` beside ", t})};
      } else if (ends_with_label(r.host, p.host)) {
        if (!same_scheme) {
          m = {1, differs(concat({"the scheme differs (`", r.scheme, "` vs `", p.scheme, "`)"})),
               concat({"add `", r.scheme, "://*.", p.host, p.port.empty() ? "" : ":", p.port, "` to `origins`"})};
        } else if (!same_port) {
          m = {1, differs("the port differs"),
               concat({"add `", r.scheme, "://*.", p.host, r.port.empty() ? "" : ":", r.port, "`, or `", r.scheme,
                       "://*.", p.host, ":*` for every port"})};
        }
      } else if (ends_with_label(p.host, r.host) && same_scheme && same_port) {
        m = {2,
             differs(concat({"`", r.host, "` is above `", p.host, "`: the wildcard needs the labels `",
                             p.host.substr(0, p.host.size() - r.host.size()), "` too"})),
             concat({"add ", req, ", or `", r.scheme, "://*.", r.host, "` for every subdomain of `", r.host, "`"})};
      }
      return m;
  }
  return m;
}

/// The nearest configured origin to `r`, and the fix.
/// The text of an entry of `config::origins` (a `std::string`) or of a compiled policy's
/// `written_origins` (a `table_entry`).
[[nodiscard]] inline std::string_view entry_text(std::string_view s) noexcept { return s; }
[[nodiscard]] inline std::string_view entry_text(const table_entry& t) noexcept { return t.key; }

template <class Entries>
void nearest_origin(const Entries& origins, const origin_view& r, explanation& e) {
  origin_miss best;
  for (const auto& entry : origins) {
    const std::string_view text = entry_text(entry);
    origin_miss m = compare_origin(text, r);
    if (m.distance >= 0 && (best.distance < 0 || m.distance < best.distance)) best = std::move(m);
  }
  if (best.distance >= 0) {
    e.nearest_miss = std::move(best.miss);
    e.fix = std::move(best.fix);
  } else {
    e.fix =
        concat({"no configured origin comes near ", backquoted(r.serialized), ": add it to `origins` if you trust it"});
  }
}

/// Levenshtein distance, capped: header-name typos (`X-Request-ID` vs `X-Requestid`).
[[nodiscard]] inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t cost = to_lower(a[i - 1]) == to_lower(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

inline void add_check(explanation& e, std::string_view name, check_outcome outcome, reason why, std::string detail) {
  e.checks.push_back(explanation_check{std::string(name), outcome, why, std::move(detail)});
}

inline void explain_origin_refusal(const compiled_policy& cp, reason why, std::string_view origin, std::size_t lines,
                                   explanation& e) {
  switch (why) {
    case reason::origin_multiple:
      add_check(e, "origin", check_outcome::failed, why,
                concat({"the request has ", std::to_string(lines), " `Origin` lines; browsers send exactly one"}));
      e.fix = "a proxy or framework duplicated the `Origin` header: make it forward the browser's one line";
      return;
    case reason::origin_null_not_allowed:
      add_check(e, "origin", check_outcome::failed, why,
                "`Origin: null`: an opaque origin (a sandboxed iframe, a `data:` or `file:` document, a redirect "
                "across origins)");
      e.fix = cp.dangerously_allow_null_origin
                  ? "list `null` in `origins` (with `dangerously_allow_null_origin` already set); any site can send "
                    "`null`, so prefer serving the page from a real origin"
                  : "serve the page from a real origin (not `file:` or a sandboxed frame); allowing `null` needs "
                    "`null` in `origins` and `dangerously_allow_null_origin`, and lets any site in";
      return;
    case reason::origin_malformed: {
      auto [detail, fix] = why_origin_malformed(origin);
      add_check(e, "origin", check_outcome::failed, why, std::move(detail));
      e.fix = std::move(fix);
      if (has_upper(origin)) {
        const std::string lowered = to_lower_copy(origin);
        const parsed_origin lower = parse_origin(lowered);
        if (lower.status == origin_status::ok && cp.origins.match(lower.origin.serialized) == origin_match::listed) {
          e.nearest_miss = concat({"the policy allows ", backquoted(lower.origin.serialized),
                                   "; origins are compared byte for byte and browsers send them lowercase"});
        }
      }
      return;
    }
    case reason::origin_predicate_failed:
      add_check(e, "origin", check_outcome::failed, why,
                concat({"no pattern lists ", backquoted(origin), " and `origin_predicate` threw an exception"}));
      e.fix = "make `origin_predicate` return instead of throwing (the origin is refused when it throws)";
      return;
    default: break;
  }
  // origin_not_allowed
  const parsed_origin parsed = parse_origin(origin);
  add_check(e, "origin", check_outcome::failed, why,
            concat({backquoted(origin), " is not listed in `origins`",
                    cp.origin_predicate ? " and `origin_predicate` returned false" : ""}));
  if (parsed.status == origin_status::ok) nearest_origin(cp.written_origins, parsed.origin, e);
}

/// Which configured entry allows `origin` (for the `passed` detail).
[[nodiscard]] inline std::string allowed_by(const compiled_policy& cp, std::string_view origin) {
  const parsed_origin r = parse_origin(origin);
  for (const table_entry& entry : cp.written_origins) {
    const std::string_view text = entry.key;
    if (text == origin) return concat({"listed as ", backquoted(text)});
    const origin_pattern_result p = parse_origin_pattern(text);
    if (!p.errors.empty() || r.status != origin_status::ok) continue;
    const origin_pattern& pat = p.pattern;
    const bool port_ok = pat.any_port || pat.port == r.origin.port;
    if (pat.scheme != r.origin.scheme || !port_ok) continue;
    if ((pat.kind == origin_pattern_kind::any_port && pat.host == r.origin.host) ||
        (pat.kind == origin_pattern_kind::subdomains && ends_with_label(r.origin.host, pat.host))) {
      return concat({"allowed by ", backquoted(text)});
    }
  }
  if (r.status == origin_status::null) return "`null`, allowed by `null` and `dangerously_allow_null_origin`";
  return "allowed by `origin_predicate`";
}

inline void explain_method(const compiled_policy& cp, const request_view& req, explanation& e) {
  if (req.access_control_request_method.size() != 1) {
    add_check(e, "method", check_outcome::failed, reason::method_malformed,
              concat({"the preflight has ", std::to_string(req.access_control_request_method.size()),
                      " `Access-Control-Request-Method` lines; browsers send exactly one"}));
    e.fix = "a proxy or framework duplicated `Access-Control-Request-Method`: forward the browser's one line";
    return;
  }
  const std::string_view method = trim_ows(req.access_control_request_method.front());
  const std::string q = backquoted(method);
  if (cp.methods.contains(method)) {
    add_check(e, "method", check_outcome::passed, reason::allowed, concat({q, " is listed in `methods`"}));
    return;
  }
  if (!fetch::is_method(method)) {
    add_check(e, "method", check_outcome::failed, reason::method_malformed,
              concat({"`Access-Control-Request-Method` ", q, " is not a method: ", why_not_token(method)}));
    e.fix = "browsers send one method token: fix the client or proxy";
    return;
  }
  if (fetch::is_cors_safelisted_method(method)) {
    add_check(e, "method", check_outcome::passed, reason::allowed,
              concat({q, " is a CORS-safelisted method, always allowed"}));
    return;
  }
  if (cp.any_method) {
    add_check(e, "method", check_outcome::passed, reason::allowed, concat({q, " is allowed by `*` in `methods`"}));
    if (cp.credentials) e.notes.push_back("with credentials, `*` in `methods` is answered by echoing the method");
    return;
  }
  add_check(e, "method", check_outcome::failed, reason::method_not_allowed, concat({q, " is not listed in `methods`"}));
  for (const table_entry& entry : cp.written_methods) {
    const std::string_view m = entry.key;
    if (iequals(m, method) && fetch::normalize_method(m) != method) {
      e.nearest_miss = concat({"the policy lists ", backquoted(m),
                               "; methods are case-sensitive (only DELETE, GET, "
                               "HEAD, OPTIONS, POST and PUT are uppercased by browsers)"});
      e.fix = concat({"list ", q, " in `methods`: `fetch(..., {method: '", printable(method), "'})` sends ", q,
                      " exactly as written"});
      return;
    }
  }
  e.fix = concat({"add ", q, " to `methods`"});
}

inline void explain_headers(const compiled_policy& cp, const request_view& req, explanation& e) {
  const auto& lines = req.access_control_request_headers;
  if (lines.overflowed()) {
    add_check(e, "request headers", check_outcome::failed, reason::headers_too_many_lines,
              concat({"`Access-Control-Request-Headers` has ", std::to_string(lines.size()), " lines, more than the ",
                      std::to_string(limits::max_request_headers_lines), " read (browsers send one)"}));
    e.fix = "a proxy split the list into many lines: have it forward the browser's one line";
    return;
  }
  std::size_t total = 0;
  for (const std::string_view line : lines) total += line.size();
  if (total > cp.max_request_headers_bytes) {
    add_check(
        e, "request headers", check_outcome::failed, reason::headers_too_large,
        concat({"`Access-Control-Request-Headers` is ", std::to_string(total),
                " bytes, more than `max_request_headers_bytes` (", std::to_string(cp.max_request_headers_bytes), ")"}));
    e.fix = total <= limits::max_request_headers_bytes_ceiling
                ? concat({"raise `max_request_headers_bytes` to at least ", std::to_string(total),
                          " (at most 65536), or have the page send fewer headers"})
                : "no policy reads a list that long (the ceiling is 65536 bytes): have the page send fewer headers";
    return;
  }
  std::size_t names = 0;
  for (const std::string_view line : lines) {
    list_reader<> reader(line);
    std::string_view name;
    while (reader.next(name)) {
      if (!reader.is_token()) {
        if (name.empty()) continue;
        add_check(e, "request headers", check_outcome::failed, reason::headers_malformed,
                  concat({"the element ", backquoted(name),
                          " of `Access-Control-Request-Headers` is not a header name: ", why_not_token(name)}));
        e.fix = "browsers send lowercase header names separated by `,`: fix the client or proxy";
        return;
      }
      ++names;
      const bool listed = cp.headers.contains(name);
      const bool non_wildcard = fetch::is_cors_non_wildcard_request_header_name(name);
      if (listed || (cp.any_header && !non_wildcard)) continue;
      add_check(e, "request headers", check_outcome::failed, reason::header_not_allowed,
                concat({"the requested header ", backquoted(name), " is not listed in `request_headers`"}));
      if (cp.any_header && non_wildcard) {
        e.nearest_miss =
            "`*` in `request_headers` covers every header except `Authorization` "
            "(#cors-non-wildcard-request-header-name)";
        e.fix = "list `Authorization` by name beside `*`";
        return;
      }
      for (const table_entry& entry : cp.written_request_headers) {
        const std::string_view h = entry.key;
        if (h != "*" && edit_distance(h, name) <= 2) {
          e.nearest_miss = concat({"the policy lists ", backquoted(h), ", which is not ", backquoted(name)});
          break;
        }
      }
      e.fix = concat({"add ", backquoted(name), " to `request_headers`"});
      return;
    }
  }
  add_check(e, "request headers", check_outcome::passed, reason::allowed,
            names == 0   ? std::string("no `Access-Control-Request-Headers`: nothing to check")
            : names == 1 ? std::string("the requested header is allowed")
                         : concat({"all ", std::to_string(names), " requested headers are allowed"}));
}

inline void explain_allowed(const compiled_policy& cp, explanation& e) {
  if (cp.origins.any() && !cp.credentials) {
    e.notes.push_back(
        "the policy answers `*`: requests with `credentials: 'include'` are refused by the browser (it never "
        "accepts `*` with credentials); to allow them, set `credentials` and list the origins");
  } else if (!cp.credentials) {
    e.notes.push_back(
        "no `Access-Control-Allow-Credentials`: a `fetch(..., {credentials: 'include'})` is refused by the browser; "
        "set `credentials` if the page sends cookies");
  }
  // The compiled `Access-Control-Max-Age` value is the configured number of seconds, in decimal.
  const std::string_view max_age = cp.values.max_age;
  if (max_age.size() > 4 || (max_age.size() == 4 && max_age > "7200")) {
    e.notes.push_back(concat({"`max_age` ", max_age, "s: Chromium caches a preflight for at most 7200 s"}));
  }
}

}  // namespace detail

/// Explains `p.evaluate(req)`: the request's kind and why, each check in Fetch order with its
/// outcome, and for a refusal the nearest configured value and the fix. `result` is exactly what
/// `evaluate()` returns; its views point into `p` and the memory `req` points to. Allocates; never
/// on the request path. Calls `origin_predicate` as `evaluate()` does. Throws only
/// `std::bad_alloc`.
[[nodiscard]] inline explanation explain(const policy& p, const request_view& req) {
  using detail::backquoted;
  using detail::concat;
  const detail::compiled_policy& cp = detail::policy_access::of(p);
  explanation e;
  e.result = p.evaluate(req);
  const decision& d = e.result;
  // #cors-request: "A CORS request is an HTTP request that includes an `Origin` header."
  if (!req.origin.present()) {
    e.kind_because = "no `Origin` header: not a CORS request (#cors-request)";
    if (cp.origins.any() && !cp.credentials) {
      e.notes.push_back("the policy answers `*` to every request, CORS or not, without `Vary`");
    }
    return e;
  }
  const bool options = detail::equal_bytes(req.method, "OPTIONS");
  const bool preflight = options && req.access_control_request_method.present();
  e.kind_because =
      preflight ? "`OPTIONS` with `Origin` and `Access-Control-Request-Method`: a CORS preflight "
                  "request (#cors-preflight-request)"
      : options
          ? "`Origin` present; `OPTIONS` without `Access-Control-Request-Method` is an actual "
            "request, not a preflight (#cors-request)"
          : concat({"`Origin` present, method ", backquoted(req.method), ": an actual CORS request (#cors-request)"});
  const std::string_view origin = detail::trim_ows(req.origin.front());
  const bool constant_any = cp.origins.any() && !cp.credentials;
  bool origin_ok = true;
  if (constant_any) {
    detail::add_check(e, "origin", check_outcome::passed, reason::allowed,
                      concat({"every origin is allowed (`*`); ", backquoted(origin), " is not echoed"}));
  } else if (d.refused() && (d.why() == reason::origin_multiple || d.why() == reason::origin_malformed ||
                             d.why() == reason::origin_null_not_allowed || d.why() == reason::origin_not_allowed ||
                             d.why() == reason::origin_predicate_failed)) {
    // The origin check is evaluate()'s own (the predicate is not asked twice); what is added
    // here is the why.
    origin_ok = false;
    detail::explain_origin_refusal(cp, d.why(), origin, req.origin.size(), e);
  } else if (d.why() == reason::same_origin) {
    origin_ok = false;
    detail::add_check(e, "origin", check_outcome::skipped, reason::allowed,
                      concat({backquoted(origin), " is not in `origins`, but the request is same-origin"}));
    detail::add_check(
        e, "same-origin", check_outcome::passed, reason::same_origin,
        cp.server_origins.contains(origin)
            ? concat({backquoted(origin), " is one of `server_origins`: handled as same-origin"})
            : std::string("`Sec-Fetch-Site: same-origin`: the browser says the page is the server's own"));
  } else {
    detail::add_check(e, "origin", check_outcome::passed, reason::allowed,
                      concat({backquoted(origin), " is ", detail::allowed_by(cp, origin)}));
  }
  if (!preflight) {
    detail::add_check(e, "method", check_outcome::skipped, reason::allowed, "an actual request: no method check");
    detail::add_check(e, "request headers", check_outcome::skipped, reason::allowed,
                      "an actual request: no header check");
    if (!origin_ok && d.why() != reason::same_origin) {
      if (cp.refuse) e.notes.push_back("`refuse_disallowed_requests`: answered with 403");
    } else if (d.grants_access()) {
      detail::explain_allowed(cp, e);
    }
    return e;
  }
  if (!origin_ok) {
    detail::add_check(e, "method", check_outcome::skipped, reason::allowed, "not checked: the origin is refused");
    detail::add_check(e, "request headers", check_outcome::skipped, reason::allowed,
                      "not checked: the origin is refused");
    return e;
  }
  // #cors-preflight-fetch-0 step 7.5 (method), then 7.7-7.8 (headers).
  detail::explain_method(cp, req, e);
  if (e.checks.back().outcome == check_outcome::failed) {
    detail::add_check(e, "request headers", check_outcome::skipped, reason::allowed,
                      "not checked: the method is refused");
    return e;
  }
  detail::explain_headers(cp, req, e);
  if (e.checks.back().outcome != check_outcome::failed) {
    detail::explain_allowed(cp, e);
    if (cp.passthrough) e.notes.push_back("`preflight_passthrough`: the application answers, with a 2xx status");
  }
  return e;
}

namespace detail {
/// `policy::explain` forwards here (declared in cors/policy.hpp).
template <>
struct explain_hook<policy> {
  [[nodiscard]] static explanation explain(const policy& p, const request_view& req) { return cors::explain(p, req); }
};
}  // namespace detail

/// Explains a request against a configuration that may be invalid: when it is valid, as
/// `explain(policy(cfg), req)` (the policy is kept in `compiled`); when not, `valid_policy` is
/// false, `config_problems` lists every problem and, when a broken entry of `origins` was meant
/// for the request's origin (`https://app.example.com/` for `https://app.example.com`), the
/// nearest miss names it. Throws only `std::bad_alloc`.
[[nodiscard]] inline explanation explain(const config& cfg, const request_view& req) {
  policy_result made = policy::make(cfg);
  if (made) {
    policy p = std::move(made).value();
    explanation e = explain(p, req);
    e.compiled = std::move(p);  // shared state: e.result's views stay valid
    return e;
  }
  explanation e;
  e.valid_policy = false;
  e.config_problems = made.errors();
  e.kind_because = "not classified: the configuration is invalid";
  const std::string_view origin = detail::trim_ows(req.origin.front());
  const parsed_origin parsed = parse_origin(origin);
  if (req.origin.present() && parsed.status == origin_status::ok) {
    detail::nearest_origin(cfg.origins, parsed.origin, e);
  }
  if (e.nearest_miss.empty()) e.fix = e.config_problems.front().message;
  return e;
}

namespace detail {

/// Appends `s` as a JSON string: escaped for JSON after `printable` (so request bytes stay
/// escaped the same way in every rendering).
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[static_cast<unsigned char>(c) >> 4];
      out += hex[static_cast<unsigned char>(c) & 0xF];
      continue;
    }
    out += c;
  }
  out += '"';
}

inline void append_json_key(std::string& out, std::string_view key) {
  if (out.back() != '{' && out.back() != '[') out += ',';
  append_json_string(out, key);
  out += ':';
}

/// One line for the decision, like fmt.hpp's: `preflight refused (method_not_allowed: "PATCH") respond 403`.
[[nodiscard]] inline std::string decision_line(const explanation& e) {
  if (!e.valid_policy) return "invalid policy";
  const decision& d = e.result;
  std::string s = concat({to_string(d.kind()), d.refused() ? " refused (" : " allowed (", to_string(d.why())});
  if (!d.offending_value().empty()) s += concat({": \"", printable(d.offending_value(), 64), "\""});
  s += concat({") ", to_string(d.next_action())});
  if (d.next_action() == action::respond) s += concat({" ", std::to_string(d.status())});
  return s;
}

}  // namespace detail

/// The explanation as plain text, one item a line: the decision, the kind and why, the response
/// headers, each check, then the nearest miss, the fix and the notes. Printable ASCII only.
[[nodiscard]] inline std::string to_text(const explanation& e) {
  using detail::concat;
  std::string s = concat({"decision: ", detail::decision_line(e), "\n"});
  for (const config_error& c : e.config_problems) s += concat({"config: ", printable(c.message, 1024), "\n"});
  if (e.valid_policy) {
    s += concat({"kind: ", e.kind_because, "\n"});
    s += "response headers:";
    if (e.result.headers().empty()) s += " none";
    s += "\n";
    for (const response_header h : e.result.headers()) {
      s += concat({"  ", h.name(), ": ", printable(h.value, 1024), "\n"});
    }
  }
  if (!e.checks.empty()) s += "checks:\n";
  for (const explanation_check& c : e.checks) {
    const std::string_view mark = c.outcome == check_outcome::passed   ? "  pass  "
                                  : c.outcome == check_outcome::failed ? "  FAIL  "
                                                                       : "  skip  ";
    s += concat({mark, c.name, ": ", c.detail, "\n"});
  }
  if (!e.nearest_miss.empty()) s += concat({"nearest miss: ", e.nearest_miss, "\n"});
  if (!e.fix.empty()) s += concat({"fix: ", e.fix, "\n"});
  for (const std::string& n : e.notes) s += concat({"note: ", n, "\n"});
  return s;
}

/// The explanation as one JSON object (no dependency; every string escaped):
/// `{"valid_policy", "allowed", "kind", "reason", "action", "status", "offending_value",
/// "headers": [{"name", "value"}], "explanation": {"kind_because", "checks": [{"name", "outcome",
/// "reason", "detail"}], "nearest_miss", "fix", "notes"}, "config_problems": [{"code", "message"}]}`.
/// `allowed` is false for refusals and invalid policies, true otherwise (not CORS and same-origin too).
[[nodiscard]] inline std::string to_json(const explanation& e) {
  using detail::append_json_key;
  using detail::append_json_string;
  const decision& d = e.result;
  std::string s = "{";
  append_json_key(s, "valid_policy");
  s += e.valid_policy ? "true" : "false";
  append_json_key(s, "allowed");
  s += e.refused() ? "false" : "true";
  append_json_key(s, "kind");
  append_json_string(s, e.valid_policy ? to_string(d.kind()) : "");
  append_json_key(s, "reason");
  append_json_string(s, e.valid_policy ? to_string(d.why()) : "invalid_policy");
  append_json_key(s, "action");
  append_json_string(s, to_string(d.next_action()));
  append_json_key(s, "status");
  s += std::to_string(d.status());
  append_json_key(s, "offending_value");
  append_json_string(s, printable(d.offending_value()));
  append_json_key(s, "headers");
  s += '[';
  for (const response_header h : d.headers()) {
    if (s.back() != '[') s += ',';
    s += '{';
    append_json_key(s, "name");
    append_json_string(s, h.name());
    append_json_key(s, "value");
    append_json_string(s, printable(h.value, 1024));
    s += '}';
  }
  s += ']';
  append_json_key(s, "explanation");
  s += '{';
  append_json_key(s, "kind_because");
  append_json_string(s, e.kind_because);
  append_json_key(s, "checks");
  s += '[';
  for (const explanation_check& c : e.checks) {
    if (s.back() != '[') s += ',';
    s += '{';
    append_json_key(s, "name");
    append_json_string(s, c.name);
    append_json_key(s, "outcome");
    append_json_string(s, to_string(c.outcome));
    append_json_key(s, "reason");
    append_json_string(s, to_string(c.why));
    append_json_key(s, "detail");
    append_json_string(s, c.detail);
    s += '}';
  }
  s += ']';
  append_json_key(s, "nearest_miss");
  append_json_string(s, e.nearest_miss);
  append_json_key(s, "fix");
  append_json_string(s, e.fix);
  append_json_key(s, "notes");
  s += '[';
  for (const std::string& n : e.notes) {
    if (s.back() != '[') s += ',';
    append_json_string(s, n);
  }
  s += "]}";
  append_json_key(s, "config_problems");
  s += '[';
  for (const config_error& c : e.config_problems) {
    if (s.back() != '[') s += ',';
    s += '{';
    append_json_key(s, "code");
    append_json_string(s, to_string(c.code));
    append_json_key(s, "message");
    append_json_string(s, printable(c.message, 1024));
    s += '}';
  }
  s += "]}";
  return s;
}

}  // namespace cors

#endif  // CORS_EXPLAIN_HPP
