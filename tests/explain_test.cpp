// cors::explain: consistent with evaluate() on every row of the decision matrix, and for each near
// miss the exact nearest-miss and fix texts a user reads.
#include <cors/explain.hpp>
#include <cors/fmt.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "decision_matrix.hpp"
#include "json_reader.hpp"
#include "register_test.hpp"

namespace {

void check_consistent(const cors::decision& want, const cors::explanation& e) {
  const cors::decision& got = e.result;
  CHECK(e.valid_policy);
  CHECK(got.kind() == want.kind());
  CHECK(got.why() == want.why());
  CHECK(got.status() == want.status());
  CHECK(got.next_action() == want.next_action());
  CHECK(got.offending_value() == want.offending_value());
  std::string a;
  std::string b;
  for (const cors::response_header h : got.headers()) a += std::string(h.name()) + ": " + std::string(h.value) + "\n";
  for (const cors::response_header h : want.headers()) b += std::string(h.name()) + ": " + std::string(h.value) + "\n";
  CHECK(a == b);
  // The checks agree with the decision: exactly one failed check for a refusal, with its reason.
  int failed = 0;
  for (const cors::explanation_check& c : e.checks) {
    if (c.outcome != cors::check_outcome::failed) continue;
    ++failed;
    CHECK(c.why == want.why());
  }
  CHECK(failed == (want.refused() ? 1 : 0));
  CHECK(e.refused() == want.refused());
  if (want.refused()) CHECK_FALSE(e.fix.empty());
  if (want.kind() != cors::request_kind::not_cors) CHECK(e.checks.size() >= 3);
  // Every rendering is printable ASCII (request bytes escaped).
  for (const std::string& s : {cors::to_text(e), cors::to_json(e)}) {
    for (const char c : s) {
      CHECK(((c >= 0x20 && c < 0x7f) || c == '\n'));
    }
  }
}

const bool registered = [] {
  for (const matrix::row& row : matrix::rows()) {
    testing::register_test(
        "explain agrees with evaluate: " + row.name, "[explain]",
        [&row] {
          CAPTURE(row.name);
          const cors::policy& policy = matrix::policies().at(row.config);
          const cors::request_view view = row.req.view();
          check_consistent(policy.evaluate(view), cors::explain(policy, view));
        },
        __FILE__, __LINE__);
  }
  return true;
}();

cors::config base() {
  cors::config c;
  c.origins = {"https://app.example.com", "https://*.example.org", "http://localhost:*",
               "https://api.example.net:8443"};
  c.methods = {"GET", "POST", "patch", "PUT"};
  c.request_headers = {"Content-Type", "X-Request-Id"};
  return c;
}

cors::config with(std::function<void(cors::config&)> change) {
  cors::config c = base();
  change(c);
  return c;
}

struct near_miss {
  std::string name;
  cors::config config;
  std::string method;
  matrix::headers lines;
  cors::reason why;  // reason::allowed for an invalid configuration (no decision)
  std::string nearest_miss;
  std::string fix;
};

matrix::headers origin(const std::string& o) { return {{"Origin", o}}; }
matrix::headers preflight(const std::string& method, const std::string& headers = "") {
  matrix::headers h = {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", method}};
  if (!headers.empty()) h.push_back({"Access-Control-Request-Headers", headers});
  return h;
}

using R = cors::reason;

const std::vector<near_miss>& near_misses() {
  static const std::vector<near_miss> rows = {
      // --- origins: scheme, port, www, wildcards
      {"http instead of https", base(), "GET", origin("http://app.example.com"), R::origin_not_allowed,
       "the policy lists `https://app.example.com`; the request comes from `http://app.example.com`: the scheme "
       "differs (`http` vs `https`)",
       "add `http://app.example.com` to `origins` (browsers treat each scheme as its own origin)"},
      {"a port where the policy has the default", base(), "GET", origin("https://app.example.com:8443"),
       R::origin_not_allowed,
       "the policy lists `https://app.example.com`; the request comes from `https://app.example.com:8443`: the port "
       "differs (`8443` vs the default)",
       "add `https://app.example.com:8443` to `origins`, or `https://app.example.com:*` for every port of this host"},
      {"the default port where the policy has one", base(), "GET", origin("https://api.example.net"),
       R::origin_not_allowed,
       "the policy lists `https://api.example.net:8443`; the request comes from `https://api.example.net`: the port "
       "differs (the default vs `8443`)",
       "add `https://api.example.net` to `origins`, or `https://api.example.net:*` for every port of this host"},
      {"another port", base(), "GET", origin("https://api.example.net:9000"), R::origin_not_allowed,
       "the policy lists `https://api.example.net:8443`; the request comes from `https://api.example.net:9000`: the "
       "port differs (`9000` vs `8443`)",
       "add `https://api.example.net:9000` to `origins`, or `https://api.example.net:*` for every port of this host"},
      {"scheme and port differ", base(), "GET", origin("http://api.example.net"), R::origin_not_allowed,
       "the policy lists `https://api.example.net:8443`; the request comes from `http://api.example.net`: the scheme "
       "and the port differ",
       "add `http://api.example.net` to `origins`"},
      {"www in front of a listed apex", base(), "GET", origin("https://www.app.example.com"), R::origin_not_allowed,
       "the policy lists `https://app.example.com`; the request comes from `https://www.app.example.com`: `www.` "
       "differs (www and the apex are different origins)",
       "add `https://www.app.example.com` to `origins` as well"},
      {"the apex of a listed www", with([](cors::config& c) { c.origins = {"https://www.shop.example"}; }), "GET",
       origin("https://shop.example"), R::origin_not_allowed,
       "the policy lists `https://www.shop.example`; the request comes from `https://shop.example`: `www.` differs "
       "(www and the apex are different origins)",
       "add `https://shop.example` to `origins` as well"},
      {"a subdomain of a listed exact origin", base(), "GET", origin("https://api.app.example.com"),
       R::origin_not_allowed,
       "the policy lists `https://app.example.com`; the request comes from `https://api.app.example.com`: it lists "
       "only `app.example.com`, not its subdomains",
       "add `https://api.app.example.com`, or `https://*.app.example.com` for every subdomain"},
      {"a wildcard excludes the apex", base(), "GET", origin("https://example.org"), R::origin_not_allowed,
       "the policy lists `https://*.example.org`; the request comes from `https://example.org`: `*.example.org` needs "
       "at least one more label: it matches subdomains of `example.org`, never `example.org` itself",
       "add `https://example.org` to `origins` beside `https://*.example.org`"},
      {"a wildcard with another scheme", base(), "GET", origin("http://a.example.org"), R::origin_not_allowed,
       "the policy lists `https://*.example.org`; the request comes from `http://a.example.org`: the scheme differs "
       "(`http` vs `https`)",
       "add `http://*.example.org` to `origins`"},
      {"a wildcard with another port", base(), "GET", origin("https://a.example.org:8443"), R::origin_not_allowed,
       "the policy lists `https://*.example.org`; the request comes from `https://a.example.org:8443`: the port "
       "differs",
       "add `https://*.example.org:8443`, or `https://*.example.org:*` for every port"},
      {"a host above a wildcard's parent", with([](cors::config& c) { c.origins = {"https://*.eu.example.com"}; }),
       "GET", origin("https://example.com"), R::origin_not_allowed,
       "the policy lists `https://*.eu.example.com`; the request comes from `https://example.com`: `example.com` is "
       "above `eu.example.com`: the wildcard needs the labels `eu.` too",
       "add `https://example.com`, or `https://*.example.com` for every subdomain of `example.com`"},
      {"https where the policy has http any port", base(), "GET", origin("https://localhost:3000"),
       R::origin_not_allowed,
       "the policy lists `http://localhost:*`; the request comes from `https://localhost:3000`: the scheme differs "
       "(`https` vs `http`)",
       "add `https://localhost:3000` to `origins` (browsers treat each scheme as its own origin)"},
      {"nothing near", base(), "GET", origin("https://evil.example"), R::origin_not_allowed, "",
       "no configured origin comes near `https://evil.example`: add it to `origins` if you trust it"},
      {"predicate refuses", with([](cors::config& c) { c.origin_predicate = [](std::string_view) { return false; }; }),
       "GET", origin("http://app.example.com"), R::origin_not_allowed,
       "the policy lists `https://app.example.com`; the request comes from `http://app.example.com`: the scheme "
       "differs (`http` vs `https`)",
       "add `http://app.example.com` to `origins` (browsers treat each scheme as its own origin)"},
      {"predicate throws", with([](cors::config& c) {
         c.origin_predicate = [](std::string_view) -> bool { throw std::runtime_error("db down"); };
       }),
       "GET", origin("https://tenant.example"), R::origin_predicate_failed, "",
       "make `origin_predicate` return instead of throwing (the origin is refused when it throws)"},
      // --- malformed request origins (which byte, escaped)
      {"uppercase Origin", base(), "GET", origin("https://App.example.com"), R::origin_malformed,
       "the policy allows `https://app.example.com`; origins are compared byte for byte and browsers send them "
       "lowercase",
       "browsers send scheme and host in lowercase: the client should send `https://app.example.com`"},
      {"Origin with a trailing slash", base(), "GET", origin("https://app.example.com/"), R::origin_malformed, "",
       "browsers send only scheme, host and port: the client should send `https://app.example.com`"},
      {"Origin with a path", base(), "GET", origin("https://app.example.com/login"), R::origin_malformed, "",
       "browsers send only scheme, host and port: the client should send `https://app.example.com`"},
      {"Origin with the default port", base(), "GET", origin("https://app.example.com:443"), R::origin_malformed, "",
       "browsers omit the default port: the client should send `https://app.example.com`"},
      {"Origin without a scheme", base(), "GET", origin("app.example.com"), R::origin_malformed, "",
       "a browser sends `scheme://host[:port]`, e.g. `https://app.example.com`"},
      {"empty Origin", base(), "GET", origin(""), R::origin_malformed, "",
       "browsers never send an empty `Origin`: fix the client or proxy"},
      {"Origin with a space", base(), "GET", origin("https://app.exa mple.com"), R::origin_malformed, "",
       "fix the client or proxy that sends it: browsers send `scheme://host[:port]`"},
      {"Origin with an escape sequence", base(), "GET", origin("https://\x1b[31mapp.example.com"), R::origin_malformed,
       "", "fix the client or proxy that sends it: browsers send `scheme://host[:port]`"},
      {"Origin null", base(), "GET", origin("null"), R::origin_null_not_allowed, "",
       "serve the page from a real origin (not `file:` or a sandboxed frame); allowing `null` needs `null` in "
       "`origins` and `dangerously_allow_null_origin`, and lets any site in"},
      {"two Origin lines",
       base(),
       "GET",
       {{"Origin", "https://app.example.com"}, {"Origin", "https://app.example.com"}},
       R::origin_multiple,
       "",
       "a proxy or framework duplicated the `Origin` header: make it forward the browser's one line"},
      // --- methods
      {"PATCH requested, patch listed", base(), "OPTIONS", preflight("PATCH"), R::method_not_allowed,
       "the policy lists `patch`; methods are case-sensitive (only DELETE, GET, HEAD, OPTIONS, POST and PUT are "
       "uppercased by browsers)",
       "list `PATCH` in `methods`: `fetch(..., {method: 'PATCH'})` sends `PATCH` exactly as written"},
      {"patch requested, PATCH listed", with([](cors::config& c) { c.methods = {"PATCH"}; }), "OPTIONS",
       preflight("patch"), R::method_not_allowed,
       "the policy lists `PATCH`; methods are case-sensitive (only DELETE, GET, HEAD, OPTIONS, POST and PUT are "
       "uppercased by browsers)",
       "list `patch` in `methods`: `fetch(..., {method: 'patch'})` sends `patch` exactly as written"},
      {"method not listed", base(), "OPTIONS", preflight("PURGE"), R::method_not_allowed, "",
       "add `PURGE` to `methods`"},
      {"method with a space", base(), "OPTIONS", preflight("PA TCH"), R::method_malformed, "",
       "browsers send one method token: fix the client or proxy"},
      {"two method lines",
       base(),
       "OPTIONS",
       {{"Origin", "https://app.example.com"},
        {"Access-Control-Request-Method", "PUT"},
        {"Access-Control-Request-Method", "PUT"}},
       R::method_malformed,
       "",
       "a proxy or framework duplicated `Access-Control-Request-Method`: forward the browser's one line"},
      // --- request headers
      {"header not listed", base(), "OPTIONS", preflight("PUT", "x-custom"), R::header_not_allowed, "",
       "add `x-custom` to `request_headers`"},
      {"header name with a typo", base(), "OPTIONS", preflight("PUT", "content-type,x-request-ids"),
       R::header_not_allowed, "the policy lists `X-Request-Id`, which is not `x-request-ids`",
       "add `x-request-ids` to `request_headers`"},
      {"star does not cover Authorization", with([](cors::config& c) { c.request_headers = {"*"}; }), "OPTIONS",
       preflight("PUT", "authorization,x-a"), R::header_not_allowed,
       "`*` in `request_headers` covers every header except `Authorization` (#cors-non-wildcard-request-header-name)",
       "list `Authorization` by name beside `*`"},
      {"malformed header list", base(), "OPTIONS", preflight("PUT", "content-type, x b"), R::headers_malformed, "",
       "browsers send lowercase header names separated by `,`: fix the client or proxy"},
      {"header list over the byte limit", base(), "OPTIONS", preflight("PUT", std::string(5000, 'a')),
       R::headers_too_large, "",
       "raise `max_request_headers_bytes` to at least 5000 (at most 65536), or have the page send fewer headers"},
      {"header list over the ceiling",
       with([](cors::config& c) { c.max_request_headers_bytes = cors::limits::max_request_headers_bytes_ceiling; }),
       "OPTIONS", preflight("PUT", std::string(70000, 'a')), R::headers_too_large, "",
       "no policy reads a list that long (the ceiling is 65536 bytes): have the page send fewer headers"},
      {"header list over the line limit", base(), "OPTIONS",
       [] {
         matrix::headers h = preflight("PUT");
         for (int i = 0; i < 9; ++i) h.push_back({"Access-Control-Request-Headers", "content-type"});
         return h;
       }(),
       R::headers_too_many_lines, "", "a proxy split the list into many lines: have it forward the browser's one line"},
      // --- configurations that are refused: the entry that was meant, and why it never matches
      {"configured origin with a trailing slash",
       with([](cors::config& c) { c.origins = {"https://app.example.com/"}; }), "GET",
       origin("https://app.example.com"), R::allowed,
       "the configured `https://app.example.com/` could never match: cors: origin pattern `https://app.example.com/` "
       "ends with a slash; an origin is only scheme, host and port: did you mean `https://app.example.com`?",
       "write `https://app.example.com` in `origins`"},
      {"configured origin with a path", with([](cors::config& c) { c.origins = {"https://app.example.com/api"}; }),
       "GET", origin("https://app.example.com"), R::allowed,
       "the configured `https://app.example.com/api` could never match: cors: origin pattern "
       "`https://app.example.com/api` has a path; an origin is only scheme, host and port: did you mean "
       "`https://app.example.com`?",
       "write `https://app.example.com` in `origins`"},
      {"configured origin in uppercase", with([](cors::config& c) { c.origins = {"https://App.Example.com"}; }), "GET",
       origin("https://app.example.com"), R::allowed,
       "the configured `https://App.Example.com` could never match: cors: origin pattern `https://App.Example.com` "
       "has uppercase letters; browsers send scheme and host in lowercase: write `https://app.example.com`",
       "write `https://app.example.com` in `origins`"},
      {"configured origin with the default port",
       with([](cors::config& c) { c.origins = {"https://app.example.com:443"}; }), "GET",
       origin("https://app.example.com"), R::allowed,
       "the configured `https://app.example.com:443` could never match: cors: origin pattern "
       "`https://app.example.com:443` names the scheme's default port; browsers omit it from `Origin`, so this would "
       "never match: write `https://app.example.com`",
       "write `https://app.example.com` in `origins`"},
      {"credentials with star", with([](cors::config& c) {
         c.origins = {"*"};
         c.credentials = true;
       }),
       "GET", origin("https://app.example.com"), R::allowed, "",
       "cors: origin `*` cannot be combined with `credentials`: browsers reject `Access-Control-Allow-Origin: *` on "
       "credentialed requests, and echoing every origin would let any site read your users' data; list the origins "
       "you trust"},
  };
  return rows;
}

}  // namespace

TEST_CASE("explain agrees with evaluate on every decision-matrix row") {
  CHECK(registered);
  CHECK(matrix::rows().size() >= 150);
}

TEST_CASE("explain names the nearest miss and the fix for at least 40 near misses") {
  REQUIRE(near_misses().size() >= 40);
  for (const near_miss& row : near_misses()) {
    CAPTURE(row.name);
    const matrix::request req{row.method, row.lines};
    const cors::explanation e = cors::explain(row.config, req.view());
    if (row.why == R::allowed) {  // an invalid configuration
      CHECK_FALSE(e.valid_policy);
      CHECK_FALSE(e.config_problems.empty());
    } else {
      REQUIRE(e.valid_policy);
      CHECK(cors::to_string(e.result.why()) == cors::to_string(row.why));
      check_consistent(e.compiled->evaluate(req.view()), e);
    }
    CHECK(e.nearest_miss == row.nearest_miss);
    CHECK(e.fix == row.fix);
  }
}

TEST_CASE("an allowed request names the pattern that allowed it, and notes what a credentialed fetch needs") {
  cors::config c = base();
  const cors::policy p(c);
  const matrix::request req{"GET", origin("https://a.b.example.org")};
  const cors::explanation e = cors::explain(p, req.view());
  REQUIRE(e.checks.size() == 3);
  CHECK(e.checks[0].detail == "`https://a.b.example.org` is allowed by `https://*.example.org`");
  CHECK(e.fix.empty());
  CHECK(e.notes == std::vector<std::string>{"no `Access-Control-Allow-Credentials`: a `fetch(..., {credentials: "
                                            "'include'})` is refused by the browser; set `credentials` if the page "
                                            "sends cookies"});
}

TEST_CASE("a same-origin request is explained as same-origin, with no failed check") {
  cors::config c = base();
  c.server_origins = {"https://api.example.com"};
  const matrix::request req{"POST", origin("https://api.example.com")};
  const cors::explanation e = cors::explain(c, req.view());
  CHECK(e.result.why() == R::same_origin);
  REQUIRE(e.checks.size() == 4);
  CHECK(e.checks[1].name == "same-origin");
  CHECK(e.checks[1].detail == "`https://api.example.com` is one of `server_origins`: handled as same-origin");
  CHECK_FALSE(e.refused());
}

TEST_CASE("request bytes are escaped in the checks, the text and the JSON") {
  const cors::policy p(base());
  const matrix::request req{"GET", origin("https://\x1b[31mapp.example.com\r\nX-Evil: 1")};
  const cors::explanation e = cors::explain(p, req.view());
  REQUIRE(e.checks.size() == 3);
  CHECK(e.checks[0].detail ==
        "`Origin` `https://\\x1b[31mapp.example.com\\x0d\\x0aX-Evil: 1`: byte 9 is `\\x1b`, which no serialized "
        "origin contains");
  const std::string text = cors::to_text(e);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("\r\n") == std::string::npos);
  const std::string json = cors::to_json(e);
  CHECK(json.find("https://\\\\x1b[31mapp") != std::string::npos);
}

