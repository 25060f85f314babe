// `cors::router`: per-host and per-path policies. Routes are compiled once into hash tables keyed
// by host, then by path prefix; selecting the policy of a request classifies its path's bytes once
// (detail/path_scan.hpp) and looks up the prefixes that end at a `/` boundary and have a length
// some route has (longest first), whatever the number of routes.
#ifndef CORS_ROUTER_HPP
#define CORS_ROUTER_HPP

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decision.hpp"
#include "detail/arena.hpp"
#include "detail/ascii.hpp"
#include "detail/compile.hpp"
#include "detail/macros.hpp"
#include "detail/path_scan.hpp"
#include "detail/string_table.hpp"
#include "errors.hpp"
#include "policy.hpp"
#include "request.hpp"

namespace cors {

/// One route of a `router_config`: requests for `host` (any host when empty) whose path is
/// `path_prefix` or continues it after a `/` get `policy`; without a policy, no CORS at all.
struct route {
  /// `Host` value, compared ASCII-case-insensitively and in full (with the port, if clients send
  /// one: `api.example.com:8443`). Empty: every host.
  std::string host;
  /// An absolute path (`/api`, `/api/`, `/`), matched on segment boundaries: `/api` and `/api/`
  /// both match `/api`, `/api/` and `/api/v1`, never `/apiary`. Case-sensitive, compared byte
  /// for byte with the framework's path; no `%`, `\`, `;`, `?`, `#`, empty, `.` or `..` segments.
  std::string path_prefix;
  /// The policy of these requests; `std::nullopt`: no CORS here (no headers, preflights go to
  /// the application).
  std::optional<cors::policy> policy;
};

/// Routes and the policy of requests that no route matches.
struct router_config {
  std::vector<route> routes;
  /// The policy where no route matches; `std::nullopt`: no CORS there.
  std::optional<cors::policy> default_policy;
};

class router_result;

/// Selects a request's policy by host and path prefix; the longest matching prefix wins, and on
/// equal prefixes a route for the request's host wins over a route for every host. Immutable,
/// cheap to copy (copies share the tables), safe to use from any number of threads.
///
/// Paths that a normaliser (the framework, a proxy, the application) could map to another
/// route get no CORS at all, whatever the routes say: a path with a `.` or `..` segment, an
/// empty segment (`//api`), `\`, `;`, `#`, a malformed `%` escape, or an escaped unreserved
/// character, `/` or `\` (`%2e`, `%2F`, `%41`, RFC 3986 #section-6.2.2.2). `+` is never a space.
/// The query (from the first `?`) is ignored. A router without routes gives its default policy to
/// every request.
class router {
 public:
  /// Compiles `cfg`; throws `cors::invalid_config` listing every problem (and `std::bad_alloc`).
  explicit router(const router_config& cfg);

  /// Compiles `cfg` without throwing for an invalid configuration. Throws only `std::bad_alloc`.
  [[nodiscard]] static router_result make(const router_config& cfg);

  /// The policy for a request to `host` (a `Host` value; empty if none) and `path` (the
  /// framework's path, possibly with its query), or null for "no CORS here". The pointer is valid
  /// as long as this router (or a copy). Never throws or allocates.
  // Inlined up to the test for routes: a router without any (the common case) then costs its
  // caller one load and one branch, not a call (about 30 instructions a request).
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE const policy* select(std::string_view host,
                                                               std::string_view path) const noexcept {
    const detail_router& r = *r_;
    // Without routes there is no other policy a normaliser could lead to.
    if (r.route_count == 0) return r.default_policy;
    return select_route(host, path);
  }

  /// `select` for the request's `Host` (when it has exactly one; with two or more `Host` lines:
  /// no CORS) and `request_view::path`.
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE const policy* select(const request_view& req) const noexcept {
    if (req.host.size() > 1 && r_->route_count != 0) return nullptr;
    return select(req.host.front(), req.path);
  }

