// `cors::policy`: a configuration compiled once (validated, header values precomputed, origin set
// built) and evaluated per request without allocation. `evaluate()` below is the server's side of
// the CORS protocol, step by step, with the Fetch Standard's words; the tables it consults live in
// detail/ (compiled_policy.hpp, origin_set.hpp), the configuration checks in detail/compile.hpp.
// @see https://fetch.spec.whatwg.org/#http-cors-protocol
#ifndef CORS_POLICY_HPP
#define CORS_POLICY_HPP

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"
#include "decision.hpp"
#include "detail/compile.hpp"
#include "detail/compiled_policy.hpp"
#include "detail/http_list.hpp"
#include "detail/macros.hpp"
#include "errors.hpp"
#include "fetch.hpp"
#include "request.hpp"

namespace cors {

class policy_result;

/// A compiled, immutable CORS policy. Cheap to copy (copies share the compiled state) and safe to
/// use from any number of threads at once.
class policy {
 public:
  /// Compiles `cfg`. Throws `cors::invalid_config` listing every problem when it is invalid (and
  /// `std::bad_alloc`).
  explicit policy(const config& cfg);

  /// Compiles `cfg` without throwing for an invalid configuration: the result holds the policy,
  /// or every problem. Throws only `std::bad_alloc`.
  [[nodiscard]] static policy_result make(const config& cfg);

  /// Decides one request. Never throws, never allocates (unless `origin_predicate` does), and does
  /// work bounded by `config::max_request_headers_bytes` and `cors::limits`. The decision's views point into this
  /// policy and into the memory `req` points to (not into `req` itself, which may be a temporary).
  /// @see https://fetch.spec.whatwg.org/#http-cors-protocol
  // Always inlined: it is the request path, and out of line the call and its register saves cost as
  // much as deciding a request without `Origin` (22 -> 45 instructions, tests/bench/instructions.sh).
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE decision evaluate(const request_view& req) const noexcept CORS_LIFETIMEBOUND {
    const detail::compiled_policy& p = *p_;
    decision d;
    d.values_ = &p.values;
    // #cors-protocol-and-http-caches: a policy that answers `*` to every request "always send[s]
    // `Access-Control-Allow-Origin` in responses for the resource — for non-CORS requests as well
    // as CORS requests — and do[es] not use `Vary`."
    const bool constant_any = p.origins.any() && !p.credentials;

    // #cors-request: "A CORS request is an HTTP request that includes an `Origin` header."
    if (!req.origin.present()) {
      if (constant_any) {
        grant_any(p, d);
      } else {
        d.add(response_header_id::vary);  // the answer would differ with an `Origin`
      }
      return d;
    }
    // #cors-preflight-request: "a CORS request that checks to see if the CORS protocol is
    // understood. It uses `OPTIONS` as method and includes ... `Access-Control-Request-Method`".
    const bool preflight = detail::equal_bytes(req.method, "OPTIONS") && req.access_control_request_method.present();
    d.kind_ = preflight ? request_kind::preflight : request_kind::actual;

    if (constant_any) {
      // Every origin gets `*`: nothing to match, and the origin is never echoed (kept for logs only;
      // request_origin() trims it).
      d.origin_ = req.origin.front();
      if (!preflight) {
        d.why_ = reason::allowed;
        grant_any(p, d);
        return d;
      }
    } else {
      // #http-access-control-allow-origin: the origin must be one the policy allows.
      d.origin_ = detail::trim_ows(req.origin.front());
      d.why_ = check_origin(p, req, d.origin_);
      if (d.why_ != reason::allowed) {
        if (preflight) {
          refuse_preflight(p, d);
        } else {
          refuse_actual(p, req, d);
        }
        return d;
      }
      if (!preflight) {
        // #http-responses: "A successful HTTP response ... can include
        // `Access-Control-Allow-Origin`, `Access-Control-Allow-Credentials` and
        // `Access-Control-Expose-Headers`", and `Vary: Origin`; with `timing_allow_origin`,
        // `Timing-Allow-Origin` too. Which of them, the policy knows already.
        d.present_ = p.actual_headers;
        return d;
      }
    }

    // The browser will check our answer as #cors-preflight-fetch-0 step 7.5 says: "If request's
    // method is not in methods, request's method is not a CORS-safelisted method, and request's
    // credentials mode is "include" or methods does not contain `*`, then return a network error."
    if (req.access_control_request_method.size() != 1) {
      d.why_ = reason::method_malformed;
      refuse_preflight(p, d);
      return d;
    }
    const std::string_view method = detail::trim_ows(req.access_control_request_method.front());
    d.subject_ = method;
    if (!p.methods.contains(method)) {  // a configured method is a valid token: look it up first
      if (!fetch::is_method(method)) {
        d.why_ = reason::method_malformed;
        refuse_preflight(p, d);
        return d;
      }
      if (!fetch::is_cors_safelisted_method(method) && !p.any_method) {
        d.why_ = reason::method_not_allowed;
        refuse_preflight(p, d);
        return d;
      }
    }
    // Steps 7.7-7.8: "If one of request's header list's names is a CORS non-wildcard request-header
    // name and is not a byte-case-insensitive match for an item in headerNames, then return a
    // network error. For each unsafeName in the CORS-unsafe request-header names with request's
    // header list, if unsafeName is not a byte-case-insensitive match for an item in headerNames
    // and, if request's credentials mode is "include" or headerNames does not contain `*`, return
    // a network error."
    d.why_ = check_request_headers(p, req.access_control_request_headers, d.subject_);
    if (d.why_ != reason::allowed) {
      refuse_preflight(p, d);
      return d;
    }

    if (!p.passthrough) {
      d.action_ = action::respond;
      d.status_ = p.preflight_status;  // #cors-preflight-fetch-0 step 7: "an ok status"
    }
    // Step 7.3: the CORS check runs on the preflight response too, with the actual request's
    // credentials mode: origin and credentials first.
    d.any_origin_ = constant_any;
    d.add(response_header_id::access_control_allow_origin);
    if (p.credentials) d.add(response_header_id::access_control_allow_credentials);
    // With credentials, `*` is a literal method name: the requested method is echoed instead.
    d.echo_method_ = p.any_method && p.credentials;
    if (d.echo_method_ || !p.values.allow_methods.empty()) d.add(response_header_id::access_control_allow_methods);
    if (p.any_header && p.credentials) {
      echo_request_headers(req.access_control_request_headers, d);  // likewise for `*` headers
    } else if (!p.values.allow_headers.empty()) {
      d.add(response_header_id::access_control_allow_headers);
    }
    // Legacy Private Network Access (WICG draft, frozen): opt-in only.
    // @see https://wicg.github.io/private-network-access/#http-headerdef-access-control-allow-private-network
    if (p.private_network && req.access_control_request_private_network.size() == 1 &&
        detail::equal_bytes(detail::trim_ows(req.access_control_request_private_network.front()), "true")) {
      d.add(response_header_id::access_control_allow_private_network);
    }
    if (!p.values.max_age.empty()) d.add(response_header_id::access_control_max_age);
    d.add(response_header_id::vary);
    return d;
  }

