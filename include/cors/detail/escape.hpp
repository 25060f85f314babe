// Makes untrusted bytes safe to print: diagnostics quote configuration values and request headers,
// and a CR, LF or escape sequence in them must not forge a log line or drive a terminal.
#ifndef CORS_DETAIL_ESCAPE_HPP
#define CORS_DETAIL_ESCAPE_HPP

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "../escape.hpp"

namespace cors::detail {

// Public in cors/escape.hpp; these aliases keep the library's own calls (and users' older ones) working.
using cors::append_printable;
using cors::printable;

/// The concatenation of `parts`: configuration messages are built with this one function rather
/// than chains of `std::string` operators (each overload a template instantiated in every
/// translation unit that includes the library).
[[nodiscard]] inline std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (const std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (const std::string_view p : parts) out.append(p.data(), p.size());
  return out;
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_ESCAPE_HPP
