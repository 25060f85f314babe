// Applying a decision to any framework's response through three small callables. The rules live
// here once; the Beast and httplib adapters and hand-written ones for other frameworks use them.
#ifndef CORS_ADAPTERS_GENERIC_HPP
#define CORS_ADAPTERS_GENERIC_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "../decision.hpp"
#include "../detail/ascii.hpp"
#include "../detail/vary.hpp"
#include "../response_header.hpp"

namespace cors::adapters {

namespace detail {
/// Bit n is set when a name of `cors::response_headers` is n bytes long (all are shorter than 64).
[[nodiscard]] constexpr std::uint64_t response_header_name_lengths() noexcept {
  std::uint64_t lengths = 0;
  for (const response_header_spec& spec : response_headers) lengths |= std::uint64_t{1} << spec.name.size();
  return lengths;
}
inline constexpr std::uint64_t response_header_name_length_set = response_header_name_lengths();

/// Which of `cors::response_headers` a response has, one bit per `response_header_id`. An adapter
/// fills it in one pass over the response's header lines, so that its `erase` and `each_vary_line`
/// (see `apply_with`) look only for headers that are there: on a fresh response, none.
class present_headers {
 public:
  constexpr void add(response_header_id id) noexcept { bits_ |= bit(id); }
  /// Adds the header named `name` (compared ASCII case-insensitively) if the table has it.
  constexpr void add_named(std::string_view name) noexcept {
    // Most of a response's names have a length no name of the table has: one test rejects them.
    if (name.size() >= 64 || ((response_header_name_length_set >> name.size()) & 1u) == 0) return;
    for (const response_header_spec& spec : response_headers) {
      if (spec.name.size() == name.size() && cors::detail::iequals(spec.name, name)) {
        add(spec.id);
        return;
      }
    }
  }
  [[nodiscard]] constexpr bool has(response_header_id id) const noexcept { return (bits_ & bit(id)) != 0; }

 private:
  [[nodiscard]] static constexpr unsigned bit(response_header_id id) noexcept {
    return 1u << static_cast<unsigned>(id);
  }
  unsigned bits_ = 0;
};
}  // namespace detail

/// Writes decision `d`'s headers into a response through three callables:
/// - `erase(response_header_id id)` removes every line of the header (`name_of(id)`; names compare
///   case-insensitively; absent headers are no-ops);
/// - `append(response_header_id id, std::string_view value)` adds one header line;
/// - `each_vary_line(f)` calls `f(std::string_view)` for each `Vary` line the response has.
///
/// Rules (`cors::response_headers`, one table): every header whose rule is `write_rule::replace` is
/// erased, then the decision's ones appended, so they replace, never duplicate, and a refused
/// request carries none. A header the decision gives several times (an echoed multi-line
/// `Access-Control-Request-Headers`) is written as several lines, which a browser combines as one
/// list. A `write_rule::merge` header (`Vary`) is merged: only the missing tokens are added, the
/// response's are kept, `Vary: *` is left alone, and the result is one line. Allocates only
/// through the callables, plus one string when a `Vary` the response already has must be
/// extended. Throws what the callables throw.
/// @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
template <class Erase, class Append, class EachVaryLine>
void apply_with(const decision& d, Erase&& erase, Append&& append, EachVaryLine&& each_vary_line) {
  for (const response_header_spec& spec : response_headers) {
    if (spec.rule == write_rule::replace) erase(spec.id);
  }
  for (const response_header h : d.headers()) {
    if (h.rule() == write_rule::replace) {
      append(h.id, h.value);
      continue;
    }
    // Whether the response has a `Vary` at all is asked first: on most responses it has none, and
    // then the value is written as the policy computed it, without scanning its tokens.
    bool has_vary = false;
    each_vary_line([&has_vary](std::string_view) { has_vary = true; });
    if (!has_vary) {
      if (cors::detail::any_list_element(h.value, [](std::string_view) { return true; })) append(h.id, h.value);
      continue;
    }
    if (cors::detail::vary_satisfied(each_vary_line, h.value)) continue;
    // One merged line rather than a second `Vary` line: some caches read only the first.
    const std::string merged = cors::detail::vary_merged(each_vary_line, h.value);
    erase(h.id);
    append(h.id, std::string_view(merged));
  }
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_GENERIC_HPP