  /// Decides `req` with the policy `select(req)` gives; without one, a decision of
  /// `request_kind::not_cors` with no headers, which hands the request to the application.
  /// Never throws or allocates (unless an origin predicate does).
  // Always inlined, like policy::evaluate: out of line, its call, register saves and the copy of
  // the decision it returns cost about 40 instructions a request (tests/bench/server_overhead.sh).
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE decision evaluate(const request_view& req) const noexcept CORS_LIFETIMEBOUND {
    const policy* p = select(req);
    return p != nullptr ? p->evaluate(req) : decision{};
  }

  /// The policy where no route matches, or null (no CORS there).
  [[nodiscard]] const policy* default_policy() const noexcept { return r_->default_policy; }

  /// The number of routes.
  [[nodiscard]] std::size_t size() const noexcept { return r_->route_count; }

  /// The label of the route whose policy `select` returned: the route's host and path prefix as
  /// configured (`/api/`, `api.example.com/admin`), `default` for the default policy, empty for
  /// null (no CORS: a route without a policy, or no route and no default). Valid as long as this
  /// router (or a copy). `cors::observed` passes it to its observer. Never throws.
  [[nodiscard]] std::string_view route_of(const policy* p) const noexcept {
    if (p == nullptr) return {};
    if (p == r_->default_policy) return default_route;
    return r_->labels[static_cast<std::size_t>(p - r_->policies.data())];
  }

  /// The label `route_of` gives the default policy.
  static constexpr std::string_view default_route = "default";

 private:
  /// `select` for a router with routes.
  [[nodiscard]] const policy* select_route(std::string_view host, std::string_view path) const noexcept {
    if (path.empty() || path[0] != '/') return nullptr;  // `*`, absolute-form: not a routed path
    // A path whose part before the query fits in 64 bytes (nearly all) is checked and probed
    // through one mask per byte class; longer ones take a loop over their bytes.
    const std::size_t n = path.size();
    const detail::path_masks m = detail::classify_path(path.data(), n < 64 ? n : 64);
    std::size_t length = 0;
    if (!find_query(path, m.special, length)) return nullptr;
    if (length >= 64) return select_long(host, path);
    std::uint64_t ends = 0;
    if (!check_short(length, m, ends)) return nullptr;
    const std::string_view p(path.data(), length);  // not substr(): its range check blocks inlining
    return in_routing_order(host, [&](const prefix_table& t) { return probe_short(t, p, ends); });
  }

  /// The routing order, for both path scanners: the host's routes, then the routes for any host,
  /// then the default policy. `probe(table)` finds the path's longest route in one table.
  template <class Probe>
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE const policy* in_routing_order(std::string_view host,
                                                                         Probe probe) const noexcept {
    const detail_router& r = *r_;
    if (!r.hosts.empty() && !host.empty()) {
      const std::uint32_t h = r.hosts.find(detail::trim_ows(host));
      if (h != detail::string_table<true>::npos) {
        const std::uint32_t v = probe(r.tables[h]);
        if (v != detail::string_table<false>::npos) return policy_at(v);
      }
    }
    const std::uint32_t v = probe(r.tables.back());
    if (v != detail::string_table<false>::npos) return policy_at(v);
    return r.default_policy;
  }

  friend class router_result;
  static constexpr std::uint32_t no_cors = 0xFFFFFFFEu;
  static constexpr std::size_t short_length = 256;

  /// The path prefixes of one host's routes (or of the routes for any host), and their lengths:
  /// a candidate prefix of a length no route has is not looked up.
  struct prefix_table {
    detail::string_table<false> prefixes;
    std::uint64_t short_lengths = 0;        // bit k: a prefix of k < 64 bytes
    std::bitset<short_length + 1> lengths;  // every length (last bit: longer), for long paths
  };

