// fmt formatters for decisions, reasons and configuration errors (opt-in: needs fmt 9+).
// Request bytes quoted in the output are escaped, so a hostile `Origin` cannot forge log lines.
#ifndef CORS_FMT_HPP
#define CORS_FMT_HPP

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "csrf.hpp"
#include "decision.hpp"
#include "detail/escape.hpp"
#include "errors.hpp"
#include "host_guard.hpp"
#include "websocket.hpp"

namespace cors {
// Declared here, defined in cors/explain.hpp: formatting an explanation needs that header, and
// this one stays light for code that formats only decisions.
struct explanation;
[[nodiscard]] inline std::string to_text(const explanation& e);
[[nodiscard]] inline std::string to_json(const explanation& e);
}  // namespace cors

namespace cors::detail {
/// Formats an enumeration by its stable `cors::to_string` name, with the string format spec.
template <class Enum>
struct name_formatter : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(Enum e, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(cors::to_string(e), ctx);
  }
};

/// A format spec that is empty or one letter, `Flag`, which turns an option on.
template <char Flag>
struct one_flag_spec {
  bool flag = false;
  constexpr auto parse(fmt::format_parse_context& ctx) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it == Flag) {
      flag = true;
      ++it;
    }
    return it;
  }
};
}  // namespace cors::detail

template <>
struct fmt::formatter<cors::reason> : cors::detail::name_formatter<cors::reason> {};
template <>
struct fmt::formatter<cors::request_kind> : cors::detail::name_formatter<cors::request_kind> {};
template <>
struct fmt::formatter<cors::action> : cors::detail::name_formatter<cors::action> {};
template <>
struct fmt::formatter<cors::config_error_code> : cors::detail::name_formatter<cors::config_error_code> {};
template <>
struct fmt::formatter<cors::csrf_reason> : cors::detail::name_formatter<cors::csrf_reason> {};
template <>
struct fmt::formatter<cors::host_reason> : cors::detail::name_formatter<cors::host_reason> {};
template <>
struct fmt::formatter<cors::websocket_reason> : cors::detail::name_formatter<cors::websocket_reason> {};

/// `csrf passed (same_origin)` or `csrf refused (cross_site) 403`; likewise for `host` and
/// `websocket` decisions.
template <>
struct fmt::formatter<cors::csrf_decision> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const cors::csrf_decision& d, FormatContext& ctx) const {
    return d.refused() ? fmt::format_to(ctx.out(), "csrf refused ({}) {}", d.why(), d.status())
                       : fmt::format_to(ctx.out(), "csrf passed ({})", d.why());
  }
};
template <>
struct fmt::formatter<cors::host_decision> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const cors::host_decision& d, FormatContext& ctx) const {
    return d.refused() ? fmt::format_to(ctx.out(), "host refused ({}) {}", d.why(), d.status())
                       : fmt::format_to(ctx.out(), "host passed ({})", d.why());
  }
};
template <>
struct fmt::formatter<cors::websocket_decision> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const cors::websocket_decision& d, FormatContext& ctx) const {
    return d.refused() ? fmt::format_to(ctx.out(), "websocket refused ({}) {}", d.why(), d.status())
                       : fmt::format_to(ctx.out(), "websocket accepted ({})", d.why());
  }
};

/// `{}` prints the message; `{:c}` prints `code: message`.
template <>
struct fmt::formatter<cors::config_error> : cors::detail::one_flag_spec<'c'> {
  template <class FormatContext>
  auto format(const cors::config_error& e, FormatContext& ctx) const {
    if (flag) return fmt::format_to(ctx.out(), "{}: {}", cors::to_string(e.code), e.message);
    return fmt::format_to(ctx.out(), "{}", e.message);
  }
};

/// One line: `preflight allowed (allowed) respond 204`, or with the offending value:
/// `preflight refused (header_not_allowed: "x-evil") respond 403`. `{:h}` appends the headers.
template <>
struct fmt::formatter<cors::decision> : cors::detail::one_flag_spec<'h'> {
  template <class FormatContext>
  auto format(const cors::decision& d, FormatContext& ctx) const {
    auto out = fmt::format_to(ctx.out(), "{} {} ({}", d.kind(), d.refused() ? "refused" : "allowed", d.why());
    if (!d.offending_value().empty()) {
      out = fmt::format_to(out, ": \"{}\"", cors::detail::printable(d.offending_value(), 64));
    }
    out = fmt::format_to(out, ") {}", d.next_action());
    if (d.next_action() == cors::action::respond) out = fmt::format_to(out, " {}", d.status());
    if (flag) {  // {:h}
      for (const cors::response_header h : d.headers()) {
        out = fmt::format_to(out, "\n{}: {}", h.name(), cors::detail::printable(h.value));
      }
    }
    return out;
  }
};

/// `{}` prints `cors::to_text(e)` (several lines), `{:j}` prints `cors::to_json(e)` (one line).
/// Needs `cors/explain.hpp`, where the explanation is defined.
template <>
struct fmt::formatter<cors::explanation> : cors::detail::one_flag_spec<'j'> {
  template <class FormatContext>
  auto format(const cors::explanation& e, FormatContext& ctx) const {
    const std::string s = flag ? cors::to_json(e) : cors::to_text(e);
    return std::copy(s.begin(), s.end(), ctx.out());
  }
};

#endif  // CORS_FMT_HPP
