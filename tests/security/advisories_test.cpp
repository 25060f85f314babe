// Regression suite: published advisories of other CORS libraries that map onto this API, each as
// a named test. Identifiers were checked against the advisories' public records; the tests are
// written for this library's API and share no code or text with the advisories' projects.
#include <cors/fmt.hpp>
#include <cors/policy.hpp>

#include <string>
#include <vector>

#include "policy_for.hpp"
#include "support.hpp"

namespace {

cors::config with_credentials() {
  cors::config c;
  c.credentials = true;
  return c;
}

bool no_control_bytes(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) return false;
  }
  return true;
}

}  // namespace

TEST_CASE(
    "GHSA-vhxv-fg4m-p2w8 (jub0bs/cors) and GHSA-v84h-653v-4pq9 (jub0bs/fcors): "
    "https://foo.com and https://bar.com never allow https://barfoo.com") {
  // The advisories: two patterns whose hosts share a proper suffix were merged in a suffix tree, so
  // the concatenation `barfoo.com` matched. Both orders, and the same with wildcard patterns.
  for (const auto& origins : std::vector<std::vector<std::string>>{
           {"https://foo.com", "https://bar.com"},
           {"https://bar.com", "https://foo.com"},
           {"https://*.foo.com", "https://*.bar.com"},
           {"https://*.foo.com", "https://bar.com"},
           {"https://foo.com", "https://*.bar.com", "https://*.o.com", "https://oo.com"}}) {
    const cors::policy p = testing::policy_for(origins, with_credentials());
    for (const char* o :
         {"https://barfoo.com", "https://foobar.com", "https://bar.foo.com.bar.com.x", "https://barbar.com",
          "https://oo.foo.com.com", "https://bar.foo.co", "https://a.barfoo.com", "https://barfoo.foo.com.evil"}) {
      CAPTURE(origins, o);
      const bool expected = sec::model_of([&] {
                              cors::config c;
                              c.origins = origins;
                              return c;
                            }())
                                .allows(ref::parse(o));
      CHECK(p.allows_origin(o) == expected);
    }
    CHECK_FALSE(p.allows_origin("https://barfoo.com"));
  }
}

TEST_CASE("wildcard off-by-one: `*.example.com` never accepts `example.community` or `xexample.com`") {
  const cors::policy p = testing::policy_for({"https://*.example.com", "https://*.example.co"});
  for (const char* o : {"https://example.community", "https://a.example.community", "https://example.com",
                        "https://xexample.com", "https://a.xexample.com", "https://example.co",
                        "https://a.example.comm", "https://a.example.co.m", "https://a.example.c"}) {
    CAPTURE(o);
    CHECK_FALSE(p.allows_origin(o));
  }
  CHECK(p.allows_origin("https://a.example.com"));
  CHECK(p.allows_origin("https://a.example.co"));
}

TEST_CASE("unanchored or prefix-only patterns cannot be configured, and exact patterns are anchored") {
  // Libraries that match configured strings as prefixes or unanchored regular expressions let
  // `https://example.com.evil` and `https://example.comevil` through.
  cors::config c;
  for (const char* pattern :
       {"https://example.com/", "https://example.com/.*", "^https://example\\.com", "https://example.com$",
        "https://example.*", "https://*example.com", "example.com", "//example.com", "https://example.com*",
        "*.example.com", "https://*", "https://*.com", "https://exa*.com", "https://example.com:8*"}) {
    CAPTURE(pattern);
    c.origins = {pattern};
    CHECK_FALSE(cors::validate(c).empty());
  }
  const cors::policy p = testing::policy_for({"https://example.com"});
  for (const char* o : {"https://example.com.evil", "https://example.comevil", "https://example.com:1",
                        "https://example.com/", "https://example.co", "https://wexample.com"}) {
    CAPTURE(o);
    CHECK_FALSE(p.allows_origin(o));
  }
}

TEST_CASE(
    "reflecting any origin with credentials (expressjs/cors `origin: true` + `credentials`, "
    "Apache Tomcat CORS filter defaults, CVE-2018-8014 / GHSA-r4x2-3cq5-hqvp) is impossible") {
  // There is no "reflect everything" mode: `*` is constant and cannot be combined with credentials,
  // and an empty configuration allows nothing (no permissive default).
  cors::config c;
  c.credentials = true;
  CHECK(sec::refused_with(c, cors::config_error_code::no_origins));
  c.origins = {"*"};
  CHECK(sec::refused_with(c, cors::config_error_code::credentials_with_any_origin));
  c.origins = {"https://*.com"};
  CHECK(sec::refused_with(c, cors::config_error_code::origin_wildcard_too_broad));
  // A credentialed policy only ever echoes origins it lists.
  const fixed::entry& e = sec::policy("credentials");
  for (const char* o : {"https://evil.example", "https://attacker.com", "null", "https://a.b.c.d"}) {
    CAPTURE(o);
    const cors::decision d = sec::decide(e, sec::get(o));
    CHECK(d.header(cors::response_header_id::access_control_allow_origin).empty());
    CHECK(d.header(cors::response_header_id::access_control_allow_credentials).empty());
  }
  // The `*` policy never echoes the request's origin: the answer is the constant `*`.
  const cors::decision any = sec::decide(sec::policy("any"), sec::get("https://attacker.com"));
  CHECK(any.header(cors::response_header_id::access_control_allow_origin) == "*");
  CHECK(any.header(cors::response_header_id::access_control_allow_credentials).empty());
}

