// The browser model (cors/browser.hpp), step by step: what a fetch() sends, and how the browser
// judges each response; every row names the Fetch anchor of its step.
#include <cors/browser.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"

using cors::browser::credentials_mode;
using cors::browser::fetch_request;
using cors::browser::response;
using cors::browser::step;

namespace {

constexpr const char* page = "https://app.example";

response parse_or_fail(const std::string& head) {
  const auto r = response::parse(head);
  REQUIRE(r.has_value());
  return *r;
}

fetch_request make(const char* method, std::vector<cors::browser::header_line> headers,
                   credentials_mode c = credentials_mode::same_origin) {
  return fetch_request{page, method, std::move(headers), c};
}

}  // namespace

TEST_CASE("the preflight carries Access-Control-Request-Headers lowercased, sorted, unique, comma-joined") {
  // https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
  const auto p = cors::browser::plan(make("put", {{"X-B", "1"}, {"x-a", "2"}, {"X-b", "3"}, {"Accept", "text/html"}}));
  CHECK_FALSE(p.type_error);
  CHECK(p.preflight);
  CHECK(p.method == "PUT");
  CHECK(p.access_control_request_method == "PUT");
  REQUIRE(p.access_control_request_headers.has_value());
  CHECK(*p.access_control_request_headers == "x-a,x-b");
}

TEST_CASE("which fetch() requests are preflighted, and with which Access-Control-Request-Headers") {
  // https://fetch.spec.whatwg.org/#cors-safelisted-request-header and #main-fetch
  struct row {
    const char* name;
    const char* method;
    std::vector<cors::browser::header_line> headers;
    bool preflight;
    const char* acrh;  // nullptr: none sent
  };
  const std::string long_accept(129, 'a');
  auto r = GENERATE_COPY(values<row>({
      {"GET without headers", "GET", {}, false, nullptr},
      {"HEAD and POST are safelisted", "POST", {}, false, nullptr},
      {"patch is not normalized and not safelisted", "patch", {}, true, nullptr},
      {"delete is normalized to DELETE", "delete", {}, true, nullptr},
      {"text/plain content-type is safelisted", "POST", {{"Content-Type", "text/plain;charset=utf-8"}}, false, nullptr},
      {"application/json content-type is not", "POST", {{"Content-Type", "application/json"}}, true, "content-type"},
      {"accept with a CORS-unsafe byte", "GET", {{"Accept", "a@b"}}, true, "accept"},
      {"accept over 128 bytes", "GET", {{"Accept", long_accept}}, true, "accept"},
      {"content-language with a bad byte", "GET", {{"Content-Language", "en/us"}}, true, "content-language"},
      {"range bytes=0- is safelisted", "GET", {{"Range", "bytes=0-"}}, false, nullptr},
      {"range bytes=-5 is not", "GET", {{"Range", "bytes=-5"}}, true, "range"},
      {"safelisted values over 1024 bytes in total",
       "GET",
       {{"Accept", std::string(120, 'a')},
        {"Accept-Language", std::string(120, 'b')},
        {"Content-Language", std::string(120, 'c')},
        {"Accept", std::string(120, 'd')},
        {"Accept", std::string(120, 'e')},
        {"Accept", std::string(120, 'f')},
        {"Accept", std::string(120, 'g')},
        {"Accept", std::string(120, 'h')},
        {"Accept", std::string(120, 'i')}},
       true,
       "accept,accept-language,content-language"},
      {"forbidden headers are dropped", "GET", {{"Cookie", "a=b"}, {"Sec-Foo", "1"}, {"Origin", "x"}}, false, nullptr},
      {"authorization is unsafe", "GET", {{"Authorization", "Bearer x"}}, true, "authorization"},
      {"values are normalized first", "POST", {{"Content-Type", "  text/plain  "}}, false, nullptr},
  }));
  CAPTURE(r.name);
  const auto p = cors::browser::plan(make(r.method, r.headers));
  CHECK_FALSE(p.type_error);
  CHECK(p.preflight == r.preflight);
  CHECK(p.access_control_request_headers.has_value() == (r.acrh != nullptr));
  if (r.acrh != nullptr && p.access_control_request_headers) CHECK(*p.access_control_request_headers == r.acrh);
}

TEST_CASE("fetch() throws a TypeError for forbidden or malformed methods and headers") {
  // https://fetch.spec.whatwg.org/#dom-request (method) and #concept-headers-append
  CHECK(cors::browser::plan(make("TRACE", {})).type_error);
  CHECK(cors::browser::plan(make("GE T", {})).type_error);
  CHECK(cors::browser::plan(make("GET", {{"X Y", "1"}})).type_error);
  CHECK(cors::browser::plan(make("GET", {{"X-Y", "a\nb"}})).type_error);
  CHECK_FALSE(cors::browser::plan(make("GET", {{"X-Y", "a\tb"}})).type_error);
}

