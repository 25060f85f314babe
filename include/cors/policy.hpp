// `cors::policy`: a configuration compiled once (validated, header values precomputed, origin
// matcher built) and evaluated per request without allocation. The CORS protocol rules the
// evaluation follows are cited step by step below.
#ifndef CORS_POLICY_HPP
#define CORS_POLICY_HPP

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "config.hpp"
#include "decision.hpp"
#include "detail/ascii.hpp"
#include "detail/escape.hpp"
#include "detail/string_table.hpp"
#include "errors.hpp"
#include "fetch.hpp"
#include "origin.hpp"
#include "origin_pattern.hpp"
#include "request.hpp"

namespace cors {

namespace detail {

/// Longest host the wildcard matcher considers; longer request origins are malformed anyway.
inline constexpr std::size_t max_host_length = max_origin_length;

/// A `scheme://*.parent[:port]` pattern, reached through the table of parent-domain suffixes.
/// The patterns of one parent domain are adjacent in `compiled_policy::subdomain_rules`, the last
/// one marked.
struct subdomain_rule {
  subdomain_rule() = default;
  subdomain_rule(std::string_view scheme_, std::string_view port_, bool any_port_) noexcept
      : scheme(scheme_),
        scheme_head(head_word(scheme_)),
        port_head(head_word(port_)),
        port_size(static_cast<std::uint8_t>(port_.size())),
        any_port(any_port_) {}

  /// Does an origin with this scheme and port match? `scheme_word` and `port_word` are their
  /// head_word()s, computed once for all the rules tried. (A port has at most 5 digits, so its
  /// head word is all of it.)
  [[nodiscard]] bool matches(std::string_view scheme_, std::uint64_t scheme_word, std::string_view port,
                             std::uint64_t port_word) const noexcept {
    return scheme_head == scheme_word && scheme.size() == scheme_.size() &&
           (scheme.size() <= 8 || equal_after_head<false>(scheme, scheme_)) &&
           (any_port || (port_head == port_word && port_size == port.size()));
  }

  std::string_view scheme;
  std::uint64_t scheme_head = 0;
  std::uint64_t port_head = 0;  // 0 and port_size 0: the default port
  std::uint8_t port_size = 0;
  bool any_port = false;
  bool last = true;  // the last pattern of its parent domain
};

/// Everything a policy needs per request, built once. Immutable after construction; every
/// string_view in it points into `storage`.
struct compiled_policy {
  // Shared by the copies of a policy; the last one deletes it.
  mutable std::atomic<std::size_t> refs{1};
  // What the views below point into: chunks that are filled in turn and never reallocated (moving
  // a vector, as `storage` grows, keeps its buffer in place), so the views stay valid. One
  // allocation per few hundred strings rather than one per string: 10 000 origins are 10 000
  // strings.
  std::vector<std::vector<char>> storage;
  std::size_t storage_used = 0;  // bytes used in storage.back()
  static constexpr std::size_t storage_chunk = 16 * 1024;

  bool any_origin = false;
  bool allow_null = false;
  bool credentials = false;
  bool private_network = false;
  bool passthrough = false;
  bool refuse = false;
  std::uint16_t preflight_status = 204;

  string_table<false> exact_origins;       // serialized origins
  string_table<false> any_port_origins;    // `scheme://host`
  string_table<false> server_origins;      // the server's own serialized origins
  string_table<false> subdomain_suffixes;  // `.example.com` -> its first pattern in subdomain_rules
  // The `scheme://*.parent` patterns, grouped by parent domain.
  std::vector<subdomain_rule> subdomain_rules;
  std::array<std::uint64_t, max_host_length / 64 + 1> suffix_lengths{};  // bit n: some suffix is n bytes long
  origin_matcher origin_predicate;

  bool any_method = false;
  string_table<false> methods;  // case-sensitive
  bool any_header = false;
  bool authorization_listed = false;
  string_table<true> headers;  // case-insensitive

  std::string_view allow_methods;   // empty: omit (or echo, with any_method and credentials)
  std::string_view allow_headers;   // empty: omit (or echo, with any_header and credentials)
  std::string_view expose_headers;  // empty: omit
  std::string_view max_age;         // empty: omit
  std::string_view vary_preflight;

