// Escaping untrusted bytes for logs and terminals: a CR, LF or escape sequence in a request header
// (or a configuration value) must not forge a log line or drive a terminal. The library quotes
// every such value through these functions; they are public for the users' own logs.
#ifndef CORS_ESCAPE_HPP
#define CORS_ESCAPE_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace cors {

/// Appends `s` to `out` with every byte outside printable ASCII (and the backslash) written as
/// `\xHH`, and at most `limit` input bytes (then `...`). Throws only `std::bad_alloc`.
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

/// `s` made printable as `append_printable` does: safe to write to a log line or a terminal, and
/// unambiguous (a `\` in the input is written `\x5c`). Throws only `std::bad_alloc`.
[[nodiscard]] inline std::string printable(std::string_view s, std::size_t limit = 256) {
  std::string out;
  out.reserve(s.size() < limit ? s.size() : limit + 3);
  append_printable(out, s, limit);
  return out;
}

/// Another name for `printable`, for code that reads better with a verb.
[[nodiscard]] inline std::string escape(std::string_view s, std::size_t limit = 256) { return printable(s, limit); }

}  // namespace cors

#endif  // CORS_ESCAPE_HPP
