#include <cors/detail/ascii.hpp>
#include <cors/detail/host_scan.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

TEST_CASE("the byte-class table matches the grammar it encodes") {
  // The table is a literal (cheaper to compile than a constexpr loop): recompute every entry
  // from RFC 9110's tchar and Fetch's lower-alphanum and serialized-scheme productions.
  const std::string_view tchar_specials = "!#$%&'*+-.^_`|~";
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    const bool lower_alphanum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool tchar = lower_alphanum || (c >= 'A' && c <= 'Z') || tchar_specials.find(c) != std::string_view::npos;
    const bool scheme = lower_alphanum || c == '+' || c == '-' || c == '.';
    INFO("byte " << i);
    CHECK(has_class(c, cc_tchar) == tchar);
    CHECK(has_class(c, cc_lower_alphanum) == lower_alphanum);
    CHECK(has_class(c, cc_scheme) == scheme);
    CHECK(has_class(c, cc_lower_name) == (lower_alphanum || c == '-'));
  }
}

TEST_CASE("skipping lower-alphanum and `-` eight bytes at a time stops at the first other byte") {
  // Every byte value at every position of strings of length 1..20 (so both the eight-byte loop and
  // the byte-by-byte tail see it), and never a read past the end (ASan checks the heap copy).
  for (std::size_t len = 1; len <= 20; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s(len, 'a');
        for (std::size_t i = 0; i < len; ++i) s[i] = "a0-z9"[i % 5];
        s[at] = static_cast<char>(b);
        const std::vector<char> heap(s.begin(), s.end());
        const char* first = heap.data();
        const char* stop = skip_lower_name(first, first + heap.size());
        std::size_t want = 0;
        while (want < len && has_class(s[want], cc_lower_name)) ++want;
        CAPTURE(len, at, b);
        REQUIRE(static_cast<std::size_t>(stop - first) == want);
      }
    }
  }
  CHECK(starts_with_https(std::string_view("https://a").data(), std::string_view("https://a").data() + 9));
  const std::string_view http = "http://ab";
  CHECK_FALSE(starts_with_https(http.data(), http.data() + http.size()));
  const std::string_view short_one = "https:/";
  CHECK_FALSE(starts_with_https(short_one.data(), short_one.data() + short_one.size()));
}

TEST_CASE("case-insensitive comparison folds ASCII letters only") {
  CHECK(iequals("Content-Type", "content-type"));
  CHECK_FALSE(iequals("content-type", "content-typ"));
  CHECK_FALSE(iequals("\xc3\x89", "\xc3\xa9"));  // no locale folding of UTF-8
  CHECK_FALSE(iequals("[", "{"));                // 0x5B vs 0x7B differ by 0x20 but are not letters
}

TEST_CASE("comparing with a lowercase name word by word agrees with the byte loop") {
  // Lengths on both sides of the eight-byte step, every byte position changed to every value.
  const std::string_view names[] = {"origin",
                                    "sec-fetch-site",
                                    "access-control-request-headers",
                                    "access-control-request-private-network",
                                    "abcdefgh",
                                    "abcdefghi",
                                    "a",
                                    "ab",
                                    "abc",
                                    "host",
                                    "vary",
                                    "abcde",
                                    "abcdefg",
                                    ""};
  for (const std::string_view lower : names) {
    for (std::size_t at = 0; at < lower.size(); ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s(lower);
        s[at] = static_cast<char>(b);
        CAPTURE(lower, at, b);
        REQUIRE(iequals_lower(s, lower) == iequals(s, lower));
      }
    }
    CHECK_FALSE(iequals_lower(std::string(lower) + "x", lower));
  }
  static_assert(iequals_lower("Access-Control-Request-Headers", "access-control-request-headers"));
  static_assert(!iequals_lower("Access-Control-Request-Header_", "access-control-request-headers"));
}

namespace {
constexpr cors::detail::lower_name name_x = cors::detail::make_lower_name("x");
constexpr cors::detail::lower_name name_abc = cors::detail::make_lower_name("abc");
constexpr cors::detail::lower_name name_host = cors::detail::make_lower_name("host");
constexpr cors::detail::lower_name name_a_1 = cors::detail::make_lower_name("a-1_z");
constexpr cors::detail::lower_name name_8 = cors::detail::make_lower_name("abcdefgh");
constexpr cors::detail::lower_name name_9 = cors::detail::make_lower_name("abcdefgh-");
constexpr cors::detail::lower_name name_16 = cors::detail::make_lower_name("sec-fetch-site-x");
constexpr cors::detail::lower_name name_30 = cors::detail::make_lower_name("access-control-request-headers");

template <const cors::detail::lower_name& Name>
void check_matches_lower_like_iequals() {
  const std::string_view lower = Name.name;
  for (std::size_t at = 0; at < lower.size(); ++at) {
    for (int b = 0; b < 256; ++b) {
      std::string s(lower);
      s[at] = static_cast<char>(b);
      CAPTURE(lower, at, b);
      REQUIRE(cors::detail::matches_lower<Name>(s) == cors::detail::iequals(s, lower));
    }
  }
  CHECK(cors::detail::matches_lower<Name>(lower));
  CHECK_FALSE(cors::detail::matches_lower<Name>(std::string(lower) + "x"));
  CHECK_FALSE(cors::detail::matches_lower<Name>(lower.substr(1)));
}
}  // namespace

TEST_CASE("matches_lower compares with a prepared lowercase name as iequals does") {
  check_matches_lower_like_iequals<name_x>();
  check_matches_lower_like_iequals<name_abc>();
  check_matches_lower_like_iequals<name_host>();
  check_matches_lower_like_iequals<name_a_1>();
  check_matches_lower_like_iequals<name_8>();
  check_matches_lower_like_iequals<name_9>();
  check_matches_lower_like_iequals<name_16>();
  check_matches_lower_like_iequals<name_30>();
  static_assert(cors::detail::matches_lower<name_30>("Access-Control-Request-Headers"));
  static_assert(!cors::detail::matches_lower<name_30>("Access-Control-Request-Header_"));
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
