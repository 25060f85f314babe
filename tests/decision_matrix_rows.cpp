// The rows of the decision matrix. Each group names the rule it covers; headers are exact and in
// order. https://fetch.spec.whatwg.org/#http-cors-protocol
#include "decision_matrix.hpp"

namespace matrix {

namespace {

using K = cors::request_kind;
using R = cors::reason;
using namespace h;

headers basic_actual(const std::string& origin) { return {acao(origin), acac(), aceh("X-Total-Count"), vary_origin()}; }
headers basic_preflight(const std::string& origin) {
  return {acao(origin), acac(),   acam("GET, POST, PUT, DELETE"), acah("Content-Type, X-Request-Id"),
          acma("600"),  vary_pf()};
}
expectation actual_ok(headers hs) { return {K::actual, R::allowed, 0, std::move(hs)}; }
expectation actual_no(R why) { return {K::actual, why, 0, {vary_origin()}}; }
expectation pf_ok(headers hs, int status = 204) { return {K::preflight, R::allowed, status, std::move(hs)}; }
expectation pf_no(R why, std::string detail = {}) { return {K::preflight, why, 403, {vary_pf()}, std::move(detail)}; }

}  // namespace

std::vector<row> make_rows() {
  // A local, not a namespace-scope constant: the rows are built while other translation units are
  // initialised (tests register one test case per row before main).
  const std::string app = "https://app.example.com";
  std::vector<row> r;
  auto add = [&r](std::string name, std::string config, request rq, expectation e) {
    r.push_back(row{std::move(name), std::move(config), std::move(rq), std::move(e)});
  };

  // --- Classification: #cors-request, #cors-preflight-request -------------------------------
  add("no Origin: not a CORS request, Vary still set", "basic", req("GET", {}),
      {K::not_cors, R::not_cors, 0, {vary_origin()}});
  add("no Origin on POST", "basic", req("POST", {{"Content-Type", "text/plain"}}),
      {K::not_cors, R::not_cors, 0, {vary_origin()}});
  add("OPTIONS without Origin is not CORS", "basic", req("OPTIONS", {{"Access-Control-Request-Method", "PUT"}}),
      {K::not_cors, R::not_cors, 0, {vary_origin()}});
  add("OPTIONS with Origin but no ACRM is an actual request", "basic", req("OPTIONS", {{"Origin", app}}),
      actual_ok(basic_actual(app)));
  add("GET with ACRM is an actual request", "basic",
      req("GET", {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}}), actual_ok(basic_actual(app)));
  add("lowercase options with ACRM is not a preflight", "basic",
      req("options", {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}}), actual_ok(basic_actual(app)));
  add("preflight: OPTIONS + Origin + ACRM", "basic", pf(app, "PUT"), pf_ok(basic_preflight(app)));
  add("preflight with empty ACRM value is malformed", "basic", pf(app, ""), pf_no(R::method_malformed));
  add("no Origin on the constant `*` policy gets `*` too", "any", req("GET", {}),
      {K::not_cors, R::not_cors, 0, {acao("*")}});
  add("no Origin on `*` with exposed headers", "any_all", req("GET", {}),
      {K::not_cors, R::not_cors, 0, {acao("*"), aceh("*")}});

  // --- Exact origins: byte-for-byte ----------------------------------------------------------
  add("exact origin allowed", "basic", get(app), actual_ok(basic_actual(app)));
  add("exact origin on POST", "basic", req("POST", {{"Origin", app}}), actual_ok(basic_actual(app)));
  add("exact origin on PUT actual", "basic", req("PUT", {{"Origin", app}}), actual_ok(basic_actual(app)));
  add("exact origin on patch actual", "basic", req("patch", {{"Origin", app}}), actual_ok(basic_actual(app)));
  add("origin with OWS around it is trimmed and echoed trimmed", "basic", get(" " + app + "\t"),
      actual_ok(basic_actual(app)));
  add("other host", "basic", get("https://evil.example"), actual_no(R::origin_not_allowed));
  add("suffix attack", "basic", get("https://app.example.com.evil.com"), actual_no(R::origin_not_allowed));
  add("prefix attack", "basic", get("https://evilapp.example.com"), actual_no(R::origin_not_allowed));
  add("wrong scheme", "basic", get("http://app.example.com"), actual_no(R::origin_not_allowed));
  add("non-default port", "basic", get("https://app.example.com:8443"), actual_no(R::origin_not_allowed));
  add("default port written out is malformed", "basic", get("https://app.example.com:443"),
      actual_no(R::origin_malformed));
  add("uppercase host is malformed", "basic", get("https://APP.example.com"), actual_no(R::origin_malformed));
  add("uppercase scheme is malformed", "basic", get("HTTPS://app.example.com"), actual_no(R::origin_malformed));
  add("trailing slash is malformed", "basic", get(app + "/"), actual_no(R::origin_malformed));
  add("trailing dot is malformed", "basic", get(app + "."), actual_no(R::origin_malformed));
  add("path is malformed", "basic", get(app + "/x"), actual_no(R::origin_malformed));
  add("userinfo is malformed", "basic", get("https://app.example.com@evil.com"), actual_no(R::origin_malformed));
  add("userinfo before host is malformed", "basic", get("https://evil.com@app.example.com"),
      actual_no(R::origin_malformed));
  add("backslash is malformed", "basic", get("https:\\\\app.example.com"), actual_no(R::origin_malformed));
  add("inner whitespace is malformed", "basic", get("https://app .example.com"), actual_no(R::origin_malformed));
  add("empty Origin is malformed", "basic", get(""), actual_no(R::origin_malformed));
  add("comma-joined origins are malformed", "basic", get(app + ", https://evil.example"),
      actual_no(R::origin_malformed));
  add("two Origin lines are refused", "basic", req("GET", {{"Origin", app}, {"Origin", app}}),
      actual_no(R::origin_multiple));
  add("two Origin lines on a preflight are refused", "basic",
      req("OPTIONS", {{"Origin", app}, {"Origin", app}, {"Access-Control-Request-Method", "PUT"}}),
      pf_no(R::origin_multiple));
  add("CR LF in Origin is malformed, never echoed", "basic", get(app + "\r\nSet-Cookie: x=1"),
      actual_no(R::origin_malformed));
  add("NUL in Origin is malformed", "basic", get(app + std::string(1, '\0')), actual_no(R::origin_malformed));
  add("over-long Origin is malformed", "basic", get("https://" + std::string(600, 'a') + ".example.com"),
      actual_no(R::origin_malformed));
  add("percent-encoded host is malformed", "basic", get("https://%61pp.example.com"), actual_no(R::origin_malformed));
  add("`null` not allowed by default", "basic", get("null"), actual_no(R::origin_null_not_allowed));
  add("`Null` is malformed", "basic", get("Null"), actual_no(R::origin_malformed));
  add("`null` preflight refused", "basic", pf("null", "PUT"), pf_no(R::origin_null_not_allowed));

  // --- Wildcard subdomains: one or more labels, never the apex --------------------------------
  add("subdomain allowed", "basic", get("https://a.example.org"), actual_ok(basic_actual("https://a.example.org")));
  add("deep subdomain allowed", "basic", get("https://a.b.c.example.org"),
      actual_ok(basic_actual("https://a.b.c.example.org")));
  add("punycode subdomain allowed", "basic", get("https://xn--53h.example.org"),
      actual_ok(basic_actual("https://xn--53h.example.org")));
  add("apex not matched by `*.`", "basic", get("https://example.org"), actual_no(R::origin_not_allowed));
  add("sibling suffix not matched", "basic", get("https://badexample.org"), actual_no(R::origin_not_allowed));
  add("off-by-one suffix not matched", "basic", get("https://example.organic"), actual_no(R::origin_not_allowed));
  add("wildcard scheme is fixed", "basic", get("http://a.example.org"), actual_no(R::origin_not_allowed));
  add("wildcard port is fixed", "basic", get("https://a.example.org:8443"), actual_no(R::origin_not_allowed));
  add("suffix appended after allowed host", "basic", get("https://a.example.org.evil.com"),
      actual_no(R::origin_not_allowed));
  add("subdomain preflight allowed", "basic", pf("https://x.example.org", "DELETE"),
      pf_ok(basic_preflight("https://x.example.org")));
  add("apex preflight refused", "basic", pf("https://example.org", "DELETE"), pf_no(R::origin_not_allowed));
  add("empty label is malformed", "basic", get("https://.example.org"), actual_no(R::origin_malformed));
  add("wildcard with fixed port: match", "ports", get("https://a.example.com:8443"),
      actual_ok({acao("https://a.example.com:8443"), vary_origin()}));
  add("wildcard with fixed port: default port misses", "ports", get("https://a.example.com"),
      actual_no(R::origin_not_allowed));
  add("wildcard with any port: default port", "ports", get("https://a.example.net"),
      actual_ok({acao("https://a.example.net"), vary_origin()}));
  add("wildcard with any port: 65535", "ports", get("https://a.example.net:65535"),
      actual_ok({acao("https://a.example.net:65535"), vary_origin()}));
  add("wildcard with any port: 65536 is malformed", "ports", get("https://a.example.net:65536"),
      actual_no(R::origin_malformed));
  add("wildcard with any port: apex misses", "ports", get("https://example.net:1"), actual_no(R::origin_not_allowed));

  // --- Any port on one host --------------------------------------------------------------------
  add("localhost any port", "basic", get("http://localhost:3000"), actual_ok(basic_actual("http://localhost:3000")));
  add("localhost default port", "basic", get("http://localhost"), actual_ok(basic_actual("http://localhost")));
  add("localhost port 0", "basic", get("http://localhost:0"), actual_ok(basic_actual("http://localhost:0")));
  add("localhost port 65535", "basic", get("http://localhost:65535"),
      actual_ok(basic_actual("http://localhost:65535")));
  add("localhost port 65536 is malformed", "basic", get("http://localhost:65536"), actual_no(R::origin_malformed));
  add("localhost :80 is malformed", "basic", get("http://localhost:80"), actual_no(R::origin_malformed));
  add("localhost leading-zero port is malformed", "basic", get("http://localhost:03000"),
      actual_no(R::origin_malformed));
  add("localhost over https not matched", "basic", get("https://localhost:3000"), actual_no(R::origin_not_allowed));
  add("localhost look-alike", "basic", get("http://localhost.evil.com:3000"), actual_no(R::origin_not_allowed));
  add("127.0.0.1 is not localhost", "basic", get("http://127.0.0.1:3000"), actual_no(R::origin_not_allowed));

  // --- Hosts: IPv4, IPv6, merged look-alikes ----------------------------------------------------
  add("IPv6 loopback", "hosts", get("http://[::1]:3000"), actual_ok({acao("http://[::1]:3000"), vary_origin()}));
  add("IPv6 non-canonical is malformed", "hosts", get("http://[0:0:0:0:0:0:0:1]:3000"), actual_no(R::origin_malformed));
  add("IPv6 uppercase hex is malformed", "hosts", get("http://[::FFFF:7f00:1]:3000"), actual_no(R::origin_malformed));
  add("IPv4-mapped IPv6 in dotted form is malformed", "hosts", get("http://[::ffff:127.0.0.1]:3000"),
      actual_no(R::origin_malformed));
  add("IPv4-mapped IPv6 is another origin", "hosts", get("http://[::ffff:7f00:1]:8080"),
      actual_no(R::origin_not_allowed));
  add("IPv6 without brackets is malformed", "hosts", get("http://::1:3000"), actual_no(R::origin_malformed));
  add("IPv4 allowed", "hosts", get("http://127.0.0.1:8080"), actual_ok({acao("http://127.0.0.1:8080"), vary_origin()}));
  add("IPv4 leading zero is malformed", "hosts", get("http://127.0.0.01:8080"), actual_no(R::origin_malformed));
  add("IPv4 octet 256 is malformed", "hosts", get("http://127.0.0.256:8080"), actual_no(R::origin_malformed));
  add("IPv4 short form is malformed", "hosts", get("http://127.1:8080"), actual_no(R::origin_malformed));
  add("IPv4 other port", "hosts", get("http://127.0.0.1:8081"), actual_no(R::origin_not_allowed));
  add("foo and bar configured: barfoo refused", "hosts", get("https://barfoo.com"), actual_no(R::origin_not_allowed));
  add("foo and bar configured: foobar refused", "hosts", get("https://foobar.com"), actual_no(R::origin_not_allowed));
  add("foo and bar configured: bar allowed", "hosts", get("https://bar.com"),
      actual_ok({acao("https://bar.com"), vary_origin()}));
  add("foo and bar configured: a.foo refused", "hosts", get("https://a.foo.com"), actual_no(R::origin_not_allowed));

  // --- `null` -----------------------------------------------------------------------------------
  add("`null` allowed when dangerously enabled", "null_ok", get("null"), actual_ok({acao("null"), vary_origin()}));
  add("`null` preflight allowed when enabled", "null_ok", pf("null", "GET"), pf_ok({acao("null"), vary_pf()}));
  add("tuple origin not allowed by a null-only policy", "null_ok", get("https://a.example"),
      actual_no(R::origin_not_allowed));

  // --- `*` origin -------------------------------------------------------------------------------
  add("`*`: any origin gets `*`, no Vary", "any", get("https://anything.example"), actual_ok({acao("*")}));
  add("`*`: `null` gets `*`", "any", get("null"), actual_ok({acao("*")}));
  add("`*`: malformed origin gets the constant `*`", "any", get("HTTPS://X"), actual_ok({acao("*")}));
  add("`*`: two Origin lines still get the constant `*`", "any", req("GET", {{"Origin", "a"}, {"Origin", "b"}}),
      actual_ok({acao("*")}));
  add("`*`: preflight with listed method", "any", pf("https://x.example", "PUT"),
      pf_ok({acao("*"), acam("PUT"), acah("X-A"), vary_pf()}));
  add("`*`: preflight with unlisted method", "any", pf("https://x.example", "DELETE"),
      pf_no(R::method_not_allowed, "DELETE"));
  add("`*`: preflight with unlisted header", "any", pf("https://x.example", "PUT", "x-b"),
      pf_no(R::header_not_allowed, "x-b"));
  add("`*` everything: preflight any method", "any_all", pf("https://x.example", "PURGE", "x-anything"),
      pf_ok({acao("*"), acam("*"), acah("*"), vary_pf()}));
  add("`*` everything: actual exposes `*`", "any_all", get("https://x.example"), actual_ok({acao("*"), aceh("*")}));
  add("`*` headers never cover Authorization", "any_all", pf("https://x.example", "GET", "authorization"),
      pf_no(R::header_not_allowed, "authorization"));
  add("`*` headers never cover Authorization, any case", "any_all", pf("https://x.example", "GET", "x-a,Authorization"),
      pf_no(R::header_not_allowed, "Authorization"));
  add("`*` plus Authorization listed", "any_auth", pf("https://x.example", "GET", "authorization,x-a"),
      pf_ok({acao("*"), acam("*"), acah("*, Authorization"), vary_pf()}));

  // --- Credentials with `*` methods/headers: echo, never `*` ------------------------------------
  add("credentials + `*` methods echo the method", "creds_star", pf(app, "PURGE"),
      pf_ok({acao(app), acac(), acam("PURGE"), vary_pf()}));
  add("credentials + `*` methods echo lowercase method as is", "creds_star", pf(app, "patch"),
      pf_ok({acao(app), acac(), acam("patch"), vary_pf()}));
  add("credentials + `*` headers echo the list", "creds_star", pf(app, "PUT", "content-type,x-a"),
      pf_ok({acao(app), acac(), acam("PUT"), acah("content-type,x-a"), vary_pf()}));
  add("credentials + `*` headers echo each line", "creds_star",
      req("OPTIONS", {{"Origin", app},
                      {"Access-Control-Request-Method", "PUT"},
                      {"Access-Control-Request-Headers", "x-a"},
                      {"Access-Control-Request-Headers", " x-b "}}),
      pf_ok({acao(app), acac(), acam("PUT"), acah("x-a"), acah("x-b"), vary_pf()}));
  add("credentials + `*` headers still refuse Authorization", "creds_star", pf(app, "GET", "authorization"),
      pf_no(R::header_not_allowed, "authorization"));
  add("credentials + `*` + Authorization listed echoes it", "creds_star_auth", pf(app, "GET", "authorization"),
      pf_ok({acao(app), acac(), acam("GET"), acah("authorization"), vary_pf()}));
  add("credentials + `*`: actual echoes origin", "creds_star", get(app), actual_ok({acao(app), acac(), vary_origin()}));
  add("credentials + `*`: other origin refused", "creds_star", get("https://evil.example"),
      actual_no(R::origin_not_allowed));

  // --- Methods: case-sensitive, safelisted always pass ------------------------------------------
  add("safelisted GET needs no listing", "simple", pf(app, "GET"), pf_ok({acao(app), vary_pf()}));
  add("safelisted HEAD needs no listing", "simple", pf(app, "HEAD"), pf_ok({acao(app), vary_pf()}));
  add("safelisted POST needs no listing", "simple", pf(app, "POST"), pf_ok({acao(app), vary_pf()}));
  add("unlisted PUT refused", "simple", pf(app, "PUT"), pf_no(R::method_not_allowed, "PUT"));
  add("lowercase get is not safelisted", "simple", pf(app, "get"), pf_no(R::method_not_allowed, "get"));
  add("listed PUT allowed", "basic", pf(app, "PUT"), pf_ok(basic_preflight(app)));
  add("listed DELETE allowed", "basic", pf(app, "DELETE"), pf_ok(basic_preflight(app)));
  add("PATCH not listed", "basic", pf(app, "PATCH"), pf_no(R::method_not_allowed, "PATCH"));
  add("lowercase put is another method", "basic", pf(app, "put"), pf_no(R::method_not_allowed, "put"));
  add("patch listed lowercase: patch allowed", "methods", pf(app, "patch"),
      pf_ok({acao(app), acam("patch, DELETE, PURGE"), vary_pf()}));
  add("patch listed lowercase: PATCH refused", "methods", pf(app, "PATCH"), pf_no(R::method_not_allowed, "PATCH"));
  add("delete listed lowercase is normalized to DELETE", "methods", pf(app, "DELETE"),
      pf_ok({acao(app), acam("patch, DELETE, PURGE"), vary_pf()}));
  add("custom PURGE allowed", "methods", pf(app, "PURGE"), pf_ok({acao(app), acam("patch, DELETE, PURGE"), vary_pf()}));
  add("purge lowercase refused", "methods", pf(app, "purge"), pf_no(R::method_not_allowed, "purge"));
  add("method with space is malformed", "methods", pf(app, "PUR GE"), pf_no(R::method_malformed, "PUR GE"));
  add("method with OWS is trimmed", "methods", pf(app, " PURGE "),
      pf_ok({acao(app), acam("patch, DELETE, PURGE"), vary_pf()}));
  add("method list in ACRM is malformed", "methods", pf(app, "PURGE, patch"),
      pf_no(R::method_malformed, "PURGE, patch"));
  add("two ACRM lines are malformed", "methods",
      req("OPTIONS",
          {{"Origin", app}, {"Access-Control-Request-Method", "PURGE"}, {"Access-Control-Request-Method", "patch"}}),
      pf_no(R::method_malformed));
  add("CONNECT never allowed without `*`", "methods", pf(app, "CONNECT"), pf_no(R::method_not_allowed, "CONNECT"));

  // --- Request headers: case-insensitive, several lines, OWS, bounded ---------------------------
  add("listed header allowed", "basic", pf(app, "PUT", "x-request-id"), pf_ok(basic_preflight(app)));
  add("listed headers, browser form", "basic", pf(app, "PUT", "content-type,x-request-id"),
      pf_ok(basic_preflight(app)));
  add("listed header, uppercase", "basic", pf(app, "PUT", "X-REQUEST-ID"), pf_ok(basic_preflight(app)));
  add("listed headers with OWS", "basic", pf(app, "PUT", " content-type ,\tx-request-id\t"),
      pf_ok(basic_preflight(app)));
  add("listed headers with an empty element", "basic", pf(app, "PUT", "content-type,,x-request-id"),
      pf_ok(basic_preflight(app)));
  add("listed headers split over two lines", "basic",
      req("OPTIONS", {{"Origin", app},
                      {"Access-Control-Request-Method", "PUT"},
                      {"Access-Control-Request-Headers", "content-type"},
                      {"access-control-request-headers", "x-request-id"}}),
      pf_ok(basic_preflight(app)));
  add("unlisted header refused", "basic", pf(app, "PUT", "content-type,x-evil"),
      pf_no(R::header_not_allowed, "x-evil"));
  add("unlisted header on the second line refused", "basic",
      req("OPTIONS", {{"Origin", app},
                      {"Access-Control-Request-Method", "PUT"},
                      {"Access-Control-Request-Headers", "content-type"},
                      {"Access-Control-Request-Headers", "x-evil"}}),
      pf_no(R::header_not_allowed, "x-evil"));
  add("Authorization must be listed", "basic", pf(app, "GET", "authorization"),
      pf_no(R::header_not_allowed, "authorization"));
  add("prefix of a listed header refused", "basic", pf(app, "PUT", "x-request"),
      pf_no(R::header_not_allowed, "x-request"));
  add("header with space is malformed", "basic", pf(app, "PUT", "x request"), pf_no(R::headers_malformed, "x request"));
  add("header with colon is malformed", "basic", pf(app, "PUT", "x-a:1"), pf_no(R::headers_malformed, "x-a:1"));
  add("header with CR LF is malformed", "basic", pf(app, "PUT", "x-a\r\nx-b"),
      pf_no(R::headers_malformed, "x-a\r\nx-b"));
  add("empty ACRH value is fine", "basic",
      req("OPTIONS",
          {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}, {"Access-Control-Request-Headers", ""}}),
      pf_ok(basic_preflight(app)));
  // Bounds (#5.6.1.2 of RFC 9110: "a reasonable number of empty list elements"): bytes and lines,
  // never the number of names or empty elements, so that any list a browser sends within the byte
  // bound is read.
  add("17 empty elements are read and ignored", "basic", pf(app, "PUT", std::string(17, ',') + "x-request-id"),
      pf_ok(basic_preflight(app)));
  {
    std::string hundred;  // what a page that sets 100 custom headers makes a browser send (~700 bytes)
    for (int i = 0; i < 100; ++i) hundred += (i ? ",x-h" : "x-h") + std::to_string(i);
    add("100 names with `*` headers allowed", "any_all", pf("https://x.example", "PUT", hundred),
        pf_ok({acao("*"), acam("*"), acah("*"), vary_pf()}));
    add("100 names echoed with credentials and `*` headers", "creds_star", pf(app, "PUT", hundred),
        pf_ok({acao(app), acac(), acam("PUT"), acah(hundred), vary_pf()}));
    std::string at_limit;
    for (int i = 0; i < 315; ++i) at_limit += (i ? "," : "") + std::string("x-request-id");  // 4094 bytes
    add("315 listed names within 4096 bytes allowed", "basic", pf(app, "PUT", at_limit), pf_ok(basic_preflight(app)));
  }
  add("4096 bytes allowed", "basic", pf(app, "PUT", std::string(4096 - 12, ' ') + "x-request-id"),
      pf_ok(basic_preflight(app)));
  add("4097 bytes refused", "basic", pf(app, "PUT", std::string(4097 - 12, ' ') + "x-request-id"),
      pf_no(R::headers_too_large));
  add("4096 bytes of commas allowed", "basic", pf(app, "PUT", std::string(4096, ',')), pf_ok(basic_preflight(app)));
  add("1 MiB of commas refused", "basic", pf(app, "PUT", std::string(1 << 20, ',')), pf_no(R::headers_too_large));
  add("max_request_headers_bytes 256: 257 bytes refused", "small_acrh",
      pf(app, "PUT", std::string(257 - 12, ' ') + "x-request-id"), pf_no(R::headers_too_large));
  add("max_request_headers_bytes 256: 256 bytes allowed", "small_acrh",
      pf(app, "PUT", std::string(256 - 12, ' ') + "x-request-id"),
      pf_ok({acao(app), acam("PUT"), acah("X-Request-Id"), vary_pf()}));
  {
    request many{"OPTIONS", {{"Origin", app}, {"Access-Control-Request-Method", "PUT"}}};
    for (int i = 0; i < 9; ++i) many.lines.push_back({"Access-Control-Request-Headers", "x-request-id"});
    add("9 ACRH lines refused", "basic", many, pf_no(R::headers_too_many_lines));
    many.lines.pop_back();
    add("8 ACRH lines allowed", "basic", many, pf_ok(basic_preflight(app)));
  }
  add("safelisted name still needs listing when asked", "simple", pf(app, "POST", "content-type"),
      pf_no(R::header_not_allowed, "content-type"));

  // --- Exposed headers, max-age, preflight status, passthrough ---------------------------------
  add("max-age 0 is sent", "max0", pf(app, "PUT"), pf_ok({acao(app), acam("PUT"), acma("0"), vary_pf()}));
  add("no max-age configured: header omitted", "simple", pf(app, "GET"), pf_ok({acao(app), vary_pf()}));
  add("preflight status 200", "status200", pf(app, "PUT"), pf_ok({acao(app), acam("PUT"), vary_pf()}, 200));
  add("preflight status 200: refusal is still 403", "status200", pf(app, "DELETE"),
      pf_no(R::method_not_allowed, "DELETE"));
  add("passthrough: allowed preflight forwarded with headers", "passthrough", pf(app, "PUT"),
      {K::preflight, R::allowed, 0, {acao(app), acam("PUT"), vary_pf()}});
  add("passthrough: refused preflight forwarded without Access-Control-Allow headers", "passthrough", pf(app, "DELETE"),
      {K::preflight, R::method_not_allowed, 0, {vary_pf()}, "DELETE"});
  add("passthrough: actual unaffected", "passthrough", get(app), actual_ok({acao(app), vary_origin()}));
  add("max-age and expose on basic actual", "basic", req("DELETE", {{"Origin", app}}), actual_ok(basic_actual(app)));

  // --- Private Network Access (legacy, opt-in) ----------------------------------------------------
  add("PNA enabled: granted on request", "pna",
      req("OPTIONS", {{"Origin", app},
                      {"Access-Control-Request-Method", "GET"},
                      {"Access-Control-Request-Private-Network", "true"}}),
      pf_ok({acao(app), acapn(), vary(pf_vary_pna)}));
  add("PNA enabled: not sent when not asked", "pna", pf(app, "GET"), pf_ok({acao(app), vary(pf_vary_pna)}));
  add("PNA enabled: `True` is not `true`", "pna",
      req("OPTIONS", {{"Origin", app},
                      {"Access-Control-Request-Method", "GET"},
                      {"Access-Control-Request-Private-Network", "True"}}),
      pf_ok({acao(app), vary(pf_vary_pna)}));
  add("PNA enabled: refused origin gets nothing", "pna",
      req("OPTIONS", {{"Origin", "https://evil.example"},
                      {"Access-Control-Request-Method", "GET"},
                      {"Access-Control-Request-Private-Network", "true"}}),
      {K::preflight, R::origin_not_allowed, 403, {vary(pf_vary_pna)}});
  add("PNA off by default: never granted", "simple",
      req("OPTIONS", {{"Origin", app},
                      {"Access-Control-Request-Method", "GET"},
                      {"Access-Control-Request-Private-Network", "true"}}),
      pf_ok({acao(app), vary_pf()}));

  // --- Refusing disallowed actual requests; same-origin requests are never refused --------------
  add("refuse: disallowed origin answered 403", "refuse", get("https://evil.example"),
      {K::actual, R::origin_not_allowed, 403, {vary_origin()}});
  add("refuse: malformed origin answered 403", "refuse", get("https://evil.example/"),
      {K::actual, R::origin_malformed, 403, {vary_origin()}});
  add("refuse: server's own origin forwarded", "refuse", req("POST", {{"Origin", "https://api.example.com"}}),
      {K::actual, R::same_origin, 0, {vary_origin()}});
  add("refuse: Sec-Fetch-Site same-origin forwarded", "refuse",
      req("POST", {{"Origin", "https://api.example.org"}, {"Sec-Fetch-Site", "same-origin"}}),
      {K::actual, R::same_origin, 0, {vary_origin()}});
  add("refuse: Sec-Fetch-Site same-site is not same-origin", "refuse",
      req("POST", {{"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "same-site"}}),
      {K::actual, R::origin_not_allowed, 403, {vary_origin()}});
  add("refuse: allowed origin forwarded", "refuse", get(app), actual_ok({acao(app), vary_origin()}));
  add("refuse: no Origin forwarded", "refuse", req("GET", {}), {K::not_cors, R::not_cors, 0, {vary_origin()}});
  add("no refuse: disallowed origin forwarded", "simple", get("https://evil.example"),
      actual_no(R::origin_not_allowed));
  add("no refuse: same-origin recognised from Sec-Fetch-Site", "simple",
      req("PUT", {{"Origin", "https://api.example.com"}, {"Sec-Fetch-Site", "same-origin"}}),
      {K::actual, R::same_origin, 0, {vary_origin()}});
  return r;
}

}  // namespace matrix