TEST_CASE("a method with a space names the byte") {
  const matrix::request req{"OPTIONS", preflight("PA TCH")};
  const cors::explanation e = cors::explain(base(), req.view());
  REQUIRE(e.checks.size() == 3);
  CHECK(e.checks[1].detail ==
        "`Access-Control-Request-Method` `PA TCH` is not a method: byte 3 is ` ` (a space), which a token (letters, "
        "digits and !#$%&'*+-.^_`|~) cannot contain");
}

TEST_CASE("the text rendering lists decision, kind, headers, checks, nearest miss and fix in that order") {
  const matrix::request req{"OPTIONS", preflight("PATCH")};
  const cors::explanation e = cors::explain(base(), req.view());
  CHECK(cors::to_text(e) ==
        "decision: preflight refused (method_not_allowed: \"PATCH\") respond 403\n"
        "kind: `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a CORS preflight request "
        "(#cors-preflight-request)\n"
        "response headers:\n"
        "  Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers\n"
        "checks:\n"
        "  pass  origin: `https://app.example.com` is listed as `https://app.example.com`\n"
        "  FAIL  method: `PATCH` is not listed in `methods`\n"
        "  skip  request headers: not checked: the method is refused\n"
        "nearest miss: the policy lists `patch`; methods are case-sensitive (only DELETE, GET, HEAD, OPTIONS, POST "
        "and PUT are uppercased by browsers)\n"
        "fix: list `PATCH` in `methods`: `fetch(..., {method: 'PATCH'})` sends `PATCH` exactly as written\n");
}

