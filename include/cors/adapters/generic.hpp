// Applying a decision to any framework's response through three small callables. The rules live
// here once; the Beast and httplib adapters and hand-written ones for other frameworks use them.
#ifndef CORS_ADAPTERS_GENERIC_HPP
#define CORS_ADAPTERS_GENERIC_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "../decision.hpp"
#include "../detail/ascii.hpp"
#include "../detail/macros.hpp"
#include "../detail/vary.hpp"
#include "../detail/words.hpp"
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

/// One bit per `response_header_id` whose rule is `write_rule::replace`.
[[nodiscard]] constexpr unsigned replaced_header_bits() noexcept {
  unsigned bits = 0;
  for (const response_header_spec& spec : response_headers) {
    if (spec.rule == write_rule::replace) bits |= 1u << static_cast<unsigned>(spec.id);
  }
  return bits;
}
}  // namespace detail

/// Which of `cors::response_headers` a response has, one bit per `response_header_id`. An adapter
/// fills it in one pass over the response's header lines and hands it to `apply_with`, so that
/// `erase` and `each_vary_line` are asked only about headers that are there: on a fresh response,
/// none. `present_headers::all()` says "any of them may be there" (what `apply_with` assumes
/// without one).
class present_headers {
 public:
  /// Every header of the table may be present.
  [[nodiscard]] static constexpr present_headers all() noexcept {
    present_headers p;
    p.bits_ = (1u << response_headers.size()) - 1u;
    return p;
  }
  constexpr void add(response_header_id id) noexcept { bits_ |= bit(id); }
  /// Adds the header named `name` (compared ASCII case-insensitively) if the table has it.
  constexpr void add_named(std::string_view name) noexcept {
    // Most of a response's names have a length no name of the table has: one test rejects them.
    if (name.size() >= 64 || ((detail::response_header_name_length_set >> name.size()) & 1u) == 0) return;
    for (const response_header_spec& spec : response_headers) {
      if (spec.name.size() == name.size() && cors::detail::iequals(spec.name, name)) {
        add(spec.id);
        return;
      }
    }
  }
  [[nodiscard]] constexpr bool has(response_header_id id) const noexcept { return (bits_ & bit(id)) != 0; }
  /// The set as bits: bit `i` for `response_header_id(i)`.
  [[nodiscard]] constexpr unsigned bits() const noexcept { return bits_; }

 private:
  [[nodiscard]] static constexpr unsigned bit(response_header_id id) noexcept {
    return 1u << static_cast<unsigned>(id);
  }
  unsigned bits_ = 0;
};

namespace detail {
using present_headers = cors::adapters::present_headers;  // the adapters' earlier spelling

/// The names of the response headers as `std::string`s, indexed by id. Built out of line, once:
/// inlined into `name_string`, the building code's register saves ran on every call (about 20
/// instructions a call, eight calls a Pistache preflight).
CORS_DETAIL_NOINLINE inline std::array<std::string, response_headers.size()> make_name_strings() {
  std::array<std::string, response_headers.size()> out;
  for (const response_header_spec& spec : response_headers)
    out[static_cast<std::size_t>(spec.id)] = std::string(spec.name);
  return out;
}

/// The name of header `id` as a `std::string`, built once: for frameworks that take names by
/// `const std::string&` (Poco, Pistache); most names are too long for the small-string buffer.
[[nodiscard]] inline const std::string& name_string(response_header_id id) {
  static const std::array<std::string, response_headers.size()> names = make_name_strings();
  return names[static_cast<std::size_t>(id)];
}

/// Merges the decision's `Vary` value into the `Vary` lines a response may have (see
/// `apply_with`). Out of line: most responses have no `Vary`, and this path's strings would crowd
/// the registers of the loop that writes the other headers.
template <class Erase, class Append, class EachVaryLine>
CORS_DETAIL_NOINLINE void merge_vary(std::string_view value, Erase& erase, Append& append,
                                     EachVaryLine& each_vary_line) {
  bool has_vary = false;
  each_vary_line([&has_vary](std::string_view) { has_vary = true; });
  if (!has_vary) {
    append(response_header_id::vary, value);
    return;
  }
  if (cors::detail::vary_satisfied(each_vary_line, value)) return;
  // One merged line rather than a second `Vary` line: some caches read only the first.
  const std::string merged = cors::detail::vary_merged(each_vary_line, value);
  erase(response_header_id::vary);
  append(response_header_id::vary, std::string_view(merged));
}
}  // namespace detail

namespace detail {
/// `apply_with`, but `append` is called with the id as a `std::integral_constant` (which converts
/// to `response_header_id`): the library's adapters take it as `auto`, so each header's append is
/// its own instantiation, inlined with its name and field id folded. A call per header through one
/// out-of-line append cost RESTinio's `apply` about 27 instructions a header (saving registers).
/// `merge_vary` calls `append` with a plain `response_header_id`.
template <class Erase, class Append, class EachVaryLine>
void apply_with_ids(const decision& d, present_headers present, Erase&& erase, Append&& append,
                    EachVaryLine&& each_vary_line) {
  for (unsigned rest = present.bits() & replaced_header_bits(); rest != 0; rest &= rest - 1u) {
    erase(static_cast<response_header_id>(cors::detail::lowest_bit(rest)));
  }
  // Headers written as they are: every `write_rule::replace` one, and on a response without a
  // `Vary` the decision's `Vary` too (always one of the policy's constants, never an empty list).
  // The id is a constant here (`header_visit`), so the rule is decided when this is compiled.
  const bool merge = present.has(response_header_id::vary);
  cors::detail::header_visit::each(d, [&](const auto id, const std::string_view value) {
    if constexpr (rule_of(decltype(id)::value) == write_rule::replace) {
      append(id, value);
    } else if (!merge) {
      append(id, value);
    } else {
      merge_vary(value, erase, append, each_vary_line);
    }
  });
}
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
///
/// `present` (optional) says which of the table's headers the response may have: `erase` is called
/// only for those and `each_vary_line` only when `Vary` is among them, which on a fresh response
/// leaves nothing but the appends. A header missing from `present` that the response does have is
/// neither replaced nor merged, so fill it from every line of the response (or omit it).
/// @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
template <class Erase, class Append, class EachVaryLine>
void apply_with(const decision& d, present_headers present, Erase&& erase, Append&& append,
                EachVaryLine&& each_vary_line) {
  // The caller's `append` sees a plain `response_header_id`, as documented.
  auto append_id = [&append](const auto id, const std::string_view value) {
    append(static_cast<response_header_id>(id), value);
  };
  detail::apply_with_ids(d, present, erase, append_id, each_vary_line);
}

/// `apply_with` for a response that may have any of the table's headers.
template <class Erase, class Append, class EachVaryLine>
void apply_with(const decision& d, Erase&& erase, Append&& append, EachVaryLine&& each_vary_line) {
  apply_with(d, present_headers::all(), std::forward<Erase>(erase), std::forward<Append>(append),
             std::forward<EachVaryLine>(each_vary_line));
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_GENERIC_HPP