  /// Keeps a copy of the concatenation of `parts` for the life of the policy.
  template <class... Parts>
  std::string_view intern(const Parts&... parts) {
    return intern_all(std::array<std::string_view, sizeof...(Parts)>{std::string_view(parts)...});
  }
  /// The same for a range of string views.
  template <class Views>
  std::string_view intern_all(const Views& parts) {
    std::size_t n = 0;
    for (const std::string_view v : parts) n += v.size();
    if (storage.empty() || storage.back().size() - storage_used < n) {
      storage.emplace_back(n > storage_chunk ? n : storage_chunk);
      storage_used = 0;
    }
    char* const first = storage.back().data() + storage_used;
    char* out = first;
    for (const std::string_view v : parts) {
      if (!v.empty()) std::memcpy(out, v.data(), v.size());
      out += v.size();
    }
    storage_used += n;
    return std::string_view(first, n);
  }
  void set_suffix_length(std::size_t n) noexcept {
    if (n <= max_host_length) suffix_lengths[n / 64] |= std::uint64_t{1} << (n % 64);
  }
};

inline std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

inline config_error make_error(config_error_code code, std::string_view subject, std::string message) {
  return config_error{code, std::string(subject), std::move(message)};
}

inline std::string quoted(std::string_view s) { return "`" + printable(s) + "`"; }

template <class Config>
void compile_origins(const Config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  if (cfg.origins.empty() && !cfg.origin_predicate) {
    errors.push_back(make_error(config_error_code::no_origins, {},
                                "cors: no origins are allowed; list them in `origins` (e.g. "
                                "`https://app.example.com`), use `*` for any origin, or set `origin_predicate`"));
  }
  std::vector<std::pair<std::string_view, std::uint32_t>> exact;
  std::vector<std::pair<std::string_view, std::uint32_t>> any_port;
  std::vector<std::pair<std::string_view, subdomain_rule>> wildcards;
  for (const std::string& text : cfg.origins) {
    origin_pattern_result parsed = parse_origin_pattern(text);
    if (!parsed.errors.empty()) {
      errors.insert(errors.end(), parsed.errors.begin(), parsed.errors.end());
      continue;
    }
    const origin_pattern& pat = parsed.pattern;
    switch (pat.kind) {
      case origin_pattern_kind::any:
        p.any_origin = true;
        if (cfg.credentials) {
          errors.push_back(
              make_error(config_error_code::credentials_with_any_origin, text,
                         "cors: origin `*` cannot be combined with `credentials`: browsers reject "
                         "`Access-Control-Allow-Origin: *` on credentialed requests, and echoing every origin would "
                         "let any site read your users' data; list the origins you trust"));
        }
        continue;
      case origin_pattern_kind::null:
        if (!cfg.dangerously_allow_null_origin) {
          errors.push_back(
              make_error(config_error_code::origin_null_not_enabled, text,
                         "cors: origin `null` is shared by sandboxed iframes, `data:`/`file:` documents and redirected "
                         "requests of any site; remove it, or set `dangerously_allow_null_origin` if you mean it"));
        }
        p.allow_null = cfg.dangerously_allow_null_origin;
        continue;
      default: break;
    }
    const bool secure_scheme = pat.scheme != "http" && pat.scheme != "ws";
    const bool loopback = pat.kind == origin_pattern_kind::subdomains ? pat.host == "localhost"
                                                                      : is_loopback_host(pat.host, pat.host_type);
    if (cfg.credentials && !secure_scheme && !loopback && !cfg.dangerously_allow_insecure_origins_with_credentials) {
      errors.push_back(make_error(
          config_error_code::credentials_with_insecure_origin, text,
          "cors: origin pattern " + detail::quoted(text) + " is not secure (plain `" + pat.scheme +
              "://`) but `credentials` is on: anyone on the network "
              "can impersonate it; use `https://`, or set `dangerously_allow_insecure_origins_with_credentials`"));
      continue;
    }
    switch (pat.kind) {
      case origin_pattern_kind::exact: {
        // check_origin() looks exact origins up before parsing the request's `Origin`: the same
        // answer only because each one kept here is a value parse_origin() accepts.
        const std::string_view serialized = p.intern_all(pat.origin_parts());
        if (parse_origin(serialized).status == origin_status::ok) exact.emplace_back(serialized, 0);
        break;
      }
      case origin_pattern_kind::any_port: any_port.emplace_back(p.intern(pat.scheme, "://", pat.host), 0); break;
      case origin_pattern_kind::subdomains:
        wildcards.emplace_back(p.intern(".", pat.host),
                               subdomain_rule{p.intern(pat.scheme), p.intern(pat.port), pat.any_port});
        break;
      default: break;
    }
  }
  // Wildcard rules grouped by parent-domain suffix. A table of every pattern's suffix, where a
  // repeated suffix keeps its first pattern's position, gives each pattern its group in one lookup
  // (scanning the suffixes seen so far would be quadratic in their number); the groups are then
  // laid out one after another, in the order their suffixes first appear.
  std::vector<std::pair<std::string_view, std::uint32_t>> suffixes;
  {
    std::vector<std::pair<std::string_view, std::uint32_t>> all;
    all.reserve(wildcards.size());
    for (std::size_t i = 0; i < wildcards.size(); ++i)
      all.emplace_back(wildcards[i].first, static_cast<std::uint32_t>(i));
    const string_table<false> first_with(all);
    std::vector<std::uint32_t> group_of(wildcards.size());  // by pattern
    std::vector<std::uint32_t> group_size;
    std::vector<std::uint32_t> group_at(wildcards.size(), string_table<false>::npos);  // by first pattern
    for (std::size_t i = 0; i < wildcards.size(); ++i) {
      std::uint32_t& g = group_at[first_with.find(wildcards[i].first)];
      if (g == string_table<false>::npos) {
        g = static_cast<std::uint32_t>(group_size.size());
        group_size.push_back(0);
        suffixes.emplace_back(wildcards[i].first, 0);
        p.set_suffix_length(wildcards[i].first.size());
      }
      group_of[i] = g;
      ++group_size[g];
    }
    std::vector<std::uint32_t> next(group_size.size());  // where a group's next pattern goes
    for (std::uint32_t g = 0, start = 0; g < group_size.size(); start += group_size[g++]) {
      suffixes[g].second = next[g] = start;
    }
    p.subdomain_rules.resize(wildcards.size());
    for (std::size_t i = 0; i < wildcards.size(); ++i) {
      subdomain_rule& r = p.subdomain_rules[next[group_of[i]]++];
      r = wildcards[i].second;
      r.last = next[group_of[i]] == suffixes[group_of[i]].second + group_size[group_of[i]];
    }
  }
  p.exact_origins = string_table<false>(exact);
  p.any_port_origins = string_table<false>(any_port);
  p.subdomain_suffixes = string_table<false>(suffixes);
  p.origin_predicate = cfg.origin_predicate;

  std::vector<std::pair<std::string_view, std::uint32_t>> own;
  for (const std::string& text : cfg.server_origins) {
    origin_pattern_result parsed = parse_origin_pattern(text);
    if (parsed.errors.empty() && parsed.pattern.kind != origin_pattern_kind::exact) {
      parsed.errors.push_back(make_error(config_error_code::origin_bad_wildcard, text,
                                         "cors: server origin " + detail::quoted(text) +
                                             " must be one exact origin such as `https://api.example.com`"));
    }
    if (!parsed.errors.empty()) {
      errors.insert(errors.end(), parsed.errors.begin(), parsed.errors.end());
      continue;
    }
    own.emplace_back(p.intern_all(parsed.pattern.origin_parts()), 0);
  }
  p.server_origins = string_table<false>(own);
}

template <class Config>
void compile_methods(const Config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  std::vector<std::pair<std::string_view, std::uint32_t>> methods;
  std::vector<std::string_view> listed;
  for (const std::string& m : cfg.methods) {
    if (m == "*") {
      p.any_method = true;
      continue;
    }
    if (!fetch::is_method(m)) {
      errors.push_back(make_error(
          config_error_code::method_invalid, m,
          "cors: method " + detail::quoted(m) + " is not a valid method token (letters, digits and !#$%&'*+-.^_`|~)"));
      continue;
    }
    if (fetch::is_forbidden_method(m)) {
      errors.push_back(make_error(
          config_error_code::method_forbidden, m,
          "cors: method " + detail::quoted(m) + " is a forbidden method that browsers never send; remove it"));
      continue;
    }
    // #concept-method-normalize: browsers send these six uppercased, so `delete` means `DELETE`.
    const std::string_view normalized = p.intern(fetch::normalize_method(m));
    bool seen = false;
    for (const auto& [existing, _] : methods) seen = seen || existing == normalized;
    if (!seen) {
      methods.emplace_back(normalized, 0);
      listed.push_back(normalized);
    }
  }
  p.methods = string_table<false>(methods);
  if (p.any_method && !p.credentials) {
    p.allow_methods = "*";
  } else if (!p.any_method && !listed.empty()) {
    p.allow_methods = p.intern(join(listed));
  }
}

template <class Config>
void compile_headers(const Config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  std::vector<std::pair<std::string_view, std::uint32_t>> headers;
  std::vector<std::string_view> listed;
  for (const std::string& h : cfg.request_headers) {
    if (h == "*") {
      p.any_header = true;
      continue;
    }
    if (!fetch::is_header_name(h)) {
      errors.push_back(make_error(config_error_code::request_header_invalid, h,
                                  "cors: request header " + detail::quoted(h) + " is not a valid header name"));
      continue;
    }
    if (fetch::is_forbidden_request_header_name(h)) {
      errors.push_back(make_error(config_error_code::request_header_forbidden, h,
                                  "cors: request header " + detail::quoted(h) +
                                      " is a forbidden request-header that scripts can never set, so browsers "
                                      "never ask for it; remove it"));
      continue;
    }
    bool seen = false;
    for (const auto& [existing, _] : headers) seen = seen || iequals(existing, h);
    if (seen) continue;
    const std::string_view name = p.intern(h);
    headers.emplace_back(name, 0);
    listed.push_back(name);
    p.authorization_listed = p.authorization_listed || fetch::is_cors_non_wildcard_request_header_name(h);
  }
  p.headers = string_table<true>(headers);
  if (p.any_header && !p.credentials) {
    // `*` is a wildcard only without credentials, and never covers `Authorization`
    // (#cors-non-wildcard-request-header-name): list it beside `*` when it is allowed.
    p.allow_headers = p.authorization_listed ? std::string_view("*, Authorization") : std::string_view("*");
  } else if (!p.any_header && !listed.empty()) {
    p.allow_headers = p.intern(join(listed));
  }
}

template <class Config>
void compile_exposed(const Config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  std::vector<std::string_view> listed;
  bool any = false;
  for (const std::string& h : cfg.exposed_headers) {
    if (h == "*") {
      if (cfg.credentials) {
        errors.push_back(make_error(config_error_code::exposed_wildcard_with_credentials, h,
                                    "cors: exposed header `*` means \"all headers\" only without credentials; "
                                    "with `credentials` browsers read it as a header named `*`: list the "
                                    "headers to expose by name"));
      }
      any = true;
      continue;
    }
    if (!fetch::is_header_name(h)) {
      errors.push_back(make_error(config_error_code::exposed_header_invalid, h,
                                  "cors: exposed header " + detail::quoted(h) + " is not a valid header name"));
      continue;
    }
    if (fetch::is_forbidden_response_header_name(h)) {
      errors.push_back(make_error(config_error_code::exposed_header_forbidden, h,
                                  "cors: exposed header " + detail::quoted(h) +
                                      " is a forbidden response-header name that scripts can never read; "
                                      "remove it"));
      continue;
    }
    bool seen = false;
    for (std::string_view existing : listed) seen = seen || iequals(existing, h);
    if (!seen) listed.push_back(p.intern(h));
  }
  if (any) {
    p.expose_headers = "*";
  } else if (!listed.empty()) {
    p.expose_headers = p.intern(join(listed));
  }
}

template <class Config>
void compile_scalars(const Config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  if (cfg.max_age) {
    const auto seconds = cfg.max_age->count();
    if (seconds < 0 || seconds > 86400) {
      errors.push_back(make_error(config_error_code::max_age_out_of_range, std::to_string(seconds),
                                  "cors: max_age " + std::to_string(seconds) +
                                      "s is outside 0 … 86400 seconds (Firefox caps at 86400, Chromium at "
                                      "7200); use 0 to disable preflight caching or leave it unset"));
    } else {
      p.max_age = p.intern(std::to_string(seconds));
    }
  }
  if (cfg.preflight_status != 200 && cfg.preflight_status != 204) {
    errors.push_back(make_error(config_error_code::preflight_status_invalid, std::to_string(cfg.preflight_status),
                                "cors: preflight_status " + std::to_string(cfg.preflight_status) +
                                    " is not supported; use 204 (default) or 200 (for old clients)"));
  } else {
    p.preflight_status = static_cast<std::uint16_t>(cfg.preflight_status);
  }
  p.vary_preflight = cfg.private_network
                         ? std::string_view(
                               "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, "
                               "Access-Control-Request-Private-Network")
                         : std::string_view("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
}

/// Compiles `cfg`, appending every problem to `errors`. The result is only usable when no error
/// was added.
///
/// The compile_* functions run once per policy. They are templates (`Config` is always
/// `cors::config`) only so that they are instantiated where a policy is built: a translation unit
/// that merely evaluates requests then compiles faster (tests/bench/compile_time.sh).
template <class Config>
void compile(const Config& cfg, compiled_policy& p, std::vector<config_error>& errors) {
  p.credentials = cfg.credentials;
  p.private_network = cfg.private_network;
  p.passthrough = cfg.preflight_passthrough;
  p.refuse = cfg.refuse_disallowed_requests;
  compile_origins(cfg, p, errors);
  compile_methods(cfg, p, errors);
  compile_headers(cfg, p, errors);
  compile_exposed(cfg, p, errors);
  compile_scalars(cfg, p, errors);
}

}  // namespace detail

/// Checks a configuration without throwing: returns every problem a `cors::policy` built from it
/// would report (empty when it is valid). Throws only `std::bad_alloc`.
template <class Config = config, class = std::enable_if_t<std::is_same_v<Config, config>>>
[[nodiscard]] std::vector<config_error> validate(const Config& cfg) {
  std::vector<config_error> errors;
  detail::compiled_policy p;
  detail::compile(cfg, p, errors);
  return errors;
}

/// A compiled, immutable CORS policy. Cheap to copy (copies share the compiled state) and safe to
/// use from any number of threads at once.
class policy {
  // The most headers a decision gets (an allowed preflight that echoes each request-header line,
  // with credentials, private network and max-age): decision::add() relies on it.
  static_assert(6 + limits::max_request_headers_lines <= decision::max_headers);

