// Regression suite: the classes of CORS origin-validation bugs (CWE-346) found in other CORS
// libraries and server configurations, one test case per class. Each case runs against the fixed
// policies of tests/fuzz/policies.hpp and also checks every invariant of SECURITY.md.
#include <cors/policy.hpp>

#include <string>
#include <vector>

#include "policy_for.hpp"
#include "support.hpp"

namespace {

/// The origin is refused and nothing of the policy is granted.
void refused(std::string_view policy, std::string_view origin) {
  CAPTURE(policy, origin);
  const cors::decision d = sec::decide(sec::policy(policy), sec::get(origin));
  CHECK_FALSE(d.why() == cors::reason::allowed);
  CHECK(d.header(cors::response_header_id::access_control_allow_origin).empty());
  CHECK(d.header(cors::response_header_id::access_control_allow_credentials).empty());
  const cors::decision p = sec::decide(sec::policy(policy), sec::preflight(origin, "PUT"));
  CHECK(p.refused());
  CHECK(p.header(cors::response_header_id::access_control_allow_origin).empty());
}

void allowed(std::string_view policy, std::string_view origin) {
  CAPTURE(policy, origin);
  const cors::decision d = sec::decide(sec::policy(policy), sec::get(origin));
  CHECK(d.why() == cors::reason::allowed);
  CHECK(d.header(cors::response_header_id::access_control_allow_origin) == origin);
}

}  // namespace

TEST_CASE("class: suffix, prefix and substring look-alikes of an allowed origin are refused") {
  // The classic `origin.endsWith("example.com")` / `startsWith` / `contains` checks.
  allowed("credentials", "https://app.example.com");
  for (const char* o :
       {"https://app.example.com.evil.com", "https://evilapp.example.com", "https://app.example.comevil",
        "https://app.example.co", "https://pp.example.com", "https://app.example.com.", "https://app-example.com",
        "https://xapp.example.com", "http://app.example.com", "https://app.example.com:8443",
        "https://evil.com/https://app.example.com", "https://evil.com?https://app.example.com",
        "https://evil.com#https://app.example.com"}) {
    refused("credentials", o);
  }
}

TEST_CASE("class: userinfo cannot smuggle an allowed host (`https://app.example.com@evil.com`)") {
  for (const char* o :
       {"https://app.example.com@evil.com", "https://evil.com@app.example.com", "https://user:pass@app.example.com",
        "https://app.example.com:@evil.com", "https://app.example.com%40evil.com"}) {
    refused("credentials", o);
  }
}

TEST_CASE("class: a `.` in a configured origin is a literal dot, not a regex wildcard") {
  // Regex-built allow-lists without escaping let `https://appXexample.com` through.
  for (const char* o : {"https://appXexample.com", "https://app-example.com", "https://app.exampleXcom",
                        "https://aXexample.org", "https://127a0.0.1:8080", "http://127x0x0x1:8080"}) {
    refused("credentials", o);
  }
}

TEST_CASE("class: `null` (sandboxed iframes, file:, data:, redirects) is refused unless dangerously enabled") {
  refused("credentials", "null");
  CHECK(sec::decide(sec::policy("credentials"), sec::get("null")).why() == cors::reason::origin_null_not_allowed);
  allowed("null", "null");
  // `null` in the config without the opt-in is a config error, never silently allowed.
  cors::config c;
  c.origins = {"null"};
  CHECK(sec::refused_with(c, cors::config_error_code::origin_null_not_enabled));
  // Case variants, and a missing Origin, are never treated as `null`.
  for (const char* o : {"Null", "NULL", "nul", "nulls", "\"null\"", "file://", "file:///etc/passwd"}) {
    CAPTURE(o);
    CHECK(sec::decide(sec::policy("null"), sec::get(o))
              .header(cors::response_header_id::access_control_allow_origin)
              .empty());
  }
  const cors::decision none = sec::decide(sec::policy("null"), {"GET", {}});
  CHECK(none.kind() == cors::request_kind::not_cors);
  CHECK(none.header(cors::response_header_id::access_control_allow_origin).empty());
}

TEST_CASE("class: case games never match (browsers serialize scheme and host in lowercase)") {
  for (const char* o : {"HTTPS://app.example.com", "https://APP.example.com", "https://app.Example.com",
                        "Https://app.example.com", "https://a.EXAMPLE.org", "HTTP://localhost:3000"}) {
    refused("credentials", o);
    CHECK(sec::decide(sec::policy("credentials"), sec::get(o)).why() == cors::reason::origin_malformed);
  }
  cors::config c;
  c.origins = {"https://App.Example.com"};
  CHECK(sec::refused_with(c, cors::config_error_code::origin_has_uppercase));
}

