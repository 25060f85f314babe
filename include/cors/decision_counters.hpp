// Ready-made decision counters: one atomic per (request kind, reason), an observer for
// `cors::observed`, rendered in the Prometheus text exposition format without any metrics library.
// @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
#ifndef CORS_DECISION_COUNTERS_HPP
#define CORS_DECISION_COUNTERS_HPP

#include <array>
#include <atomic>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "decision.hpp"

namespace cors {

namespace detail {
/// The cache line the counters are spread over. 64 bytes on x86-64 and most AArch64 cores; a
/// constant, because GCC warns that `std::hardware_destructive_interference_size` may differ
/// between translation units (-Winterference-size).
inline constexpr std::size_t counter_line = 64;
inline constexpr std::size_t kind_count = static_cast<std::size_t>(request_kind::preflight) + 1;
inline constexpr std::size_t reason_count = static_cast<std::size_t>(reason::headers_too_many_lines) + 1;
static_assert(to_string(static_cast<reason>(reason_count - 1)) == "headers_too_many_lines",
              "reason_count must follow the last cors::reason");

/// Appends `s` as a Prometheus label value: `\` as `\\`, `"` as `\"`, a line feed as `\n`; every
/// other byte as it is (label values are UTF-8).
inline void append_prometheus_label_value(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c; break;
    }
  }
}
}  // namespace detail

/// Can a policy decide a request of kind `k` for reason `r`? `not_cors` goes with `not_cors` only,
/// `same_origin` with actual requests only, the method and header reasons with preflights only.
[[nodiscard]] constexpr bool is_possible_decision(request_kind k, reason r) noexcept {
  switch (r) {
    case reason::not_cors: return k == request_kind::not_cors;
    case reason::same_origin: return k == request_kind::actual;
    case reason::allowed:
    case reason::origin_malformed:
    case reason::origin_multiple:
    case reason::origin_null_not_allowed:
    case reason::origin_not_allowed:
    case reason::origin_predicate_failed: return k != request_kind::not_cors;
    case reason::method_malformed:
    case reason::method_not_allowed:
    case reason::headers_malformed:
    case reason::headers_too_large:
    case reason::header_not_allowed:
    case reason::headers_too_many_lines: return k == request_kind::preflight;
  }
  return false;
}

/// How many decisions of each (request kind, reason) were made: one relaxed
/// `std::atomic<std::uint64_t>` per pair, each on its own cache line so that threads counting
/// different pairs do not contend. Counting never allocates, locks or throws. Use it as the
/// observer of a `cors::observed` (`std::ref(counters)`: it is neither copyable nor movable), or
/// call `record`. Readers see each counter's latest value, not a snapshot of all of them at once.
class decision_counters {
 public:
  decision_counters() noexcept = default;
  decision_counters(const decision_counters&) = delete;
  decision_counters& operator=(const decision_counters&) = delete;

  /// Counts one decision of kind `k` for reason `r`.
  void record(request_kind k, reason r) noexcept { slot(k, r).fetch_add(1, std::memory_order_relaxed); }
  /// Counts `d` (the observer signature of `cors::observed`; the route is not counted: use one
  /// `decision_counters` per route and render them with their labels).
  void operator()(const decision& d, std::string_view /*route*/ = {}) noexcept { record(d.kind(), d.why()); }

  /// Decisions of kind `k` for reason `r` so far.
  [[nodiscard]] std::uint64_t count(request_kind k, reason r) const noexcept {
    return slot(k, r).load(std::memory_order_relaxed);
  }
  /// Every decision so far.
  [[nodiscard]] std::uint64_t total() const noexcept {
    std::uint64_t n = 0;
    for (const line& l : lines_) n += l.value.load(std::memory_order_relaxed);
    return n;
  }

 private:
  struct alignas(detail::counter_line) line {
    std::atomic<std::uint64_t> value{0};
  };
  [[nodiscard]] static constexpr std::size_t index(request_kind k, reason r) noexcept {
    return static_cast<std::size_t>(k) * detail::reason_count + static_cast<std::size_t>(r);
  }
  [[nodiscard]] std::atomic<std::uint64_t>& slot(request_kind k, reason r) noexcept {
    return lines_[index(k, r)].value;
  }
  [[nodiscard]] const std::atomic<std::uint64_t>& slot(request_kind k, reason r) const noexcept {
    return lines_[index(k, r)].value;
  }

  std::array<line, detail::kind_count * detail::reason_count> lines_{};
};

/// The `Content-Type` of a Prometheus text exposition.
inline constexpr std::string_view prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

/// One route's counters, for rendering several as one metric family labelled `route="…"`.
struct route_counters {
  std::string_view route;  ///< UTF-8; escaped when rendered
  const decision_counters* counters = nullptr;
};

/// Appends the metric family `cors_decisions_total` in the Prometheus text format (0.0.4): its
/// `# HELP` and `# TYPE … counter` lines, then one sample per possible (kind, reason) pair of each
/// route, in the order of `cors::request_kind` and `cors::reason`, labelled
/// `{route="…",kind="…",reason="…"}` (no `route` label for an empty route). A pair no policy can
/// decide (`is_possible_decision`) is rendered only if it was counted. Throws only `std::bad_alloc`.
inline void render_prometheus(std::string& out, const route_counters* routes, std::size_t route_count) {
  out += "# HELP cors_decisions_total CORS decisions by request kind and reason.\n";
  out += "# TYPE cors_decisions_total counter\n";
  for (std::size_t i = 0; i < route_count; ++i) {
    const route_counters& rc = routes[i];
    for (std::size_t k = 0; k < detail::kind_count; ++k) {
      for (std::size_t r = 0; r < detail::reason_count; ++r) {
        const auto kind = static_cast<request_kind>(k);
        const auto why = static_cast<reason>(r);
        const std::uint64_t n = rc.counters->count(kind, why);
        if (n == 0 && !is_possible_decision(kind, why)) continue;
        out += "cors_decisions_total{";
        if (!rc.route.empty()) {
          out += "route=\"";
          detail::append_prometheus_label_value(out, rc.route);
          out += "\",";
        }
        out += "kind=\"";
        out += to_string(kind);
        out += "\",reason=\"";
        out += to_string(why);
        out += "\"} ";
        char digits[24];
        const auto res = std::to_chars(digits, digits + sizeof digits, n);
        out.append(digits, static_cast<std::size_t>(res.ptr - digits));
        out += '\n';
      }
    }
  }
}

/// The same for a list of routes: `render_prometheus(out, {{"api", &api}, {"public", &pub}})`.
inline void render_prometheus(std::string& out, std::initializer_list<route_counters> routes) {
  render_prometheus(out, routes.begin(), routes.size());
}

/// The same for one set of counters, without a `route` label.
inline void render_prometheus(std::string& out, const decision_counters& counters) {
  const route_counters one{{}, &counters};
  render_prometheus(out, &one, 1);
}

}  // namespace cors

#endif  // CORS_DECISION_COUNTERS_HPP
