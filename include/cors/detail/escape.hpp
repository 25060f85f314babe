// Makes untrusted bytes safe to print: diagnostics quote configuration values and request headers,
// and a CR, LF or escape sequence in them must not forge a log line or drive a terminal.
#ifndef CORS_DETAIL_ESCAPE_HPP
#define CORS_DETAIL_ESCAPE_HPP

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace cors::detail {

/// Appends `s` to `out` with every byte outside printable ASCII (and the backslash) written as
/// `\xHH`, and at most `limit` input bytes (then `...`).
inline void append_printable(std::string& out, std::string_view s, std::size_t limit = 256) {
  constexpr char hex[] = "0123456789abcdef";
  std::size_t n = 0;
  for (char ch : s) {
    if (n++ == limit) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F || c == '\\') {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += ch;
    }
  }
}

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

[[nodiscard]] inline std::string printable(std::string_view s, std::size_t limit = 256) {
  std::string out;
  out.reserve(s.size() < limit ? s.size() : limit + 3);
  append_printable(out, s, limit);
  return out;
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_ESCAPE_HPP