TEST_CASE("class: trailing dots are refused on both sides") {
  refused("credentials", "https://app.example.com.");
  refused("credentials", "https://a.example.org.");
  refused("credentials", "http://localhost.:3000");
  cors::config c;
  c.origins = {"https://app.example.com."};
  CHECK(sec::refused_with(c, cors::config_error_code::origin_bad_host));
}

TEST_CASE("class: default-port and non-canonical port forms never match") {
  for (const char* o : {"https://app.example.com:443", "https://app.example.com:0443",
                        "https://app.example.com:", "http://localhost:80", "http://localhost:080",
                        "http://localhost:65536", "http://localhost:-1", "http://localhost:+3000",
                        "http://localhost:3000:3000", "http://127.0.0.1:08080", "https://a.example.net:08443"}) {
    refused("credentials", o);
  }
  allowed("credentials", "http://localhost:0");
  allowed("credentials", "http://localhost:65535");
  allowed("credentials", "https://a.example.net:8443");
  cors::config c;
  c.origins = {"https://app.example.com:443"};
  CHECK(sec::refused_with(c, cors::config_error_code::origin_default_port));
}

TEST_CASE("class: IPv6 and IPv4-mapped IPv6 forms match only in their canonical serialization") {
  allowed("credentials", "http://[::1]:3000");
  allowed("credentials", "https://[2001:db8::1]:9000");
  for (const char* o :
       {"http://[0:0:0:0:0:0:0:1]:3000", "http://[::0001]:3000", "http://[0::1]:3000", "http://[::ffff:127.0.0.1]:8080",
        "http://[::ffff:7f00:1]:8080", "http://::1:3000", "http://[::1]", "https://[2001:DB8::1]:9000",
        "https://[2001:db8:0:0:0:0:0:1]:9000", "http://[::1%25lo]:3000", "http://[::1]]:3000", "http://[[::1]:3000"}) {
    refused("credentials", o);
  }
}

TEST_CASE("class: IPv4 alternative forms (hex, octal, short, integer) are refused") {
  allowed("credentials", "http://127.0.0.1:8080");
  for (const char* o :
       {"http://0x7f.0.0.1:8080", "http://0177.0.0.1:8080", "http://127.1:8080", "http://2130706433:8080",
        "http://127.0.0.01:8080", "http://127.0.0.1.:8080", "http://0x7f000001:8080", "http://127.000.000.001:8080"}) {
    refused("credentials", o);
  }
}

TEST_CASE("class: backslashes, whitespace and control bytes inside the Origin are refused") {
  for (const char* o : {"https:\\\\app.example.com", "https:/\\app.example.com", "https://app.example.com\\",
                        "https://app .example.com", "https:// app.example.com", "https://app.example.com\t.evil",
                        "https://app.example.com\x0b", "https://app.example.com\x7f", "https://app.example\xc2\xa0.com",
                        "https://%61pp.example.com", "https://app%2eexample.com"}) {
    refused("credentials", o);
  }
  // Optional whitespace around the value (RFC 9110 OWS) is trimmed; the echo is the trimmed value.
  const cors::decision d = sec::decide(sec::policy("credentials"), sec::get(" \thttps://app.example.com\t "));
  CHECK(d.header(cors::response_header_id::access_control_allow_origin) == "https://app.example.com");
}

TEST_CASE("class: two Origin lines, or a comma-joined list, are refused") {
  const inv::raw_request two{"GET", {{"Origin", "https://app.example.com"}, {"Origin", "https://evil.example"}}};
  CHECK(sec::decide(sec::policy("credentials"), two).why() == cors::reason::origin_multiple);
  const inv::raw_request same{"GET", {{"Origin", "https://app.example.com"}, {"origin", "https://app.example.com"}}};
  CHECK(sec::decide(sec::policy("credentials"), same).why() == cors::reason::origin_multiple);
  inv::raw_request pf = sec::preflight("https://app.example.com", "PUT");
  pf.lines.push_back({"ORIGIN", "https://app.example.com"});
  CHECK(sec::decide(sec::policy("credentials"), pf).refused());
  refused("credentials", "https://app.example.com, https://evil.example");
  refused("credentials", "https://app.example.com,https://app.example.com");
  refused("credentials", "https://app.example.com https://evil.example");
}

TEST_CASE("class: over-long Origin values are refused at the documented cap (512 bytes)") {
  // A 512-byte origin is parsed; 513 bytes is malformed whatever it contains.
  const std::string prefix = "https://a.";
  const std::string suffix = ".example.org";
  const std::string host_labels = [&] {
    std::string s;
    while (s.size() + prefix.size() + suffix.size() < 512) s += s.empty() ? "b" : ".b";
    return s;
  }();
  std::string at_cap = prefix + host_labels + suffix;
  while (at_cap.size() > 512) at_cap.erase(prefix.size(), 2);
  while (at_cap.size() < 512) at_cap.insert(prefix.size(), "c");
  REQUIRE(at_cap.size() == 512);
  allowed("credentials", at_cap);
  refused("credentials", "https://c" + at_cap.substr(8));
  refused("credentials", "https://" + std::string(100000, 'a') + ".example.org");
  refused("credentials", "https://app.example.com" + std::string(100000, 'm'));
}