  /// Does this policy allow `origin` (a request's `Origin` value)?
  [[nodiscard]] bool allows_origin(std::string_view origin) const noexcept {
    if (p_->origins.any() && !p_->credentials) return true;
    static constexpr request_view no_request{};
    return check_origin(*p_, no_request, detail::trim_ows(origin)) == reason::allowed;
  }

  /// Does this policy name `origin` (a request's `Origin` value) as one it trusts: an exact or
  /// wildcard pattern of `origins`, `origin_predicate`, or one of `server_origins`? Unlike
  /// `allows_origin`, `*` and `null` are never enough: a pattern that admits every site, or
  /// the opaque origin any site can produce, names no one. This is the trust the guards use
  /// (`cors::csrf_guard`, `cors::check_websocket_upgrade`). Never throws, never allocates (unless
  /// `origin_predicate` does).
  [[nodiscard]] bool names_origin(std::string_view origin) const noexcept {
    const detail::compiled_policy& p = *p_;
    origin = detail::trim_ows(origin);
    if (origin.size() > max_origin_length) return false;
    if (p.server_origins.contains(origin)) return true;
    switch (p.origins.match<true>(origin)) {
      case detail::origin_match::listed: return true;
      case detail::origin_match::unlisted: {
        // The guards ask without a request: a host- or path-dependent predicate sees neither.
        static constexpr request_view no_request{};
        return p.any_predicate && ask_predicate(p, origin, no_request) == reason::allowed;
      }
      case detail::origin_match::null:
      case detail::origin_match::malformed: break;
    }
    return false;
  }

 private:
  friend class policy_result;
  policy() noexcept = default;  // no policy: only inside a policy_result that holds errors
  explicit policy(std::shared_ptr<const detail::compiled_policy> p) noexcept : p_(std::move(p)) {}

  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE static reason check_origin(const detail::compiled_policy& p,
                                                                     const request_view& req,
                                                                     std::string_view origin) noexcept {
    // [lib] Browsers send exactly one `Origin`; a second line can only be an attack or a broken proxy.
    if (req.origin.size() > 1) return reason::origin_multiple;
    switch (p.origins.match(origin)) {
      case detail::origin_match::listed: return reason::allowed;
      case detail::origin_match::null: return reason::origin_null_not_allowed;
      case detail::origin_match::malformed: return reason::origin_malformed;
      case detail::origin_match::unlisted: break;
    }
    return p.any_predicate ? ask_predicate(p, origin, req) : reason::origin_not_allowed;
  }

