// The line protocol between the browser drivers (run.js, model.js) and the programs that answer
// them (oracle.cpp, model_oracle.cpp): one case per input line of tab-separated `key=value`
// fields with percent-encoded values; one JSON object per output line.
#ifndef CORS_TESTS_BROWSER_LINE_PROTOCOL_HPP
#define CORS_TESTS_BROWSER_LINE_PROTOCOL_HPP

#include <cstdio>
#include <string>
#include <string_view>

namespace line_protocol {

inline int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// `%XX` escapes decoded; a `%` not followed by two hex digits is kept as it is.
inline std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// `s` as a JSON string literal (control bytes as \u00XX).
inline std::string json(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// Calls `f(key, value)` for each `key=value` field of `line`, value decoded; fields without `=`
/// are skipped.
template <class F>
void for_each_field(std::string_view line, F&& f) {
  std::size_t pos = 0;
  while (pos <= line.size()) {
    std::size_t tab = line.find('\t', pos);
    if (tab == std::string_view::npos) tab = line.size();
    const std::string_view field = line.substr(pos, tab - pos);
    pos = tab + 1;
    const std::size_t eq = field.find('=');
    if (eq == std::string_view::npos) continue;
    f(field.substr(0, eq), percent_decode(field.substr(eq + 1)));
  }
}

/// A `name:value` field split at its first colon (no colon: the value is empty).
inline std::pair<std::string, std::string> split_header(const std::string& value) {
  const std::size_t colon = value.find(':');
  return {value.substr(0, colon), colon == std::string::npos ? "" : value.substr(colon + 1)};
}

}  // namespace line_protocol

#endif  // CORS_TESTS_BROWSER_LINE_PROTOCOL_HPP
