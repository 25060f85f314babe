// cors::detail::printable and append_printable: untrusted bytes made safe to print.
#include <cors/detail/escape.hpp>
#include <cors/escape.hpp>

#include <cstddef>
#include <string>

#include "catch.hpp"

using cors::detail::append_printable;
using cors::detail::printable;

TEST_CASE("printable escapes control bytes, backslashes and non-ASCII") {
  CHECK(printable("https://a.example") == "https://a.example");
  CHECK(printable("a\r\nb") == "a\\x0d\\x0ab");
  CHECK(printable("\x1b[31m") == "\\x1b[31m");
  CHECK(printable("\\") == "\\x5c");
  CHECK(printable("\xff") == "\\xff");
  CHECK(printable("abcdef", 3) == "abc...");
}

TEST_CASE("printable keeps printable ASCII except the backslash and hex-escapes every other byte value") {
  const char hex[] = "0123456789abcdef";
  std::size_t kept = 0;
  for (int b = 0; b < 256; ++b) {
    const std::string in(1, static_cast<char>(b));
    const bool keep = b >= 0x20 && b <= 0x7E && b != '\\';
    const std::string want = keep ? in : std::string("\\x") + hex[b >> 4] + hex[b & 0xF];
    CAPTURE(b);
    REQUIRE(printable(in) == want);
    kept += keep ? 1 : 0;
  }
  CHECK(kept == 94);  // 0x20-0x7E without the backslash
}

TEST_CASE("printable stops at the limit: limit bytes pass, one more becomes `...`") {
  const std::string at(256, 'a');
  CHECK(printable(at) == at);
  CHECK(printable(at + "b") == at + "...");
  CHECK(printable("abc", 3) == "abc");
  CHECK(printable("abcd", 3) == "abc...");
  CHECK(printable("", 0).empty());
  CHECK(printable("a", 0) == "...");
  // The limit counts input bytes: an escaped byte counts once.
  CHECK(printable("\r\n\r", 2) == "\\x0d\\x0a...");
}

TEST_CASE("append_printable appends to what is there") {
  std::string out = "cors: ";
  append_printable(out, "a\nb");
  CHECK(out == "cors: a\\x0ab");
  append_printable(out, "xyz", 1);
  CHECK(out == "cors: a\\x0abx...");
}

TEST_CASE("cors::printable and cors::escape are the public names of the escaping helper") {
  CHECK(cors::printable("a\r\nb\\") == "a\\x0d\\x0ab\\x5c");
  CHECK(cors::escape("\x1b[31m") == "\\x1b[31m");
  CHECK(cors::printable("abcdef", 3) == "abc...");
  CHECK(cors::detail::printable("\x7f") == cors::printable("\x7f"));
}