TEST_CASE("a response head is parsed as received: status, names, values, repeats") {
  const auto r = response::parse("HTTP/1.1 204 No Content\r\nA: 1\r\na:  2 \r\nB:\r\n\r\nbody");
  REQUIRE(r);
  CHECK(r->status == 204);
  REQUIRE(r->headers.size() == 3);
  CHECK(r->get("A") == std::optional<std::string>("1, 2"));
  CHECK(r->get("b") == std::optional<std::string>(""));
  CHECK_FALSE(r->get("c").has_value());
  CHECK(response::parse("HTTP/1.1 200\nX: y\n").has_value());
  CHECK_FALSE(response::parse("HTTP/1.1 2x0 OK\r\n").has_value());
  CHECK_FALSE(response::parse("HTTP/1.1 200 OK\r\nno colon\r\n").has_value());
  CHECK_FALSE(response::parse("HTTP/1.1 200 OK\r\nbad name: x\r\n").has_value());
  CHECK_FALSE(response::parse("ICY 200 OK\r\n").has_value());
}

TEST_CASE("each step of the CORS check and the CORS-preflight fetch, as the browser receives the bytes") {
  // https://fetch.spec.whatwg.org/#cors-check and #cors-preflight-fetch-0
  struct row {
    const char* name;
    const char* method;
    std::vector<cors::browser::header_line> headers;
    credentials_mode credentials;
    const char* preflight;  // the preflight response head
    const char* actual;     // the actual response head
    step expected;
  };
  const auto omit = credentials_mode::omit;
  const auto include = credentials_mode::include;
  const char* ok_pre = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\n";
  auto r = GENERATE_COPY(values<row>({
      // #cors-check
      {"echoed origin accepted",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"* accepted without credentials",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n",
       step::none},
      {"whitespace around the value is removed",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: \t https://app.example \t\r\n",
       step::none},
      {"a 500 with the right origin is readable",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 500 Oops\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"name case does not matter",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\naccess-control-allow-origin: https://app.example\r\n",
       step::none},
      {"no ACAO", "GET", {}, omit, "", "HTTP/1.1 200 OK\r\n", step::allow_origin_missing},
      {"duplicated ACAO lines",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Origin: "
       "https://app.example\r\n",
       step::allow_origin_multiple},
      {"comma-joined origins",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example, https://b.example\r\n",
       step::allow_origin_multiple},
      {"* twice",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Origin: *\r\n",
       step::allow_origin_multiple},
      {"trailing slash",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example/\r\n",
       step::allow_origin_mismatch},
      {"uppercase host",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://APP.example\r\n",
       step::allow_origin_mismatch},
      {"null for a tuple origin",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: null\r\n",
       step::allow_origin_mismatch},
      {"empty ACAO",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin:\r\n",
       step::allow_origin_mismatch},
      {"* with credentials",
       "GET",
       {},
       include,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n",
       step::allow_origin_wildcard_with_credentials},
      {"credentials accepted with true",
       "GET",
       {},
       include,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Credentials: "
       "true\r\n",
       step::none},
      {"credentials missing ACAC",
       "GET",
       {},
       include,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::allow_credentials_missing},
      {"ACAC True",
       "GET",
       {},
       include,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Credentials: "
       "True\r\n",
       step::allow_credentials_not_true},
      {"ACAC twice",
       "GET",
       {},
       include,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Credentials: "
       "true\r\nAccess-Control-Allow-Credentials: true\r\n",
       step::allow_credentials_not_true},
      {"ACAC ignored without credentials",
       "GET",
       {},
       omit,
       "",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: True\r\n",
       step::none},
      // #cors-preflight-fetch-0
      {"preflight accepted",
       "PUT",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "PUT\r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"preflight without ACAO",
       "PUT",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Methods: PUT\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::allow_origin_missing},
      {"preflight 403 with ACAO",
       "PUT",
       {},
       omit,
       "HTTP/1.1 403 Forbidden\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "PUT\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::preflight_status_not_ok},
      {"preflight 301",
       "PUT",
       {},
       omit,
       "HTTP/1.1 301 Moved\r\nLocation: /x\r\nAccess-Control-Allow-Origin: "
       "https://app.example\r\nAccess-Control-Allow-Methods: PUT\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::preflight_status_not_ok},
      {"preflight 403 without ACAO fails the CORS check first",
       "PUT",
       {},
       omit,
       "HTTP/1.1 403 Forbidden\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::allow_origin_missing},
      {"method missing", "PUT", {}, omit, ok_pre, "HTTP/1.1 200 OK\r\n", step::method_not_allowed},
      {"methods are case-sensitive",
       "PATCH",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "patch\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::method_not_allowed},
      {"* covers methods without credentials",
       "PATCH",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "*\r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"* does not cover methods with credentials",
       "PATCH",
       {},
       include,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: "
       "https://app.example\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: *\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::method_not_allowed},
      {"methods across two lines",
       "DELETE",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "PUT\r\nAccess-Control-Allow-Methods: DELETE , \r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"a malformed method list",
       "PUT",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "PUT DELETE\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::allow_methods_invalid},
      {"a safelisted method needs no ACAM",
       "GET",
       {{"X-A", "1"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "X-A\r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"a malformed ACAM fails even for GET",
       "GET",
       {{"X-A", "1"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "X-A\r\nAccess-Control-Allow-Methods: GET;\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::allow_methods_invalid},
      {"header missing", "GET", {{"X-A", "1"}}, omit, ok_pre, "HTTP/1.1 200 OK\r\n", step::header_not_allowed},
      {"one of two headers missing",
       "GET",
       {{"X-A", "1"}, {"X-B", "1"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "x-a\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::header_not_allowed},
      {"header names are case-insensitive",
       "GET",
       {{"X-A", "1"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "x-A\r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"a malformed header list",
       "GET",
       {{"X-A", "1"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "X-A X-B\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::allow_headers_invalid},
      {"* covers headers without credentials",
       "GET",
       {{"X-A", "1"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "*\r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"* does not cover headers with credentials",
       "GET",
       {{"X-A", "1"}},
       include,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: "
       "https://app.example\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Headers: *\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::header_not_allowed},
      {"* never covers Authorization",
       "GET",
       {{"Authorization", "Bearer x"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "*\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::authorization_not_allowed},
      {"Authorization listed by name",
       "GET",
       {{"Authorization", "Bearer x"}},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
       "*, authorization\r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
      {"a preflight with credentials needs ACAC too",
       "PUT",
       {},
       include,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "PUT\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::allow_credentials_missing},
      {"preflight ok, actual without ACAO",
       "PUT",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "PUT\r\n",
       "HTTP/1.1 200 OK\r\n",
       step::allow_origin_missing},
      {"max-age -1 does not fail the preflight",
       "PUT",
       {},
       omit,
       "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Methods: "
       "PUT\r\nAccess-Control-Max-Age: -1\r\n",
       "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\n",
       step::none},
  }));
  CAPTURE(r.name);
  const auto e =
      cors::browser::run(make(r.method, r.headers, r.credentials),
                         r.preflight[0] != '\0' ? parse_or_fail(r.preflight) : response{}, parse_or_fail(r.actual));
  CHECK(e.failed() == r.expected);
  CHECK(e.accepted() == (r.expected == step::none));
  CHECK(e.preflight.has_value() == (r.preflight[0] != '\0'));
  if (r.expected != step::none) {
    CHECK_FALSE(e.failed() == step::none);
    const auto& v = e.preflight && !e.preflight->accepted() ? *e.preflight : *e.actual;
    CHECK_FALSE(v.detail.empty());
    CHECK_FALSE(cors::browser::anchor(v.failed).empty());
  }
}

TEST_CASE("the refusal text names the bytes received and the likely cause") {
  const auto p = cors::browser::plan(make("GET", {}));
  const auto slash = cors::browser::check_actual(
      p, parse_or_fail("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example/\r\n"));
  CHECK(slash.detail.find("trailing slash") != std::string::npos);
  const auto upper = cors::browser::check_actual(
      p, parse_or_fail("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: HTTPS://APP.EXAMPLE\r\n"));
  CHECK(upper.detail.find("case-sensitive") != std::string::npos);
  const auto ctl = cors::browser::check_actual(p, response{200, {{"Access-Control-Allow-Origin", "a\x01"}}});
  CHECK(ctl.detail.find("\\x01") != std::string::npos);
  CHECK(cors::browser::to_string(step::allow_origin_multiple) == "allow_origin_multiple");
  CHECK(cors::browser::anchor(step::header_not_allowed) == "https://fetch.spec.whatwg.org/#cors-preflight-fetch-0");
}

TEST_CASE("Access-Control-Max-Age is delta-seconds on one line, else 5") {
  // https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 step "If max-age is failure or null, then set max-age to 5"
  auto [value, lines, expected, valid] = GENERATE(table<const char*, int, std::uint64_t, bool>({
      {"600", 1, 600, true},
      {" 7200 ", 1, 7200, true},
      {"0", 1, 0, true},
      {"-1", 1, 5, false},
      {"1.5", 1, 5, false},
      {"", 1, 5, false},
      {"600", 2, 5, false},
      {"600", 0, 5, false},
      {"99999999999999999999999", 1, UINT64_MAX, true},
  }));
  CAPTURE(value, lines);
  response r{204, {{"Access-Control-Allow-Origin", "*"}, {"Access-Control-Allow-Methods", "PUT"}}};
  for (int i = 0; i < lines; ++i) r.headers.push_back({"Access-Control-Max-Age", value});
  const auto v = cors::browser::check_preflight(cors::browser::plan(make("PUT", {})), r);
  REQUIRE(v.accepted());
  CHECK(v.max_age == expected);
  CHECK(v.max_age_valid == valid);
}
