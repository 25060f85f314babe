// cors/psl.hpp: the Public Suffix List (libpsl and Debian's publicsuffix) behind config::public_suffix.
#include <cors/psl.hpp>

#include <cors/policy.hpp>

#include "catch.hpp"

TEST_CASE("the list knows ICANN and private public suffixes, and not registrable domains") {
  CHECK(cors::psl::is_public_suffix("co.uk"));
  CHECK(cors::psl::is_public_suffix("com.au"));
  CHECK(cors::psl::is_public_suffix("github.io"));
  CHECK(cors::psl::is_public_suffix("com"));
  CHECK_FALSE(cors::psl::is_public_suffix("example.com"));
  CHECK_FALSE(cors::psl::is_public_suffix("example.co.uk"));
  CHECK_FALSE(cors::psl::is_public_suffix("someone.github.io"));
  // No implicit `*` rule: unknown single labels are not public suffixes.
  CHECK_FALSE(cors::psl::is_public_suffix("localhost"));
  CHECK_FALSE(cors::psl::is_public_suffix("internal"));
}

TEST_CASE("with the list, https://*.co.uk and https://*.github.io are refused, https://*.example.co.uk is not") {
  cors::config c;
  c.origins = {"https://*.co.uk", "https://*.github.io", "https://*.example.co.uk", "https://*.localhost"};
  c.credentials = true;
  c.public_suffix = cors::psl::is_public_suffix;
  const auto errors = cors::validate(c);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].code == cors::config_error_code::origin_wildcard_public_suffix);
  CHECK(errors[0].subject == "https://*.co.uk");
  CHECK(errors[1].subject == "https://*.github.io");
}

TEST_CASE("the snapshot names libpsl and the list it reads") {
  const std::string s = cors::psl::snapshot();
  CAPTURE(s);
  CHECK(s.rfind("libpsl ", 0) == 0);
  CHECK(s.find("Public Suffix List ") != std::string::npos);
  CHECK(s.find("unknown date") == std::string::npos);
}
