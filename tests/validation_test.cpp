// Configuration checks found when the policy was attacked from outside: wildcards directly under a
// public suffix, and the typing slips of values copied from environment variables and shells.
#include <cors/policy.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

namespace {

std::vector<std::string> messages(const cors::config& c) {
  std::vector<std::string> out;
  for (const cors::config_error& e : cors::validate(c)) out.push_back(e.message);
  return out;
}

cors::config origins(std::vector<std::string> list) {
  cors::config c;
  c.origins = std::move(list);
  return c;
}

// A stand-in for cors::psl::is_public_suffix (tests/psl_test.cpp checks the real list).
bool fake_public_suffix(std::string_view domain) { return domain == "co.uk" || domain == "github.io"; }

}  // namespace

TEST_CASE("a wildcard directly under a public suffix is refused when a public-suffix predicate is set") {
  cors::config c = origins({"https://*.co.uk", "https://*.github.io", "https://*.example.co.uk"});
  c.credentials = true;
  c.public_suffix = fake_public_suffix;
  const std::vector<cors::config_error> errors = cors::validate(c);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].code == cors::config_error_code::origin_wildcard_public_suffix);
  CHECK(errors[0].subject == "https://*.co.uk");
  CHECK(errors[0].message ==
        "cors: origin pattern `https://*.co.uk` allows every site under the public suffix `co.uk`, where anyone can "
        "register a domain; name your own domain (`https://*.example.co.uk`), or set "
        "`dangerously_allow_subdomains_of_public_suffixes`");
  CHECK(errors[1].subject == "https://*.github.io");
}

TEST_CASE("dangerously_allow_subdomains_of_public_suffixes lets a wildcard under a public suffix through") {
  cors::config c = origins({"https://*.github.io"});
  c.public_suffix = fake_public_suffix;
  c.dangerously_allow_subdomains_of_public_suffixes = true;
  CHECK(cors::validate(c).empty());
  const cors::policy p(c);
  CHECK(p.allows_origin("https://someone.github.io"));
  CHECK_FALSE(p.allows_origin("https://github.io"));
}

TEST_CASE("without a public-suffix predicate only top-level-domain wildcards are refused") {
  CHECK(cors::validate(origins({"https://*.co.uk"})).empty());
  const std::vector<cors::config_error> errors = cors::validate(origins({"https://*.com"}));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == cors::config_error_code::origin_wildcard_too_broad);
}

TEST_CASE("the predicate is asked about wildcard parents only, and exact origins under a suffix are fine") {
  std::vector<std::string> asked;
  cors::config c = origins({"https://app.co.uk", "https://*.shop.co.uk", "http://localhost:*"});
  c.public_suffix = [&asked](std::string_view d) {
    asked.emplace_back(d);
    return fake_public_suffix(d);
  };
  CHECK(cors::validate(c).empty());
  CHECK(asked == std::vector<std::string>{"shop.co.uk"});
}

TEST_CASE("a comma-joined origin list says to split it") {
  CHECK(messages(origins({"https://a.com,https://b.com"})) ==
        std::vector<std::string>{"cors: origin pattern `https://a.com,https://b.com` holds several values separated "
                                 "by commas; split it, one origin per entry: `https://a.com`, `https://b.com`"});
  CHECK(messages(origins({"https://a.com https://b.com"})) ==
        std::vector<std::string>{"cors: origin pattern `https://a.com https://b.com` holds several values separated "
                                 "by spaces; split it, one origin per entry: `https://a.com`, `https://b.com`"});
}

TEST_CASE("a header name with a space or comma says one name per entry") {
  cors::config c = origins({"https://a.com"});
  c.request_headers = {"Content-Type, X-Request-Id"};
  c.exposed_headers = {"X-Total-Count X-Page"};
  c.methods = {"GET,PATCH"};
  CHECK(messages(c) == std::vector<std::string>{
                           "cors: method `GET,PATCH` holds several values separated by commas; split it, one name "
                           "per entry: `GET`, `PATCH`",
                           "cors: request header `Content-Type, X-Request-Id` holds several values separated by "
                           "commas; split it, one name per entry: `Content-Type`, `X-Request-Id`",
                           "cors: exposed header `X-Total-Count X-Page` holds several values separated by spaces; "
                           "split it, one name per entry: `X-Total-Count`, `X-Page`"});
}

TEST_CASE("a trailing space, leading white space and an empty entry are named") {
  CHECK(messages(origins({"https://a.com "})) ==
        std::vector<std::string>{"cors: origin pattern `https://a.com ` has a trailing space; write `https://a.com`"});
  CHECK(messages(origins({"\thttps://a.com"})) ==
        std::vector<std::string>{"cors: origin pattern `\\x09https://a.com` has leading white space; write "
                                 "`https://a.com`"});
  CHECK(messages(origins({""})) == std::vector<std::string>{"cors: origin pattern `` is empty; remove the empty "
                                                            "entry (an unset environment variable?)"});
  cors::config c = origins({"https://a.com"});
  c.request_headers = {"X-A ", ""};
  CHECK(messages(c) ==
        std::vector<std::string>{"cors: request header `X-A ` has a trailing space; write `X-A`",
                                 "cors: request header `` is empty; remove the empty entry (an unset environment "
                                 "variable?)"});
}

TEST_CASE("user-typed backslashes are named, with the value written without them") {
  CHECK(messages(origins({"https:\\/\\/a.com"})) ==
        std::vector<std::string>{"cors: origin pattern `https:\\x5c/\\x5c/a.com` contains a backslash (`\\`), which "
                                 "no origin or header name has; write it without backslashes (escaped for a shell or "
                                 "JSON?): `https://a.com`"});
  cors::config c = origins({"https://a.com"});
  c.request_headers = {"X\\-Request-Id"};
  CHECK(messages(c) == std::vector<std::string>{"cors: request header `X\\x5c-Request-Id` contains a backslash "
                                                "(`\\`), which no origin or header name has; write it without "
                                                "backslashes (escaped for a shell or JSON?): `X-Request-Id`"});
}
