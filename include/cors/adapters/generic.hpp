// Applying a decision to any framework's response through three small callables. The rules live
// here once; the Beast and httplib adapters and hand-written ones for other frameworks use them.
#ifndef CORS_ADAPTERS_GENERIC_HPP
#define CORS_ADAPTERS_GENERIC_HPP

#include <array>
#include <string>
#include <string_view>

#include "../decision.hpp"
#include "../detail/vary.hpp"

namespace cors::adapters {

/// The response headers the policy owns. `apply_with` removes every one of them from the response
/// before writing the decision's, so a stale value the application set can never reach a browser
/// beside (or instead of) the policy's answer.
/// @see https://fetch.spec.whatwg.org/#http-responses
inline constexpr std::array<std::string_view, 7> policy_response_headers = {
    "Access-Control-Allow-Origin",   "Access-Control-Allow-Credentials",     "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",  "Access-Control-Allow-Private-Network", "Access-Control-Max-Age",
    "Access-Control-Expose-Headers",
};

/// Writes decision `d`'s headers into a response through three callables:
/// - `erase(std::string_view name)` removes every line of header `name` (names compare
///   case-insensitively; absent names are no-ops);
/// - `append(std::string_view name, std::string_view value)` adds one header line;
/// - `each_vary_line(f)` calls `f(std::string_view)` for each `Vary` line the response has.
///
/// Rules: every header in `policy_response_headers` is erased, then the decision's ones appended,
/// so they replace, never duplicate, and a refused request carries none. A header the decision
/// gives several times (an echoed multi-line `Access-Control-Request-Headers`) is written as
/// several lines, which a browser combines as one list. `Vary` is merged: only the missing tokens
/// are added, the response's are kept, `Vary: *` is left alone, and the result is one line.
/// Allocates only through the callables, plus one string when a `Vary` the response already has
/// must be extended. Throws what the callables throw.
/// @see https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches
template <class Erase, class Append, class EachVaryLine>
void apply_with(const decision& d, Erase&& erase, Append&& append, EachVaryLine&& each_vary_line) {
  for (const std::string_view name : policy_response_headers) erase(name);
  for (const response_header& h : d) {
    if (h.name != "Vary") {
      append(h.name, h.value);
      continue;
    }
    if (cors::detail::vary_satisfied(each_vary_line, h.value)) continue;
    bool has_vary = false;
    each_vary_line([&has_vary](std::string_view) { has_vary = true; });
    if (!has_vary) {
      append(h.name, h.value);
      continue;
    }
    // One merged line rather than a second `Vary` line: some caches read only the first.
    const std::string merged = cors::detail::vary_merged(each_vary_line, h.value);
    erase(h.name);
    append(h.name, merged);
  }
}

}  // namespace cors::adapters

#endif  // CORS_ADAPTERS_GENERIC_HPP
