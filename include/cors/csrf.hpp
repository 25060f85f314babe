// `cors::csrf_guard`: refuses cross-origin state-changing requests that browsers send with the
// user's cookies (an HTML form, a `no-cors` fetch), which CORS never stops because it only decides
// what a page may *read*. The algorithm is the one of Go's `net/http.CrossOriginProtection`
// (Go 1.25): `Sec-Fetch-Site` first, `Origin` against `Host` for browsers without it; the trusted
// origins are the ones the CORS policy names, so the two lists cannot drift apart.
// @see https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header
// @see https://fetch.spec.whatwg.org/#origin-header
#ifndef CORS_CSRF_HPP
#define CORS_CSRF_HPP

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "detail/arena.hpp"
#include "detail/ascii.hpp"
#include "detail/authority.hpp"
#include "detail/escape.hpp"
#include "detail/pod_vector.hpp"
#include "detail/string_table.hpp"
#include "guard_errors.hpp"
#include "origin.hpp"
#include "origin_pattern.hpp"
#include "policy.hpp"
#include "request.hpp"

namespace cors {

/// Why the CSRF guard passed or refused a request. `to_string` gives a stable snake_case name.
enum class csrf_reason : std::uint8_t {
  safe_method,          ///< `GET`, `HEAD` or `OPTIONS`: passes (must not change state)
  same_origin,          ///< `Sec-Fetch-Site: same-origin`: passes
  user_initiated,       ///< `Sec-Fetch-Site: none` (typed URL, bookmark): passes
  no_origin,            ///< neither `Sec-Fetch-Site` nor `Origin`: not a browser (or a very old one); passes
  origin_matches_host,  ///< no `Sec-Fetch-Site`; `Origin`'s host and port equal `Host`: passes
  trusted_origin,       ///< cross-origin, from an origin the guard trusts: passes
  exempt,               ///< an exemption covers the method and path: passes
  cross_site,           ///< refused: `Sec-Fetch-Site` is neither `same-origin` nor `none`, origin untrusted
  origin_mismatch,      ///< refused: no `Sec-Fetch-Site`; `Origin` is neither trusted nor the `Host`
};

/// Stable snake_case name of a CSRF reason.
[[nodiscard]] constexpr std::string_view to_string(csrf_reason r) noexcept {
  switch (r) {
    case csrf_reason::safe_method: return "safe_method";
    case csrf_reason::same_origin: return "same_origin";
    case csrf_reason::user_initiated: return "user_initiated";
    case csrf_reason::no_origin: return "no_origin";
    case csrf_reason::origin_matches_host: return "origin_matches_host";
    case csrf_reason::trusted_origin: return "trusted_origin";
    case csrf_reason::exempt: return "exempt";
    case csrf_reason::cross_site: return "cross_site";
    case csrf_reason::origin_mismatch: return "origin_mismatch";
  }
  return "unknown";
}

/// The guard's answer for one request: a small value, nothing borrowed.
class csrf_decision {
 public:
  constexpr csrf_decision() noexcept = default;
  constexpr explicit csrf_decision(csrf_reason why) noexcept : why_(why) {}

  /// Why: see `cors::csrf_reason`.
  [[nodiscard]] constexpr csrf_reason why() const noexcept { return why_; }
  /// Was the request refused (`cross_site`, `origin_mismatch`)? Then answer `status()` without
  /// running the application.
  [[nodiscard]] constexpr bool refused() const noexcept {
    return why_ == csrf_reason::cross_site || why_ == csrf_reason::origin_mismatch;
  }
  /// 403 for a refused request, 0 otherwise.
  [[nodiscard]] constexpr int status() const noexcept { return refused() ? 403 : 0; }

