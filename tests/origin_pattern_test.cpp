// Config-side origin patterns are parsed strictly, with a fix-it for every refusal.
#include <cors/origin_pattern.hpp>

#include <string>

#include "catch.hpp"

using cors::config_error_code;
using cors::origin_pattern_kind;
using cors::parse_origin_pattern;

TEST_CASE("valid origin patterns") {
  auto [text, kind, scheme, host, port, any_port] =
      GENERATE(table<std::string, origin_pattern_kind, std::string, std::string, std::string, bool>({
          {"*", origin_pattern_kind::any, "", "", "", false},
          {"null", origin_pattern_kind::null, "", "", "", false},
          {"https://app.example.com", origin_pattern_kind::exact, "https", "app.example.com", "", false},
          {"http://localhost:8080", origin_pattern_kind::exact, "http", "localhost", "8080", false},
          {"http://[::1]:3000", origin_pattern_kind::exact, "http", "[::1]", "3000", false},
          {"http://127.0.0.1", origin_pattern_kind::exact, "http", "127.0.0.1", "", false},
          {"http://localhost:*", origin_pattern_kind::any_port, "http", "localhost", "", true},
          {"https://*.example.com", origin_pattern_kind::subdomains, "https", "example.com", "", false},
          {"https://*.example.com:8443", origin_pattern_kind::subdomains, "https", "example.com", "8443", false},
          {"https://*.example.com:*", origin_pattern_kind::subdomains, "https", "example.com", "", true},
          {"http://*.localhost", origin_pattern_kind::subdomains, "http", "localhost", "", false},
          {"http://a.example:0", origin_pattern_kind::exact, "http", "a.example", "0", false},
          {"http://a.example:65535", origin_pattern_kind::exact, "http", "a.example", "65535", false},
          {"chrome-extension://abcdef", origin_pattern_kind::exact, "chrome-extension", "abcdef", "", false},
      }));
  CAPTURE(text);
  const auto r = parse_origin_pattern(text);
  REQUIRE(r.errors.empty());
  CHECK(r.pattern.kind == kind);
  CHECK(r.pattern.scheme == scheme);
  CHECK(r.pattern.host == host);
  CHECK(r.pattern.port == port);
  CHECK(r.pattern.any_port == any_port);
}

TEST_CASE("invalid origin patterns are refused with a fix-it message") {
  auto [text, code, hint] = GENERATE(table<std::string, config_error_code, std::string>({
      {"example.com", config_error_code::origin_missing_scheme, "`https://example.com`"},
      {"https://example.com/", config_error_code::origin_has_path, "did you mean `https://example.com`?"},
      {"https://example.com/app", config_error_code::origin_has_path, "did you mean `https://example.com`?"},
      {"https://example.com?x=1", config_error_code::origin_has_query_or_fragment, "`https://example.com`"},
      {"https://example.com#top", config_error_code::origin_has_query_or_fragment, "`https://example.com`"},
      {"https://user@example.com", config_error_code::origin_has_userinfo, "only scheme, host and port"},
      {"https://Example.com", config_error_code::origin_has_uppercase, "write `https://example.com`"},
      {"HTTPS://example.com", config_error_code::origin_has_uppercase, "write `https://example.com`"},
      {"https://\xe2\x98\x95.example", config_error_code::origin_has_non_ascii, "punycode"},
      {"1https://example.com", config_error_code::origin_bad_scheme, "a scheme is"},
      {"https://", config_error_code::origin_bad_host, "has no host"},
      {"https://a_b.example", config_error_code::origin_bad_host, "invalid host"},
      {"https://example.com.", config_error_code::origin_bad_host, "trailing dot"},
      {"https://[::0:1]", config_error_code::origin_bad_host, "shortest form"},
      {"https://1.2.3.256", config_error_code::origin_bad_host, "invalid host"},
      {"https://example.com:65536", config_error_code::origin_bad_port, "0 to 65535"},
      {"https://example.com:08443", config_error_code::origin_bad_port, "leading zeros"},
      {"https://example.com:", config_error_code::origin_bad_port, "0 to 65535"},
      {"https://example.com:443", config_error_code::origin_default_port, "write `https://example.com`"},
      {"http://example.com:80", config_error_code::origin_default_port, "write `http://example.com`"},
      {"https://*.com", config_error_code::origin_wildcard_too_broad, "`https://*.example.com`"},
      {"https://*", config_error_code::origin_bad_wildcard, "`scheme://*.example.com`"},
      {"https://a.*.example.com", config_error_code::origin_bad_wildcard, "whole leading label"},
      {"https://*example.com", config_error_code::origin_bad_wildcard, "whole leading label"},
      {"https://**.example.com", config_error_code::origin_bad_wildcard, "whole leading label"},
      {"*://example.com", config_error_code::origin_bad_scheme, "a scheme is"},
      {"https://*.1.2.3.4", config_error_code::origin_bad_wildcard, "IP addresses"},
      {"https://*.*.example.com", config_error_code::origin_bad_host, "after `*.`"},
      {"https://example.com:8*", config_error_code::origin_bad_port, "`*` for any port"},
      {"", config_error_code::origin_missing_scheme, "write the scheme"},
      {" https://example.com", config_error_code::origin_bad_scheme, "a scheme is"},
  }));
  CAPTURE(text);
  const auto r = parse_origin_pattern(text);
  REQUIRE_FALSE(r.errors.empty());
  CHECK(r.errors.front().code == code);
  CHECK(r.errors.front().subject == text);
  CHECK(r.errors.front().message.rfind("cors: ", 0) == 0);
  CHECK(r.errors.front().message.find(hint) != std::string::npos);
}

TEST_CASE("an uppercase pattern with other problems reports them all") {
  const auto r = parse_origin_pattern("HTTPS://Example.com/");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].code == config_error_code::origin_has_uppercase);
  CHECK(r.errors[1].code == config_error_code::origin_has_path);
}

TEST_CASE("a pattern's control bytes are escaped in its message") {
  const auto r = parse_origin_pattern("https://a.example/\r\nX-Injected: 1");
  REQUIRE_FALSE(r.errors.empty());
  CHECK(r.errors.front().message.find('\r') == std::string::npos);
  CHECK(r.errors.front().message.find('\n') == std::string::npos);
}

TEST_CASE("patterns longer than any origin are refused") {
  const std::string text = "https://" + std::string(600, 'a') + ".example";
  const auto r = parse_origin_pattern(text);
  REQUIRE_FALSE(r.errors.empty());
  CHECK(r.errors.front().code == config_error_code::origin_bad_host);
}
