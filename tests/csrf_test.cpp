#include <cors/csrf.hpp>

#include <fmt/format.h>
#include <cors/fmt.hpp>

#include <string>
#include <vector>

#include "catch.hpp"
#include "register_test.hpp"

// The cases of the algorithm Go 1.25 publishes for net/http.CrossOriginProtection (its doc
// comment and the behaviour its tests pin down), written as rows of our own: one ctest test per
// row. The guard trusts what this policy names, plus one extra origin, and exempts three
// method+path combinations.
namespace {

cors::policy test_policy() {
  cors::config c;
  c.origins = {"https://app.example", "https://*.tenants.example", "*"};
  c.server_origins = {"https://api.example"};
  return cors::policy{c};
}

const cors::csrf_guard& guard() {
  static const cors::csrf_guard g{
      test_policy(),
      cors::csrf_config{{"https://partner.example"},
                        {{"POST", "/webhook", false}, {"POST", "/hooks", true}, {"PUT", "/files/", true}}}};
  return g;
}

struct row {
  std::string name;
  std::string method;
  std::string target;
  std::vector<cors::header_pair> headers;
  cors::csrf_reason expected;
};

using r = cors::csrf_reason;
constexpr std::string_view cross = "cross-site";

std::vector<row> rows() {
  return {
      // 1. Safe methods always pass.
      {"GET passes even cross-site",
       "GET",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://evil.example"}},
       r::safe_method},
      {"HEAD passes even cross-site", "HEAD", "/", {{"Sec-Fetch-Site", cross}}, r::safe_method},
      {"OPTIONS passes even cross-site", "OPTIONS", "/", {{"Sec-Fetch-Site", cross}}, r::safe_method},
      {"a lowercase get is not the safe GET", "get", "/", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      // 2. Sec-Fetch-Site decides when present.
      {"Sec-Fetch-Site same-origin passes", "POST", "/", {{"Sec-Fetch-Site", "same-origin"}}, r::same_origin},
      {"Sec-Fetch-Site none passes", "POST", "/", {{"Sec-Fetch-Site", "none"}}, r::user_initiated},
      {"Sec-Fetch-Site with surrounding whitespace is trimmed",
       "POST",
       "/",
       {{"Sec-Fetch-Site", " same-origin\t"}},
       r::same_origin},
      {"Sec-Fetch-Site cross-site is refused",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://evil.example"}},
       r::cross_site},
      {"Sec-Fetch-Site same-site is refused",
       "DELETE",
       "/",
       {{"Sec-Fetch-Site", "same-site"}, {"Origin", "https://www.api.example"}},
       r::cross_site},
      {"Sec-Fetch-Site cross-site wins over an Origin equal to Host",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://shop.example"}, {"Host", "shop.example"}},
       r::cross_site},
      {"an unknown Sec-Fetch-Site value is refused", "POST", "/", {{"Sec-Fetch-Site", "Same-Origin"}}, r::cross_site},
      {"two Sec-Fetch-Site lines are refused",
       "POST",
       "/",
       {{"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Site", "same-origin"}},
       r::cross_site},
      {"Sec-Fetch-Site cross-site without Origin is refused", "POST", "/", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"cross-site from an exact CORS origin passes",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://app.example"}},
       r::trusted_origin},
      {"cross-site from a wildcard CORS origin passes",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://a.tenants.example"}},
       r::trusted_origin},
      {"cross-site from the apex of a wildcard is refused",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://tenants.example"}},
       r::cross_site},
      {"cross-site from a server origin passes",
       "POST",
       "/",
       {{"Sec-Fetch-Site", "same-site"}, {"Origin", "https://api.example"}},
       r::trusted_origin},
      {"cross-site from an extra trusted origin passes",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://partner.example"}},
       r::trusted_origin},
      {"the CORS `*` trusts no one",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://any.example"}},
       r::cross_site},
      {"Origin null is never trusted", "POST", "/", {{"Sec-Fetch-Site", cross}, {"Origin", "null"}}, r::cross_site},
      {"two Origin lines are never trusted",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://app.example"}, {"Origin", "https://app.example"}},
       r::cross_site},
      {"a trusted origin with a different port is refused",
       "POST",
       "/",
       {{"Sec-Fetch-Site", cross}, {"Origin", "https://app.example:8443"}},
       r::cross_site},
      // 3. Without Sec-Fetch-Site: Origin against Host.
      {"neither Sec-Fetch-Site nor Origin passes", "POST", "/", {{"Host", "api.example"}}, r::no_origin},
      {"Origin host equal to Host passes",
       "POST",
       "/",
       {{"Origin", "https://api.example"}, {"Host", "api.example"}},
       r::origin_matches_host},
      {"Origin host and port equal to Host passes",
       "PUT",
       "/",
       {{"Origin", "http://127.0.0.1:8080"}, {"Host", "127.0.0.1:8080"}},
       r::origin_matches_host},
      {"Host compares case-insensitively",
       "POST",
       "/",
       {{"Origin", "https://api.example"}, {"Host", "API.Example"}},
       r::origin_matches_host},
      {"an IPv6 Origin equal to Host passes",
       "POST",
       "/",
       {{"Origin", "http://[::1]:3000"}, {"Host", "[::1]:3000"}},
       r::origin_matches_host},
      {"Origin with another port than Host is refused",
       "POST",
       "/",
       {{"Origin", "https://api.example:8443"}, {"Host", "api.example"}},
       r::origin_mismatch},
      {"Host with a port the Origin lacks is refused",
       "POST",
       "/",
       {{"Origin", "https://shop.example"}, {"Host", "shop.example:443"}},
       r::origin_mismatch},
      {"Origin of another host is refused",
       "POST",
       "/",
       {{"Origin", "https://evil.example"}, {"Host", "api.example"}},
       r::origin_mismatch},
      {"Origin without Host is refused", "POST", "/", {{"Origin", "https://evil.example"}}, r::origin_mismatch},
      {"Origin null is refused", "POST", "/", {{"Origin", "null"}, {"Host", "api.example"}}, r::origin_mismatch},
      {"a malformed Origin is refused",
       "POST",
       "/",
       {{"Origin", "https://API.example"}, {"Host", "api.example"}},
       r::origin_mismatch},
      {"two Host lines are never equal to the Origin",
       "POST",
       "/",
       {{"Origin", "https://shop.example"}, {"Host", "shop.example"}, {"Host", "shop.example"}},
       r::origin_mismatch},
      {"without Sec-Fetch-Site a trusted Origin passes",
       "POST",
       "/",
       {{"Origin", "https://app.example"}, {"Host", "api.example"}},
       r::trusted_origin},
      // Exemptions: exactly the method and path they name (CVE-2025-47910).
      {"an exact exemption covers its path", "POST", "/webhook", {{"Sec-Fetch-Site", cross}}, r::exempt},
      {"an exact exemption ignores the query", "POST", "/webhook?x=1", {{"Sec-Fetch-Site", cross}}, r::exempt},
      {"an exact exemption does not cover a longer name",
       "POST",
       "/webhook2",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"an exact exemption does not cover a trailing slash",
       "POST",
       "/webhook/",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"an exact exemption does not cover paths below it",
       "POST",
       "/webhook/admin",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"an exemption does not cover another method", "PUT", "/webhook", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"an exemption compares the method case-sensitively",
       "post",
       "/webhook",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"an exemption compares the path case-sensitively",
       "POST",
       "/Webhook",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"a dot-dot path is never exempt", "POST", "/webhook/../admin", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"a dot-dot path below a prefix is never exempt",
       "POST",
       "/hooks/../admin",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"a dot segment is never exempt", "POST", "/hooks/./x", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"a dot-dot with parameters is never exempt",
       "POST",
       "/hooks/..;/admin",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"an encoded slash is never exempt", "POST", "/hooks%2F..%2Fadmin", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"an encoded dot-dot is never exempt", "POST", "/hooks/%2e%2e/admin", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"a backslash is never exempt", "POST", "/hooks\\..\\admin", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"an empty segment is never exempt", "POST", "//hooks", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"an absolute-form target is never exempt",
       "POST",
       "http://api.example/webhook",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"an empty target is never exempt", "POST", "", {{"Sec-Fetch-Site", cross}}, r::cross_site},
      {"a prefix exemption covers its own path", "POST", "/hooks", {{"Sec-Fetch-Site", cross}}, r::exempt},
      {"a prefix exemption covers paths below it",
       "POST",
       "/hooks/github/push",
       {{"Sec-Fetch-Site", cross}},
       r::exempt},
      {"a prefix exemption stops at a segment boundary",
       "POST",
       "/hooksmith",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"a prefix ending in a slash covers paths below it",
       "PUT",
       "/files/a.txt",
       {{"Sec-Fetch-Site", cross}},
       r::exempt},
      {"a prefix ending in a slash does not cover the name without it",
       "PUT",
       "/files",
       {{"Sec-Fetch-Site", cross}},
       r::cross_site},
      {"exemptions apply without Sec-Fetch-Site too",
       "POST",
       "/webhook",
       {{"Origin", "https://evil.example"}, {"Host", "api.example"}},
       r::exempt},
      {"exemptions do not matter for safe methods",
       "GET",
       "/webhook/../admin",
       {{"Sec-Fetch-Site", cross}},
       r::safe_method},
  };
}

const bool registered = [] {
  for (row& each : rows()) {
    const std::string name = "csrf: " + each.name;
    testing::register_test(
        name, "[csrf]",
        [each] {
          cors::request_view v = cors::make_request_view(each.method, each.headers);
          v.target = each.target;
          const cors::csrf_decision d = guard().check(v);
          CAPTURE(each.method, each.target, fmt::format("{}", d));
          CHECK(d.why() == each.expected);
          const bool refusal = each.expected == r::cross_site || each.expected == r::origin_mismatch;
          CHECK(d.refused() == refusal);
          CHECK(d.status() == (refusal ? 403 : 0));
        },
        __FILE__, __LINE__);
  }
  return true;
}();

}  // namespace

TEST_CASE("a guard without a policy trusts only its own origins") {
  const cors::csrf_guard g{cors::csrf_config{{"https://partner.example"}, {}}};
  const auto check = [&](std::string_view origin) {
    return g.check(cors::make_request_view("POST", {{"Sec-Fetch-Site", "cross-site"}, {"Origin", origin}})).why();
  };
  CHECK(check("https://partner.example") == r::trusted_origin);
  CHECK(check(" https://partner.example ") == r::trusted_origin);
  CHECK(check("https://app.example") == r::cross_site);
  CHECK(g.trusts_origin("https://partner.example"));
  CHECK_FALSE(g.trusts_origin("https://partner.example:444"));
}

TEST_CASE("plain paths: the only ones an exemption can cover") {
  using cors::detail::is_plain_path;
  CHECK(is_plain_path("/"));
  CHECK(is_plain_path("/a"));
  CHECK(is_plain_path("/a/"));
  CHECK(is_plain_path("/a/b.c/..d/.e"));
  CHECK(is_plain_path("/a;v=1/b"));
  CHECK_FALSE(is_plain_path(""));
  CHECK_FALSE(is_plain_path("a"));
  CHECK_FALSE(is_plain_path("*"));
  CHECK_FALSE(is_plain_path("//"));
  CHECK_FALSE(is_plain_path("/a//b"));
  CHECK_FALSE(is_plain_path("/."));
  CHECK_FALSE(is_plain_path("/.."));
  CHECK_FALSE(is_plain_path("/a/./b"));
  CHECK_FALSE(is_plain_path("/a/.."));
  CHECK_FALSE(is_plain_path("/a/..;x"));
  CHECK_FALSE(is_plain_path("/;x/a"));
  CHECK_FALSE(is_plain_path("/a%2fb"));
  CHECK_FALSE(is_plain_path("/a\\b"));
}

TEST_CASE("guard configuration errors are collected and say how to fix them") {
  cors::csrf_config c;
  c.trusted_origins = {"https://ok.example", "https://*.example.com", "https://Up.example", "ftp//x"};
  c.exemptions = {{"GET", "/a", false}, {"PO ST", "/b", false},  {"POST", "/c/../d", false},
                  {"POST", "/", true},  {"POST", "/e?x", false}, {"POST", "/fine", true}};
  try {
    const cors::csrf_guard g{c};
    FAIL("no exception");
  } catch (const cors::invalid_guard_config& e) {
    const std::vector<std::string>& p = e.problems();
    REQUIRE(p.size() == 8);
    for (const std::string& message : p) CHECK(message.rfind("cors: ", 0) == 0);
    CHECK(p[0].find("must be one exact origin") != std::string::npos);
    CHECK(p[3].find("always passes") != std::string::npos);
    CHECK(p[4].find("not a method token") != std::string::npos);
    CHECK(p[5].find("absolute path") != std::string::npos);
    CHECK(p[6].find("every path") != std::string::npos);
    CHECK(p[7].find("absolute path") != std::string::npos);
    CHECK(std::string(e.what()).find('\n') != std::string::npos);
  }
}

TEST_CASE("csrf decisions and reasons print for logs") {
  CHECK(fmt::format("{}", cors::csrf_decision(r::cross_site)) == "csrf refused (cross_site) 403");
  CHECK(fmt::format("{}", cors::csrf_decision(r::same_origin)) == "csrf passed (same_origin)");
  CHECK(fmt::format("{}", r::origin_matches_host) == "origin_matches_host");
  CHECK(cors::to_string(r::exempt) == "exempt");
}

TEST_CASE("copies of a guard share its state and decide alike") {
  const cors::csrf_guard copy = guard();
  cors::request_view v = cors::make_request_view("POST", {{"Sec-Fetch-Site", "cross-site"}});
  v.target = "/webhook";
  CHECK(copy.check(v).why() == r::exempt);
}