 public:
  /// Compiles `cfg`. Throws `cors::invalid_config` listing every problem when it is invalid.
  /// (A template only to defer compiling the construction code, see detail::compile.)
  template <class Config = config, class = std::enable_if_t<std::is_same_v<Config, config>>>
  explicit policy(const Config& cfg) : p_(new detail::compiled_policy) {
    std::vector<config_error> errors;
    try {
      detail::compile(cfg, *p_, errors);
    } catch (...) {
      delete p_;
      throw;
    }
    if (!errors.empty()) {
      delete p_;
      throw invalid_config(std::move(errors));
    }
  }

  /// Copies share the compiled state (a moved-from policy stays usable: moving is copying).
  policy(const policy& other) noexcept : p_(other.p_) { p_->refs.fetch_add(1, std::memory_order_relaxed); }
  policy& operator=(const policy& other) noexcept {
    other.p_->refs.fetch_add(1, std::memory_order_relaxed);
    release(p_);
    p_ = other.p_;
    return *this;
  }
  ~policy() { release(p_); }

  /// Decides one request. Never throws, never allocates (unless `origin_predicate` does), and does
  /// work bounded by `cors::limits`. The decision refers into this policy and into the memory the
  /// request view points to.
  /// @see https://fetch.spec.whatwg.org/#http-cors-protocol
  [[nodiscard]] decision evaluate(const request_view& req) const noexcept {
    const detail::compiled_policy& p = *p_;
    decision d;
    const bool constant_any = p.any_origin && !p.credentials;
    // #cors-request: "A CORS request is an HTTP request that includes an `Origin` header."
    if (!req.origin.present()) {
      d.kind_ = request_kind::not_cors;
      d.why_ = reason::not_cors;
      add_actual_headers(p, d, {}, constant_any);
      return d;
    }
    // #cors-preflight-request: "a CORS request that checks to see if the CORS protocol is
    // understood. It uses `OPTIONS` as method and includes ... `Access-Control-Request-Method`".
    const bool preflight = req.method == "OPTIONS" && req.access_control_request_method.present();
    d.kind_ = preflight ? request_kind::preflight : request_kind::actual;

    const std::string_view origin = detail::trim_ows(req.origin.front());
    if (!constant_any) {
      d.why_ = check_origin(p, req, origin);
      if (d.why_ != reason::allowed) {
        if (preflight) {
          refuse_preflight(p, d);
        } else {
          refuse_actual(p, req, origin, d);
        }
        return d;
      }
    }
    if (!preflight) {
      d.why_ = reason::allowed;
      add_actual_headers(p, d, origin, constant_any);
      return d;
    }
    evaluate_preflight(p, req, origin, constant_any, d);
    return d;
  }

