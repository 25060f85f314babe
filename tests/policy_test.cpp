// Focused properties of cors::policy beyond the decision matrix.
#include <cors/policy.hpp>
#include <cors/version.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "origin_cases.hpp"
#include "policy_for.hpp"

TEST_CASE("a policy allows exactly the origins its patterns match") {
  // tests/origin_cases.hpp: `*.example.com` never reaches the apex or a look-alike, wildcard
  // patterns with ports and any port, a wildcard match still refuses every malformed origin around
  // the matching parent, `host:*` takes every port, exact origins match byte for byte.
  const origin_cases::match_case m = GENERATE(from_range(origin_cases::matches()));
  CAPTURE(m.patterns, m.origin, m.note);
  CHECK(testing::policy_for(m.patterns).allows_origin(m.origin) == m.matches);
}

TEST_CASE("every origin edge case is a valid configured origin exactly when it is a valid pattern") {
  const origin_cases::origin_case c = GENERATE(from_range(origin_cases::origins()));
  CAPTURE(c.value, c.note);
  cors::config config;
  config.origins = {c.value};
  config.dangerously_allow_null_origin = c.value == "null";
  const std::vector<cors::config_error> errors = cors::validate(config);
  CHECK(errors.empty() == c.pattern.accepted);
  if (!c.pattern.accepted) {
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().code == c.pattern.error);
  }
}

TEST_CASE("a policy of every exact origin of the table allows each of them and no malformed value") {
  cors::config config;
  for (const origin_cases::origin_case& c : origin_cases::origins()) {
    if (c.pattern.accepted &&
        (c.pattern.kind == cors::origin_pattern_kind::exact || c.pattern.kind == cors::origin_pattern_kind::null)) {
      config.origins.push_back(c.value);
    }
  }
  config.dangerously_allow_null_origin = true;
  const cors::policy p = testing::policy_for(config);
  const origin_cases::origin_case c = GENERATE(from_range(origin_cases::origins()));
  CAPTURE(c.value, c.note);
  // allows_origin() reads a header value, whose surrounding spaces and tabs are not part of it: a
  // value with some is read as the table's row for the value without them.
  const std::string_view trimmed = cors::detail::trim_ows(c.value);
  bool expected = false;
  for (const origin_cases::origin_case& t : origin_cases::origins()) {
    if (t.value == trimmed) expected = t.request != origin_cases::origin_as::malformed;
  }
  CHECK(p.allows_origin(c.value) == expected);
}

TEST_CASE("over-long origins are refused before anything reads them, around a matching parent too") {
  const auto p = testing::policy_for({"https://*.example.com"});
  CHECK_FALSE(p.allows_origin("https://" + std::string(cors::max_origin_length, 'a') + ".example.com"));
  CHECK(p.allows_origin("https://" + std::string(63, 'a') + ".example.com"));
}

TEST_CASE("the origin predicate is consulted after the static patterns, with validated origins only") {
  cors::config c;
  c.origins = {"https://static.example"};
  std::vector<std::string>* seen = new std::vector<std::string>;
  c.origin_predicate = [seen](std::string_view o) {
    seen->emplace_back(o);
    return o == "https://tenant1.example";
  };
  {
    const cors::policy p = testing::policy_for(c);
    CHECK(p.allows_origin("https://static.example"));
    CHECK(p.allows_origin("https://tenant1.example"));
    CHECK_FALSE(p.allows_origin("https://tenant2.example"));
    CHECK_FALSE(p.allows_origin("null"));
    CHECK_FALSE(p.allows_origin("https://TENANT1.example"));
  }
  CHECK(*seen == std::vector<std::string>{"https://tenant1.example", "https://tenant2.example"});
  delete seen;
}

TEST_CASE("a policy outlives its config and copies share the compiled state") {
  std::optional<cors::policy> copy;
  {
    cors::config c;
    c.origins = {"https://app.example.com"};
    const cors::policy p = testing::policy_for(c);
    copy.emplace(p);
  }
  CHECK(copy->allows_origin("https://app.example.com"));
}

TEST_CASE("wildcard patterns sharing a parent domain keep every scheme and port, however many there are") {
  // Grouping patterns by suffix runs through a table that is a short array up to eight suffixes
  // and a hash table beyond: both sizes, each suffix listed under two schemes and ports.
  for (const int parents : {3, 40}) {
    std::vector<std::string> origins;
    for (int i = 0; i < parents; ++i) {
      origins.push_back("https://*.s" + std::to_string(i) + ".example");
      origins.push_back("wss://*.s" + std::to_string(i) + ".example:8443");
      origins.push_back("https://*.s" + std::to_string(i) + ".example");  // a repeat changes nothing
    }
    const auto p = testing::policy_for(origins);
    for (int i = 0; i < parents; ++i) {
      const std::string parent = ".s" + std::to_string(i) + ".example";
      CAPTURE(parents, parent);
      CHECK(p.allows_origin("https://a" + parent));
      CHECK(p.allows_origin("wss://a.b" + parent + ":8443"));
      CHECK_FALSE(p.allows_origin("wss://a" + parent));
      CHECK_FALSE(p.allows_origin("https://a" + parent + ":8443"));
      CHECK_FALSE(p.allows_origin("http://a" + parent));
    }
    CHECK_FALSE(p.allows_origin("https://a.s" + std::to_string(parents) + ".example"));
  }
}

TEST_CASE("configured text far larger than one storage chunk stays intact") {
  // The policy copies configured strings into 16 KiB chunks: thousands of origins span several,
  // and a list longer than a chunk gets one of its own.
  cors::config c;
  for (int i = 0; i < 3000; ++i) c.origins.push_back("https://origin-number-" + std::to_string(i) + ".example.com");
  std::string expected;
  for (int i = 0; i < 3000; ++i) {
    c.exposed_headers.push_back("X-Exposed-" + std::to_string(i));
    expected += (i == 0 ? "" : ", ") + c.exposed_headers.back();
  }
  REQUIRE(expected.size() > 16 * 1024);
  const cors::policy p = testing::policy_for(c);
  for (int i = 0; i < 3000; ++i) {
    const std::string origin = "https://origin-number-" + std::to_string(i) + ".example.com";
    CAPTURE(origin);
    REQUIRE(p.allows_origin(origin));
  }
  cors::request_view r{};
  r.method = "GET";
  r.origin.add("https://origin-number-2999.example.com");
  const cors::decision d = p.evaluate(r);
  CHECK(d.header(cors::response_header_id::access_control_expose_headers) == expected);
  CHECK(d.header(cors::response_header_id::access_control_allow_origin) == "https://origin-number-2999.example.com");
}

TEST_CASE("version_string is made of the version macros CMake reads") {
  CHECK(std::string(cors::version_string) == std::to_string(CORS_VERSION_MAJOR) + "." +
                                                 std::to_string(CORS_VERSION_MINOR) + "." +
                                                 std::to_string(CORS_VERSION_PATCH));
}