TEST_CASE("private-network access is off by default (no Access-Control-Allow-Private-Network without opt-in)") {
  cors::config c;
  c.origins = {"https://app.example.com"};
  CHECK_FALSE(c.private_network);
  const cors::policy p = testing::policy_for(c);
  const inv::raw_request r{"OPTIONS",
                           {{"Origin", "https://app.example.com"},
                            {"Access-Control-Request-Method", "GET"},
                            {"Access-Control-Request-Private-Network", "true"}}};
  const cors::decision d = sec::decide(p, sec::model_of(c), r);
  CHECK_FALSE(d.refused());
  CHECK(d.header(cors::response_header_id::access_control_allow_private_network).empty());
}

TEST_CASE("Vary injection: request data never reaches the Vary header") {
  // Vary is one of three constants of the policy, whatever the request says.
  const std::vector<std::string_view> constants = {
      "Origin", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
      "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"};
  for (const char* p : {"credentials", "any", "null", "refuse", "pna"}) {
    for (const inv::raw_request& r :
         {sec::preflight("https://app.example.com", "PUT", "x-a, Cookie, *"), sec::preflight("null", "PUT", "x-a"),
          sec::get("https://app.example.com, Cookie"),
          inv::raw_request{"GET", {{"Origin", "https://app.example.com"}, {"Vary", "Cookie"}, {"Vary", "*"}}},
          sec::preflight("https://a.corp.example", "GET, Cookie")}) {
      const cors::decision d = sec::decide(sec::policy(p), r);
      const std::string_view vary = d.header(cors::response_header_id::vary);
      CAPTURE(p, vary);
      CHECK((vary.empty() || vary == constants[0] || vary == constants[1] || vary == constants[2]));
    }
  }
}

TEST_CASE("log injection: diagnostics escape the Origin, method and header names they quote") {
  // Decisions: the detail of a malformed method or header is request data; {:h} quotes header values.
  const fixed::entry& e = sec::policy("null");
  for (const inv::raw_request& r :
       {sec::preflight("null", "PUT\r\n2026-01-01 INFO admin logged in"),
        sec::preflight("null", "PUT", "x-a\r\nFAKE LOG LINE"), sec::preflight("null", "PUT\x1b[2J"),
        sec::get("https://app.example.com\r\nFAKE")}) {
    const cors::decision d = sec::decide(e, r);
    const std::string line = fmt::format("{}", d);
    CAPTURE(line);
    CHECK(no_control_bytes(line));
    const std::string with_headers = fmt::format("{:h}", d);
    std::size_t lines = 1;
    for (char c : with_headers) lines += c == '\n';
    CHECK(lines == 1 + d.headers().size());
  }
  // Config errors quote the configured value; every message is one escaped line, whatever the
  // value holds. (Regression: the "did you mean" and "write ..." fix-its once quoted it raw.)
  cors::config c;
  c.origins = {"https://a.example\r\nX-Injected: 1/path", "example.com\r\nX: 1", "https://a.example\r\n:443",
               "https://a.example\x1b]0;title\x07", "https://a.example/\nx?#"};
  c.methods = {"GET\r\nX: 1"};
  c.request_headers = {"X-A\nB"};
  c.exposed_headers = {"X\r\n"};
  c.server_origins = {"https://a\r\n.example"};
  const std::vector<cors::config_error> errors = cors::validate(c);
  REQUIRE(errors.size() >= 9);
  for (const cors::config_error& err : errors) {
    CAPTURE(err.message);
    CHECK(err.message.rfind("cors: ", 0) == 0);
    CHECK(no_control_bytes(err.message));
    CHECK(no_control_bytes(fmt::format("{:c}", err)));
  }
  try {
    const cors::policy p = testing::policy_for(c);
    FAIL("the configuration should be refused");
  } catch (const cors::invalid_config& ex) {
    std::size_t newlines = 0;
    for (const char* s = ex.what(); *s; ++s) newlines += *s == '\n';
    CHECK(newlines + 1 == ex.errors().size());  // one line per problem, nothing forged
  }
}