  /// Does this policy allow `origin` (a request's `Origin` value)?
  [[nodiscard]] bool allows_origin(std::string_view origin) const noexcept {
    if (p_->any_origin && !p_->credentials) return true;
    request_view r{};
    r.origin.add(origin);
    return check_origin(*p_, r, detail::trim_ows(origin)) == reason::allowed;
  }

 private:
  [[nodiscard]] static reason check_origin(const detail::compiled_policy& p, const request_view& req,
                                           std::string_view origin) noexcept {
    // [lib] Browsers send exactly one `Origin`; a second line can only be an attack or a broken proxy.
    if (req.origin.size() > 1) return reason::origin_multiple;
    // (Hashing and matching must not read an arbitrarily long value.)
    if (origin.size() > max_origin_length) return reason::origin_malformed;
    // Fast path for the common case, one hash lookup: a byte-for-byte match of an exact origin
    // (each one a valid serialized origin, see compile_origins) is allowed without parsing.
    if (p.exact_origins.contains(origin)) return reason::allowed;
    if (!p.subdomain_suffixes.empty() && matches_subdomain(p, origin)) return reason::allowed;
    const parsed_origin parsed = parse_origin(origin);
    if (parsed.status == origin_status::null) {
      return p.allow_null ? reason::allowed : reason::origin_null_not_allowed;
    }
    if (parsed.status != origin_status::ok) return reason::origin_malformed;
    if (p.any_origin) return reason::allowed;
    const origin_view& o = parsed.origin;  // o.serialized == origin: not an exact origin
    if (!p.any_port_origins.empty() &&
        p.any_port_origins.contains(o.serialized.substr(0, o.scheme.size() + 3 + o.host.size()))) {
      return reason::allowed;
    }
    // (`scheme://*.parent` patterns were tried above.)
    if (p.origin_predicate && p.origin_predicate(o.serialized)) return reason::allowed;
    return reason::origin_not_allowed;
  }