  /// Calls the origin predicates, refusing the origin if one throws: `evaluate()` is noexcept, and
  /// an exception must never grant access or end the process.
  [[nodiscard]] CORS_DETAIL_NOINLINE static reason ask_predicate(const detail::compiled_policy& p,
                                                                 std::string_view origin,
                                                                 const request_view& req) noexcept {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
    try {
      return ask_predicates(p, origin, req);
    } catch (...) {
      return reason::origin_predicate_failed;
    }
#else
    return ask_predicates(p, origin, req);
#endif
  }

  [[nodiscard]] static reason ask_predicates(const detail::compiled_policy& p, std::string_view origin,
                                             const request_view& req) {
    if (p.origin_predicate && p.origin_predicate(origin)) return reason::allowed;
    if (!p.origin_predicate_with_request) return reason::origin_not_allowed;
    const std::string_view host = req.host.size() == 1 ? detail::trim_ows(req.host.front()) : std::string_view{};
    const std::string_view path = req.path.substr(0, req.path.find('?'));
    return p.origin_predicate_with_request(origin, host, path) ? reason::allowed : reason::origin_not_allowed;
  }

  static void grant_any(const detail::compiled_policy& p, decision& d) noexcept {
    d.any_origin_ = true;
    d.present_ = static_cast<std::uint16_t>(d.present_ | p.any_headers);  // ACAO, maybe ACEH and TAO
  }

  static void refuse_actual(const detail::compiled_policy& p, const request_view& req, decision& d) noexcept {
    // #cors-request: same-origin POST/PUT/DELETE carry `Origin` too; they are not cross-origin.
    // `Sec-Fetch-Site` is a forbidden request-header, so no page can forge it in a browser.
    if ((d.origin_.size() <= max_origin_length && p.server_origins.contains(d.origin_)) ||
        (req.sec_fetch_site.size() == 1 &&
         detail::equal_bytes(detail::trim_ows(req.sec_fetch_site.front()), "same-origin"))) {
      d.why_ = reason::same_origin;
    } else if (p.refuse) {
      d.action_ = action::respond;
      d.status_ = 403;
    }
    d.add(response_header_id::vary);
  }

  static void refuse_preflight(const detail::compiled_policy& p, decision& d) noexcept {
    if (p.debug) {
      debug_refuse_preflight(p, d);
      return;
    }
    // #http-responses: "the 403 status can be used, coupled with omitting the relevant headers".
    // No `Access-Control-Allow-*` at all, so nothing of the policy leaks.
    if (!p.passthrough) {
      d.action_ = action::respond;
      d.status_ = 403;
    }
    d.add(response_header_id::vary);
  }

  /// `config::debug`: a preflight from an allowed origin refused for its (non-safelisted) method or
  /// for one of its headers (any other refusal is answered as without debug). jub0bs/cors's debug mode does the
  /// same: answer with an ok status and the headers of the checks that pass, so that the browser's next check
  /// (#cors-preflight-fetch-0 step 7.5, or 7.6-7.7) fails and its console names the method or header. Never granted:
  /// the refused method (absent from `Access-Control-Allow-Methods`; as it is not CORS-safelisted the browser fails
  /// step 7.5) and the refused header (the explicit list does not hold it; under `*` no `Access-Control-Allow-Headers`
  /// is sent, as Chromium and Firefox let `*` cover `Authorization`, the one name `*` refuses). Nothing is echoed: with
  /// `*` and credentials the echo would list the refused name.
  CORS_DETAIL_NOINLINE static void debug_refuse_preflight(const detail::compiled_policy& p, decision& d) noexcept {
    const bool method_allowed = d.why_ == reason::header_not_allowed;
    if (!method_allowed && d.why_ != reason::method_not_allowed) {
      // Answered as without debug (refuse_preflight).
      if (!p.passthrough) {
        d.action_ = action::respond;
        d.status_ = 403;
      }
      d.add(response_header_id::vary);
      return;
    }
    if (!p.passthrough) {
      d.action_ = action::respond;
      d.status_ = p.preflight_status;
    }
    d.any_origin_ = p.origins.any() && !p.credentials;
    d.add(response_header_id::access_control_allow_origin);
    if (p.credentials) d.add(response_header_id::access_control_allow_credentials);
    if (method_allowed) {
      // Not the echoed method of `*` with credentials: `subject_` now holds the refused header.
      if (!p.values.allow_methods.empty()) d.add(response_header_id::access_control_allow_methods);
      if (!p.any_header && !p.values.allow_headers.empty()) d.add(response_header_id::access_control_allow_headers);
    }
    d.add(response_header_id::vary);
  }