TEST_CASE("the JSON rendering parses, with the fields scripts read, for every matrix row") {
  for (const matrix::row& row : matrix::rows()) {
    CAPTURE(row.name);
    const cors::policy& policy = matrix::policies().at(row.config);
    const cors::explanation e = cors::explain(policy, row.req.view());
    const test_json::value j = test_json::parse(cors::to_json(e));
    CHECK(j.at("allowed").as_bool() == !e.result.refused());
    CHECK(j.at("kind").as_string() == std::string(cors::to_string(e.result.kind())));
    CHECK(j.at("reason").as_string() == std::string(cors::to_string(e.result.why())));
    CHECK(j.at("headers").size() == e.result.headers().size());
    CHECK(j.at("explanation").at("checks").size() == e.checks.size());
    CHECK(j.at("explanation").at("fix").as_string() == e.fix);
  }
}

TEST_CASE("policy.explain(request) is cors::explain(policy, request)") {
  const cors::policy policy(base());
  const matrix::request req{"GET", origin("http://app.example.com")};
  const cors::explanation member = policy.explain(req.view());
  CHECK(cors::to_text(member) == cors::to_text(cors::explain(policy, req.view())));
  CHECK(member.fix == "add `http://app.example.com` to `origins` (browsers treat each scheme as its own origin)");
}

