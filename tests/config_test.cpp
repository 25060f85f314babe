// Configuration validation: every problem is collected, typed, and explained.
#include <cors/config.hpp>
#include <cors/policy.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

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
      {[](config& c) { c.max_request_headers_bytes = 0; }, config_error_code::max_request_headers_bytes_invalid},
      {[](config& c) { c.max_request_headers_bytes = 255; }, config_error_code::max_request_headers_bytes_invalid},
      {[](config& c) { c.max_request_headers_bytes = 65537; }, config_error_code::max_request_headers_bytes_invalid},
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
  CHECK(c.max_request_headers_bytes == cors::limits::default_max_request_headers_bytes);
  c.max_request_headers_bytes = cors::limits::max_request_headers_bytes_floor;
  CHECK(cors::validate(c).empty());
  c.max_request_headers_bytes = cors::limits::max_request_headers_bytes_ceiling;
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

TEST_CASE("origin_predicate takes any bool(std::string_view) callable and sees only validated origins") {
  config c;
  c.origin_predicate = is_tenant;
  CHECK(cors::policy{c}.allows_origin("https://tenant.example"));
  CHECK_FALSE(cors::policy{c}.allows_origin("https://other.example"));
  std::vector<std::string> seen;
  c.origin_predicate = [&seen](std::string_view o) {
    seen.emplace_back(o);
    return false;
  };
  const cors::policy p{c};
  CHECK_FALSE(p.allows_origin("https://a.example"));
  CHECK_FALSE(p.allows_origin("null"));
  CHECK_FALSE(p.allows_origin("https://A.example"));
  CHECK(seen == std::vector<std::string>{"https://a.example"});
}

TEST_CASE("an origin_predicate that throws refuses the origin instead of terminating") {
  config c;
  c.origins = {"https://app.example.com"};
  c.origin_predicate = [](std::string_view o) -> bool {
    if (o == "https://boom.example") throw std::runtime_error("tenant table unavailable");
    return o == "https://tenant.example";
  };
  const cors::policy p{c};
  const cors::decision boom = p.evaluate(cors::make_request_view("GET", {{"Origin", "https://boom.example"}}));
  CHECK(boom.why() == cors::reason::origin_predicate_failed);
  CHECK(boom.refused());
  CHECK(boom.header(cors::response_header_id::access_control_allow_origin).empty());
  CHECK(boom.request_origin() == "https://boom.example");
  const cors::decision pf = p.evaluate(cors::make_request_view(
      "OPTIONS", {{"Origin", "https://boom.example"}, {"Access-Control-Request-Method", "PUT"}}));
  CHECK(pf.why() == cors::reason::origin_predicate_failed);
  CHECK(pf.status() == 403);
  CHECK(p.evaluate(cors::make_request_view("GET", {{"Origin", "https://tenant.example"}})).grants_access());
  CHECK(p.evaluate(cors::make_request_view("GET", {{"Origin", "https://app.example.com"}})).grants_access());
}

TEST_CASE("policy::make returns the policy, or every error without throwing") {
  config good;
  good.origins = {"https://app.example.com"};
  const cors::policy_result ok = cors::policy::make(good);
  REQUIRE(ok);
  CHECK(ok.errors().empty());
  CHECK(ok->allows_origin("https://app.example.com"));
  config bad;
  bad.origins = {"https://Example.com/", "*"};
  bad.credentials = true;
  bad.methods = {"TRACE"};
  const cors::policy_result refused = cors::policy::make(bad);
  CHECK_FALSE(refused.has_value());
  CHECK(refused.errors().size() == cors::validate(bad).size());
  CHECK(refused.errors().size() >= 3);
  CHECK_THROWS_AS(refused.value(), cors::invalid_config);
  CHECK_NOTHROW(cors::policy::make(bad));
  cors::policy moved = cors::policy::make(good).value();
  CHECK(moved.allows_origin("https://app.example.com"));
}