TEST_CASE("class: `*.example.org` never reaches the apex, a sibling suffix or another scheme or port") {
  allowed("credentials", "https://a.example.org");
  allowed("credentials", "https://a.b.example.org");
  for (const char* o :
       {"https://example.org", "https://badexample.org", "https://.example.org", "https://a..example.org",
        "https://example.org.evil.com", "https://a.example.org.evil.com", "https://example.organic",
        "https://a.example.organic", "http://a.example.org", "https://a.example.org:443", "https://a.example.org:8443",
        "wss://a.example.org", "https://-a.example.org", "https://a-.example.org", "https://a_b.example.org"}) {
    refused("credentials", o);
  }
}

TEST_CASE("class: credentials with wildcards are refused at configuration time") {
  cors::config c;
  c.origins = {"*"};
  c.credentials = true;
  CHECK(sec::refused_with(c, cors::config_error_code::credentials_with_any_origin));
  CHECK_THROWS_AS(testing::policy_for(c), cors::invalid_config);
  c.origins = {"https://app.example.com"};
  c.exposed_headers = {"*"};
  CHECK(sec::refused_with(c, cors::config_error_code::exposed_wildcard_with_credentials));
  // `*` methods and headers with credentials are echoed, never sent as `*`.
  const cors::decision d = sec::decide(sec::policy("null"), sec::preflight("https://app.example.com", "PURGE", "x-a"));
  CHECK(d.header(cors::response_header_id::access_control_allow_methods) == "PURGE");
  CHECK(d.header(cors::response_header_id::access_control_allow_headers) == "x-a");
}

TEST_CASE("class: insecure http:// origins with credentials are refused at configuration time") {
  cors::config c;
  c.credentials = true;
  for (const char* o : {"http://app.example.com", "http://*.example.com", "ws://app.example.com",
                        "http://10.0.0.1:8080", "http://app.example.com:*"}) {
    CAPTURE(o);
    c.origins = {o};
    CHECK(sec::refused_with(c, cors::config_error_code::credentials_with_insecure_origin));
  }
  // Loopback never leaves the machine: allowed.
  for (const char* o : {"http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:3000", "http://localhost:*"}) {
    CAPTURE(o);
    c.origins = {o};
    CHECK(cors::validate(c).empty());
  }
  c.origins = {"http://app.example.com"};
  c.dangerously_allow_insecure_origins_with_credentials = true;
  CHECK(cors::validate(c).empty());
}

TEST_CASE("class: CR, LF and NUL in request headers are never reflected (response splitting)") {
  const std::vector<inv::raw_request> hostile = {
      sec::get("https://app.example.com\r\nSet-Cookie: a=b"),
      sec::get("https://app.example.com\nX: y"),
      sec::get(std::string_view("https://app.example.com\0evil", 28)),
      sec::preflight("https://app.example.com", "PUT\r\nX: y"),
      sec::preflight("https://app.example.com", "PUT", "x-a\r\nSet-Cookie: a=b"),
      sec::preflight("https://app.example.com", "PUT", "x-a,\nx-b"),
      sec::preflight("null", "PURGE\r\n", "x-a"),
      sec::preflight("null", "PURGE", std::string_view("x-a\0", 4)),
  };
  for (const char* p : {"credentials", "any", "null", "refuse", "pna"}) {
    for (const inv::raw_request& r : hostile) {
      const cors::decision d = sec::decide(sec::policy(p), r);  // checks "no CR, LF or NUL" among others
      for (const cors::response_header h : d.headers()) {
        CHECK(h.value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos);
      }
    }
  }
}

TEST_CASE("class: cache poisoning - every origin-dependent answer carries Vary, rejected and non-CORS ones too") {
  for (const char* p : {"credentials", "null", "refuse", "pna"}) {
    CAPTURE(p);
    for (const inv::raw_request& r :
         {inv::raw_request{"GET", {}}, sec::get("https://evil.example"), sec::get("https://app.example.com"),
          sec::get("HTTPS://bad"), sec::preflight("https://evil.example", "PUT"),
          sec::preflight("https://app.example.com", "PUT"), inv::raw_request{"OPTIONS", {}}}) {
      const cors::decision d = sec::decide(sec::policy(p), r);
      CHECK(d.header(cors::response_header_id::vary).find("Origin") != std::string_view::npos);
    }
  }
  // The constant `*` policy answers the same for everyone, and says `*` on non-CORS responses too.
  const cors::decision any = sec::decide(sec::policy("any"), {"GET", {}});
  CHECK(any.header(cors::response_header_id::access_control_allow_origin) == "*");
}