TEST_CASE("an allowed preflight notes a max_age above Chromium's 7200 s cap, from the compiled value") {
  cors::config c = base();
  c.methods = {"PUT"};
  for (const auto& [seconds, noted] :
       {std::pair{7200, false}, std::pair{7201, true}, std::pair{86400, true}, std::pair{600, false}}) {
    CAPTURE(seconds);
    c.max_age = std::chrono::seconds(seconds);
    const matrix::request req{"OPTIONS",
                              {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "PUT"}}};
    const cors::policy policy(c);
    const cors::explanation e = cors::explain(policy, req.view());
    REQUIRE(!e.refused());
    const std::string note =
        "`max_age` " + std::to_string(seconds) + "s: Chromium caches a preflight for at most 7200 s";
    CHECK((std::find(e.notes.begin(), e.notes.end(), note) != e.notes.end()) == noted);
  }
}

TEST_CASE("the tests' JSON reader refuses what is not exactly one JSON value") {
  CHECK(test_json::parse(R"({"a":[true,null,-1.5e3,"\u00e9\n"]})").at("a")[3].as_string() == "\xc3\xa9\n");
  for (const char* bad : {"", "{} {}", R"({"a":1,})", "[1,]", "\"raw\ttab\"", R"("\x41")", R"({"a":1,"a":2})", "01",
                          "tru", R"("\ud800")"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(test_json::parse(bad), std::runtime_error);
  }
}

TEST_CASE("fmt formats an explanation as text, or as JSON with {:j}") {
  const matrix::request req{"GET", origin("http://app.example.com")};
  const cors::explanation e = cors::explain(base(), req.view());
  CHECK(fmt::format("{}", e) == cors::to_text(e));
  CHECK(fmt::format("{:j}", e) == cors::to_json(e));
}