  /// Is `origin` (at most max_origin_length bytes) a serialized origin that a `scheme://*.parent`
  /// pattern allows? Tried before the whole value is parsed, because a pattern whose parent domain,
  /// scheme and port match leaves little to check: the parent is a valid domain from the
  /// configuration (not ending in a number), so the value is a valid origin exactly when the labels
  /// in front of it are valid and, for a `:*` pattern, the port is canonical. The answer is the one
  /// parse_origin() and then matching the parsed host would give; false for anything malformed.
  ///
  /// `*.parent` matches hosts with one or more labels before `.parent`: try only the suffix
  /// lengths some pattern has (shortest first), each where it starts at a label boundary, and
  /// never the whole host (so never the apex).
  [[nodiscard]] CORS_DETAIL_NOINLINE static bool matches_subdomain(const detail::compiled_policy& p,
                                                                   std::string_view origin) noexcept {
    const char* const first = origin.data();
    const char* const last = first + origin.size();
    const char* const host = detail::skip_scheme(first, last);
    if (host == nullptr) return false;
    // The port, if any: `:` and 1 to 5 digits at the end. A domain has no `:`, so if the value has
    // no such end the host runs to the end; a `:` anywhere else then fails the label check below
    // (or keeps every suffix from matching).
    const char* host_end = last;
    std::string_view port;
    const char* digits = last;
    while (last - digits < 5 && digits != host && detail::is_digit(digits[-1])) --digits;
    if (digits != last && digits[-1] == ':') {
      host_end = digits - 1;
      port = std::string_view(digits, static_cast<std::size_t>(last - digits));
    }
    const std::string_view scheme(first, static_cast<std::size_t>(host - 3 - first));
    const std::size_t n = static_cast<std::size_t>(host_end - host);
    for (std::size_t word = 0; word < p.suffix_lengths.size() && word * 64 < n; ++word) {
      for (std::uint64_t bits = p.suffix_lengths[word]; bits != 0; bits &= bits - 1) {
        const std::size_t len = word * 64 + detail::lowest_bit(bits);
        if (len >= n) return false;
        const char* const suffix = host_end - len;
        if (*suffix != '.') continue;
        const std::uint32_t at = p.subdomain_suffixes.find_inlined(std::string_view(suffix, len));
        if (at == detail::string_table<false>::npos) continue;
        // The labels in front of the parent: `*( domain-label "." ) domain-label`.
        const char* label = nullptr;
        if (detail::scan_domain_labels(host, suffix, label) != suffix) return false;
        const std::uint64_t scheme_word = detail::head_word(scheme);
        const std::uint64_t port_word = detail::head_word(port);
        for (const detail::subdomain_rule* rule = &p.subdomain_rules[at];; ++rule) {
          if (rule->matches(scheme, scheme_word, port, port_word)) {
            // A fixed port is the configured one, canonical; any other is checked as parse_origin() would.
            return !rule->any_port || port.empty() || detail::is_serialized_port(port, scheme);
          }
          if (rule->last) break;
        }
      }
    }
    return false;
  }