  /// Reads `Access-Control-Request-Headers` (all lines, as one RFC 9110 list) with work bounded by
  /// its bytes (`config::max_request_headers_bytes`) and lines (`limits`), and checks each name.
  /// Within those bounds any number of names and of empty elements is read: RFC 9110 #5.6.1.2
  /// says a recipient "MUST parse and ignore a reasonable number of empty list elements", and a
  /// browser lists every header the script set. Sets `offending` to the element that fails.
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE static reason check_request_headers(
      const detail::compiled_policy& p, const header_lines<limits::max_request_headers_lines>& lines,
      std::string_view& offending) noexcept {
    if (lines.overflowed()) return reason::headers_too_many_lines;
    std::size_t total = 0;
    for (const std::string_view line : lines) total += line.size();
    if (total > p.max_request_headers_bytes) return reason::headers_too_large;
    for (const std::string_view line : lines) {
      detail::list_reader<> reader(line);
      std::string_view name;
      while (reader.next(name)) {
        if (!reader.is_token()) {
          if (name.empty()) continue;  // `a,,b`: RFC 9110 lists may have empty elements
          offending = name;
          return reason::headers_malformed;
        }
        if (!p.headers.contains(name) && !(p.any_header && !fetch::is_cors_non_wildcard_request_header_name(name))) {
          offending = name;
          return reason::header_not_allowed;
        }
      }
    }
    return reason::allowed;
  }

  /// The requested names, line by line (already checked), as `Access-Control-Allow-Headers`.
  static void echo_request_headers(const header_lines<limits::max_request_headers_lines>& lines, decision& d) noexcept {
    for (std::string_view line : lines) {
      line = detail::trim_ows(line);
      if (!line.empty()) d.echoed_headers_.push_back(line);
    }
    if (d.echoed_headers_.size() == 0) return;
    d.add(response_header_id::access_control_allow_headers);
  }

  std::shared_ptr<const detail::compiled_policy> p_;  // shared by copies; null only in a policy_result with errors
};

/// What `policy::make` returns: the policy, or every problem of the configuration.
class policy_result {
 public:
  explicit policy_result(policy p) noexcept : policy_(std::move(p)) {}
  explicit policy_result(std::vector<config_error> errors) noexcept : errors_(std::move(errors)) {}

  /// Was the configuration valid?
  [[nodiscard]] bool has_value() const noexcept { return static_cast<bool>(policy_.p_); }
  [[nodiscard]] explicit operator bool() const noexcept { return has_value(); }
  /// The policy; throws `cors::invalid_config` with the errors when there is none.
  [[nodiscard]] const policy& value() const& {
    if (!has_value()) throw invalid_config(errors_);
    return policy_;
  }
  [[nodiscard]] policy value() && {
    if (!has_value()) throw invalid_config(std::move(errors_));
    return std::move(policy_);
  }
  /// The policy, which must exist.
  [[nodiscard]] const policy& operator*() const noexcept { return policy_; }
  [[nodiscard]] const policy* operator->() const noexcept { return &policy_; }
  /// Every problem, in the order of the configuration's fields; empty when the policy exists.
  [[nodiscard]] const std::vector<config_error>& errors() const noexcept { return errors_; }

 private:
  // Without a policy, `policy_` holds no compiled state (cheaper to compile than an std::optional).
  policy policy_;
  std::vector<config_error> errors_;
};

inline policy_result policy::make(const config& cfg) {
  auto* const compiled = new detail::compiled_policy;
  std::shared_ptr<const detail::compiled_policy> owner(compiled);  // owns it from here on
  std::vector<config_error> errors;
  detail::compile(cfg, *compiled, errors);
  if (!errors.empty()) return policy_result(std::move(errors));
  return policy_result(policy(std::move(owner)));
}

inline policy::policy(const config& cfg) : policy(make(cfg).value()) {}

/// Checks a configuration without throwing: returns every problem a `cors::policy` built from it
/// would report (empty when it is valid). Throws only `std::bad_alloc`.
[[nodiscard]] inline std::vector<config_error> validate(const config& cfg) { return policy::make(cfg).errors(); }

}  // namespace cors

#endif  // CORS_POLICY_HPP
