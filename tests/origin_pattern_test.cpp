// Config-side origin patterns are parsed strictly, with a fix-it for every refusal.
#include <cors/origin_pattern.hpp>

#include <string>

#include "catch.hpp"
#include "origin_cases.hpp"

using cors::config_error_code;
using cors::parse_origin_pattern;

TEST_CASE("parse_origin_pattern reads every origin edge case as the table says") {
  // tests/origin_cases.hpp: valid patterns with their parts, refusals with their code and a fix-it.
  const origin_cases::origin_case c = GENERATE(from_range(origin_cases::origins()));
  CAPTURE(c.value, c.note);
  const auto r = parse_origin_pattern(c.value);
  if (c.pattern.accepted) {
    REQUIRE(r.errors.empty());
    CHECK(r.pattern.kind == c.pattern.kind);
    CHECK(r.pattern.any_port == c.pattern.any_port);
    CHECK(r.pattern.scheme == c.split.scheme);
    CHECK(r.pattern.host == c.split.host);
    CHECK(r.pattern.port == c.split.port);
  } else {
    REQUIRE_FALSE(r.errors.empty());
    CHECK(r.errors.front().code == c.pattern.error);
    CHECK(r.errors.front().subject == c.value);
    CHECK(r.errors.front().message.rfind("cors: ", 0) == 0);
    CHECK(r.errors.front().message.find(c.hint) != std::string::npos);
  }
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