  static void add_actual_headers(const detail::compiled_policy& p, decision& d, std::string_view origin,
                                 bool constant_any) noexcept {
    if (constant_any) {
      // #cors-protocol-and-http-caches: with `*` for every request, "always send
      // `Access-Control-Allow-Origin` in responses for the resource — for non-CORS requests as well
      // as CORS requests — and do not use `Vary`."
      d.add("Access-Control-Allow-Origin", "*");
      if (!p.expose_headers.empty()) d.add("Access-Control-Expose-Headers", p.expose_headers);
      return;
    }
    if (!origin.empty()) {
      d.add("Access-Control-Allow-Origin", origin);
      if (p.credentials) d.add("Access-Control-Allow-Credentials", "true");
      if (!p.expose_headers.empty()) d.add("Access-Control-Expose-Headers", p.expose_headers);
    }
    // The answer depends on `Origin`: every response says so, or a shared cache could serve one
    // origin's answer (or a non-CORS response) to another. #cors-protocol-and-http-caches
    d.add("Vary", "Origin");
  }

  static void refuse_actual(const detail::compiled_policy& p, const request_view& req, std::string_view origin,
                            decision& d) noexcept {
    // #cors-request: same-origin POST/PUT/DELETE carry `Origin` too; they are not cross-origin.
    // `Sec-Fetch-Site` is a forbidden request-header, so no page can forge it in a browser.
    if ((origin.size() <= max_origin_length && p.server_origins.contains(origin)) ||
        (req.sec_fetch_site.size() == 1 && detail::trim_ows(req.sec_fetch_site.front()) == "same-origin")) {
      d.why_ = reason::same_origin;
    } else if (p.refuse) {
      d.action_ = action::respond;
      d.status_ = 403;
    }
    d.add("Vary", "Origin");
  }

