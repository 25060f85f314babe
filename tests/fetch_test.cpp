// The Fetch Standard's predicates, table by table; each row names its anchor.
#include <cors/fetch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "catch.hpp"

using namespace cors::fetch;

TEST_CASE("CORS-safelisted methods are GET, HEAD and POST, byte for byte") {
  // https://fetch.spec.whatwg.org/#cors-safelisted-method
  auto [method, expected] = GENERATE(table<const char*, bool>({
      {"GET", true},
      {"HEAD", true},
      {"POST", true},
      {"get", false},
      {"Post", false},
      {"PUT", false},
      {"OPTIONS", false},
      {"", false},
      {"GET ", false},
  }));
  CAPTURE(method);
  CHECK(is_cors_safelisted_method(method) == expected);
}

TEST_CASE("forbidden methods are CONNECT, TRACE and TRACK in any case") {
  // https://fetch.spec.whatwg.org/#forbidden-method
  auto [method, expected] = GENERATE(table<const char*, bool>({
      {"CONNECT", true},
      {"connect", true},
      {"TRACE", true},
      {"trace", true},
      {"TRACK", true},
      {"tRaCk", true},
      {"PATCH", false},
      {"TRACES", false},
      {"GET", false},
  }));
  CAPTURE(method);
  CHECK(is_forbidden_method(method) == expected);
}

TEST_CASE("method normalization uppercases only the six listed names") {
  // https://fetch.spec.whatwg.org/#concept-method-normalize
  auto [method, expected] = GENERATE(table<const char*, const char*>({
      {"delete", "DELETE"},
      {"get", "GET"},
      {"head", "HEAD"},
      {"options", "OPTIONS"},
      {"post", "POST"},
      {"put", "PUT"},
      {"Put", "PUT"},
      {"patch", "patch"},
      {"PATCH", "PATCH"},
      {"Egg", "Egg"},
      {"eGg", "eGg"},
  }));
  CAPTURE(method);
  CHECK(normalize_method(method) == expected);
}

TEST_CASE("CORS-unsafe request-header bytes") {
  // https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
  const std::string unsafe_specials = "\"():<>?@[\\]{}\x7f";
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool expected = (b < 0x20 && b != 0x09) || unsafe_specials.find(c) != std::string::npos;
    CAPTURE(b);
    REQUIRE(is_cors_unsafe_request_header_byte(c) == expected);
  }
}

