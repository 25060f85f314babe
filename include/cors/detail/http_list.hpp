// Reading comma-separated header lists (RFC 9110 `#element`) one element at a time, in place, in
// one pass: `Access-Control-Request-Headers` on every preflight, `Vary` when merging, and Fetch's
// "get, decode, and split" for method-override headers. The one list scanner of the library.
// @see https://www.rfc-editor.org/rfc/rfc9110#name-lists-rule-abnf-extension
// @see https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
#ifndef CORS_DETAIL_HTTP_LIST_HPP
#define CORS_DETAIL_HTTP_LIST_HPP

#include <cstddef>
#include <string_view>

#include "ascii.hpp"
#include "macros.hpp"

namespace cors::detail {

/// Which commas end an element.
enum class list_commas : bool {
  all,                    ///< every comma (lists of tokens: header names, `Vary`)
  outside_quoted_strings  ///< not those inside a `"…"` quoted-string (with `\` escapes), as in
                          ///< "get, decode, and split"
};

/// The elements of one list value, trimmed of HTTP tab or space (OWS), empty ones included (`a,,b`
/// has three). Work is one pass over the value: an element is read as a token first (browsers send
/// `a,b,c`), and only when it does not end at a comma is whitespace looked for.
template <list_commas Commas = list_commas::all>
class list_reader {
 public:
  constexpr explicit list_reader(std::string_view value) noexcept
      : next_(value.data()), end_(value.data() + value.size()) {}

  /// Reads the next element into `element`; false once every element has been read. A value
  /// without commas is one element (possibly empty).
  CORS_DETAIL_ALWAYS_INLINE constexpr bool next(std::string_view& element) noexcept {
    if (done_) return false;
    const char* c = next_;
    const char* first = c;
    while (c != end_ && is_tchar(*c)) ++c;
    const char* last = c;
    token_ = true;
    if (c != end_ && *c != ',') {
      c = first;
      while (c != end_ && is_http_tab_or_space(*c)) ++c;
      first = c;
      while (c != end_ && is_tchar(*c)) ++c;
      last = c;
      while (c != end_ && is_http_tab_or_space(*c)) ++c;
      if (c != end_ && *c != ',') {
        token_ = false;
        c = skip_to_comma(c);
        last = c;
        while (last != first && is_http_tab_or_space(last[-1])) --last;
      }
    }
    element = std::string_view(first, static_cast<std::size_t>(last - first));
    token_ = token_ && first != last;
    if (c == end_) {
      done_ = true;
    } else {
      next_ = c + 1;
    }
    return true;
  }

  /// Is the element just read one `token` (RFC 9110: a header name or a method)?
  [[nodiscard]] constexpr bool is_token() const noexcept { return token_; }

 private:
  [[nodiscard]] constexpr const char* skip_to_comma(const char* c) const noexcept {
    bool quoted = false;
    for (; c != end_; ++c) {
      if constexpr (Commas == list_commas::outside_quoted_strings) {
        // #collect-an-http-quoted-string: `\` takes the next byte literally; `"` opens and closes.
        if (quoted && *c == '\\' && c + 1 != end_) {
          ++c;
          continue;
        }
        if (*c == '"') quoted = !quoted;
      }
      if (*c == ',' && !quoted) break;
    }
    return c;
  }

  const char* next_;
  const char* end_;
  bool done_ = false;
  bool token_ = false;
};

/// Calls `f(element)` for each non-empty element of a list; stops and returns true as soon as `f`
/// returns true.
template <list_commas Commas = list_commas::all, class F>
constexpr bool any_list_element(std::string_view list, F&& f) {
  list_reader<Commas> reader(list);
  std::string_view element;
  while (reader.next(element)) {
    if (!element.empty() && f(element)) return true;
  }
  return false;
}

}  // namespace cors::detail

#endif  // CORS_DETAIL_HTTP_LIST_HPP
