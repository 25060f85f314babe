// Applying a decision to any framework's response through three small callables. The rules live
// here once; the Beast and httplib adapters and hand-written ones for other frameworks use them.
#ifndef CORS_ADAPTERS_GENERIC_HPP
#define CORS_ADAPTERS_GENERIC_HPP

#include <string>
#include <string_view>

#include "../decision.hpp"
#include "../detail/vary.hpp"
#include "../response_header.hpp"

namespace cors::adapters {

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
    if (cors::detail::vary_satisfied(each_vary_line, h.value)) continue;
    bool has_vary = false;
    each_vary_line([&has_vary](std::string_view) { has_vary = true; });
    if (!has_vary) {
      append(h.id, h.value);
      continue;
    }
    // One merged line rather than a second `Vary` line: some caches read only the first.
    const std::string merged = cors::detail::vary_merged(each_vary_line, h.value);
    erase(h.id);
    append(h.id, std::string_view(merged));
  }
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_GENERIC_HPP