 private:
  csrf_reason why_ = csrf_reason::safe_method;
};

/// An unsafe method and path that the guard lets through from any origin (a webhook that a
/// third party POSTs to, say). Matched byte for byte against what the client sent, never against
/// a normalised path: see `csrf_guard`.
struct csrf_exemption {
  /// The method, exactly (`POST`; methods are case-sensitive). `GET`, `HEAD` and `OPTIONS` always
  /// pass and cannot be listed.
  std::string method;
  /// An absolute path without query (`/hooks/github`): no empty, `.` or `..` segment, no `%`,
  /// no backslash.
  std::string path;
  /// Also cover the paths below `path`, on segment boundaries: `/hooks` covers `/hooks` and
  /// `/hooks/x`, never `/hooks2`; `/hooks/` covers `/hooks/x` but not `/hooks`. `/` alone is
  /// refused: it would exempt every path.
  bool prefix = false;
};

/// What a user writes for a CSRF guard.
struct csrf_config {
  /// Origins trusted besides the policy's (exact serialized origins, `https://partner.example`).
  std::vector<std::string> trusted_origins;
  /// Method and path exemptions; keep them few and narrow.
  std::vector<csrf_exemption> exemptions;
};

namespace detail {

/// The guard's compiled state, immutable and shared by copies of a guard.
struct compiled_csrf {
  string_arena storage;
  string_table<false> trusted;  // extra trusted origins
  struct exemption {
    std::string_view method;
    std::string_view path;
    bool prefix = false;
  };
  std::vector<exemption> exemptions;
  std::optional<policy> trusts;  // the policy whose named origins are trusted
};

/// Is `path` an absolute path the exemptions can be matched against byte for byte: `/`
/// followed by segments that are neither empty, `.` nor `..` (also before a `;`), with no `%` and
/// no backslash?
/// Frameworks disagree on decoding `%2F`, on `\` and on resolving dot segments; a path where they
/// could disagree is never exempt (CVE-2025-47910: an exemption matched more than the handler it
/// was written for).
[[nodiscard]] constexpr bool is_plain_path(std::string_view path) noexcept {
  if (path.empty() || path.front() != '/') return false;
  std::size_t segment_start = 1;
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') {
      if (path[i] == '%' || path[i] == '\\') return false;
      continue;
    }
    // A segment's name, without the `;parameters` some servers strip before resolving dot
    // segments (`/hooks/..;/admin`).
    std::string_view name = path.substr(segment_start, i - segment_start);
    name = name.substr(0, name.find(';'));
    // A trailing `/` ends the path with an empty segment, which is allowed (`/hooks/`).
    if ((name.empty() && i < path.size()) || name == "." || name == "..") return false;
    segment_start = i + 1;
  }
  return true;
}

/// The path of a request-target: up to `?` (or `#`, which clients do not send).
[[nodiscard]] constexpr std::string_view target_path(std::string_view target) noexcept {
  const std::size_t end = target.find_first_of("?#");
  return end == std::string_view::npos ? target : target.substr(0, end);
}

/// Is `method` one that must not change state, as the guard counts them? Case-sensitive, like
/// Go's: browsers uppercase these names (#concept-method-normalize), so `get` is another method.
[[nodiscard]] constexpr bool is_csrf_safe_method(std::string_view method) noexcept {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

}  // namespace detail

/// Refuses cross-origin unsafe requests from browsers, with the trust of a CORS policy.
///
/// The decision, in order:
/// 1. `GET`, `HEAD` and `OPTIONS` pass.
/// 2. With one `Sec-Fetch-Site` line (#sec-fetch-site-header), `same-origin` and `none` pass; any
///    other value (`cross-site`, `same-site`, several lines) is refused unless the origin is
///    trusted or an exemption covers the request.
/// 3. Without `Sec-Fetch-Site`, a request without `Origin` passes (not a browser, or one older
///    than 2020); one whose `Origin` host and port equal the `Host` header (ASCII
///    case-insensitively) passes; any other is refused unless trusted or exempt.
///
/// Trusted: an origin the policy names (`policy::names_origin`: its exact and wildcard `origins`,
/// `origin_predicate`, `server_origins`; never `*` or `null`), or one of `trusted_origins`.
/// Exemptions compare the method exactly and the request-target's path byte for byte, and a path
/// that is not plain (`detail::is_plain_path`) is never exempt. An absolute-form target
/// (`POST http://host/path`, sent to proxies) is never exempt either.
///
/// Immutable and safe to share between threads; copies share the compiled state.
class csrf_guard {
 public:
  /// A guard that trusts the origins `p` names, and `cfg`'s. Throws `cors::invalid_guard_config`
  /// listing every problem of `cfg` (and `std::bad_alloc`).
  explicit csrf_guard(const policy& p, const csrf_config& cfg = {}) : s_(compile(&p, cfg)) {}
  /// A guard that trusts only `cfg.trusted_origins` (and same-origin requests).
  explicit csrf_guard(const csrf_config& cfg) : s_(compile(nullptr, cfg)) {}