  static void refuse_preflight(const detail::compiled_policy& p, decision& d) noexcept {
    // #http-responses: "the 403 status can be used, coupled with omitting the relevant headers".
    // No `Access-Control-Allow-*` at all, so nothing of the policy leaks.
    if (!p.passthrough) {
      d.action_ = action::respond;
      d.status_ = 403;
    }
    d.add("Vary", p.vary_preflight);
  }

  static void evaluate_preflight(const detail::compiled_policy& p, const request_view& req, std::string_view origin,
                                 bool constant_any, decision& d) noexcept {
    // #cors-preflight-fetch-0 step 7.5, as the browser will check our answer: "If request's method
    // is not in methods, request's method is not a CORS-safelisted method, and request's
    // credentials mode is "include" or methods does not contain `*`, then return a network error."
    if (req.access_control_request_method.size() != 1) {
      d.why_ = reason::method_malformed;
      return refuse_preflight(p, d);
    }
    const std::string_view method = detail::trim_ows(req.access_control_request_method.front());
    // A configured method is a valid token: look it up first, check the syntax only otherwise.
    if (!p.methods.contains(method)) {
      if (!fetch::is_method(method)) {
        d.why_ = reason::method_malformed;
        d.detail_ = method;
        return refuse_preflight(p, d);
      }
      if (!fetch::is_cors_safelisted_method(method) && !p.any_method) {
        d.why_ = reason::method_not_allowed;
        d.detail_ = method;
        return refuse_preflight(p, d);
      }
    }
    // Step 7.7-7.8: "If one of request's header list's names is a CORS non-wildcard request-header
    // name and is not a byte-case-insensitive match for an item in headerNames, then return a
    // network error. For each unsafeName in the CORS-unsafe request-header names with request's
    // header list, if unsafeName is not a byte-case-insensitive match for an item in headerNames
    // and, if request's credentials mode is "include" or headerNames does not contain `*`, return
    // a network error."
    const reason headers = check_request_headers(p, req, d.detail_);
    if (headers != reason::allowed) {
      d.why_ = headers;
      return refuse_preflight(p, d);
    }
    d.why_ = reason::allowed;
    if (!p.passthrough) {
      d.action_ = action::respond;
      d.status_ = p.preflight_status;
    }
    // The CORS check runs on the preflight response too (step 7.3), with the actual request's
    // credentials mode: origin and credentials first.
    d.add("Access-Control-Allow-Origin", constant_any ? std::string_view("*") : origin);
    if (p.credentials) d.add("Access-Control-Allow-Credentials", "true");
    if (p.any_method && p.credentials) {
      // With credentials `*` is a literal method name: echo the requested method instead.
      d.add("Access-Control-Allow-Methods", method);
    } else if (!p.allow_methods.empty()) {
      d.add("Access-Control-Allow-Methods", p.allow_methods);
    }
    if (p.any_header && p.credentials) {
      // Likewise for `*` headers: echo the (already checked) requested names, line by line.
      for (std::string_view line : req.access_control_request_headers) {
        line = detail::trim_ows(line);
        if (!line.empty()) d.add("Access-Control-Allow-Headers", line);
      }
    } else if (!p.allow_headers.empty()) {
      d.add("Access-Control-Allow-Headers", p.allow_headers);
    }
    // Legacy Private Network Access (WICG draft, frozen): opt-in only.
    // @see https://wicg.github.io/private-network-access/#http-headerdef-access-control-allow-private-network
    if (p.private_network && req.access_control_request_private_network.size() == 1 &&
        detail::trim_ows(req.access_control_request_private_network.front()) == "true") {
      d.add("Access-Control-Allow-Private-Network", "true");
    }
    if (!p.max_age.empty()) d.add("Access-Control-Max-Age", p.max_age);
    d.add("Vary", p.vary_preflight);
  }

