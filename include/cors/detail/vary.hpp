// Merging the policy's `Vary` tokens into the `Vary` a response already has. One place for the
// rule, used by every adapter: add only the missing tokens, keep the application's, never touch
// `Vary: *`, and produce one line.
// @see https://www.rfc-editor.org/rfc/rfc9110#field.vary
// @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
#ifndef CORS_DETAIL_VARY_HPP
#define CORS_DETAIL_VARY_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include "ascii.hpp"
#include "http_list.hpp"

namespace cors::detail {

/// Does the `Vary` list contain `token`? Field names compare case-insensitively.
[[nodiscard]] constexpr bool vary_contains(std::string_view list, std::string_view token) noexcept {
  return any_list_element(list, [token](std::string_view e) noexcept { return iequals(e, token); });
}

/// Does any of the response's `Vary` lines contain `token`? `each_line(f)` calls `f(std::string_view)`
/// once per line.
template <class EachLine>
[[nodiscard]] constexpr bool vary_lines_contain(EachLine&& each_line, std::string_view token) {
  bool found = false;
  each_line([&](std::string_view line) { found = found || vary_contains(line, token); });
  return found;
}

/// Is every token of `wanted` already covered by the response's `Vary` lines, either listed or by
/// `Vary: *` (which says everything varies, so nothing may be added to it)?
template <class EachLine>
[[nodiscard]] constexpr bool vary_satisfied(EachLine&& each_line, std::string_view wanted) {
  if (vary_lines_contain(each_line, "*")) return true;
  return !any_list_element(wanted, [&](std::string_view token) { return !vary_lines_contain(each_line, token); });
}

/// One `Vary` value: the response's lines as written, joined with `, `, then each token of
/// `wanted` that none of them lists. Allocates; adapters call it only when `vary_satisfied` is
/// false and the response already has a `Vary`.
template <class EachLine>
[[nodiscard]] std::string vary_merged(EachLine&& each_line, std::string_view wanted) {
  std::string out;
  const auto append = [&out](std::string_view s) {
    if (!out.empty()) out += ", ";
    out.append(s.data(), s.size());
  };
  each_line([&](std::string_view line) {
    line = trim_ows(line);
    if (!line.empty()) append(line);
  });
  any_list_element(wanted, [&](std::string_view token) {
    if (!vary_lines_contain(each_line, token)) append(token);
    return false;
  });
  return out;
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_VARY_HPP
