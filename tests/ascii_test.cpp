#include <cors/detail/ascii.hpp>
#include <cors/detail/escape.hpp>
#include <cors/detail/string_table.hpp>

#include <string>

#include "catch.hpp"

using namespace cors::detail;

TEST_CASE("tokens are 1*tchar as in RFC 9110") {
  CHECK(is_token("X-Request-Id"));
  CHECK(is_token("!#$%&'*+-.^_`|~09azAZ"));
  CHECK_FALSE(is_token(""));
  CHECK_FALSE(is_token("a b"));
  CHECK_FALSE(is_token("a,b"));
  CHECK_FALSE(is_token("a:b"));
  CHECK_FALSE(is_token("\xc3\xa9"));
  CHECK_FALSE(is_token(std::string_view("a\0b", 3)));
}

TEST_CASE("case-insensitive comparison folds ASCII letters only") {
  CHECK(iequals("Content-Type", "content-type"));
  CHECK_FALSE(iequals("content-type", "content-typ"));
  CHECK_FALSE(iequals("\xc3\x89", "\xc3\xa9"));  // no locale folding of UTF-8
  CHECK_FALSE(iequals("[", "{"));                // 0x5B vs 0x7B differ by 0x20 but are not letters
}

TEST_CASE("OWS trimming strips spaces and tabs only") {
  CHECK(trim_ows(" \t a b \t") == "a b");
  CHECK(trim_ows("\r\na\r\n") == "\r\na\r\n");
  CHECK(trim_ows("   ").empty());
}

TEST_CASE("canonical decimals have no leading zeros and a bounded digit count") {
  CHECK(parse_canonical_decimal("0", 5) == 0);
  CHECK(parse_canonical_decimal("65535", 5) == 65535);
  CHECK(parse_canonical_decimal("065535", 6) == -1);
  CHECK(parse_canonical_decimal("123456", 5) == -1);
  CHECK(parse_canonical_decimal("", 5) == -1);
  CHECK(parse_canonical_decimal("1a", 5) == -1);
}

TEST_CASE("the SWAR lowercasing agrees with byte-wise lowercasing for every byte") {
  for (int b = 0; b < 256; ++b) {
    const auto byte = static_cast<std::uint64_t>(b);
    const std::uint64_t word = byte * 0x0101010101010101ULL;
    const std::uint64_t lowered = lower_word(word);
    const auto expect = static_cast<std::uint64_t>(static_cast<unsigned char>(to_lower(static_cast<char>(b))));
    CAPTURE(b);
    REQUIRE(lowered == expect * 0x0101010101010101ULL);
  }
}

TEST_CASE("string tables find every key and nothing else") {
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("https://host" + std::to_string(i) + ".example");
  std::vector<std::pair<std::string_view, std::uint32_t>> entries;
  for (std::size_t i = 0; i < keys.size(); ++i) entries.emplace_back(keys[i], static_cast<std::uint32_t>(i));
  const string_table<false> table(entries);
  CHECK(table.size() == 1000);
  for (std::size_t i = 0; i < keys.size(); ++i) REQUIRE(table.find(keys[i]) == i);
  CHECK(table.find("https://host1000.example") == string_table<false>::npos);
  CHECK(table.find("HTTPS://host1.example") == string_table<false>::npos);

  const std::string a = "X-Request-Id";
  const string_table<true> ci({{a, 7}});
  CHECK(ci.find("x-request-id") == 7);
  CHECK(ci.find("X-REQUEST-ID") == 7);
  CHECK(ci.find("x-request-i") == string_table<true>::npos);
}

TEST_CASE("printable escapes control bytes, backslashes and non-ASCII") {
  CHECK(printable("https://a.example") == "https://a.example");
  CHECK(printable("a\r\nb") == "a\\x0d\\x0ab");
  CHECK(printable("\x1b[31m") == "\\x1b[31m");
  CHECK(printable("\\") == "\\x5c");
  CHECK(printable("\xff") == "\\xff");
  CHECK(printable("abcdef", 3) == "abc...");
}