  struct detail_router {
    detail::string_arena storage;
    std::vector<policy> policies;
    std::vector<std::string_view> labels;  // labels[i]: route_of(&policies[i]), in storage
    detail::string_table<true> hosts;      // host -> index in tables
    std::vector<prefix_table> tables;      // per host; back(): routes for any host
    const policy* default_policy = nullptr;
    std::optional<policy> default_storage;
    std::size_t route_count = 0;
  };

  router() noexcept = default;
  explicit router(std::shared_ptr<const detail_router> r) noexcept : r_(std::move(r)) {}

  [[nodiscard]] const policy* policy_at(std::uint32_t v) const noexcept {
    return v == no_cors ? nullptr : &r_->policies[v];
  }

  [[nodiscard]] static int hex_value(char c) noexcept {
    if (detail::is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  /// Is the `%` at `path[i]` an escape that no normaliser rewrites? (Three bytes, two hex digits,
  /// and not an unreserved character, `/` or `\`.)
  [[nodiscard]] static bool is_kept_escape(std::string_view path, std::size_t i) noexcept {
    if (path.size() - i < 3) return false;
    const int hi = hex_value(path[i + 1]);
    const int lo = hex_value(path[i + 2]);
    if (hi < 0 || lo < 0) return false;
    const char decoded = static_cast<char>(hi * 16 + lo);
    // RFC 3986 #section-2.3: escaped unreserved characters are equivalent to themselves.
    return !(detail::is_alpha(decoded) || detail::is_digit(decoded) || decoded == '-' || decoded == '.' ||
             decoded == '_' || decoded == '~' || decoded == '/' || decoded == '\\');
  }

  /// Walks the `? % \ ; #` bytes of `path`'s first 64 bytes (bit i of `special`: `path[i]`),
  /// up to the query: false for `\`, `;`, `#` or an escape a normaliser rewrites; otherwise
  /// `length` is the length before the query, or 64 (the query, if any, is further on).
  [[nodiscard]] static bool find_query(std::string_view path, std::uint64_t special, std::size_t& length) noexcept {
    for (; special != 0; special &= special - 1) {
      const std::size_t i = detail::lowest_bit(special);
      if (path[i] == '?') {
        length = i;
        return true;
      }
      if (path[i] != '%' || !is_kept_escape(path, i)) return false;
    }
    length = path.size() < 64 ? path.size() : 64;
    return true;
  }

  /// The other rules of the class comment, for a path whose first `length` (< 64) bytes, before
  /// the query, are classified in `m`: false if a normaliser could map it to another route;
  /// otherwise `ends` gets the candidate prefix lengths, bit k for `path.substr(0, k)`.
  [[nodiscard]] static bool check_short(std::size_t length, const detail::path_masks& m, std::uint64_t& ends) noexcept {
    const std::uint64_t end = std::uint64_t{1} << length;  // length < 64
    const std::uint64_t before = end - 1;                  // the bytes before the query
    const std::uint64_t slashes = m.slash & before;
    const std::uint64_t dots = m.dot & before;
    // Many servers merge `//` (an empty segment); a trailing `/` is kept by every normaliser.
    if ((slashes & (slashes >> 1)) != 0) return false;
    // RFC 3986 #section-5.2.4 removes `.` and `..` segments: a `/` then one or two dots, then a
    // `/`, the query or the end.
    const std::uint64_t boundary = slashes | end;
    const std::uint64_t slash_dot = slashes & (dots >> 1);  // a `/` then a `.`
    if (slash_dot != 0 && (slash_dot & ((boundary >> 2) | ((dots >> 2) & (boundary >> 3)))) != 0) return false;
    // Candidates: the whole path (unless it ends with `/`: its prefix without it is the next
    // candidate), and the path up to each `/`; `/` itself is the prefix "".
    ends = slashes | ((slashes & (end >> 1)) != 0 ? 0 : end);
    return true;
  }

  /// The value of the longest candidate prefix of `path` (bit k of `ends`: `path.substr(0, k)`)
  /// in `t`, longest first.
  [[nodiscard]] CORS_DETAIL_ALWAYS_INLINE static std::uint32_t probe_short(const prefix_table& t, std::string_view path,
                                                                           std::uint64_t ends) noexcept {
    for (std::uint64_t c = ends & t.short_lengths; c != 0;) {
      const unsigned k = detail::highest_bit(c);
      const std::uint32_t v = t.prefixes.find_inlined(std::string_view(path.data(), k));
      if (v != detail::string_table<false>::npos) return v;
      c &= ~(std::uint64_t{1} << k);
    }
    return detail::string_table<false>::npos;
  }

  /// `select` for a path whose part before the query is 64 bytes or longer: one loop over its
  /// bytes, then one lookup per `/` boundary at the prefix lengths that exist.
  [[nodiscard]] CORS_DETAIL_NOINLINE const policy* select_long(std::string_view host,
                                                               std::string_view path) const noexcept {
    boundaries b;
    if (!scan(path, b)) return nullptr;
    const std::string_view p = path.substr(0, b.length);
    return in_routing_order(host, [&](const prefix_table& t) { return probe(t, p, b); });
  }

  /// Where the path's segments end: the path's length without the query, and the offsets of its
  /// first `max_slashes` slashes.
  static constexpr std::size_t max_slashes = 32;
  struct boundaries {
    std::size_t length = 0;
    std::size_t count = 0;                           // slashes seen (may exceed max_slashes)
    std::array<std::uint32_t, max_slashes> slashes;  // the first min(count, max_slashes) are set
  };

  enum path_char : std::uint8_t { plain, slash, percent, query, refused };
  static constexpr std::array<std::uint8_t, 256> path_classes = [] {
    std::array<std::uint8_t, 256> t{};
    t[static_cast<unsigned char>('/')] = slash;
    t[static_cast<unsigned char>('%')] = percent;
    t[static_cast<unsigned char>('?')] = query;
    t[static_cast<unsigned char>('\\')] = refused;
    t[static_cast<unsigned char>(';')] = refused;
    t[static_cast<unsigned char>('#')] = refused;
    return t;
  }();

  /// One pass over the path: false if a normaliser could map it to another route (see the class
  /// comment); otherwise its length up to the query and its slashes.
  [[nodiscard]] static bool scan(std::string_view path, boundaries& b) noexcept {
    const char* const s = path.data();
    std::size_t n = path.size();
    if (n == 0 || s[0] != '/') return false;  // `*`, absolute-form: not a routed path
    for (std::size_t i = 0; i < n; ++i) {
      while (path_classes[static_cast<unsigned char>(s[i])] == plain) {
        if (++i == n) {
          b.length = n;
          return true;
        }
      }
      switch (path_classes[static_cast<unsigned char>(s[i])]) {
        case plain: continue;
        case slash:
          // Many servers merge `//` (an empty segment); a trailing `/` is kept by every normaliser.
          if (i + 1 < n && s[i + 1] == '/') return false;
          // RFC 3986 #section-5.2.4 removes `.` and `..` segments. (A dot elsewhere is a plain
          // byte, so the loop above skips it.)
          if (i + 1 < n && s[i + 1] == '.') {
            std::size_t j = i + 2;
            if (j < n && s[j] == '.') ++j;
            if (j == n || s[j] == '/' || s[j] == '?') return false;
          }
          if (b.count < max_slashes) b.slashes[b.count] = static_cast<std::uint32_t>(i);
          ++b.count;
          continue;
        case percent:
          if (!is_kept_escape(path, i)) return false;
          i += 2;
          continue;
        case query: n = i; break;
        default: return false;
      }
      break;  // the query
    }
    b.length = n;
    return true;
  }

  /// The value of the longest prefix of `path` (ending at a segment boundary) in `table`.
  [[nodiscard]] static std::uint32_t probe(const prefix_table& t, std::string_view path, const boundaries& b) noexcept {
    constexpr std::uint32_t npos = detail::string_table<false>::npos;
    if (t.prefixes.empty()) return npos;
    // Candidates: the whole path (unless it ends with `/`, whose prefix without it is the next
    // candidate), then the path up to each `/`, longest first; `/` itself is the prefix "".
    if (path.back() != '/') {
      if (const std::uint32_t v = find(t, path); v != npos) return v;
    }
    if (b.count <= max_slashes) {
      for (std::size_t k = b.count; k-- > 0;) {
        if (const std::uint32_t v = find(t, path.substr(0, b.slashes[k])); v != npos) return v;
      }
      return npos;
    }
    for (std::size_t n = path.size(); n-- > 0;) {
      if (path[n] != '/') continue;
      if (const std::uint32_t v = find(t, path.substr(0, n)); v != npos) return v;
    }
    return npos;
  }

  [[nodiscard]] static std::uint32_t find(const prefix_table& t, std::string_view prefix) noexcept {
    if (!t.lengths[prefix.size() < short_length ? prefix.size() : short_length]) {
      return detail::string_table<false>::npos;
    }
    return t.prefixes.find(prefix);
  }

  std::shared_ptr<const detail_router> r_;  // null only in a router_result with errors
};

/// What `router::make` returns: the router, or every problem of its routes and policies.
class router_result {
 public:
  explicit router_result(router r) noexcept : router_(std::move(r)) {}
  explicit router_result(std::vector<config_error> errors) noexcept : errors_(std::move(errors)) {}

  [[nodiscard]] bool has_value() const noexcept { return static_cast<bool>(router_.r_); }
  [[nodiscard]] explicit operator bool() const noexcept { return has_value(); }
  /// The router; throws `cors::invalid_config` with the errors when there is none.
  [[nodiscard]] const router& value() const& {
    if (!has_value()) throw invalid_config(errors_);
    return router_;
  }
  [[nodiscard]] router value() && {
    if (!has_value()) throw invalid_config(std::move(errors_));
    return std::move(router_);
  }
  [[nodiscard]] const router& operator*() const noexcept { return router_; }
  [[nodiscard]] const router* operator->() const noexcept { return &router_; }
  /// Every problem, in the order of the routes; empty when the router exists.
  [[nodiscard]] const std::vector<config_error>& errors() const noexcept { return errors_; }

 private:
  router router_;
  std::vector<config_error> errors_;
};

namespace detail {
/// Checks a route's path prefix and returns it as stored: without a trailing `/`, `/` as "".
[[nodiscard]] inline bool normalize_path_prefix(std::string_view prefix, std::string_view& out) {
  if (prefix.empty() || prefix[0] != '/') return false;
  if (prefix.size() > 1 && prefix.back() == '/') prefix.remove_suffix(1);
  if (prefix == "/") {
    out = std::string_view{};
    return true;
  }
  std::size_t segment = 1;
  for (std::size_t i = 1; i <= prefix.size(); ++i) {
    if (i == prefix.size() || prefix[i] == '/') {
      const std::string_view s = prefix.substr(segment, i - segment);
      if (s.empty() || s == "." || s == "..") return false;
      segment = i + 1;
      continue;
    }
    const char c = prefix[i];
    if (c == '%' || c == '\\' || c == ';' || c == '?' || c == '#' || static_cast<unsigned char>(c) <= 0x20 ||
        c == 0x7F) {
      return false;
    }
  }
  out = prefix;
  return true;
}

[[nodiscard]] inline bool is_route_host(std::string_view host) noexcept {
  if (host.empty()) return true;
  for (const char c : host) {
    if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_')) {
      return false;
    }
  }
  return true;
}
}  // namespace detail

inline router_result router::make(const router_config& cfg) {
  auto r = std::make_shared<detail_router>();
  std::vector<config_error> errors;
  struct entry {
    std::string_view host;  // lowercased, interned
    std::string_view prefix;
    std::uint32_t value;
  };
  std::vector<entry> entries;
  for (const route& rt : cfg.routes) {
    bool ok = true;
    std::string_view prefix;
    if (!detail::normalize_path_prefix(rt.path_prefix, prefix)) {
      detail::add_error(errors, config_error_code::route_path_prefix_invalid, rt.path_prefix,
                        detail::concat({"cors: route path prefix ", detail::backquoted(rt.path_prefix),
                                        " must be an absolute path such as `/api/` without `%`, `\\`, `;`, `?`, "
                                        "`#`, empty, `.` or `..` segments (paths are matched byte for byte)"}));
      ok = false;
    }
    if (!detail::is_route_host(rt.host)) {
      detail::add_error(errors, config_error_code::route_host_invalid, rt.host,
                        detail::concat({"cors: route host ", detail::backquoted(rt.host),
                                        " must be a `Host` value such as `api.example.com` or `localhost:8080`"}));
      ok = false;
    }
    if (!ok) continue;
    std::string lower(rt.host);
    for (char& c : lower) c = detail::to_lower(c);
    const std::string_view host = r->storage.intern({lower});
    const std::string_view stored = r->storage.intern({prefix});
    bool duplicate = false;
    for (const entry& e : entries) duplicate = duplicate || (e.host == host && e.prefix == stored);
    if (duplicate) {
      detail::add_error(
          errors, config_error_code::route_duplicate, rt.path_prefix,
          detail::concat({"cors: two routes have host ", detail::backquoted(rt.host), " and path prefix ",
                          detail::backquoted(rt.path_prefix), " (a trailing `/` does not make a prefix different)"}));
      continue;
    }
    std::uint32_t value = no_cors;
    if (rt.policy) {
      value = static_cast<std::uint32_t>(r->policies.size());
      r->policies.push_back(*rt.policy);
      r->labels.push_back(r->storage.intern({rt.host, rt.path_prefix}));
    }
    entries.push_back(entry{host, stored, value});
  }
  if (!errors.empty()) return router_result(std::move(errors));

  // Hosts first; every host's table also holds the routes for any host, unless it has the same
  // prefix itself, so that the longest prefix wins across both.
  detail::pod_vector<detail::table_entry> host_entries;
  for (const entry& e : entries) {
    if (e.host.empty()) continue;
    bool known = false;
    for (const detail::table_entry& h : host_entries) known = known || h.key == e.host;
    if (!known) host_entries.push_back({e.host, static_cast<std::uint32_t>(host_entries.size())});
  }
  std::vector<detail::pod_vector<detail::table_entry>> per_host(host_entries.size() + 1);
  r->tables.resize(host_entries.size() + 1);
  const auto add = [&](std::size_t table, const entry& e) {
    per_host[table].push_back({e.prefix, e.value});
    prefix_table& t = r->tables[table];
    t.lengths.set(e.prefix.size() < short_length ? e.prefix.size() : short_length);
    if (e.prefix.size() < 64) t.short_lengths |= std::uint64_t{1} << e.prefix.size();
  };
  for (const entry& e : entries) {
    if (!e.host.empty()) {
      for (const detail::table_entry& h : host_entries) {
        if (h.key == e.host) add(h.value, e);
      }
    }
  }
  for (const entry& e : entries) {
    if (!e.host.empty()) continue;
    add(host_entries.size(), e);
    // string_table keeps the first value of a repeated key: the host's own route stays first.
    for (std::size_t h = 0; h < host_entries.size(); ++h) add(h, e);
  }
  r->hosts = detail::string_table<true>(host_entries);
  for (std::size_t i = 0; i < per_host.size(); ++i) r->tables[i].prefixes = detail::string_table<false>(per_host[i]);
  r->route_count = entries.size();
  if (cfg.default_policy) {
    r->default_storage = *cfg.default_policy;
    r->default_policy = &*r->default_storage;
  }
  return router_result(router(std::shared_ptr<const detail_router>(std::move(r))));
}

inline router::router(const router_config& cfg) : router(make(cfg).value()) {}

}  // namespace cors

#endif  // CORS_ROUTER_HPP