  /// Parses `Access-Control-Request-Headers` (all lines, as one RFC 9110 list) with work bounded by
  /// `cors::limits`, and checks each name. Sets `detail` to the offending element.
  [[nodiscard]] static reason check_request_headers(const detail::compiled_policy& p, const request_view& req,
                                                    std::string_view& detail) noexcept {
    const auto& lines = req.access_control_request_headers;
    if (lines.overflowed()) return reason::headers_too_large;
    std::size_t total = 0;
    for (std::string_view line : lines) total += line.size();
    if (total > limits::max_request_headers_bytes) return reason::headers_too_large;
    std::size_t elements = 0;
    std::size_t empty = 0;
    for (const std::string_view line : lines) {
      // One pass per element: OWS, then a token, then OWS, then `,` or the end of the line.
      // Browsers send no OWS, so the token is read first, and OWS looked for only when the token
      // did not end at a `,` or the end.
      const char* const end = line.data() + line.size();
      for (const char* c = line.data();; ++c) {
        const char* first = c;
        while (c != end && detail::is_tchar(*c)) ++c;
        const char* last = c;
        if (c != end && *c != ',') {
          c = first;
          while (c != end && detail::is_http_tab_or_space(*c)) ++c;
          first = c;
          while (c != end && detail::is_tchar(*c)) ++c;
          last = c;
          while (c != end && detail::is_http_tab_or_space(*c)) ++c;
          if (c != end && *c != ',') {
            // Not a token: report the whole (trimmed) element.
            const char* stop = c;
            while (stop != end && *stop != ',') ++stop;
            detail = detail::trim_ows(std::string_view(first, static_cast<std::size_t>(stop - first)));
            return reason::headers_malformed;
          }
        }
        const std::string_view name(first, static_cast<std::size_t>(last - first));
        if (name.empty()) {
          if (++empty > limits::max_request_headers_empty_elements) return reason::headers_too_large;
        } else {
          if (++elements > limits::max_request_headers_elements) return reason::headers_too_large;
          if (!p.headers.contains(name) && !(p.any_header && !fetch::is_cors_non_wildcard_request_header_name(name))) {
            detail = name;
            return reason::header_not_allowed;
          }
        }
        if (c == end) break;
      }
    }
    return reason::allowed;
  }

  static void release(const detail::compiled_policy* p) noexcept {
    if (p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete p;
  }

  detail::compiled_policy* p_;  // never null; shared by copies, immutable once built
};

}  // namespace cors

#endif  // CORS_POLICY_HPP
