// Shared by the three libFuzzer harnesses: input splitting and a loud abort on a broken invariant.
#ifndef CORS_TESTS_FUZZ_HARNESS_HPP
#define CORS_TESTS_FUZZ_HARNESS_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace harness {

/// Prints what broke (escaped) and aborts, so libFuzzer and the corpus replay both report it.
[[noreturn]] inline void fail(std::string_view what, std::string_view context = {}) {
  std::fprintf(stderr, "INVARIANT VIOLATED: %.*s\n  context: ", static_cast<int>(what.size()), what.data());
  for (char ch : context) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F || c == '\\') {
      std::fprintf(stderr, "\\x%02x", c);
    } else {
      std::fputc(c, stderr);
    }
  }
  std::fputc('\n', stderr);
  std::abort();
}

#define CORS_FUZZ_CHECK(cond, context)            \
  do {                                            \
    if (!(cond)) ::harness::fail(#cond, context); \
  } while (0)

/// Splits the input into records: on 0x1E (record separator) when the input has one, so that
/// values can carry LF, else on LF. Corpus files are therefore plain text, one record a line.
inline std::vector<std::string_view> records(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const char sep = in.find('\x1e') != std::string_view::npos ? '\x1e' : '\n';
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= in.size()) {
    const std::size_t end = in.find(sep, start);
    out.push_back(in.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

/// `Name:value` (the value keeps its leading whitespace), or the whole record as a name.
inline std::pair<std::string_view, std::string_view> name_value(std::string_view record) {
  const std::size_t colon = record.find(':');
  if (colon == std::string_view::npos) return {record, {}};
  return {record.substr(0, colon), record.substr(colon + 1)};
}

}  // namespace harness

#endif  // CORS_TESTS_FUZZ_HARNESS_HPP
