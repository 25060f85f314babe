// Configuration validation: every problem is collected, typed, and explained.
#include <cors/config.hpp>
#include <cors/policy.hpp>

#include <algorithm>
#include <string>

#include "catch.hpp"
#include "policy_for.hpp"

using cors::config;
using cors::config_error_code;

namespace {

bool has_code(const std::vector<cors::config_error>& errors, config_error_code code) {
  return std::any_of(errors.begin(), errors.end(), [&](const cors::config_error& e) { return e.code == code; });
}

config base() {
  config c;
  c.origins = {"https://app.example.com"};
  return c;
}

}  // namespace

TEST_CASE("a minimal configuration is valid") {
  CHECK(cors::validate(base()).empty());
  CHECK_NOTHROW(testing::policy_for(base()));
}

TEST_CASE("a configuration without origins is refused") {
  config c;
  const auto errors = cors::validate(c);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == config_error_code::no_origins);
  c.origin_predicate = [](std::string_view) { return true; };
  CHECK(cors::validate(c).empty());
}

TEST_CASE("each configuration mistake has its own code") {
  auto [mutate, code] = GENERATE(table<void (*)(config&), config_error_code>({
      {[](config& c) {
         c.origins = {"*"};
         c.credentials = true;
       },
       config_error_code::credentials_with_any_origin},
      {[](config& c) {
         c.origins = {"http://app.example.com"};
         c.credentials = true;
       },
       config_error_code::credentials_with_insecure_origin},
      {[](config& c) {
         c.origins = {"http://*.example.com"};
         c.credentials = true;
       },
       config_error_code::credentials_with_insecure_origin},
      {[](config& c) {
         c.origins = {"ws://app.example.com"};
         c.credentials = true;
       },
       config_error_code::credentials_with_insecure_origin},
      {[](config& c) { c.origins = {"null"}; }, config_error_code::origin_null_not_enabled},
      {[](config& c) { c.origins = {"https://*.com"}; }, config_error_code::origin_wildcard_too_broad},
      {[](config& c) { c.methods = {"GET POST"}; }, config_error_code::method_invalid},
      {[](config& c) { c.methods = {""}; }, config_error_code::method_invalid},
      {[](config& c) { c.methods = {"CONNECT"}; }, config_error_code::method_forbidden},
      {[](config& c) { c.methods = {"trace"}; }, config_error_code::method_forbidden},
      {[](config& c) { c.methods = {"TRACK"}; }, config_error_code::method_forbidden},
      {[](config& c) { c.request_headers = {"X Bad"}; }, config_error_code::request_header_invalid},
      {[](config& c) { c.request_headers = {"Cookie"}; }, config_error_code::request_header_forbidden},
      {[](config& c) { c.request_headers = {"Sec-Fetch-Mode"}; }, config_error_code::request_header_forbidden},
      {[](config& c) { c.request_headers = {"Proxy-Authorization"}; }, config_error_code::request_header_forbidden},
      {[](config& c) { c.request_headers = {"Origin"}; }, config_error_code::request_header_forbidden},
      {[](config& c) { c.exposed_headers = {"X:Bad"}; }, config_error_code::exposed_header_invalid},
      {[](config& c) { c.exposed_headers = {"Set-Cookie"}; }, config_error_code::exposed_header_forbidden},
      {[](config& c) {
         c.exposed_headers = {"*"};
         c.credentials = true;
       },
       config_error_code::exposed_wildcard_with_credentials},
      {[](config& c) { c.max_age = std::chrono::seconds{-1}; }, config_error_code::max_age_out_of_range},
      {[](config& c) { c.max_age = std::chrono::seconds{86401}; }, config_error_code::max_age_out_of_range},
      {[](config& c) { c.preflight_status = 202; }, config_error_code::preflight_status_invalid},
      {[](config& c) { c.preflight_status = 403; }, config_error_code::preflight_status_invalid},
      {[](config& c) { c.server_origins = {"https://*.example.com"}; }, config_error_code::origin_bad_wildcard},
      {[](config& c) { c.server_origins = {"https://api.example.com/"}; }, config_error_code::origin_has_path},
  }));
  config c = base();
  mutate(c);
  const auto errors = cors::validate(c);
  CAPTURE(cors::to_string(code));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == code);
  CHECK(errors[0].message.rfind("cors: ", 0) == 0);
  CHECK_THROWS_AS(testing::policy_for(c), cors::invalid_config);
}