  /// Decides one request. Never throws, never allocates (unless the policy's `origin_predicate`
  /// does); reads the method, `target`, `Sec-Fetch-Site`, `Origin` and `Host` of `req`.
  [[nodiscard]] csrf_decision check(const request_view& req) const noexcept {
    if (detail::is_csrf_safe_method(req.method)) return csrf_decision(csrf_reason::safe_method);
    if (req.sec_fetch_site.present()) {
      // #sec-fetch-site-header: `same-origin` for a request from the target's own origin, `none`
      // for one the user started (address bar, bookmark). A forbidden request-header: no page can
      // set it.
      if (req.sec_fetch_site.size() == 1) {
        const std::string_view site = detail::trim_ows(req.sec_fetch_site.front());
        if (site == "same-origin") return csrf_decision(csrf_reason::same_origin);
        if (site == "none") return csrf_decision(csrf_reason::user_initiated);
      }
      return trusted_or(req, csrf_reason::cross_site);
    }
    // Browsers older than Sec-Fetch-Site (Safari before 16.4) still send `Origin` on every
    // cross-origin and same-origin unsafe request (#origin-header, "append a request `Origin`
    // header").
    if (!req.origin.present()) return csrf_decision(csrf_reason::no_origin);
    if (detail::origin_matches_host(req)) return csrf_decision(csrf_reason::origin_matches_host);
    return trusted_or(req, csrf_reason::origin_mismatch);
  }

  /// Is `origin` one the guard trusts? (The policy's named origins or `trusted_origins`.)
  [[nodiscard]] bool trusts_origin(std::string_view origin) const noexcept {
    origin = detail::trim_ows(origin);
    if (origin.size() <= max_origin_length && s_->trusted.contains(origin)) return true;
    return s_->trusts && s_->trusts->names_origin(origin);
  }

  /// Does an exemption cover `method` and the path of `target`?
  [[nodiscard]] bool is_exempt(std::string_view method, std::string_view target) const noexcept {
    const std::string_view path = detail::target_path(target);
    if (s_->exemptions.empty() || !detail::is_plain_path(path)) return false;
    for (const detail::compiled_csrf::exemption& e : s_->exemptions) {
      if (e.method != method) continue;
      if (path == e.path) return true;
      // On a segment boundary: `/hooks` covers `/hooks/x`, not `/hooks2`.
      if (e.prefix && path.size() > e.path.size() && path.substr(0, e.path.size()) == e.path &&
          (e.path.back() == '/' || path[e.path.size()] == '/')) {
        return true;
      }
    }
    return false;
  }

 private:
  [[nodiscard]] csrf_decision trusted_or(const request_view& req, csrf_reason refusal) const noexcept {
    if (req.origin.size() == 1 && trusts_origin(req.origin.front())) return csrf_decision(csrf_reason::trusted_origin);
    if (is_exempt(req.method, req.target)) return csrf_decision(csrf_reason::exempt);
    return csrf_decision(refusal);
  }

  static std::shared_ptr<const detail::compiled_csrf> compile(const policy* p, const csrf_config& cfg) {
    using detail::concat;
    using detail::printable;
    auto s = std::make_shared<detail::compiled_csrf>();
    std::vector<std::string> problems;
    detail::pod_vector<detail::table_entry> trusted;
    for (const std::string& text : cfg.trusted_origins) {
      const origin_pattern_result r = parse_origin_pattern(text);
      for (const config_error& e : r.errors) problems.push_back(e.message);
      if (!r.errors.empty()) continue;
      if (r.pattern.kind != origin_pattern_kind::exact) {
        problems.push_back(concat({"cors: csrf trusted origin `", printable(text),
                                   "` must be one exact origin such as `https://partner.example`; "
                                   "wildcards belong in the CORS policy's origins"}));
        continue;
      }
      const std::array<std::string_view, 5> parts = r.pattern.origin_parts();
      trusted.push_back({s->storage.intern_all(parts.data(), parts.size()), 0});
    }
    s->trusted = detail::string_table<false>(trusted);
    for (const csrf_exemption& e : cfg.exemptions) {
      if (!detail::is_token(e.method)) {
        problems.push_back(concat({"cors: csrf exemption method `", printable(e.method), "` is not a method token"}));
      } else if (detail::is_csrf_safe_method(e.method)) {
        problems.push_back(concat({"cors: csrf exemption method `", printable(e.method),
                                   "` always passes the guard; list only unsafe methods such as `POST`"}));
      }
      if (!detail::is_plain_path(e.path) || e.path.find_first_of("?#") != std::string::npos) {
        problems.push_back(concat({"cors: csrf exemption path `", printable(e.path),
                                   "` must be an absolute path without query, `%`, `\\`, "
                                   "empty, `.` or `..` segments, such as `/hooks/github`"}));
      } else if (e.prefix && e.path == "/") {
        problems.push_back(
            "cors: csrf exemption prefix `/` would exempt every path; turn the guard off for this method instead");
      }
      s->exemptions.push_back({s->storage.intern({e.method}), s->storage.intern({e.path}), e.prefix});
    }
    if (!problems.empty()) throw invalid_guard_config(std::move(problems));
    if (p != nullptr) s->trusts = *p;
    return s;
  }

  std::shared_ptr<const detail::compiled_csrf> s_;
};

}  // namespace cors

#endif  // CORS_CSRF_HPP