TEST_CASE("class: private-network requests without the opt-in never get Access-Control-Allow-Private-Network") {
  for (const char* p : {"credentials", "any", "null", "refuse"}) {
    CAPTURE(p);
    inv::raw_request r = sec::preflight("https://app.example.com", "GET");
    r.lines.push_back({"Access-Control-Request-Private-Network", "true"});
    CHECK(
        sec::decide(sec::policy(p), r).header(cors::response_header_id::access_control_allow_private_network).empty());
  }
  inv::raw_request r = sec::preflight("https://a.corp.example", "GET");
  r.lines.push_back({"Access-Control-Request-Private-Network", "true"});
  CHECK(sec::decide(sec::policy("pna"), r).header(cors::response_header_id::access_control_allow_private_network) ==
        "true");
  // Not for a refused origin, not for `TRUE`, not for two lines.
  inv::raw_request evil = sec::preflight("https://evil.example", "GET");
  evil.lines.push_back({"Access-Control-Request-Private-Network", "true"});
  CHECK(sec::decide(sec::policy("pna"), evil)
            .header(cors::response_header_id::access_control_allow_private_network)
            .empty());
  r.lines.back().value = "TRUE";
  CHECK(sec::decide(sec::policy("pna"), r)
            .header(cors::response_header_id::access_control_allow_private_network)
            .empty());
  r.lines.back().value = "true";
  r.lines.push_back({"Access-Control-Request-Private-Network", "true"});
  CHECK(sec::decide(sec::policy("pna"), r)
            .header(cors::response_header_id::access_control_allow_private_network)
            .empty());
}

TEST_CASE("class: a rejected preflight carries no Access-Control-Allow-* header") {
  for (const char* p : {"credentials", "any", "null", "refuse", "pna"}) {
    CAPTURE(p);
    for (const inv::raw_request& r :
         {sec::preflight("https://evil.example", "PUT"), sec::preflight("https://app.example.com", "TRACE x"),
          sec::preflight("https://app.example.com", "PUT", "x-not-listed"),
          sec::preflight("https://app.example.com", "PUT", "authorization,x-request-id,bad name")}) {
      const cors::decision d = sec::decide(sec::policy(p), r);
      if (d.refused()) {
        for (const cors::response_header h : d.headers()) CHECK(h.name().substr(0, 21) != "Access-Control-Allow-");
      }
    }
  }
}

TEST_CASE("class: every one-byte edit of origins near wildcard patterns is decided as the reference model says") {
  // Wildcard patterns are matched before the Origin is parsed as a whole (policy::matches_subdomain
  // validates only what the matched pattern leaves open): each edit of a matching origin, one byte
  // replaced, inserted or deleted anywhere, must get the reference model's answer.
  cors::config c;
  c.origins = {"https://*.example.org",   "https://*.b.example.org:*", "http://*.example.net:8080",
               "foo+x.y://*.example.com", "https://*.localhost:*",     "https://app.example.com"};
  const cors::policy p = testing::policy_for(c);
  const ref::model m = sec::model_of(c);
  const std::string bytes = std::string("aZ09-._:/@[]*+ \t%\\") + '\0' + "\x7f\xc3";
  std::size_t tried = 0;
  std::size_t allowed_edits = 0;
  for (const std::string seed :
       {"https://a.example.org", "https://a-1.b.example.org:8443", "http://x.y.example.net:8080",
        "foo+x.y://q.example.com", "https://a.localhost", "https://a.b.example.org:0"}) {
    REQUIRE(p.allows_origin(seed));
    for (std::size_t i = 0; i <= seed.size(); ++i) {
      std::vector<std::string> edits;
      if (i < seed.size()) edits.push_back(seed.substr(0, i) + seed.substr(i + 1));
      for (const char b : bytes) {
        edits.push_back(seed.substr(0, i) + b + seed.substr(i));
        if (i < seed.size()) edits.push_back(seed.substr(0, i) + b + seed.substr(i + 1));
      }
      for (const std::string& o : edits) {
        const bool expected = m.allows(ref::parse(ref::trim(o)));  // header values lose their OWS
        CAPTURE(o);
        CHECK(p.allows_origin(o) == expected);
        ++tried;
        allowed_edits += expected ? 1 : 0;
      }
    }
  }
  // Both answers occur: the edits exercise the matcher, not only its first refusal.
  CHECK(tried > 2000);
  CHECK(allowed_edits > 100);
}