TEST_CASE("boundary values of the configuration are accepted") {
  config c = base();
  c.max_age = std::chrono::seconds{0};
  CHECK(cors::validate(c).empty());
  c.max_age = std::chrono::seconds{86400};
  CHECK(cors::validate(c).empty());
  c.preflight_status = 200;
  CHECK(cors::validate(c).empty());
  c.credentials = true;
  c.origins = {"http://localhost:3000", "http://127.0.0.1:*", "http://[::1]", "http://*.localhost",
               "https://*.example.com"};
  CHECK(cors::validate(c).empty());
  c.origins = {"http://app.example.com"};
  c.dangerously_allow_insecure_origins_with_credentials = true;
  CHECK(cors::validate(c).empty());
  c.origins = {"null"};
  c.dangerously_allow_null_origin = true;
  CHECK(cors::validate(c).empty());
  c = base();
  c.methods = {"*", "patch", "X-Custom!"};
  c.request_headers = {"*", "Authorization", "X-HTTP-Method-Override"};
  c.exposed_headers = {"*"};
  CHECK(cors::validate(c).empty());
}

TEST_CASE("every problem is reported at once, in field order") {
  config c;
  c.origins = {"*", "https://A.example", "https://b.example/"};
  c.credentials = true;
  c.methods = {"TRACE", "GET"};
  c.request_headers = {"Cookie"};
  c.exposed_headers = {"*"};
  c.max_age = std::chrono::seconds{100000};
  c.preflight_status = 201;
  const auto errors = cors::validate(c);
  CHECK(errors.size() == 8);
  CHECK(has_code(errors, config_error_code::credentials_with_any_origin));
  CHECK(has_code(errors, config_error_code::origin_has_uppercase));
  CHECK(has_code(errors, config_error_code::origin_has_path));
  CHECK(has_code(errors, config_error_code::method_forbidden));
  CHECK(has_code(errors, config_error_code::request_header_forbidden));
  CHECK(has_code(errors, config_error_code::exposed_wildcard_with_credentials));
  CHECK(has_code(errors, config_error_code::max_age_out_of_range));
  CHECK(has_code(errors, config_error_code::preflight_status_invalid));
  try {
    const cors::policy p = testing::policy_for(c);
    FAIL("the policy constructor did not throw");
  } catch (const cors::invalid_config& e) {
    CHECK(e.errors().size() == errors.size());
    const std::string what = e.what();
    CHECK(std::count(what.begin(), what.end(), '\n') == static_cast<long>(errors.size()) - 1);
    for (const auto& err : errors) CHECK(what.find(err.message) != std::string::npos);
  }
}

TEST_CASE("invalid_config is a std::invalid_argument") {
  config c;
  CHECK_THROWS_AS(testing::policy_for(c), std::invalid_argument);
}

namespace {
bool is_tenant(std::string_view origin) { return origin == "https://tenant.example"; }
}  // namespace

TEST_CASE("origin_matcher holds any bool(std::string_view) callable, copies share it") {
  cors::origin_matcher none;
  CHECK_FALSE(none);
  cors::origin_matcher from_function = is_tenant;
  REQUIRE(from_function);
  CHECK(from_function("https://tenant.example"));
  CHECK_FALSE(from_function("https://other.example"));
  int calls = 0;
  cors::origin_matcher counting = [&calls](std::string_view o) {
    ++calls;
    return o.size() > 3;
  };
  const cors::origin_matcher copy = counting;  // NOLINT: the copy is the point
  CHECK(copy("abcd"));
  CHECK(counting("abcd"));
  CHECK(calls == 2);
  counting = nullptr;
  CHECK_FALSE(counting);
  CHECK(copy("xyz") == false);
  config c;
  c.origin_predicate = is_tenant;
  CHECK(testing::policy_for(c).allows_origin("https://tenant.example"));
}