TEST_CASE("CORS-safelisted request-headers: names and values") {
  // https://fetch.spec.whatwg.org/#cors-safelisted-request-header
  using row = std::tuple<std::string, std::string, bool, std::string>;
  auto [name, value, expected, anchor] = GENERATE(table<std::string, std::string, bool, std::string>({
      // accept: no CORS-unsafe request-header byte
      row{"Accept", "*/*", true, "#cors-safelisted-request-header"},
      row{"accept", "text/html, application/xhtml+xml;q=0.9", true, "#cors-safelisted-request-header"},
      row{"Accept", "text/\"html\"", false, "#cors-safelisted-request-header"},
      row{"Accept", "a@b", false, "#cors-safelisted-request-header"},
      row{"Accept", std::string(128, 'a'), true, "#cors-safelisted-request-header"},   // 128 bytes: at the limit
      row{"Accept", std::string(129, 'a'), false, "#cors-safelisted-request-header"},  // one byte too long
      // accept-language / content-language: 0-9 A-Z a-z SP * , - . ; =
      row{"Accept-Language", "en-US,en;q=0.9", true, "#cors-safelisted-request-header"},
      row{"Content-Language", "de-DE", true, "#cors-safelisted-request-header"},
      row{"Accept-Language", "en_US", false, "#cors-safelisted-request-header"},
      row{"Content-Language", "fr\t", false, "#cors-safelisted-request-header"},
      // content-type: three essences after "parse a MIME type"; WPT cors-safelisted-request-header
      row{"Content-Type", "text/plain", true, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"content-type", "Text/Plain; charset=utf-8", true, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "application/x-www-form-urlencoded", true,
          "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "multipart/form-data; boundary=x", true,
          "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", " text/plain ", true, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text/plain;", true, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text/plain;garbage", true, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "application/json", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text /plain", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text/plain,", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text/plain,x/x", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text/plain\v", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "application/www-form-urlencoded", false,
          "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "multipart/form-data;\"", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text/html", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "", false, "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},
      row{"Content-Type", "text/plain; charset=" + std::string(108, 'a'), true,
          "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},  // 128 bytes
      row{"Content-Type", "text/plain; charset=" + std::string(109, 'a'), false,
          "https://mimesniff.spec.whatwg.org/#parse-a-mime-type"},  // 129 bytes
      // range: bytes=N- or bytes=N-M, no whitespace, start required, start <= end
      row{"Range", "bytes=0-", true, "#simple-range-header-value"},
      row{"Range", "bytes=0-499", true, "#simple-range-header-value"},
      row{"Range", "bytes=500-500", true, "#simple-range-header-value"},
      row{"range", "bytes=99999999999999999999-999999999999999999999", true, "#simple-range-header-value"},
      row{"Range", "bytes=-500", false, "#simple-range-header-value"},
      row{"Range", "bytes=1-2,3-4", false, "#simple-range-header-value"},
      row{"Range", "bytes =1-2", false, "#simple-range-header-value"},
      row{"Range", "bytes= 1-2", false, "#simple-range-header-value"},
      row{"Range", "bytes=200-100", false, "#simple-range-header-value"},
      row{"Range", "bytes 0-", false, "#simple-range-header-value"},
      row{"Range", "items=0-", false, "#simple-range-header-value"},
      row{"Range", "bytes=1", false, "#simple-range-header-value"},
      // removed or never safelisted: client hints (removed 2019), Last-Event-ID (never)
      row{"DPR", "2", false, "#cors-safelisted-request-header (otherwise: false)"},
      row{"Downlink", "10", false, "#cors-safelisted-request-header (otherwise: false)"},
      row{"Save-Data", "on", false, "#cors-safelisted-request-header (otherwise: false)"},
      row{"Viewport-Width", "800", false, "#cors-safelisted-request-header (otherwise: false)"},
      row{"Width", "800", false, "#cors-safelisted-request-header (otherwise: false)"},
      row{"Last-Event-ID", "42", false, "#cors-safelisted-request-header (otherwise: false)"},
      row{"X-Requested-With", "XMLHttpRequest", false, "#cors-safelisted-request-header (otherwise: false)"},
      row{"Authorization", "Bearer x", false, "#cors-safelisted-request-header (otherwise: false)"},
  }));
  CAPTURE(name, value, anchor);
  CHECK(is_cors_safelisted_request_header(name, value) == expected);
}

TEST_CASE("forbidden request-headers") {
  // https://fetch.spec.whatwg.org/#forbidden-request-header
  auto [name, value, expected] = GENERATE(table<const char*, const char*, bool>({
      {"Accept-Charset", "", true},
      {"accept-encoding", "", true},
      {"Access-Control-Request-Headers", "", true},
      {"Access-Control-Request-Method", "", true},
      {"Connection", "", true},
      {"Content-Length", "", true},
      {"Cookie", "", true},
      {"Cookie2", "", true},
      {"Date", "", true},
      {"DNT", "", true},
      {"Expect", "", true},
      {"Host", "", true},
      {"Keep-Alive", "", true},
      {"Origin", "", true},
      {"Referer", "", true},
      {"Set-Cookie", "", true},
      {"TE", "", true},
      {"Trailer", "", true},
      {"Transfer-Encoding", "", true},
      {"Upgrade", "", true},
      {"Via", "", true},
      {"Proxy-Authorization", "", true},
      {"proxy-anything", "", true},
      {"Sec-Fetch-Site", "", true},
      {"sec-ch-ua", "", true},
      {"X-HTTP-Method-Override", "TRACE", true},
      {"X-HTTP-Method", "connect", true},
      {"X-Method-Override", "GET, track", true},
      {"X-HTTP-Method-Override", "PATCH", false},
      {"X-HTTP-Method-Override", "\"TRACE\"", false},
      {"Authorization", "Bearer x", false},
      {"Content-Type", "text/plain", false},
      {"Secure", "", false},
      {"Proxy", "", false},
      {"X-Request-Id", "1", false},
  }));
  CAPTURE(name, value);
  CHECK(is_forbidden_request_header(name, value) == expected);
}

TEST_CASE("header name sets of the CORS protocol") {
  // https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
  CHECK(is_cors_non_wildcard_request_header_name("Authorization"));
  CHECK(is_cors_non_wildcard_request_header_name("authorization"));
  CHECK_FALSE(is_cors_non_wildcard_request_header_name("Proxy-Authorization"));
  // https://fetch.spec.whatwg.org/#privileged-no-cors-request-header-name
  CHECK(is_privileged_no_cors_request_header_name("range"));
  // https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name
  CHECK(is_no_cors_safelisted_request_header_name("Content-Language"));
  CHECK_FALSE(is_no_cors_safelisted_request_header_name("Range"));
  // https://fetch.spec.whatwg.org/#forbidden-response-header-name
  CHECK(is_forbidden_response_header_name("Set-Cookie"));
  CHECK(is_forbidden_response_header_name("set-cookie2"));
  CHECK_FALSE(is_forbidden_response_header_name("Cookie"));
  // https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
  for (const char* n :
       {"Cache-Control", "Content-Language", "Content-Length", "Content-Type", "Expires", "Last-Modified", "Pragma"}) {
    CAPTURE(n);
    CHECK(is_cors_safelisted_response_header_name(n));
  }
  CHECK_FALSE(is_cors_safelisted_response_header_name("ETag"));
}

TEST_CASE("whether a browser sends a preflight") {
  // https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names and #main-fetch
  CHECK_FALSE(needs_cors_preflight("GET", {}));
  CHECK_FALSE(needs_cors_preflight("POST", {{"Content-Type", "text/plain"}}));
  CHECK_FALSE(needs_cors_preflight("HEAD", {{"Accept", "*/*"}, {"Range", "bytes=0-"}}));
  CHECK(needs_cors_preflight("PUT", {}));
  CHECK(needs_cors_preflight("patch", {}));
  CHECK(needs_cors_preflight("POST", {{"Content-Type", "application/json"}}));
  CHECK(needs_cors_preflight("GET", {{"X-Request-Id", "1"}}));
  CHECK(needs_cors_preflight("GET", {{"Authorization", "Bearer x"}}));
  CHECK(needs_cors_preflight("GET", {{"DPR", "2"}}));
  // Forbidden headers never reach the request, so they cannot trigger a preflight.
  CHECK_FALSE(needs_cors_preflight("GET", {{"Cookie", "a=b"}, {"Sec-Fetch-Mode", "cors"}}));
  // The 1024-byte total: 8 safelisted values of 128 bytes are fine, one more byte is not.
  const std::string v128(128, 'a');
  const std::vector<header> at_limit(8, header{"Accept", v128});
  CHECK_FALSE(needs_cors_preflight("GET", at_limit));
  std::vector<header> over = at_limit;
  over.push_back(header{"Accept-Language", "a"});
  CHECK(needs_cors_preflight("GET", over));
}
